import { jsonata, State } from "./asl";
import type { NotifyDefinitionArgs } from "./definition";
import { accountLookups } from "./lookups";
import { messageExpression } from "./message";
import { centralTargets, dryRunOrPublish } from "./publish";

/** Where the path of the forwarder StackSet's failures starts. */
export const COVERAGE_PATH = "Coverage: look up the account";

/** A failed stack instance of the forwarder StackSet: the account's context, the notice, the post. */
export function coveragePath(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    [COVERAGE_PATH]: accountLookups(
      args.directoryAccountId,
      args.message.accountTags,
      "Coverage: build message",
      "Coverage: ",
    ),
    "Coverage: build message": {
      Type: "Pass",
      Assign: { message: jsonata(messageExpression(args.message)), targets: centralTargets(args.topicArn) },
      Next: "Coverage: Dry run?",
    },
    ...dryRunOrPublish("Coverage: "),
  };
}

import { jsonata, State } from "./asl";
import type { NotifyDefinitionArgs } from "./definition";
import { accountLookups } from "./lookups";
import { messageExpression } from "./message";
import { dryRunOrPublish } from "./publish";
import { routedTargets } from "./routes";

/** Where the path of AWS Health events (and test events of their shape) starts. */
export const ALERT_PATH = "Look up the account";

/** An abuse report, a risk notice or a test event: the account's context, the message, the post. */
export function alertPath(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    [ALERT_PATH]: accountLookups(args.directoryAccountId, args.message.accountTags, "Build message"),
    "Build message": {
      Type: "Pass",
      Assign: {
        message: jsonata(messageExpression(args.message)),
        targets: routedTargets(args.topicArn, args.routes ?? []),
      },
      Next: "Dry run?",
    },
    ...dryRunOrPublish(""),
  };
}

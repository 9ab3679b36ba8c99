import { jsonata, StateMachineDefinition } from "./asl";
import { ALERT_PATH, alertPath } from "./alert-path";
import { COVERAGE_PATH, coveragePath } from "./coverage-path";
import { IS_PROBE, PROBE_PATH, probePath } from "./probe-path";
import { MessageOptions } from "./message";
import { RouteTarget } from "../model/routes";

export interface NotifyDefinitionArgs {
  /** The alert topic the message is published to. */
  topicArn: string;
  /** The operations topic, told when a case cannot be followed. */
  opsTopicArn: string;
  /** The case workflow of the same region, which follows each abuse case to its reply-by. */
  caseStateMachineArn: string;
  /** The management account: the lookups run as its directory role, and it reads its own contact without naming itself. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
  /** Owning teams' routes, each with its topic in this region: an alert also goes to each that matches. */
  routes?: readonly RouteTarget[];
}

/**
 * The notify workflow: read the event (or a dry run's `{ dryRun: true, event }`), look up the
 * account's name and root email, OU path, tags and SECURITY contact through the management
 * account's directory role (each lookup best-effort), build the Chatbot message with JSONata,
 * and publish it to the alert topic with retries for hours (or return it, in a dry run). An
 * abuse report or risk notice is a case: each update posts once, and the case workflow follows it.
 */
export function notifyDefinition(args: NotifyDefinitionArgs): StateMachineDefinition {
  return {
    Comment:
      "abuse-alerts: an AWS Health abuse or risk event, a test event or a coverage notice, with the account's context, to Slack",
    QueryLanguage: "JSONata",
    // A post retries for hours at most; the case workflow, not this one, waits for the reply-by.
    TimeoutSeconds: 86400,
    StartAt: "Read event",
    States: {
      "Read event": {
        Type: "Pass",
        Assign: {
          event: jsonata("$states.input.dryRun = true ? $states.input.event : $states.input"),
          dryRun: jsonata("$states.input.dryRun = true"),
        },
        Next: "Classify",
      },
      Classify: {
        Type: "Pass",
        Assign: {
          kind: jsonata(
            "$event.source = 'aws.cloudformation' ? 'coverage' : ($event.source = 'abuse-alerts.test' ? 'test' : 'alert')",
          ),
          // The impacted account: affectedAccount when AWS Health's organizational view delivered the
          // event elsewhere; for a coverage notice, the account in the stack's ARN (its lookups fail,
          // and the message says so, when AWS left that out).
          accountId: jsonata(
            "$event.source = 'aws.cloudformation' ? ($exists($event.detail.'stack-id') ? $split($event.detail.'stack-id', ':')[4] : 'unknown') : ($exists($event.detail.affectedAccount) ? $event.detail.affectedAccount : $event.account)",
          ),
        },
        Next: "Which path?",
      },
      "Which path?": {
        Type: "Choice",
        Choices: [
          { Condition: jsonata("$kind = 'coverage'"), Next: COVERAGE_PATH },
          { Condition: jsonata(IS_PROBE), Next: PROBE_PATH },
        ],
        Default: ALERT_PATH,
      },
      ...alertPath(args),
      ...coveragePath(args),
      ...probePath(),
    },
  };
}

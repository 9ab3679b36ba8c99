import { jsonata, StateMachineDefinition } from "./asl";
import { accountLookups } from "./lookups";
import { messageExpression, MessageOptions } from "./message";

export interface NotifyDefinitionArgs {
  /** The alert topic the message is published to. */
  topicArn: string;
  /** The management account: the lookups run as its directory role, and it reads its own contact without naming itself. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
}

/**
 * The notify workflow: read the event (or a dry run's `{ dryRun: true, event }`), look up the
 * account's name and root email, OU path, tags and SECURITY contact through the management
 * account's directory role (each lookup best-effort), build the Chatbot message with JSONata,
 * and publish it to the alert topic with retries for hours (or return it, in a dry run).
 */
export function notifyDefinition(args: NotifyDefinitionArgs): StateMachineDefinition {
  return {
    Comment:
      "abuse-alerts: an AWS Health abuse or risk event, a test event or a coverage notice, with the account's context, to Slack",
    QueryLanguage: "JSONata",
    // The reply window: an execution still running after it raises the ExecutionsTimedOut alarm.
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
        Next: "Look up the account",
      },
      "Look up the account": accountLookups(
        args.directoryAccountId,
        args.message.accountTags,
        "Build message",
      ),
      "Build message": {
        Type: "Pass",
        Assign: { message: jsonata(messageExpression(args.message)) },
        Next: "Dry run?",
      },
      "Dry run?": {
        Type: "Choice",
        Choices: [{ Condition: jsonata("$dryRun"), Next: "Return message" }],
        Default: "Publish",
      },
      "Return message": {
        Type: "Succeed",
        Output: jsonata("{ 'message': $message, 'context': $context }"),
      },
      Publish: {
        Type: "Task",
        Resource: "arn:aws:states:::sns:publish",
        Arguments: { TopicArn: args.topicArn, Message: jsonata("$string($message)") },
        // From 10 seconds to at most 15 minutes between tries, 30 tries: up to six hours of retrying
        // (about three on average, as full jitter picks each wait between zero and its cap) before
        // the execution fails and the ExecutionsFailed alarm goes off.
        Retry: [
          {
            ErrorEquals: ["States.ALL"],
            IntervalSeconds: 10,
            BackoffRate: 2,
            MaxDelaySeconds: 900,
            MaxAttempts: 30,
            JitterStrategy: "FULL",
          },
        ],
        Output: jsonata("{ 'published': $states.result.MessageId }"),
        End: true,
      },
    },
  };
}

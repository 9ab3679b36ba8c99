import { jsonata, State } from "./asl";

/**
 * The end of every path that posts: a dry run returns the message (and the context found), a real
 * run publishes it to the topic with retries for hours. `prefix` keeps the state names of each
 * path apart.
 */
export function dryRunOrPublish(prefix: string, topicArn: string): Record<string, State> {
  return {
    [`${prefix}Dry run?`]: {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$dryRun"), Next: `${prefix}Return message` }],
      Default: `${prefix}Publish`,
    },
    [`${prefix}Return message`]: {
      Type: "Succeed",
      Output: jsonata("{ 'message': $message, 'context': $context }"),
    },
    [`${prefix}Publish`]: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Arguments: { TopicArn: topicArn, Message: jsonata("$string($message)") },
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
  };
}

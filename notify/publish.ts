import { jsonata, literal, Retrier, State } from "./asl";
import { operationsNotice } from "./case-message";
import { LIMITS } from "./notification";

/**
 * Every post the workflows make goes through here: the message, published to each of the post's
 * targets. A target is `{ 'topicArn': …, 'note': … }`: the central alert topic, and the topic of
 * each owning team's route that matches the account (its `note` says why it was routed there,
 * shown above the message's own text). A path sets `$targets` before it posts.
 */

/** From 10 seconds to at most 15 minutes between tries, 30 tries. */
const PUBLISH_RETRY: Retrier = {
  ErrorEquals: ["States.ALL"],
  IntervalSeconds: 10,
  BackoffRate: 2,
  MaxDelaySeconds: 900,
  MaxAttempts: 30,
  JitterStrategy: "FULL",
};

/** The central alert topic as the only target, which every path starts from, as JSONata. */
export const centralTargetList = (topicArn: string) => `[{ 'topicArn': ${literal(topicArn)} }]`;

/** The same, as a field's value. */
export const centralTargets = (topicArn: string) => jsonata(centralTargetList(topicArn));

/**
 * The message with a target's note, if it has one, as the first line of its description: the
 * same post for everyone, saying in a route's channel why it is there. The end of the text gives
 * way to the note, within Chatbot's limit.
 */
const noted = (message: string) => {
  const description = `$states.input.note & '\\n\\n' & ${message}.content.description`;
  const within = `$length(${description}) > ${LIMITS.description} ? $substring(${description}, 0, ${LIMITS.description - 1}) & '…' : ${description}`;
  return `$exists($states.input.note) ? $merge([${message}, { 'content': $merge([${message}.content, { 'description': ${within} }]) }]) : ${message}`;
};

/**
 * `${prefix}Publish`: publishes `message` (a JSONata variable holding the Chatbot notification,
 * e.g. `$message`) to every target in `$targets`, each with retries for hours: from 10 seconds to
 * at most 15 minutes between tries, 30 tries, up to six hours (about three on average, as full
 * jitter picks each wait between zero and its cap) before the execution fails and the
 * ExecutionsFailed alarm goes off. Its result is the list of SNS message IDs.
 */
export function publishToTargets(prefix: string, message: string, next?: string): Record<string, State> {
  return {
    [`${prefix}Publish`]: {
      Type: "Map",
      Items: jsonata("$targets"),
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: `${prefix}Publish to a target`,
        States: {
          [`${prefix}Publish to a target`]: {
            Type: "Task",
            Resource: "arn:aws:states:::sns:publish",
            Arguments: {
              TopicArn: jsonata("$states.input.topicArn"),
              Message: jsonata(`$string(${noted(message)})`),
            },
            Retry: [PUBLISH_RETRY],
            Output: jsonata("$states.result.MessageId"),
            End: true,
          },
        },
      },
      Output: jsonata("{ 'published': $states.result }"),
      ...(next ? { Next: next } : { End: true }),
    },
  };
}

/**
 * The end of a path that posts once: a dry run returns the message (and the context found), a
 * real run publishes it to `$targets`. `prefix` keeps the state names of each path apart.
 */
export function dryRunOrPublish(prefix: string): Record<string, State> {
  return {
    [`${prefix}Dry run?`]: {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$dryRun"), Next: `${prefix}Return message` }],
      Default: `${prefix}Publish`,
    },
    [`${prefix}Return message`]: {
      Type: "Succeed",
      Output: jsonata("{ 'message': $message, 'context': $context, 'targets': $targets }"),
    },
    ...publishToTargets(prefix, "$message"),
  };
}

/**
 * `name`: a notice to the operations topic, whose alarms the channel and the operators' emails
 * get: `$opsTitle` and `$opsLines` (set by the Catch that sends here), with the same retries as a
 * post; then `next`, or the end.
 */
export function tellOperations(name: string, opsTopicArn: string, next?: string): Record<string, State> {
  return {
    [name]: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Arguments: { TopicArn: opsTopicArn, Message: jsonata(`$string(${operationsNotice})`) },
      Retry: [PUBLISH_RETRY],
      Output: jsonata("{ 'toldOperations': $opsTitle }"),
      ...(next ? { Next: next } : { End: true }),
    },
  };
}

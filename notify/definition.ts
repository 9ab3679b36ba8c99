import { directoryRoleArn } from "../model/names";
import { list, literal, messageExpression, MessageOptions } from "./message";

/** An Amazon States Language definition, as JSON. */
export type StateMachineDefinition = {
  Comment: string;
  QueryLanguage: "JSONata";
  TimeoutSeconds: number;
  StartAt: string;
  States: Record<string, State>;
};
export type State = Record<string, unknown> & { Type: string };

/** `{% expr %}`, one line: Step Functions' JSONata fields, and asl-validator, take single-line expressions. */
export const jsonata = (expression: string) => `{% ${expression.replace(/\s*\n\s*/g, " ").trim()} %}`;

export interface NotifyDefinitionArgs {
  /** The alert topic the message is published to. */
  topicArn: string;
  /** The management account: the lookups run as its directory role, and it reads its own contact without naming itself. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
}

/** The four lookups' errors become part of the message, never the end of the execution. */
const catchInto = (next: string) => [
  { ErrorEquals: ["States.ALL"], Output: jsonata("{ 'error': $states.errorOutput }"), Next: next },
];

/** Organizations and Account Management throttle: a few quick retries before the lookup counts as failed. */
const THROTTLED = [
  {
    ErrorEquals: [
      "Organizations.TooManyRequestsException",
      "Account.TooManyRequestsException",
      "Organizations.ConcurrentModificationException",
    ],
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 5,
    JitterStrategy: "FULL",
  },
];

const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;

/**
 * The notify workflow: read the event (or a dry run's `{ dryRun: true, event }`), look up the
 * account's name and root email, OU path, tags and SECURITY contact through the management
 * account's directory role (each lookup best-effort), build the Chatbot message with JSONata,
 * and publish it to the alert topic with retries for hours (or return it, in a dry run).
 */
export function notifyDefinition(args: NotifyDefinitionArgs): StateMachineDefinition {
  const credentials = { RoleArn: directoryRoleArn(args.directoryAccountId) };
  const lookup = (
    resource: string,
    argumentsExpression: string,
    output: string,
    next: string,
    extra = {},
  ) => ({
    Type: "Task",
    Resource: resource,
    Credentials: credentials,
    Arguments: jsonata(argumentsExpression),
    Retry: THROTTLED,
    Catch: catchInto(next),
    Output: jsonata(output),
    ...extra,
  });
  const done = { Type: "Pass", End: true };
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
      "Look up the account": {
        Type: "Parallel",
        Branches: [
          {
            StartAt: "Describe account",
            States: {
              "Describe account": lookup(
                sdk("organizations", "describeAccount"),
                "{ 'AccountId': $accountId }",
                "{ 'name': $states.result.Account.Name, 'email': $states.result.Account.Email }",
                "Account read",
                { End: true },
              ),
              "Account read": done,
            },
          },
          {
            StartAt: "Start at the account",
            States: {
              "Start at the account": {
                Type: "Pass",
                Assign: {
                  ouChild: jsonata("$accountId"),
                  ouNames: jsonata("[]"),
                  ouDepth: 0,
                  ouOfAccount: jsonata("''"),
                },
                Next: "List parents",
              },
              "List parents": lookup(
                sdk("organizations", "listParents"),
                "{ 'ChildId': $ouChild }",
                "$states.input",
                "OU path unknown",
                {
                  Assign: {
                    ouParent: jsonata("$states.result.Parents[0]"),
                    // The account's own OU (or root): a coverage notice's retry command targets it.
                    ouOfAccount: jsonata("$ouDepth = 0 ? $states.result.Parents[0].Id : $ouOfAccount"),
                  },
                  Next: "At the root?",
                },
              ),
              "At the root?": {
                Type: "Choice",
                // AWS allows five levels of OUs under the root.
                Choices: [
                  { Condition: jsonata("$ouParent.Type = 'ROOT' or $ouDepth >= 5"), Next: "OU path read" },
                ],
                Default: "Describe OU",
              },
              "Describe OU": lookup(
                sdk("organizations", "describeOrganizationalUnit"),
                "{ 'OrganizationalUnitId': $ouParent.Id }",
                "$states.input",
                "OU path unknown",
                {
                  Assign: {
                    ouNames: jsonata("$append([$states.result.OrganizationalUnit.Name], $ouNames)"),
                    ouChild: jsonata("$ouParent.Id"),
                    ouDepth: jsonata("$ouDepth + 1"),
                  },
                  Next: "List parents",
                },
              ),
              "OU path read": {
                Type: "Pass",
                Output: jsonata(
                  "{ 'path': $ouNames, 'complete': $ouParent.Type = 'ROOT', 'parentId': $ouOfAccount }",
                ),
                End: true,
              },
              "OU path unknown": done,
            },
          },
          {
            StartAt: "Start tags",
            States: {
              "Start tags": {
                Type: "Pass",
                Assign: { tagList: jsonata("[]"), tagToken: jsonata("''") },
                Next: "List tags",
              },
              "List tags": lookup(
                sdk("organizations", "listTagsForResource"),
                "$tagToken = '' ? { 'ResourceId': $accountId } : { 'ResourceId': $accountId, 'NextToken': $tagToken }",
                "$states.input",
                "Tags read",
                {
                  Assign: {
                    tagList: jsonata("$append($tagList, $states.result.Tags)"),
                    tagToken: jsonata("$exists($states.result.NextToken) ? $states.result.NextToken : ''"),
                  },
                  Next: "More tags?",
                },
              ),
              "More tags?": {
                Type: "Choice",
                Choices: [{ Condition: jsonata("$tagToken != ''"), Next: "List tags" }],
                Default: "Tags listed",
              },
              "Tags listed": {
                Type: "Pass",
                Output: jsonata(
                  `{ 'tags': $merge([$tagList[Key in ${list(args.message.accountTags)}].{ Key: Value }]) }`,
                ),
                Next: "Tags read",
              },
              "Tags read": done,
            },
          },
          {
            StartAt: "Get security contact",
            States: {
              "Get security contact": {
                ...lookup(
                  sdk("account", "getAlternateContact"),
                  // The management account reads its own contact without naming itself.
                  `$accountId = ${literal(args.directoryAccountId)} ? { 'AlternateContactType': 'SECURITY' } : { 'AlternateContactType': 'SECURITY', 'AccountId': $accountId }`,
                  "{ 'contact': $states.result.AlternateContact }",
                  "Contact read",
                  { End: true },
                ),
                Catch: [
                  // No contact set: AWS writes to the root address, which the message says.
                  {
                    ErrorEquals: ["Account.ResourceNotFoundException"],
                    Output: jsonata("{ 'contact': null }"),
                    Next: "Contact read",
                  },
                  ...catchInto("Contact read"),
                ],
              },
              "Contact read": done,
            },
          },
        ],
        Assign: { context: jsonata("$states.result") },
        Next: "Build message",
      },
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

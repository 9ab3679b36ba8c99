import { jsonata, list, literal, Retrier, sdk, State } from "./asl";
import { SecurityContact } from "../config/schema";
import { onboardingRelayRoleArn } from "../model/onboarding";

/**
 * What the onboarding and reconcile workflows share: who is in scope (the stack's accounts key,
 * the OU path walked at any depth), the SECURITY contact, and the retries of Organizations and the
 * Account API. Both run in the management account, where Organizations answers.
 */
export interface ScopeArgs {
  managementAccountId: string;
  /** Empty: the whole organization. */
  organizationalUnits: readonly string[];
  excluded: readonly string[];
  /** abuse-alerts:accounts.explicit: exactly these accounts, whatever their OU. */
  explicit?: readonly string[];
}

/** Throttling and transient errors of Organizations and the Account API, as the SDK integrations name them. */
export const THROTTLED: Retrier[] = [
  {
    ErrorEquals: [
      "Organizations.TooManyRequestsException",
      "Organizations.ServiceException",
      "Account.TooManyRequestsException",
      "Account.InternalServerException",
      "CloudFormation.ThrottlingException",
      "States.Timeout",
    ],
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    MaxAttempts: 6,
    JitterStrategy: "FULL",
  },
];

/** A few quick tries of a call the execution can simply repeat. */
export const RETRY_BRIEFLY: Retrier[] = [
  { ErrorEquals: ["States.ALL"], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, JitterStrategy: "FULL" },
];

/** Where the onboarding and reconcile workflows post: the operations topic, in the central account. */
export interface OpsTopic {
  centralAccountId: string;
  opsTopicArn: string;
}

/**
 * Publish `message` (a JSONata expression of the notification) to the operations topic through
 * the central account's relay role, trying for about three hours: the post is all a person sees.
 */
export function postToOps(args: OpsTopic, message: string, extra: Partial<State>): State {
  return {
    Type: "Task",
    Resource: sdk("sns", "publish"),
    Credentials: { RoleArn: onboardingRelayRoleArn(args.centralAccountId) },
    Arguments: { TopicArn: args.opsTopicArn, Message: jsonata(`$string(${message})`) },
    Retry: [
      {
        ErrorEquals: ["States.ALL"],
        IntervalSeconds: 10,
        BackoffRate: 2,
        MaxDelaySeconds: 900,
        MaxAttempts: 20,
        JitterStrategy: "FULL",
      },
    ],
    ...extra,
  };
}

/** JSONata: `id` (an expression) is left out by the stack's accounts key before any call. */
export function leftOutExpression(args: ScopeArgs, id: string): string {
  const explicit = args.explicit ? ` or $not(${id} in ${list(args.explicit)})` : "";
  return `${id} = '' or ${id} in ${list(args.excluded)}${explicit}`;
}

/**
 * `${prefix}Find parent` … : walks `$cursor` up the OU tree, one ListParents a level, recording
 * `$ouPath` (nearest first), until it meets a configured OU (`inScope`) or the root (`outOfScope`).
 * With no OUs configured, or explicit accounts, the first parent settles it.
 */
export function scopeWalk(
  prefix: string,
  args: ScopeArgs,
  next: { inScope: string; outOfScope: string; failed: string },
): Record<string, State> {
  const everything = args.organizationalUnits.length === 0 || args.explicit !== undefined;
  return {
    [`${prefix}Find parent`]: {
      Type: "Task",
      Resource: sdk("organizations", "listParents"),
      Arguments: { ChildId: jsonata("$cursor") },
      Retry: THROTTLED,
      // The input goes on: the reconcile's next states read the account from it.
      Output: jsonata("$states.input"),
      Assign: {
        cursor: jsonata("$states.result.Parents[0].Id"),
        parentType: jsonata("$states.result.Parents[0].Type"),
        ouPath: jsonata("$append($ouPath, [$states.result.Parents[0].Id])"),
      },
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Next: next.failed,
          Assign: { scopeError: jsonata("$states.errorOutput.Error & ': ' & $states.errorOutput.Cause") },
        },
      ],
      Next: `${prefix}In scope?`,
    },
    [`${prefix}In scope?`]: {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(everything ? "true" : `$cursor in ${list(args.organizationalUnits)}`),
          Next: next.inScope,
        },
        // Organizations nests OUs five deep: a longer path is a loop, not a tree.
        { Condition: jsonata("$parentType = 'ROOT' or $count($ouPath) > 6"), Next: next.outOfScope },
      ],
      Default: `${prefix}Find parent`,
    },
  };
}

/** The contact as the Account API takes it, for `accountId` (an expression): the management account names no account. */
export function contactArguments(args: ScopeArgs, contact: SecurityContact, accountId: string): string {
  const fields = `{ 'AlternateContactType': 'SECURITY', 'Name': ${literal(contact.name)}, 'Title': ${literal(contact.title)}, 'EmailAddress': ${literal(contact.emailAddress)}, 'PhoneNumber': ${literal(contact.phoneNumber)} }`;
  return jsonata(
    `${accountId} = ${literal(args.managementAccountId)} ? ${fields} : $merge([${fields}, { 'AccountId': ${accountId} }])`,
  );
}

/** JSONata: the contact the Account API returned (`current`, an expression) is the configured one. */
export function sameContactExpression(contact: SecurityContact, current: string): string {
  return [
    `${current}.Name = ${literal(contact.name)}`,
    `${current}.Title = ${literal(contact.title)}`,
    `$lowercase(${current}.EmailAddress) = $lowercase(${literal(contact.emailAddress)})`,
    `${current}.PhoneNumber = ${literal(contact.phoneNumber)}`,
  ].join(" and ");
}

import { jsonata, list, literal, sdk, State, StateMachineDefinition } from "./asl";
import { onboardingMessage } from "./onboarding-message";
import {
  contactArguments,
  leftOutExpression,
  OpsTopic,
  postToOps,
  ScopeArgs,
  scopeWalk,
  THROTTLED,
} from "./onboarding-scope";
import { SecurityContact } from "../config/schema";
import { STACKSET_NAME } from "../model/names";
import {
  JOINING_ACCOUNT_EXPRESSION,
  onboardingRelayRoleArn,
  PROBE_REQUEST_DETAIL_TYPE,
  PROBE_REQUEST_SOURCE,
  probePartition,
} from "../model/onboarding";
import { STATE_TABLE_NAME } from "../model/state-table";

/** The onboarding message goes to the operations topic in us-east-1. */
export interface OnboardingDefinitionArgs extends ScopeArgs, OpsTopic {
  /** The hub regions: a forwarder and a probe in each. */
  regions: readonly string[];
  memberRoleName: string;
  deployment: "direct" | "stackset";
  /** How the StackSet is called: SELF from the management account, DELEGATED_ADMIN from a delegated administrator. */
  callAs: "SELF" | "DELEGATED_ADMIN";
  contact?: SecurityContact;
}

/** An hour for the StackSet, then ten minutes for the probes, polled every 30 and 20 seconds. */
export const STACKS_LIMIT_SECONDS = 3600;
export const PROBES_LIMIT_SECONDS = 600;

const relay = (args: OnboardingDefinitionArgs) => ({
  RoleArn: onboardingRelayRoleArn(args.centralAccountId),
});
const elapsed = (since: string) =>
  `($toMillis($states.context.State.EnteredTime) - $toMillis(${since})) / 1000`;

/**
 * A move is a joining only from outside the scope: a move between two OUs in scope (any move, when
 * the whole organization is covered) leaves the account covered as it was, and re-onboarding it
 * would post for every account a reorganization moves. The source OU's path settles it.
 */
function moveStates(args: OnboardingDefinitionArgs): Record<string, State> {
  const everything = args.organizationalUnits.length === 0 || args.explicit !== undefined;
  return {
    "Moved?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(
            everything ? "$trigger = 'MoveAccount'" : "$trigger = 'MoveAccount' and $source != ''",
          ),
          Next: everything ? "Ignored" : "Moved from the scope?",
        },
      ],
      Default: "Start walk",
    },
    ...(everything
      ? {}
      : {
          "Moved from the scope?": {
            Type: "Choice",
            Choices: [
              { Condition: jsonata(`$source in ${list(args.organizationalUnits)}`), Next: "Ignored" },
              { Condition: jsonata("$substring($source, 0, 2) = 'r-'"), Next: "Start walk" },
            ],
            Default: "Start source walk",
          },
          "Start source walk": {
            Type: "Pass",
            Assign: { cursor: jsonata("$source"), parentType: jsonata("''"), ouPath: [] },
            Next: "Source: Find parent",
          },
          // A source that cannot be walked: onboard, rather than leave a joining account unproven.
          ...scopeWalk("Source: ", args, {
            inScope: "Ignored",
            outOfScope: "Start walk",
            failed: "Start walk",
          }),
        }),
  };
}

/** Read the event, leave out what the stack leaves out, walk the OU path, read the account. */
function admission(args: OnboardingDefinitionArgs): Record<string, State> {
  return {
    "Read event": {
      Type: "Pass",
      Assign: {
        accountId: jsonata(
          `( $e := $states.input; $id := ${JOINING_ACCOUNT_EXPRESSION}; $exists($id) ? $string($id) : '' )`,
        ),
        trigger: jsonata("$states.input.detail.eventName"),
        source: jsonata(
          "$exists($states.input.detail.requestParameters.sourceParentId) ? $states.input.detail.requestParameters.sourceParentId : ''",
        ),
        startedAt: jsonata("$states.context.State.EnteredTime"),
        ouPath: [],
        outcome: jsonata("''"),
        reason: jsonata("''"),
        probes: [],
        contactSet: false,
        contactError: jsonata("''"),
      },
      Next: "Left out?",
    },
    "Left out?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(
            `${leftOutExpression(args, "$accountId")} or $accountId = ${literal(args.managementAccountId)}`,
          ),
          Next: "Ignored",
        },
      ],
      Default: "Moved?",
    },
    ...moveStates(args),
    "Start walk": {
      Type: "Pass",
      Assign: { cursor: jsonata("$accountId"), parentType: jsonata("''"), ouPath: [] },
      Next: "Find parent",
    },
    ...scopeWalk("", args, { inScope: "Describe account", outOfScope: "Ignored", failed: "Scope unknown" }),
    "Scope unknown": {
      Type: "Pass",
      Assign: { outcome: "scope", reason: jsonata("$scopeError"), accountName: jsonata("$accountId") },
      Next: "Build message",
    },
    "Describe account": {
      Type: "Task",
      Resource: sdk("organizations", "describeAccount"),
      Arguments: { AccountId: jsonata("$accountId") },
      Retry: THROTTLED,
      Assign: {
        accountName: jsonata("$states.result.Account.Name"),
        accountState: jsonata(
          "$states.result.Account.State ? $states.result.Account.State : $states.result.Account.Status",
        ),
      },
      // The name is for the message only: an account that cannot be read is still onboarded.
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Next: args.contact ? "Set contact" : "Forwarder",
          Assign: { accountName: jsonata("$accountId"), accountState: "ACTIVE" },
        },
      ],
      Next: "Active?",
    },
    "Active?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$accountState != 'ACTIVE'"), Next: "Ignored" }],
      Default: args.contact ? "Set contact" : "Forwarder",
    },
    Ignored: { Type: "Succeed", Output: jsonata("{ 'accountId': $accountId, 'outcome': 'ignored' }") },
  };
}

/** The SECURITY contact, retried with backoff; a failure is told in the message, not fatal. */
function contactStep(args: OnboardingDefinitionArgs): Record<string, State> {
  if (!args.contact) return {};
  return {
    "Set contact": {
      Type: "Task",
      Resource: sdk("account", "putAlternateContact"),
      Arguments: contactArguments(args, args.contact, "$accountId"),
      Retry: THROTTLED,
      Assign: { contactSet: true },
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Next: "Forwarder",
          Assign: { contactError: jsonata("$states.errorOutput.Error & ': ' & $states.errorOutput.Cause") },
        },
      ],
      Next: "Forwarder",
    },
  };
}

/** In stackset mode, the account's stack instances polled until CURRENT in every region, for an hour at most. */
function stacksStep(args: OnboardingDefinitionArgs): Record<string, State> {
  const failed =
    "$instances[StackInstanceStatus.DetailedStatus in ['FAILED', 'INOPERABLE', 'CANCELLED', 'SKIPPED_SUSPENDED_ACCOUNT', 'FAILED_IMPORT']]";
  const notCurrent = `${list(args.regions)}[$not($ in $instances[Status = 'CURRENT'].Region)]`;
  return {
    Forwarder: {
      Type: "Choice",
      Choices: [{ Condition: jsonata(`${literal(args.deployment)} = 'direct'`), Next: "Direct mode" }],
      Default: "List stack instances",
    },
    "Direct mode": { Type: "Pass", Assign: { outcome: "direct" }, Next: "Build message" },
    "List stack instances": {
      Type: "Task",
      Resource: sdk("cloudformation", "listStackInstances"),
      // One account, a few regions: one page of 100.
      Arguments: {
        StackSetName: STACKSET_NAME,
        StackInstanceAccount: jsonata("$accountId"),
        CallAs: args.callAs,
        MaxResults: 100,
      },
      Retry: THROTTLED,
      Assign: { instances: jsonata("$append([], $states.result.Summaries)") },
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Next: "Build message",
          Assign: {
            outcome: "stacks",
            reason: jsonata("$states.errorOutput.Error & ': ' & $states.errorOutput.Cause"),
          },
        },
      ],
      Next: "Stacks ready?",
    },
    "Stacks ready?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(`$count(${failed}) > 0`),
          Next: "Build message",
          Assign: {
            outcome: "stacks",
            reason: jsonata(
              `$join(${failed}.(Region & ': ' & StackInstanceStatus.DetailedStatus & ($exists(StatusReason) ? ' (' & StatusReason & ')' : '')), '; ')`,
            ),
          },
        },
        { Condition: jsonata(`$count(${notCurrent}) = 0`), Next: "Check member role" },
        {
          Condition: jsonata(`${elapsed("$startedAt")} > ${STACKS_LIMIT_SECONDS}`),
          Next: "Build message",
          Assign: {
            outcome: "stacks-timeout",
            reason: jsonata(`'not CURRENT in ' & $join(${notCurrent}, ' and ')`),
          },
        },
      ],
      Default: "Wait for stacks",
    },
    "Wait for stacks": { Type: "Wait", Seconds: 30, Next: "List stack instances" },
  };
}

/**
 * The member role, assumed once here (a harmless read of the account's default bus), so that a
 * role that cannot be assumed is told as such; then a probe request per region to the regional
 * probers, through this account's default bus.
 */
function probeStep(args: OnboardingDefinitionArgs): Record<string, State> {
  const request = `$map(${list(args.regions)}, function($region) { { 'Source': ${literal(PROBE_REQUEST_SOURCE)}, 'DetailType': ${literal(PROBE_REQUEST_DETAIL_TYPE)}, 'EventBusName': 'default', 'Detail': $string({ 'accountId': $accountId, 'probeId': $probeId, 'region': $region, 'sentAt': $states.context.State.EnteredTime }) } })`;
  return {
    "Check member role": {
      Type: "Task",
      Resource: sdk("eventbridge", "describeEventBus"),
      Credentials: {
        RoleArn: jsonata(`'arn:aws:iam::' & $accountId & ':role/' & ${literal(args.memberRoleName)}`),
      },
      Arguments: { Name: "default" },
      Retry: [
        {
          ErrorEquals: ["EventBridge.InternalException", "EventBridge.ThrottlingException"],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 4,
          JitterStrategy: "FULL",
        },
      ],
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Next: "Build message",
          Assign: {
            outcome: "role",
            reason: jsonata("$states.errorOutput.Error & ': ' & $states.errorOutput.Cause"),
          },
        },
      ],
      Assign: { probeId: jsonata("$accountId & '-' & $states.context.Execution.Name") },
      Next: "Request probes",
    },
    "Request probes": {
      Type: "Task",
      Resource: "arn:aws:states:::events:putEvents",
      Arguments: { Entries: jsonata(request) },
      Retry: [
        {
          ErrorEquals: ["States.ALL"],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 4,
          JitterStrategy: "FULL",
        },
      ],
      Assign: { probesSentAt: jsonata("$states.context.State.EnteredTime") },
      Next: "Wait for probes",
    },
    "Wait for probes": { Type: "Wait", Seconds: 20, Next: "Read probes" },
    ...readProbes(args),
  };
}

/** Each region's arrival, a separate item in the central state table, read through the relay role. */
function readProbes(args: OnboardingDefinitionArgs): Record<string, State> {
  return {
    "Read probes": {
      Type: "Map",
      Items: jsonata(list(args.regions)),
      MaxConcurrency: args.regions.length,
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Read probe",
        States: {
          "Read probe": {
            Type: "Task",
            Resource: sdk("dynamodb", "getItem"),
            Credentials: relay(args),
            Arguments: {
              TableName: STATE_TABLE_NAME,
              Key: jsonata(
                `{ 'pk': { 'S': ${literal(probePartition(""))} & $probeId }, 'sk': { 'S': $states.input } }`,
              ),
              ConsistentRead: true,
            },
            Retry: [
              {
                ErrorEquals: ["States.ALL"],
                IntervalSeconds: 2,
                BackoffRate: 2,
                MaxAttempts: 3,
                JitterStrategy: "FULL",
              },
            ],
            Output: jsonata(
              "$exists($states.result.Item) ? { 'region': $states.input, 'seconds': $round(($toMillis($states.result.Item.arrivedAt.S) - $toMillis($states.result.Item.sentAt.S)) / 1000) } : { 'region': $states.input }",
            ),
            Catch: [
              { ErrorEquals: ["States.ALL"], Next: "Unread", Output: jsonata("{ 'region': $states.input }") },
            ],
            End: true,
          },
          Unread: { Type: "Pass", End: true },
        },
      },
      Assign: { probes: jsonata("$states.result") },
      Next: "Probes arrived?",
    },
    "Probes arrived?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata("$count($probes[$not($exists(seconds))]) = 0"),
          Next: "Build message",
          Assign: { outcome: "covered" },
        },
        {
          Condition: jsonata(`${elapsed("$probesSentAt")} > ${PROBES_LIMIT_SECONDS}`),
          Next: "Build message",
          Assign: { outcome: "probe" },
        },
      ],
      Default: "Wait for probes",
    },
  };
}

/**
 * The onboarding workflow, started by the rules of model/onboarding.ts in the management account
 * (us-east-1): the contact, the StackSet's instances, a probe per region through the account's
 * forwarder, and one message on the operations topic. Its output is the outcome, for `npm run coverage`.
 */
export function onboardingDefinition(args: OnboardingDefinitionArgs): StateMachineDefinition {
  const contactLabel = args.contact ? `${args.contact.name} <${args.contact.emailAddress}>` : undefined;
  return {
    Comment:
      "abuse-alerts: a joining account's SECURITY contact, its forwarder proven by a probe per region, one message",
    QueryLanguage: "JSONata",
    // An hour for the StackSet, ten minutes for the probes, hours of publishing retries.
    TimeoutSeconds: 6 * 3600,
    StartAt: "Read event",
    States: {
      ...admission(args),
      ...contactStep(args),
      ...stacksStep(args),
      ...probeStep(args),
      "Build message": {
        Type: "Pass",
        Assign: {
          message: jsonata(
            onboardingMessage({
              regions: args.regions,
              memberRoleName: args.memberRoleName,
              deployment: args.deployment,
              contactLabel,
            }),
          ),
        },
        Next: "Post",
      },
      Post: postToOps(args, "$message", {
        Output: jsonata(
          "{ 'accountId': $accountId, 'accountName': $accountName, 'outcome': $outcome, 'reason': $reason, 'probes': $probes, 'contactSet': $contactSet, 'contactError': $contactError, 'messageId': $states.result.MessageId, 'message': $message }",
        ),
        End: true,
      }),
    },
  };
}

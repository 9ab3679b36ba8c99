import { directoryRoleArn, STACKSET_NAME } from "../model/names";
import { STACK_INSTANCE_DETAIL_TYPE, STACKSET_OPERATION_DETAIL_TYPE } from "../model/patterns";
import {
  ACTIVE_OPERATION_STATUSES,
  COVERAGE_WINDOW_SECONDS,
  OPERATION_CHECK_SECONDS,
  OPERATION_CHECKS,
  POSTED_INSTANCE_STATUSES,
  RESULTS_PAGE_SIZE,
  RESULTS_PAGES,
  SUMMARIZED_OPERATION_STATUSES,
} from "../model/stackset-failures";
import {
  COVERAGE_CLAIM_KEY,
  COVERAGE_OPERATIONS_KEY,
  COVERAGE_WINDOW_PREFIX,
  STATE_TABLE_NAME,
} from "../model/state-table";
import { jsonata, list, literal, Retrier, sdk, State } from "./asl";
import { CONDITION_FAILED, PUT_ITEM, QUICK_RETRY, text } from "./case-table";
import { operationSummary, windowSummary } from "./coverage-summary";
import type { NotifyDefinitionArgs } from "./definition";
import { accountLookups } from "./lookups";
import { messageExpression } from "./message";
import { centralTargets, dryRunOrPublish, publishToTargets } from "./publish";

/** Where the path of the forwarder StackSet's notices starts. */
export const COVERAGE_PATH = "Coverage: which notice?";

/** Where a single account's notice starts: its lookups. */
const LOOK_UP = "Coverage: look up the account";

/** CloudFormation's read calls, as the directory role in the management account makes them. */
const READ_RETRY: Retrier[] = [
  { ErrorEquals: ["States.ALL"], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 4, JitterStrategy: "FULL" },
];
const cloudFormation = (action: string, directoryAccountId: string) => ({
  Type: "Task",
  Resource: sdk("cloudformation", action),
  Credentials: { RoleArn: directoryRoleArn(directoryAccountId) },
  Retry: READ_RETRY,
});

/** Coverage items leave the table after two days: long enough for any window or rollout. */
const EXPIRES_SOON = {
  N: jsonata("$string($floor($toMillis($states.context.State.EnteredTime) / 1000) + 172800)"),
};

/** The window an execution belongs to: its start, in epoch milliseconds, by when it started. */
const WINDOW = `$floor($toMillis($states.context.Execution.StartTime) / ${COVERAGE_WINDOW_SECONDS * 1000}) * ${COVERAGE_WINDOW_SECONDS * 1000}`;
const WINDOW_KEY = { S: jsonata(`${literal(COVERAGE_WINDOW_PREFIX)} & $string($window)`) };

/**
 * The StackSet's notices. An operation that failed or was stopped: its results read page by page
 * and posted as one summary, recorded so windows leave its instances out. A failed instance:
 * recorded in its 15-minute window; the first of the window waits for the window's end and for
 * any running operation, then posts what no summary covered, one account's own notice or one for
 * all. Cancelled instances and suspended accounts are never posted.
 */
export function coveragePath(args: NotifyDefinitionArgs): Record<string, State> {
  const instance = `$event.'detail-type' = ${literal(STACK_INSTANCE_DETAIL_TYPE)} and $event.detail.'status-details'.'detailed-status' in ${list(POSTED_INSTANCE_STATUSES)}`;
  return {
    [COVERAGE_PATH]: {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(
            `$event.'detail-type' = ${literal(STACKSET_OPERATION_DETAIL_TYPE)} and $event.detail.'status-details'.status in ${list(SUMMARIZED_OPERATION_STATUSES)}`,
          ),
          Next: "Coverage: start reading the results",
        },
        // A dry run shows the account's own notice and writes nothing.
        { Condition: jsonata(`${instance} and $dryRun`), Next: LOOK_UP },
        { Condition: jsonata(instance), Next: "Coverage: record the failure" },
      ],
      Default: "Coverage: not posted",
    },
    "Coverage: not posted": {
      Type: "Succeed",
      Output: jsonata(
        "{ 'posted': false, 'status': $exists($event.detail.'status-details'.'detailed-status') ? $event.detail.'status-details'.'detailed-status' : $event.detail.'status-details'.status }",
      ),
    },
    ...operationStates(args),
    ...windowStates(args),
    ...windowReading(),
    ...windowOutcome(args),
    [LOOK_UP]: accountLookups(
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

/** A failed or stopped operation: its results, page by page, then one summary. */
function operationStates(args: NotifyDefinitionArgs): Record<string, State> {
  const summary = dryRunOrPublish("Coverage: summary ");
  summary["Coverage: summary Dry run?"].Default = "Coverage: record the operation";
  const failedOrCancelled = `Status in ['FAILED', 'CANCELLED'] and $not($contains($exists(StatusReason) ? StatusReason : '', /suspended/i))`;
  return {
    "Coverage: start reading the results": {
      Type: "Pass",
      Assign: { results: [], pages: 0, token: jsonata("''"), readError: {} },
      Next: "Coverage: read the results",
    },
    "Coverage: read the results": {
      ...cloudFormation("listStackSetOperationResults", args.directoryAccountId),
      Arguments: jsonata(
        `$merge([{ 'StackSetName': ${literal(STACKSET_NAME)}, 'OperationId': $event.detail.'stack-set-operation-id', 'MaxResults': ${RESULTS_PAGE_SIZE}, 'CallAs': 'SELF' }, $token != '' ? { 'NextToken': $token } : {}])`,
      ),
      Assign: {
        results: jsonata(
          `$append($results, $states.result.Summaries[${failedOrCancelled}].{ 'account': Account, 'region': Region, 'status': Status, 'reason': StatusReason, 'ou': OrganizationalUnitId })`,
        ),
        token: jsonata("$exists($states.result.NextToken) ? $states.result.NextToken : ''"),
        pages: jsonata("$pages + 1"),
      },
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Assign: { readError: jsonata("$states.errorOutput") },
          Next: "Coverage: summarize the operation",
        },
      ],
      Next: "Coverage: more results?",
    },
    "Coverage: more results?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(`$token != '' and $pages < ${RESULTS_PAGES}`),
          Next: "Coverage: read the results",
        },
      ],
      Default: "Coverage: summarize the operation",
    },
    "Coverage: summarize the operation": {
      Type: "Pass",
      Assign: {
        message: jsonata(operationSummary(args.message.stackSetCallAs)),
        targets: centralTargets(args.topicArn),
      },
      Next: "Coverage: summary Dry run?",
    },
    "Coverage: record the operation": {
      Type: "Task",
      Resource: PUT_ITEM,
      Arguments: {
        TableName: STATE_TABLE_NAME,
        Item: {
          pk: { S: COVERAGE_OPERATIONS_KEY },
          sk: text("$states.context.State.EnteredTime & '#' & $event.detail.'stack-set-operation-id'"),
          instances: text("$string($append([], $results[status = 'FAILED'].(account & '/' & region)))"),
          expiresAt: EXPIRES_SOON,
        },
      },
      Retry: QUICK_RETRY,
      // Unrecorded, a window may name some of its accounts again: better than no summary.
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Coverage: summary Publish" }],
      Next: "Coverage: summary Publish",
    },
    ...summary,
  };
}

/** A failed instance: recorded in its window; the window's first waits for its end and for rollouts. */
function windowStates(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    "Coverage: record the failure": {
      Type: "Task",
      Resource: PUT_ITEM,
      Arguments: {
        TableName: STATE_TABLE_NAME,
        Item: {
          pk: { S: jsonata(`${literal(COVERAGE_WINDOW_PREFIX)} & $string(${WINDOW})`) },
          sk: text("$accountId & '/' & $split($event.detail.'stack-id', ':')[3]"),
          event: text("$string($event)"),
          expiresAt: EXPIRES_SOON,
        },
      },
      Assign: { window: jsonata(WINDOW) },
      Retry: QUICK_RETRY,
      // The table out of reach: the account's own notice, rather than none.
      Catch: [{ ErrorEquals: ["States.ALL"], Next: LOOK_UP }],
      Next: "Coverage: claim the window",
    },
    "Coverage: claim the window": {
      Type: "Task",
      Resource: PUT_ITEM,
      Arguments: {
        TableName: STATE_TABLE_NAME,
        Item: { pk: WINDOW_KEY, sk: { S: COVERAGE_CLAIM_KEY }, expiresAt: EXPIRES_SOON },
        ConditionExpression: "attribute_not_exists(pk)",
      },
      Assign: { checks: 0, gathered: [], lastKey: {}, windowPages: 0, covered: [] },
      Retry: QUICK_RETRY,
      Catch: [
        { ErrorEquals: [CONDITION_FAILED], Next: "Coverage: gathered" },
        { ErrorEquals: ["States.ALL"], Next: LOOK_UP },
      ],
      Next: "Coverage: wait for the window's end",
    },
    "Coverage: gathered": {
      Type: "Succeed",
      Output: jsonata("{ 'gathered': $string($window) }"),
    },
    // A minute past the end: every execution of the window has recorded its failure by then.
    "Coverage: wait for the window's end": {
      Type: "Wait",
      Timestamp: jsonata(`$fromMillis($window + ${(COVERAGE_WINDOW_SECONDS + 60) * 1000})`),
      Next: "Coverage: rollout running?",
    },
    "Coverage: rollout running?": {
      ...cloudFormation("listStackSetOperations", args.directoryAccountId),
      Arguments: { StackSetName: STACKSET_NAME, MaxResults: 10, CallAs: "SELF" },
      Assign: {
        busy: jsonata(`$count($states.result.Summaries[Status in ${list(ACTIVE_OPERATION_STATUSES)}]) > 0`),
        checks: jsonata("$checks + 1"),
      },
      // Unknown: read the window now rather than never.
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Coverage: read the window" }],
      Next: "Coverage: wait for the rollout?",
    },
    "Coverage: wait for the rollout?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(`$busy and $checks < ${OPERATION_CHECKS}`),
          Next: "Coverage: wait for the rollout",
        },
        // A rollout ended meanwhile: its summary lands within seconds; give it two minutes.
        { Condition: jsonata("$checks > 1"), Next: "Coverage: let its summary land" },
      ],
      Default: "Coverage: read the window",
    },
    "Coverage: wait for the rollout": {
      Type: "Wait",
      Seconds: OPERATION_CHECK_SECONDS,
      Next: "Coverage: rollout running?",
    },
    "Coverage: let its summary land": { Type: "Wait", Seconds: 120, Next: "Coverage: read the window" },
  };
}

/** The window's failures, every page, and the instances the summaries posted since it began named. */
function windowReading(): Record<string, State> {
  const query = { Type: "Task", Resource: sdk("dynamodb", "query"), Retry: QUICK_RETRY };
  return {
    "Coverage: read the window": {
      ...query,
      // The page after the last one read, once there is one.
      Arguments: jsonata(
        `$merge([{ 'TableName': ${literal(STATE_TABLE_NAME)}, 'KeyConditionExpression': 'pk = :pk', 'ConsistentRead': true, 'ExpressionAttributeValues': { ':pk': { 'S': ${literal(COVERAGE_WINDOW_PREFIX)} & $string($window) } } }, $exists($lastKey.pk) ? { 'ExclusiveStartKey': $lastKey } : {}])`,
      ),
      Assign: {
        gathered: jsonata(
          `$append($gathered, $states.result.Items[sk.S != ${literal(COVERAGE_CLAIM_KEY)}].( $e := $parse(event.S); { 'key': sk.S, 'account': $substringBefore(sk.S, '/'), 'region': $substringAfter(sk.S, '/'), 'status': $e.detail.'status-details'.'detailed-status', 'reason': $e.detail.'status-details'.'status-reason', 'event': event.S } ))`,
        ),
        lastKey: jsonata("$exists($states.result.LastEvaluatedKey) ? $states.result.LastEvaluatedKey : {}"),
        windowPages: jsonata("$windowPages + 1"),
      },
      Next: "Coverage: more of the window?",
    },
    "Coverage: more of the window?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(`$exists($lastKey.pk) and $windowPages < ${RESULTS_PAGES}`),
          Next: "Coverage: read the window",
        },
      ],
      Default: "Coverage: read the summaries",
    },
    // Summaries posted since the window began name the instances they covered.
    "Coverage: read the summaries": {
      ...query,
      Arguments: {
        TableName: STATE_TABLE_NAME,
        KeyConditionExpression: "pk = :pk AND sk >= :since",
        ExpressionAttributeValues: {
          ":pk": { S: COVERAGE_OPERATIONS_KEY },
          ":since": { S: jsonata("$fromMillis($window)") },
        },
        ConsistentRead: true,
      },
      Assign: {
        covered: jsonata("$append([], $states.result.Items.$parse(instances.S))"),
      },
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Coverage: what is left?" }],
      Next: "Coverage: what is left?",
    },
  };
}

/** What a window posts: nothing when summaries named it all, one account's notice, or one for all. */
function windowOutcome(args: NotifyDefinitionArgs): Record<string, State> {
  const window = windowSummary(args.message.stackSetCallAs);
  return {
    "Coverage: what is left?": {
      Type: "Pass",
      Assign: { failed: jsonata("$append([], $gathered[$not(key in $covered)])") },
      Next: "Coverage: how many?",
    },
    "Coverage: how many?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata("$count($failed) = 0"), Next: "Coverage: all summarized" },
        { Condition: jsonata("$count($distinct($failed.account)) = 1"), Next: "Coverage: one account" },
      ],
      Default: "Coverage: gather the window",
    },
    "Coverage: all summarized": {
      Type: "Succeed",
      Output: jsonata("{ 'posted': false, 'summarized': $count($gathered) }"),
    },
    "Coverage: one account": {
      Type: "Pass",
      Assign: {
        event: jsonata("$parse($failed[0].event)"),
        accountId: jsonata("$failed[0].account"),
      },
      Next: LOOK_UP,
    },
    "Coverage: gather the window": {
      Type: "Pass",
      Assign: {
        message: jsonata(
          `( $windowStart := $window; $windowEnd := $window + ${COVERAGE_WINDOW_SECONDS * 1000}; ${window.slice(1, -1)} )`,
        ),
        targets: centralTargets(args.topicArn),
      },
      Next: "Coverage: window Publish",
    },
    ...publishToTargets("Coverage: window ", "$message"),
  };
}

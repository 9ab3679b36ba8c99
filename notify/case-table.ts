import {
  ACK_KEY,
  CASE_PREFIX,
  RETENTION_SECONDS,
  STATE_TABLE_NAME,
  UPDATE_PREFIX,
} from "../model/state-table";
import { jsonata, literal, Retrier, sdk, State } from "./asl";

/**
 * How the workflows read and write the case table (see model/state-table.ts), in their own
 * region's replica: Step Functions calls no other region. Reads are a Query of the case's
 * partition through the AWS SDK integration (the optimized one has no Query); writes are the
 * optimized putItem and updateItem, conditional where two executions may race.
 */

export const PUT_ITEM = "arn:aws:states:::dynamodb:putItem";
export const UPDATE_ITEM = "arn:aws:states:::dynamodb:updateItem";

/** What a lost race looks like: the optimized integration's name for a failed condition. */
export const CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException";

/** Errors worth another try, as both integrations name them (the SDK one writes DynamoDb). */
const TRANSIENT = [
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
].flatMap((code) => [`DynamoDB.${code}`, `DynamoDb.${code}`]);

/** A few quick tries: an alert must not wait for the table. */
export const QUICK_RETRY: Retrier[] = [
  { ErrorEquals: TRANSIENT, IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: "FULL" },
];

/** A case's follower can wait: tries for about an hour before its execution fails (and the alarm goes off). */
export const PATIENT_RETRY: Retrier[] = [
  {
    ErrorEquals: ["States.ALL"],
    IntervalSeconds: 10,
    BackoffRate: 2,
    MaxDelaySeconds: 600,
    MaxAttempts: 10,
    JitterStrategy: "FULL",
  },
];

/** The case's partition key, `case#<case ID>`, from `$caseId`. */
export const CASE_KEY = { S: jsonata(`${literal(CASE_PREFIX)} & $caseId`) };

/** Its own region's item of the case: `case#<region>`. */
export const OWN_CASE_KEY = { S: jsonata("'case#' & $region") };

/** When an item written now expires (epoch seconds, as text: DynamoDB's N). */
export const EXPIRES = {
  N: jsonata(`$string($floor($toMillis($states.context.State.EnteredTime) / 1000) + ${RETENTION_SECONDS})`),
};

/** Text of an expression, as DynamoDB's S. */
export const text = (expression: string) => ({ S: jsonata(expression) });

/** The time the state is entered, as DynamoDB's S. */
export const NOW = text("$states.context.State.EnteredTime");

/**
 * A put of an item that does not exist yet: a second execution writing the same key fails with
 * CONDITION_FAILED, which is how a race between executions in one region is settled.
 */
export function putOnce(item: Record<string, unknown>, extra: Partial<State>): State {
  return {
    Type: "Task",
    Resource: PUT_ITEM,
    Arguments: { TableName: STATE_TABLE_NAME, Item: item, ConditionExpression: "attribute_not_exists(pk)" },
    ...extra,
  };
}

/** The Query of a case's partition, strongly consistent within the region. */
export function readCase(tableName: string, extra: Partial<State>): State {
  return {
    Type: "Task",
    Resource: sdk("dynamodb", "query"),
    Arguments: {
      TableName: tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": CASE_KEY },
      ConsistentRead: true,
    },
    ...extra,
  };
}

/** JSONata over a Query's result: `$items`, and `$read` (an item's values, as plain values). */
const ITEMS = `$items := $exists($states.result.Items) ? $states.result.Items[] : [];
  $read := function($item) { $merge($each($item, function($v, $k) { { $k: $exists($v.S) ? $v.S : ($exists($v.N) ? $number($v.N) : $v.BOOL) } })) };`;

const over = (expression: string) => jsonata(`( ${ITEMS} ${expression} )`);

/**
 * What a Query of the case tells, as variables: `case` (this region's item of it, read; {} when
 * none), `known` (whether there is one), `targets` (its topics), `ack` and `acked` (the
 * acknowledgement), `closed` (AWS closed it: an update claimed with status closed), and
 * `claimed` (the update keys every region claimed).
 */
export const CASE_STATE = {
  case: over(`$own := $items[sk.S = 'case#' & $region]; $exists($own) ? $read($own) : {}`),
  known: over(`$count($items[sk.S = 'case#' & $region]) > 0`),
  anyCase: over(`$count($items[$contains(sk.S, 'case#')]) > 0`),
  targets: over(
    `$own := $items[sk.S = 'case#' & $region]; $exists($own.targets.S) ? [$parse($own.targets.S)] : []`,
  ),
  ack: over(`$found := $items[sk.S = ${literal(ACK_KEY)}]; $exists($found) ? $read($found) : {}`),
  acked: over(`$count($items[sk.S = ${literal(ACK_KEY)}]) > 0`),
  closed: over(
    `$count($items[$substring(sk.S, 0, ${UPDATE_PREFIX.length}) = ${literal(UPDATE_PREFIX)} and statusCode.S = 'closed']) > 0`,
  ),
  claimed: over(
    `[$items[$substring(sk.S, 0, ${UPDATE_PREFIX.length}) = ${literal(UPDATE_PREFIX)}].update.S]`,
  ),
};

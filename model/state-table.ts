/**
 * The state the workflows keep, in one DynamoDB global table in the central account, replicated
 * to every hub region: cases and the updates each region claimed (the case lifecycle), the
 * arrival of onboarding probes, gathered coverage failures. One table, two string keys, each
 * kind of item under its own prefix, so the kinds never collide and one IAM policy covers them.
 *
 * A global table replicates in about a second, last writer wins, and a conditional write is
 * checked against its own region's replica only. So what two regions may write at the same time
 * is never one item: each region writes its own (its own sort key), and readers merge them.
 */

export const STATE_TABLE_NAME = "abuse-alerts-state";

/** The table's partition and sort keys, both strings. */
export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";

/** Epoch seconds after which DynamoDB's TTL deletes an item. */
export const EXPIRES_AT = "expiresAt";

/** How long a closed case, a claim or a probe stays readable: a year, as the issue asks of cases. */
export const RETENTION_SECONDS = 366 * 24 * 60 * 60;

/** The prefixes of the kinds of item, in the partition key. */
export const ITEM_KINDS = {
  /** A case: the affected account and AWS Health's eventArn. */
  case: "case",
  /** An onboarding's probe, by onboarding and region. */
  probe: "probe",
  /** Coverage failures gathered for one post. */
  coverage: "coverage",
} as const;

/**
 * A case: one abuse report or risk notice, by the affected account and AWS Health's eventArn. Its
 * items share the partition `case#<case ID>`:
 * - `case#<region>`: the case as the region that posted its first update recorded it (targets,
 *   reply-by, where the email went) and what its follower did since (reminders, escalation);
 * - `update#<update>#<region>`: an update (lastUpdatedTime and statusCode) a region claimed and posted;
 * - `ack`: the acknowledgement, from the Slack button or `npm run ack`.
 * Two regions may write the first two at once: each writes its own. The case ID is the account
 * and a hash of the eventArn: short enough for an execution name and a Chatbot command.
 */
export const CASE_PREFIX = `${ITEM_KINDS.case}#`;
export const casePartition = (caseId: string) => `${CASE_PREFIX}${caseId}`;
export const caseRecordKey = (region: string) => `case#${region}`;
export const UPDATE_PREFIX = "update#";
export const ACK_KEY = "ack";

/** A case ID: the affected account, a dash, 12 hex digits. */
export const CASE_ID_PATTERN = /^\d{12}-[0-9a-f]{12}$/;

/** The values the case items hold: text, numbers and flags. */
export type CaseValue = string | number | boolean;
export type StoredAttribute = { S: string } | { N: string } | { BOOL: boolean };

/** An item as DynamoDB's JSON gives it, read into plain values (the kinds the workflows write). */
export function fromItem(item: Record<string, unknown>): Record<string, CaseValue> {
  const values: Record<string, CaseValue> = {};
  for (const [name, attribute] of Object.entries(item)) {
    const value = attribute as Partial<{ S: string; N: string; BOOL: boolean }>;
    if (value.S !== undefined) values[name] = value.S;
    else if (value.N !== undefined) values[name] = Number(value.N);
    else if (value.BOOL !== undefined) values[name] = value.BOOL;
  }
  return values;
}

/** Plain values as a DynamoDB item. */
export function toItem(values: Record<string, CaseValue>): Record<string, StoredAttribute> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === "string"
        ? { S: value }
        : typeof value === "number"
          ? { N: String(value) }
          : { BOOL: value },
    ]),
  );
}

/**
 * Coverage items, none of which can collide with a case (`case#…`) or a probe: partitions
 * `coverage#window#<window start>` (sort keys `<account>/<region>`: one failed instance each, and
 * `~claim`, which the one execution that posts the window's notice writes) and
 * `coverage#operation` (sort key `<end time>#<operation ID>`: an operation whose summary was
 * posted, with the instances it named, so a window's notice leaves them out).
 */
export const COVERAGE_WINDOW_PREFIX = `${ITEM_KINDS.coverage}#window#`;
export const COVERAGE_OPERATIONS_KEY = `${ITEM_KINDS.coverage}#operation`;
export const COVERAGE_CLAIM_KEY = "~claim";

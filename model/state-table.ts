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

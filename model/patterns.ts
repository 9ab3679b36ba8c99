import { Category } from "../config/schema";
import { STACKSET_NAME } from "./names";
import { NOT_COVERED_STATUSES } from "./stackset-failures";

/** An EventBridge event pattern. */
export type EventPattern = { [field: string]: unknown };

/** Health events come from this source only; EventBridge reserves `aws.` sources for AWS. */
export const HEALTH_SOURCE = "aws.health";

/**
 * Test events: the shape of a Health event under a source of our own (PutEvents refuses
 * sources starting with "aws."), so a test travels the same path as a real report.
 */
export const TEST_SOURCE = "abuse-alerts.test";

/** AWS Health's `detail.service` per category: match on it, not on event codes (AWS publishes no complete list). */
export const CATEGORY_SERVICE: Record<Category, string> = { abuse: "ABUSE", risk: "RISK" };

/** Abuse events carry their own detail-type; risk events (exposed credentials) the generic one. */
export const HEALTH_DETAIL_TYPES = ["AWS Health Abuse Event", "AWS Health Event"];

/**
 * The member accounts' rule: every Health event of the configured categories, and test events of
 * the same shape, forwarded raw. No `region` filter: global events arrive in us-east-1 or its
 * backup region.
 */
export function forwarderPattern(categories: readonly Category[]): EventPattern {
  return {
    source: [HEALTH_SOURCE, TEST_SOURCE],
    "detail-type": HEALTH_DETAIL_TYPES,
    detail: { service: categories.map((category) => CATEGORY_SERVICE[category]) },
  };
}

/**
 * A central rule: one category's events, real or test. Large events arrive in pages
 * (`detail.page` "1", "2", …, strings in AWS's samples); only the first page, or an event without
 * pages, notifies.
 */
export function centralPattern(
  category: Category,
  options: { test: boolean } = { test: false },
): EventPattern {
  return {
    source: [options.test ? TEST_SOURCE : HEALTH_SOURCE],
    "detail-type": HEALTH_DETAIL_TYPES,
    detail: {
      service: [CATEGORY_SERVICE[category]],
      $or: [{ page: [{ exists: false }] }, { page: ["1", { numeric: ["=", 1] }] }],
    },
  };
}

/** CloudFormation's event for a StackSet's stack instance, in the StackSet's account and region. */
export const STACK_INSTANCE_DETAIL_TYPE = "CloudFormation StackSet StackInstance Status Change";

/**
 * Stack instances of this project's StackSet that failed, in any account and region: forwarded
 * from the StackSet's account to the central bus, and posted as coverage alerts there. Successes
 * are not forwarded: a first rollout would post one per account and region.
 */
export function stackInstanceFailurePattern(): EventPattern {
  return {
    source: ["aws.cloudformation"],
    "detail-type": [STACK_INSTANCE_DETAIL_TYPE],
    detail: {
      "stack-set-arn": [{ wildcard: `arn:aws:cloudformation:*:*:stackset/${STACKSET_NAME}:*` }],
      "status-details": { "detailed-status": NOT_COVERED_STATUSES },
    },
  };
}

import { Category } from "../config/schema";
import { STACKSET_NAME } from "./names";
import { POSTED_INSTANCE_STATUSES, SUMMARIZED_OPERATION_STATUSES } from "./stackset-failures";

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

/** CloudFormation's event for a StackSet operation (a rollout, an auto-deployment) as a whole. */
export const STACKSET_OPERATION_DETAIL_TYPE = "CloudFormation StackSet Operation Status Change";

/**
 * What the coverage notices are built from, forwarded from the StackSet's account to the central
 * bus: this project's StackSet's operations that failed or were stopped (one summary each), and
 * its stack instances that failed (gathered, when no summary covers them). Not forwarded:
 * successes (a first rollout would post one per account and region), CANCELLED instances (the
 * operation's summary counts them), suspended accounts (every operation skips them).
 */
export function stackSetCoveragePattern(): EventPattern {
  return {
    source: ["aws.cloudformation"],
    "detail-type": [STACK_INSTANCE_DETAIL_TYPE, STACKSET_OPERATION_DETAIL_TYPE],
    detail: {
      "stack-set-arn": [{ wildcard: `arn:aws:cloudformation:*:*:stackset/${STACKSET_NAME}:*` }],
      // Instance statuses (CURRENT, OUTDATED, INOPERABLE) never equal an operation's.
      "status-details": {
        $or: [{ "detailed-status": POSTED_INSTANCE_STATUSES }, { status: SUMMARIZED_OPERATION_STATUSES }],
      },
    },
  };
}

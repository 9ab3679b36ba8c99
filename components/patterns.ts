import { Category } from "../config/schema";

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

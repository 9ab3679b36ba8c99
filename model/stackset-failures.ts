import { STACKSET_NAME } from "./names";
import type { PolicyDocument } from "./policies";

/**
 * What a failed stack instance of the forwarder StackSet means, shared by the coverage notices the
 * workflow posts and the rows `npm run coverage` prints, so both say the same thing.
 */

/**
 * Detailed statuses that leave an account without a forwarder: failed or cancelled operations,
 * an instance that could not be deleted, a suspended account the StackSet skipped.
 */
export const NOT_COVERED_STATUSES = [
  "FAILED",
  "CANCELLED",
  "INOPERABLE",
  "FAILED_IMPORT",
  "SKIPPED_SUSPENDED_ACCOUNT",
];

/** AWS's reason when a service control policy denies the StackSet's execution role. */
export const SCP_DENY = /service control polic/i;

/** How to let the StackSet through a service control policy. */
export const SCP_EXEMPTION =
  "exempt arn:aws:iam::*:role/stacksets-exec-* from it (ArnNotLike aws:PrincipalArn); npm run doctor names the policy";

/** The stack a StackSet creates in each account and region, for the person who deletes it by hand. */
export const STACKSET_STACK_PATTERN = "StackSet-abuse-alerts-forwarder-*";

/**
 * Detailed statuses an instance event is posted for (or gathered into a window's notice). Not
 * CANCELLED: an operation past its failure tolerance cancels the instances it had not reached, and
 * the operation's summary counts them. Not SKIPPED_SUSPENDED_ACCOUNT: a suspended account is
 * skipped by every operation; `npm run coverage` lists it, the channel never hears of it.
 */
export const POSTED_INSTANCE_STATUSES = ["FAILED", "INOPERABLE", "FAILED_IMPORT"];

/** Operation statuses that get a summary: the operation ended without covering every account. */
export const SUMMARIZED_OPERATION_STATUSES = ["FAILED", "STOPPED"];

/** Operation statuses during which instance failures may still be summarized by their operation. */
export const ACTIVE_OPERATION_STATUSES = ["RUNNING", "STOPPING", "QUEUED"];

/** The kinds of reason a failed instance is grouped by, each with its fix. */
export interface FailureReason {
  key: string;
  /** A regular expression's source, matched case-insensitively against AWS's StatusReason. */
  pattern: string;
  title: string;
  fix: string;
}

/** Known reasons; anything else is grouped by AWS's own words, its account IDs and ARNs blanked. */
export const FAILURE_REASONS: readonly FailureReason[] = [
  {
    key: "scp",
    pattern: SCP_DENY.source,
    title: "A service control policy denies the StackSet",
    fix: `A service control policy denies the StackSet in these accounts: ${SCP_EXEMPTION}.`,
  },
  {
    key: "exists",
    pattern: "already exists",
    title: "A resource of the same name already exists",
    fix: "A role or queue named abuse-alerts-stackset-* is left in these accounts (a direct-mode forwarder, or a stack deleted with its resources retained): delete it, then retry.",
  },
  {
    key: "limit",
    pattern: "limit exceeded|LimitExceeded|Rate exceeded|Throttl",
    title: "AWS throttled or a quota ran out",
    fix: "CloudFormation or IAM throttled the rollout, or a quota (roles, rules, stacks) ran out in these accounts: retry; raise the quota if it fails again.",
  },
];

/** The fix for a reason of no known kind. */
export const OTHER_REASON_FIX =
  "Read AWS's reason and fix it in these accounts (a missing permission, a resource of the same name), then retry.";

/**
 * Gathering instance failures that no operation summary covers (auto-deployments to new or moved
 * accounts) into one notice per window: a burst of them (an SCP that blocks everything) is one
 * post, a single one is the account's own post.
 */
export const COVERAGE_WINDOW_SECONDS = 15 * 60;

/** How often, after its window, a notice checks again whether an operation still runs, and how many times. */
export const OPERATION_CHECK_SECONDS = 5 * 60;
export const OPERATION_CHECKS = 100;

/** A rollout's results read per page, and the pages read at most (then `npm run coverage` has the rest). */
export const RESULTS_PAGE_SIZE = 100;
export const RESULTS_PAGES = 50;

/** Accounts a notice names per reason; the rest are counted. */
export const ACCOUNTS_NAMED_PER_REASON = 20;

/**
 * What the notify workflows read of the StackSet through the directory role in the management
 * account: its operations (is a rollout running?) and an operation's results (the summary).
 */
export function stackSetOperationsReadPolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadStackSetOperations",
        Effect: "Allow",
        Action: ["cloudformation:ListStackSetOperations", "cloudformation:ListStackSetOperationResults"],
        Resource: `arn:aws:cloudformation:*:*:stackset/${STACKSET_NAME}:*`,
      },
    ],
  };
}

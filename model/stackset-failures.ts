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

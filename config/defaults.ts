/** What a stack gets for each key it leaves out. */

/** The role every member account is reached through: the one Organizations creates in accounts it creates. */
export const DEFAULT_MEMBER_ROLE_NAME = "OrganizationAccountAccessRole";

/**
 * Direct mode's default ceiling. 30 providers at the high figure of PROVIDER_MEMORY_MB take
 * 12.9 GB: what a 16 GB machine (a laptop, a hosted CI runner) can give them next to the engine
 * and the program. `abuse-alerts:maxDirectAccounts` raises it for machines known to have more.
 */
export const DEFAULT_MAX_DIRECT_ACCOUNTS = 30;

/** The account tags messages show unless abuse-alerts:accountTags says otherwise. */
export const DEFAULT_ACCOUNT_TAGS = ["owner", "team", "environment"] as const;

/** Days the central bus archive keeps events for replay. */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 365;

/** Hours before an abuse report's reply-by at which its thread is reminded. */
export const DEFAULT_REMINDERS: readonly number[] = [6, 1];

import { renderTable } from "../lib/tables";
import { UnreachableAccounts } from "../config/schema";
import { Discovery } from "./discover";
import { ProbeOutcome, probeFix } from "./probe";
import { DiscoveryError } from "./types";

/**
 * Applies the member-role probe to the discovered accounts. An unreachable account the stack cannot
 * do without (the central account, which hosts the hub; the management account, which holds the
 * directory role) always stops the run; others stop it in `fail` mode, or are skipped in `skip` mode.
 */
export function applyReachability(
  discovery: Discovery,
  outcomes: readonly ProbeOutcome[],
  options: {
    mode: UnreachableAccounts;
    roleName: string;
    /** Accounts that must be reached, each with why. */
    required: Record<string, string>;
  },
): Discovery {
  const failed = outcomes.flatMap((outcome) => (outcome.status === "failed" ? [outcome] : []));
  if (failed.length === 0) return discovery;

  const names = new Map(discovery.covered.map((account) => [account.id, account.name]));
  const table = renderTable(
    ["Account", "Name", "Error", "Fix"],
    failed.map((outcome) => [
      outcome.accountId,
      names.get(outcome.accountId) ?? "",
      `${outcome.errorCode}: ${outcome.message}`,
      probeFix(outcome.errorCode, outcome.accountId, options.roleName, discovery.caller.accountId),
    ]),
    100,
  );
  const requiredFailed = failed.filter((outcome) => outcome.accountId in options.required);
  if (options.mode === "fail" || requiredFailed.length > 0) {
    throw new DiscoveryError(
      `${failed.length} of ${outcomes.length} accounts cannot be reached through role ${options.roleName}:\n` +
        `${table}\n` +
        (requiredFailed.length > 0
          ? requiredFailed.map((outcome) => options.required[outcome.accountId]).join("\n")
          : "Fix the role in those accounts, exclude them (abuse-alerts:accounts.exclude), or set " +
            "abuse-alerts:unreachableAccounts to skip to deploy without them (they are then listed in skippedAccounts)."),
    );
  }
  const unreachable = new Set(failed.map((outcome) => outcome.accountId));
  return {
    ...discovery,
    covered: discovery.covered.filter((account) => !unreachable.has(account.id)),
    skipped: [
      ...discovery.skipped,
      ...failed.map((outcome) => ({
        id: outcome.accountId,
        name: names.get(outcome.accountId) ?? "",
        reason: `unreachable: ${outcome.errorCode}`,
      })),
    ].sort((left, right) => left.id.localeCompare(right.id)),
    warnings: [
      ...discovery.warnings,
      `skipping ${failed.length} unreachable account(s), abuse reports there go unseen until fixed:\n${table}`,
    ],
  };
}

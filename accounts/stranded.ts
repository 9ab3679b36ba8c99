import { SkippedAccount } from "./types";

/**
 * Accounts the last update covered that are now skipped for a reason that also stops Pulumi from
 * reaching them (suspended, closed, pending closure, unreachable). Removing their forwarders
 * would go through a role that can no longer be assumed, and fail. Excluded accounts are not
 * stranded: they are still reachable, and their forwarders are deleted normally.
 */
export function strandedAccounts(
  previouslyCovered: readonly string[] | undefined,
  skipped: readonly SkippedAccount[],
): SkippedAccount[] {
  const before = new Set(previouslyCovered ?? []);
  return skipped.filter((account) => before.has(account.id) && account.reason !== "excluded");
}

/** What to do about stranded accounts: the exact state commands, then pulumi up again. */
export function strandedMessage(stranded: readonly SkippedAccount[], stack: string, project: string): string {
  const accounts = stranded
    .map((account) => `${account.id} (${account.name || "?"}, ${account.reason})`)
    .join(", ");
  const commands = stranded.map(
    (account) =>
      `  pulumi state delete --stack ${stack} 'urn:pulumi:${stack}::${project}::pulumi:providers:aws::account-${account.id}' --target-dependents --yes`,
  );
  return [
    `${stranded.length} account(s) the last update covered can no longer be reached: ${accounts}.`,
    "Pulumi would try to delete their forwarders through a role it cannot assume, and fail. Remove them from the",
    "stack's state (this leaves whatever is in those accounts as it is), then run pulumi up again:",
    ...commands,
    "If such an account comes back, delete its abuse-alerts-forwarder role, abuse-alerts-forward rules and",
    "abuse-alerts-forwarder-dlq queues first, or pulumi up cannot create them again.",
  ].join("\n");
}

import { CoveredAccount, DiscoveryError, OrgAccount, SkippedAccount } from "./types";

export interface SelectionRules {
  centralAccountId: string;
  exclude: readonly string[];
  /** Where the candidates come from, for messages: "organization o-…" or "abuse-alerts:accounts.explicit". */
  scope: string;
  /** How to read another organization, for a central account this one does not have. */
  elsewhere?: string;
}

export interface Selection {
  covered: CoveredAccount[];
  skipped: SkippedAccount[];
  /** Advice that does not block a deployment, e.g. an exclusion that matches nothing. */
  warnings: string[];
}

const byId = (left: { id: string }, right: { id: string }) => left.id.localeCompare(right.id);

/** "PENDING_CLOSURE" → "pending closure": the reason a person reads in skippedAccounts. */
export function stateReason(state: string): string {
  return state.toLowerCase().replace(/_/g, " ");
}

/**
 * Who is covered: ACTIVE accounts not excluded, each once, sorted by ID. Everything left out is
 * recorded with its reason. Throws when the central account cannot host the hub or nothing is left.
 */
export function selectAccounts(candidates: readonly OrgAccount[], rules: SelectionRules): Selection {
  const unique = [...new Map(candidates.map((account) => [account.id, account])).values()];
  const excluded = new Set(rules.exclude);
  const covered: CoveredAccount[] = [];
  const skipped: SkippedAccount[] = [];
  for (const { id, name, state } of unique) {
    if (state !== "ACTIVE") skipped.push({ id, name, reason: stateReason(state) });
    else if (excluded.has(id)) skipped.push({ id, name, reason: "excluded" });
    else covered.push({ id, name });
  }

  const central = unique.find((account) => account.id === rules.centralAccountId);
  const problems: string[] = [];
  if (!central) {
    problems.push(
      `abuse-alerts:centralAccountId ${rules.centralAccountId} is not an account of ${rules.scope}; set it to the security account that should host the bus, topic and Chatbot${rules.elsewhere ? `, or ${rules.elsewhere}` : ""}`,
    );
  } else if (central.state !== "ACTIVE") {
    problems.push(
      `abuse-alerts:centralAccountId ${central.id} (${central.name}) is ${stateReason(central.state)}, not ACTIVE; choose an ACTIVE account to host the hub`,
    );
  }
  if (covered.length === 0) {
    problems.push(
      `no account is left to cover in ${rules.scope}: ${unique.length} found, ${skipped.length} skipped (${skipped
        .map((account) => `${account.id} ${account.reason}`)
        .join(", ")}); check abuse-alerts:accounts`,
    );
  }
  if (problems.length > 0) throw new DiscoveryError(problems.join("\n"));

  const known = new Set(unique.map((account) => account.id));
  const warnings = rules.exclude
    .filter((id) => !known.has(id))
    .map(
      (id) =>
        `abuse-alerts:accounts.exclude lists ${id}, which is not among the ${unique.length} accounts found; nothing to exclude`,
    );
  return { covered: covered.sort(byId), skipped: skipped.sort(byId), warnings };
}

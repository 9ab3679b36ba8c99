import { ID_TYPO, closestCandidate } from "../lib/suggest";
import { CoveredAccount, DiscoveryError, OrgAccount, SkippedAccount } from "./types";

export interface SelectionRules {
  centralAccountId: string;
  exclude: readonly string[];
  /** Where the candidates come from, for messages: "organization o-…" or "abuse-alerts:accounts.explicit". */
  scope: string;
  /** How to read another organization, for a central account this one does not have. */
  elsewhere?: string;
  /** Problems found before selecting (unknown OUs, a mistyped exclusion): reported with its own, at once. */
  earlier?: readonly string[];
  /** Accounts of the organization besides the candidates, where a near miss of the central account is looked for. */
  others?: readonly OrgAccount[];
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

/** "; did you mean 111111111111 (security-tooling)?" for an ID a character or two off one of these accounts. */
export function nearAccount(accounts: readonly OrgAccount[], id: string): string {
  // By ID: AWS and an organization file list accounts in different orders, and give the same hint.
  const ids = accounts.map((account) => account.id).sort();
  const meant = accounts.find((account) => account.id === closestCandidate(ids, id, ID_TYPO));
  return meant === undefined ? "" : `; did you mean ${meant.id}${meant.name ? ` (${meant.name})` : ""}?`;
}

/** Every problem of a selection as one error: one problem alone, several as a list. */
export function selectionError(problems: readonly string[], scope: string): DiscoveryError {
  if (problems.length === 1) return new DiscoveryError(problems[0]);
  return new DiscoveryError(
    `Choosing the accounts to cover in ${scope} found ${problems.length} problems:\n` +
      problems.map((problem) => `  - ${problem}`).join("\n"),
  );
}

/** Why the central account cannot host the hub, if it cannot. */
function centralProblem(central: OrgAccount | undefined, candidates: OrgAccount[], rules: SelectionRules) {
  if (!central) {
    const near = nearAccount([...candidates, ...(rules.others ?? [])], rules.centralAccountId);
    return `abuse-alerts:centralAccountId ${rules.centralAccountId} is not an account of ${rules.scope}${near ? `${near} Otherwise set` : "; set"} it to the security account that should host the bus, topic and Chatbot${rules.elsewhere ? `, or ${rules.elsewhere}` : ""}`;
  }
  if (central.state !== "ACTIVE") {
    return `abuse-alerts:centralAccountId ${central.id} (${central.name}) is ${stateReason(central.state)}, not ACTIVE; choose an ACTIVE account to host the hub`;
  }
  return undefined;
}

/**
 * Who is covered: ACTIVE accounts not excluded, each once, sorted by ID. Everything left out is
 * recorded with its reason. Throws, with every problem found before too, when the central account
 * cannot host the hub or nothing is left.
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

  const earlier = rules.earlier ?? [];
  const central = centralProblem(
    unique.find((account) => account.id === rules.centralAccountId),
    unique,
    rules,
  );
  const problems = [...earlier, ...(central ? [central] : [])];
  // After an earlier problem (an unknown OU), an empty selection is its consequence, not news.
  if (covered.length === 0 && earlier.length === 0) {
    problems.push(
      `no account is left to cover in ${rules.scope}: ${unique.length} found, ${skipped.length} skipped (${skipped
        .map((account) => `${account.id} ${account.reason}`)
        .join(", ")}); check abuse-alerts:accounts`,
    );
  }
  if (problems.length > 0) throw selectionError(problems, rules.scope);

  const known = new Set(unique.map((account) => account.id));
  const warnings = rules.exclude
    .filter((id) => !known.has(id))
    .map(
      (id) =>
        `abuse-alerts:accounts.exclude lists ${id}, which is not among the ${unique.length} accounts found; nothing to exclude`,
    );
  return { covered: covered.sort(byId), skipped: skipped.sort(byId), warnings };
}

import { closest, distance } from "fastest-levenshtein";

export interface SuggestOptions {
  /** The most edits a near miss may be; by default a quarter of the candidate's length, at least 2. */
  maxDistance?: number;
}

/**
 * For IDs (accounts, OUs): a typo is a character or two, while two IDs of one organization can
 * share most of their text (ou-ab12-…), so a quarter of the length would suggest a stranger.
 */
export const ID_TYPO: SuggestOptions = { maxDistance: 2 };

/** The candidate close enough to be what was meant, if one is. */
export function closestCandidate(
  candidates: readonly string[],
  input: unknown,
  options: SuggestOptions = {},
): string | undefined {
  if (typeof input !== "string" || candidates.length === 0) return undefined;
  // Case slips ("Active" for ACTIVE) count as one edit, not one per letter.
  const lower = candidates.map((candidate) => candidate.toLowerCase());
  const best = closest(input.toLowerCase(), lower);
  const allowed = options.maxDistance ?? Math.max(2, Math.floor(best.length / 4));
  return distance(input.toLowerCase(), best) <= allowed ? candidates[lower.indexOf(best)] : undefined;
}

/** " (did you mean X?)" when one candidate is close enough to be what was meant. */
export function suggestion(
  candidates: readonly string[],
  input: unknown,
  options: SuggestOptions = {},
): string {
  const meant = closestCandidate(candidates, input, options);
  return meant === undefined ? "" : ` (did you mean ${meant}?)`;
}

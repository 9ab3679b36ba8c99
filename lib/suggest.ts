import { closest, distance } from "fastest-levenshtein";

/** The candidate close enough to be what was meant, if one is. */
export function closestCandidate(candidates: readonly string[], input: unknown): string | undefined {
  if (typeof input !== "string" || candidates.length === 0) return undefined;
  // Case slips ("Active" for ACTIVE) count as one edit, not one per letter.
  const lower = candidates.map((candidate) => candidate.toLowerCase());
  const best = closest(input.toLowerCase(), lower);
  return distance(input.toLowerCase(), best) <= Math.max(2, Math.floor(best.length / 4))
    ? candidates[lower.indexOf(best)]
    : undefined;
}

/** " (did you mean X?)" when one candidate is close enough to be what was meant. */
export function suggestion(candidates: readonly string[], input: unknown): string {
  const meant = closestCandidate(candidates, input);
  return meant === undefined ? "" : ` (did you mean ${meant}?)`;
}

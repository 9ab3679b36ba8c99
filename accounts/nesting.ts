import { Deployment } from "../config/schema";
import { OrganizationDirectory } from "./types";

const KEY = "abuse-alerts:accounts.organizationalUnits";

/** A listed OU under another listed OU; `path` runs from the outer to the inner, both included. */
export interface NestedUnits {
  outer: string;
  inner: string;
  path: string[];
}

/**
 * Each listed OU that lies under another listed OU, with the nearest listed one above it.
 * `ancestors` holds, for each listed OU, the IDs above it, the root first.
 */
export function nestedUnits(
  listed: readonly string[],
  ancestors: ReadonlyMap<string, readonly string[]>,
): NestedUnits[] {
  const ids = new Set(listed);
  return [...ids].flatMap((inner) => {
    const above = ancestors.get(inner) ?? [];
    let index = above.length - 1;
    while (index >= 0 && !ids.has(above[index])) index--;
    return index < 0 ? [] : [{ outer: above[index], inner, path: [...above.slice(index), inner] }];
  });
}

/** What to tell a person about one nesting: refused in stackset mode, redundant in direct mode. */
function nestingMessage(nesting: NestedUnits, name: (id: string) => string, deployment: Deployment): string {
  const { outer, inner, path } = nesting;
  const between = path.slice(0, -1).map(name);
  const found = `${KEY} lists ${outer} (${name(outer)}) and ${inner} (${name(inner)}), which lies under it: ${path.map(name).join(" → ")}`;
  const keepOuter = `keep only ${outer}: it already covers the accounts of ${name(inner)}`;
  if (deployment === "direct") {
    return `${found}. Its accounts are covered once, so this changes nothing in direct mode, but stackset mode refuses it: ${keepOuter}`;
  }
  return (
    `${found}. Each OU gets stack instances of its own, so removing one of the two later would delete the stacks of the accounts they share. ` +
    `Either ${keepOuter}; or keep ${inner} and list, instead of ${outer}, the other child OUs of ${between.join(" and ")} (accounts directly in ${between.length === 1 ? "it" : "those"} are then no longer covered)`
  );
}

/**
 * Every listed OU under another listed one, as a problem (stackset mode) or a warning (direct
 * mode). `listed`: OUs the organization has. Organizations is asked only when two or more are listed.
 */
export async function nestedUnitMessages(
  directory: OrganizationDirectory,
  listed: readonly string[],
  deployment: Deployment,
): Promise<string[]> {
  if (new Set(listed).size < 2) return [];
  const ancestors = new Map(
    await Promise.all(listed.map(async (id) => [id, await directory.ancestorIds(id)] as const)),
  );
  const found = nestedUnits(listed, ancestors);
  const ids = [...new Set(found.flatMap((nesting) => nesting.path))];
  const units = await Promise.all(ids.map((id) => directory.describeOrganizationalUnit(id)));
  const names = new Map(ids.map((id, index) => [id, units[index]?.name || id]));
  return found.map((nesting) => nestingMessage(nesting, (id) => names.get(id) ?? id, deployment));
}

/**
 * The StackSet's instance declarations: one per target OU and region, named from both, so that
 * adding or removing an OU (or a region) adds or removes that OU's declarations and leaves the
 * others exactly as they were. Nothing here is replaced in place: a declaration's OU and region
 * are its name, and its account filter is always NONE (exclusions live in the template).
 */

/** One StackSetInstance resource: an OU (or the root) in one region. */
export interface StackSetInstanceDeclaration {
  /** The resource's name: the component's name, the OU and the region. */
  name: string;
  organizationalUnitId: string;
  region: string;
  /**
   * The name the same OU and region had before issue 18 (`<component>-<region>`, one instance per
   * region for every OU): set when that declaration targeted this OU alone, so the state carries
   * over through an alias and the stacks stay (docs/large-organizations.md, "Upgrading").
   */
  legacyName?: string;
}

/** The declarations for the target OUs in each region, in a stable order. */
export function stackSetInstanceDeclarations(
  component: string,
  organizationalUnitIds: readonly string[],
  regions: readonly string[],
): StackSetInstanceDeclaration[] {
  const units = [...new Set(organizationalUnitIds)].sort();
  return units.flatMap((organizationalUnitId) =>
    regions.map((region) => ({
      name: `${component}-${organizationalUnitId}-${region}`,
      organizationalUnitId,
      region,
      ...(units.length === 1 ? { legacyName: `${component}-${region}` } : {}),
    })),
  );
}

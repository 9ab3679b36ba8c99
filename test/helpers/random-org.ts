import fc from "fast-check";
import { OrganizationalUnitNode, OrganizationFile } from "../../accounts/org-file";
import { OrgAccount } from "../../accounts/types";
import { CENTRAL, MANAGEMENT } from "./example-org";

/** An OU tree of random shape, accounts of random states, unique IDs. */
export const organizationArbitrary = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(12), fc.constantFrom("ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "CLOSED")), {
      minLength: 1,
      maxLength: 40,
    }),
    fc.nat(),
  )
  .map(([placements, seed]): OrganizationFile => {
    const units: OrganizationalUnitNode[] = Array.from({ length: 13 }, (_, index) => ({
      id: `ou-prop-${String(index).padStart(8, "0")}`,
      name: `OU${index}`,
      accounts: [],
      organizationalUnits: [],
    }));
    const root: OrganizationalUnitNode = {
      id: "r-prop",
      name: "Root",
      accounts: [{ id: MANAGEMENT, name: "management", state: "ACTIVE" }],
      organizationalUnits: [],
    };
    // Each OU hangs under the root or an earlier OU: nested up to 12 levels.
    units.forEach((unit, index) => {
      const parent = index === 0 ? root : [root, ...units.slice(0, index)][(seed >> index) % (index + 1)];
      parent.organizationalUnits?.push(unit);
    });
    const place = (account: OrgAccount, slot: number) =>
      (slot === 12 ? root : units[slot]).accounts?.push(account);
    place({ id: CENTRAL, name: "central", state: "ACTIVE" }, seed % 13);
    placements.forEach(([slot, state], index) =>
      place({ id: String(300000000000 + index), name: `a${index}`, state }, slot),
    );
    return { organization: { id: "o-exampleorg1", managementAccountId: MANAGEMENT }, root };
  });

/** Every OU's ID under the root, at any depth. */
export function allUnitIds(root: OrganizationalUnitNode): string[] {
  return (root.organizationalUnits ?? []).flatMap((unit) => [unit.id, ...allUnitIds(unit)]);
}

import { strict as assert } from "node:assert";
import fc from "fast-check";
import { nestedUnitMessages } from "../../accounts/nesting";
import {
  accountsBelow,
  FileOrganizationDirectory,
  findUnit,
  OrganizationalUnitNode,
  OrganizationFile,
} from "../../accounts/org-file";
import { forwarderTemplate } from "../../model/forwarder-template";
import { stackSetInstanceDeclarations } from "../../model/stackset-instances";
import { StackSetSim } from "../../sim/stackset";
import { CENTRAL, MANAGEMENT } from "../helpers/example-org";
import { allUnitIds, organizationArbitrary } from "../helpers/random-org";

const REGIONS = ["us-east-1", "us-west-2"];
const TEMPLATE_ARGS = { centralAccountId: CENTRAL, categories: ["abuse", "risk"] as const };

/** A stack's targets: OUs of the tree, none under another (discovery refuses that), and exclusions. */
interface Scope {
  units: string[];
  excluded: string[];
}

/**
 * OUs picked by index, whether one lies under another picked one, and the OUs left once the
 * refusal's first fix is applied: only the outer ones kept.
 */
function pickUnits(file: OrganizationFile, picks: number[]) {
  const ids = allUnitIds(file.root);
  const units = [...new Set(picks.map((pick) => ids[pick % ids.length]))];
  const under = (unit: string, ancestor: string) =>
    unit !== ancestor &&
    findUnit(findUnit(file.root, ancestor) as OrganizationalUnitNode, unit) !== undefined;
  const outer = units.filter((unit) => !units.some((other) => under(unit, other)));
  return { units, nested: outer.length < units.length, outer };
}

/** `account/region` of every account the scope should cover: ACTIVE, under a target OU, not excluded, never the management account. */
function inScope(file: OrganizationFile, scope: Scope): Set<string> {
  const accounts = scope.units.flatMap((unit) =>
    accountsBelow(findUnit(file.root, unit) as OrganizationalUnitNode),
  );
  return new Set(
    accounts
      .filter((account) => account.state === "ACTIVE" && account.id !== MANAGEMENT)
      .filter((account) => !scope.excluded.includes(account.id))
      .flatMap((account) => REGIONS.map((region) => `${account.id}/${region}`)),
  );
}

const targetsOf = (scope: Scope) =>
  stackSetInstanceDeclarations("stackset", scope.units, REGIONS).map(({ organizationalUnitId, region }) => ({
    organizationalUnitId,
    region,
  }));
const templateOf = (scope: Scope) =>
  forwarderTemplate({ ...TEMPLATE_ARGS, excludedAccounts: scope.excluded });

describe("StackSet scope changes over random OU trees (fast-check)", () => {
  it("no account that stays in scope loses its forwarder, at any step of the update; excluded accounts have none; a scope with an OU under another never gets that far", async () => {
    const scopeArbitrary = fc.record({
      picks: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
      excluded: fc.array(fc.nat(39), { maxLength: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(organizationArbitrary, scopeArbitrary, scopeArbitrary, async (file, first, second) => {
        if (allUnitIds(file.root).length === 0) return;
        const picked = [first, second].map((choice) => pickUnits(file, choice.picks));
        for (const { units, nested } of picked) {
          const refusals = await nestedUnitMessages(new FileOrganizationDirectory(file), units, "stackset");
          assert.equal(refusals.length > 0, nested, `${units.join(", ")} refused if and only if nested`);
        }
        // A refused scope is never declared: the update runs between the scopes once fixed.
        const scope = (choice: typeof first, which: number): Scope => ({
          units: picked[which].outer,
          excluded: [...new Set(choice.excluded.map((index) => String(300000000000 + index)))],
        });
        const before = scope(first, 0);
        const after = scope(second, 1);

        // The declarations of the OUs in both scopes are the same, name for name.
        const kept = (declared: Scope, other: Scope) =>
          stackSetInstanceDeclarations("stackset", declared.units, REGIONS)
            .filter((declaration) => other.units.includes(declaration.organizationalUnitId))
            .map(({ name, organizationalUnitId, region }) => `${name} ${organizationalUnitId} ${region}`);
        assert.deepEqual(kept(after, before), kept(before, after));

        const sim = new StackSetSim(structuredClone(file), templateOf(before));
        sim.declare(targetsOf(before));
        const staying = [...inScope(file, before)].filter((key) => inScope(file, after).has(key));
        const check = (step: string) => {
          const forwarders = sim.forwarders();
          const lost = staying.filter((key) => !forwarders.has(key));
          assert.deepEqual(lost, [], `lost at ${step}`);
        };
        check("start");
        // As pulumi up runs it: the StackSet's update, the new instances, then the removed ones' deletion.
        sim.updateTemplate(templateOf(after));
        check("template update");
        sim.declare([...targetsOf(before), ...targetsOf(after)]);
        check("new instances");
        sim.declare(targetsOf(after));
        check("removed instances");
        assert.deepEqual([...sim.forwarders()].sort(), [...inScope(file, after)].sort());
      }),
      { numRuns: 300 },
    );
  });
});

import { strict as assert } from "node:assert";
import fc from "fast-check";
import { discoverAccounts } from "../../accounts/discover";
import { FileOrganizationDirectory, findUnit, OrganizationFile } from "../../accounts/org-file";
import { AwsOrganizationDirectory } from "../../accounts/organizations";
import { DiscoveryError } from "../../accounts/types";
import { validateConfig } from "../../config/schema";
import { mockOrganizations } from "../../sim/fake-organizations";
import { managementCaller, minimalConfig } from "../helpers/example-org";
import { allUnitIds, organizationArbitrary } from "../helpers/random-org";

/** Whether `inner` lies below `outer` in the tree, at any depth. */
const isBelow = (file: OrganizationFile, inner: string, outer: string) => {
  const unit = findUnit(file.root, outer);
  return inner !== outer && unit !== undefined && findUnit(unit, inner) !== undefined;
};

/** OU IDs picked by index from the tree, each once. */
const picked = (file: OrganizationFile, picks: number[]) => {
  const ids = allUnitIds(file.root);
  return [...new Set(picks.map((pick) => ids[pick % ids.length]))];
};

/** Each picked OU with a picked OU above it, and the nearest such: `outer inner`. */
function expectedNestings(file: OrganizationFile, units: string[]): string[] {
  return units.flatMap((inner) => {
    const outers = units.filter((outer) => isBelow(file, inner, outer));
    const nearest = outers.find((outer) =>
      outers.every((other) => other === outer || isBelow(file, outer, other)),
    );
    return nearest ? [`${nearest} ${inner}`] : [];
  });
}

const NESTING = /lists (ou-\S+) \(OU\d+\) and (ou-\S+) \(OU\d+\), which lies under it: (.*?)\. /g;

describe("OUs listed one under another, over random OU trees (fast-check)", () => {
  it("stackset mode refuses every set with an OU under another, naming each with its nearest listed OU above; any antichain passes this check", async () => {
    const seen = { nested: 0, antichains: 0 };
    await fc.assert(
      fc.asyncProperty(
        organizationArbitrary,
        fc.array(fc.nat(40), { minLength: 1, maxLength: 5 }),
        async (file, picks) => {
          const units = picked(file, picks);
          const expected = expectedNestings(file, units).sort();
          const config = validateConfig({
            ...minimalConfig,
            deployment: "stackset",
            accounts: { organizationalUnits: units },
          });
          const directory = new FileOrganizationDirectory(file);
          const outcome = await discoverAccounts(config, {
            caller: managementCaller,
            origin: "AWS",
            directory,
          }).then(
            () => "",
            (error: unknown) => {
              assert.ok(error instanceof DiscoveryError, String(error));
              return error.message;
            },
          );
          seen[expected.length > 0 ? "nested" : "antichains"]++;
          const found = [...outcome.matchAll(NESTING)];
          assert.deepEqual(found.map(([, outer, inner]) => `${outer} ${inner}`).sort(), expected);
          if (expected.length > 0) assert.notEqual(outcome, "", "refused");
          // Otherwise the only refusal left is OUs that hold no ACTIVE account.
          else if (outcome) assert.match(outcome, /holds no ACTIVE account/);
          // The path runs down the tree from the outer to the inner, a child at each step.
          for (const [, outer, inner, path] of found) {
            const names = path.split(" → ");
            const byName = (name: string) =>
              allUnitIds(file.root).find((id) => findUnit(file.root, id)?.name === name);
            const ids = names.map(byName);
            assert.equal(ids[0], outer);
            assert.equal(ids.at(-1), inner);
            ids.slice(1).forEach((id, index) =>
              assert.ok(
                findUnit(file.root, ids[index] ?? "")?.organizationalUnits?.some((child) => child.id === id),
                `${id} is a child of ${ids[index]}`,
              ),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
    // Both kinds of set come up often enough to mean something.
    assert.ok(seen.nested >= 50 && seen.antichains >= 50, JSON.stringify(seen));
  });

  it("AWS Organizations and the organization file give every OU the same ancestors", async () => {
    await fc.assert(
      fc.asyncProperty(organizationArbitrary, async (file) => {
        const aws = new AwsOrganizationDirectory(mockOrganizations(file).client);
        const fromFile = new FileOrganizationDirectory(file);
        for (const id of allUnitIds(file.root)) {
          const ancestors = await fromFile.ancestorIds(id);
          assert.equal(ancestors[0], file.root.id);
          assert.deepEqual(await aws.ancestorIds(id), ancestors);
        }
      }),
      { numRuns: 50 },
    );
  });
});

import { strict as assert } from "node:assert";
import fc from "fast-check";
import { distance } from "fastest-levenshtein";
import { discoverAccounts, Discovery } from "../../accounts/discover";
import {
  FileOrganizationDirectory,
  OrganizationalUnitNode,
  OrganizationFile,
  parseOrganizationFile,
} from "../../accounts/org-file";
import { DiscoveryError, OrgAccount } from "../../accounts/types";
import { ConfigError, validateConfig } from "../../config/schema";
import { CENTRAL, MANAGEMENT, managementCaller, minimalConfig } from "../helpers/example-org";

const ORGANIZATION_ID = "o-exampleorg1";
const STATES = ["ACTIVE", "ACTIVE", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"] as const;
/** AWS allows five levels of OUs under the root. */
const MAX_DEPTH = 5;
const MAX_UNITS = 16;
const unitId = (index: number) => `ou-prop-${String(index).padStart(8, "0")}`;
const memberId = (index: number) => String(300000000000 + index);
/** Account IDs no generated organization holds, and no typo of one of its IDs. */
const strangerId = (index: number) => String(987654321000 + index);
/** An account's ID mistyped: a second digit no generated account has. */
const typoOf = (id: string) => `${id[0]}8${id.slice(2)}`;

interface GeneratedOrganization {
  file: OrganizationFile;
  /** Every OU below the root, with the accounts at any depth under it. */
  units: { id: string; depth: number; accountsBelow: OrgAccount[] }[];
  /** Every account of the organization, the management account and central account included. */
  accounts: OrgAccount[];
  /** abuse-alerts:centralAccountId: the security account, or now and then the management account. */
  centralId: string;
}

/**
 * An organization of random shape: up to 16 OUs, each under the root or an earlier OU, at most
 * five levels deep; members of random states anywhere; the management account (ACTIVE) at the
 * root; the central account anywhere (the management account itself, now and then), mostly ACTIVE,
 * rarely of another state or missing.
 */
const organizationArbitrary = fc
  .record({
    parents: fc.array(fc.nat(), { maxLength: MAX_UNITS }),
    members: fc.array(fc.tuple(fc.nat(MAX_UNITS), fc.constantFrom(...STATES)), { maxLength: 30 }),
    central: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          slot: fc.nat(MAX_UNITS),
          state: fc.oneof(
            { weight: 9, arbitrary: fc.constant("ACTIVE") },
            fc.constantFrom(...STATES.slice(3)),
          ),
        }),
      },
      { weight: 1, arbitrary: fc.constant("management" as const) },
      { weight: 1, arbitrary: fc.constant("missing" as const) },
    ),
  })
  .map(({ parents, members, central }): GeneratedOrganization => {
    const root: OrganizationalUnitNode = {
      id: "r-prop",
      name: "Root",
      accounts: [{ id: MANAGEMENT, name: "management", state: "ACTIVE" }],
      organizationalUnits: [],
    };
    const nodes: { node: OrganizationalUnitNode; depth: number }[] = [{ node: root, depth: 0 }];
    parents.forEach((choice, index) => {
      const open = nodes.filter((candidate) => candidate.depth < MAX_DEPTH);
      const parent = open[choice % open.length];
      const node: OrganizationalUnitNode = {
        id: unitId(index),
        name: `OU ${index}`,
        accounts: [],
        organizationalUnits: [],
      };
      parent.node.organizationalUnits?.push(node);
      nodes.push({ node, depth: parent.depth + 1 });
    });
    const place = (account: OrgAccount, slot: number) =>
      nodes[slot % nodes.length].node.accounts?.push(account);
    members.forEach(([slot, state], index) =>
      place({ id: memberId(index), name: `member-${index}`, state }, slot),
    );
    if (typeof central === "object")
      place({ id: CENTRAL, name: "security", state: central.state }, central.slot);

    const file = parseOrganizationFile(
      { organization: { id: ORGANIZATION_ID, managementAccountId: MANAGEMENT }, root },
      "the generated organization",
    );
    // The reference model reads the generated tree itself, not the code under test.
    const below = (node: OrganizationalUnitNode): OrgAccount[] => [
      ...(node.accounts ?? []),
      ...(node.organizationalUnits ?? []).flatMap(below),
    ];
    return {
      file,
      units: nodes.slice(1).map(({ node, depth }) => ({ id: node.id, depth, accountsBelow: below(node) })),
      accounts: below(root),
      centralId: central === "management" ? MANAGEMENT : CENTRAL,
    };
  });

interface Selection {
  /** The OUs to select, or none (the whole organization). */
  units?: string[];
  exclude: string[];
  organizationId?: string;
}

/**
 * A config for an organization: no OUs, or a random subset of its OUs (nested ones together at
 * times), rarely with an OU it does not have; exclusions among its accounts (the central one at
 * times) and strangers to it; the organization ID left out, right, or wrong now and then.
 */
const scenarioArbitrary = organizationArbitrary.chain((organization) => {
  const unitIds = organization.units.map((unit) => unit.id);
  const accountIds = organization.accounts.map((account) => account.id);
  const units =
    unitIds.length === 0
      ? fc.constant(undefined)
      : fc.option(
          fc
            .tuple(
              fc.subarray(unitIds, { minLength: 1 }),
              fc.oneof(
                { weight: 18, arbitrary: fc.constant([]) },
                { weight: 1, arbitrary: fc.constant(["ou-prop-nothere1"]) },
                { weight: 1, arbitrary: fc.constant(["ou-prop-nothere1", "ou-prop-0000000x"]) },
              ),
            )
            .map(([known, unknown]) => [...known, ...unknown]),
          { nil: undefined, freq: 3 },
        );
  const selection: fc.Arbitrary<Selection> = fc.record({
    units,
    exclude: fc
      .tuple(
        fc.subarray(accountIds),
        fc.uniqueArray(fc.nat(5), { maxLength: 3 }).map((indexes) => indexes.map(strangerId)),
        fc.oneof(
          { weight: 9, arbitrary: fc.constant([]) },
          {
            weight: 1,
            arbitrary: fc
              .subarray(accountIds, { maxLength: Math.min(2, accountIds.length) })
              .map((ids) => ids.map(typoOf)),
          },
        ),
      )
      .chain(([known, strangers, typos]) =>
        fc.shuffledSubarray([...known, ...strangers, ...typos], {
          minLength: known.length + strangers.length + typos.length,
        }),
      ),
    organizationId: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(undefined, ORGANIZATION_ID) },
      { weight: 1, arbitrary: fc.constant("o-otherorg123") },
    ),
  });
  return fc.tuple(fc.constant(organization), selection);
});

type Expected =
  | { refused: RegExp[] }
  | {
      covered: { id: string; name: string }[];
      skipped: { id: string; name: string; reason: string }[];
      outsideUnits: string[];
      /** Account IDs an exclusion warning must name. */
      unmatchedExclusions: string[];
    };

/** "PENDING_CLOSURE" → "pending closure", as skippedAccounts reads (README: excluded, suspended, closed, pending closure). */
const reasonOf = (state: string) =>
  ({ SUSPENDED: "suspended", PENDING_CLOSURE: "pending closure", CLOSED: "closed" })[state];
const byId = (left: { id: string }, right: { id: string }) =>
  left.id < right.id ? -1 : left.id > right.id ? 1 : 0;

/**
 * What the README and the code's comments promise, from the generated tree: every ACTIVE account
 * not excluded, under the selected OUs at any depth (the whole organization when none are), plus
 * the central account wherever it is; everything else in the scope skipped with its reason.
 */
function expectedOutcome(organization: GeneratedOrganization, selection: Selection): Expected {
  const excluded = new Set(selection.exclude);
  if (selection.organizationId && selection.organizationId !== ORGANIZATION_ID) {
    return {
      refused: [/abuse-alerts:organizationId is o-otherorg123, but test reports organization o-exampleorg1/],
    };
  }
  let scope = organization.accounts;
  const outsideUnits: string[] = [];
  if (selection.units) {
    // Every unknown OU is named at once, not only the first.
    const unknown = selection.units.filter((id) => !organization.units.some((unit) => unit.id === id));
    if (unknown.length > 0)
      return { refused: unknown.map((id) => new RegExp(`${id} is not an OU of this organization`)) };
    const below = organization.units
      .filter((unit) => selection.units?.includes(unit.id))
      .flatMap((unit) => unit.accountsBelow);
    scope = [...new Map(below.map((account) => [account.id, account])).values()];
    if (!scope.some((account) => account.state === "ACTIVE" && !excluded.has(account.id))) {
      return {
        refused: [
          /abuse-alerts:accounts.organizationalUnits \(.*\) holds no ACTIVE account that is not excluded/,
        ],
      };
    }
    const central = organization.accounts.find((account) => account.id === organization.centralId);
    if (central && !scope.some((account) => account.id === organization.centralId)) {
      // The hub's account is covered even outside the selected OUs.
      scope = [...scope, central];
      outsideUnits.push(organization.centralId);
    }
  }
  const central = scope.find((account) => account.id === organization.centralId);
  // An exclusion a character or two off an account that would be covered, and no account of the
  // organization, is a typo: as written, the account meant would be covered.
  const coverable = scope.filter((account) => account.state === "ACTIVE" && !excluded.has(account.id));
  const refused: RegExp[] = selection.exclude
    .filter(
      (id) =>
        !organization.accounts.some((account) => account.id === id) &&
        coverable.some((account) => distance(account.id, id) <= 2),
    )
    .map(
      (id) =>
        new RegExp(`abuse-alerts:accounts.exclude lists ${id}, which is not an account of organization`),
    );
  if (!central)
    refused.push(
      new RegExp(`abuse-alerts:centralAccountId ${organization.centralId} is not an account of organization`),
    );
  else if (central.state !== "ACTIVE")
    refused.push(new RegExp(`abuse-alerts:centralAccountId ${organization.centralId} .* not ACTIVE`));
  const covered = scope
    .filter((account) => account.state === "ACTIVE" && !excluded.has(account.id))
    .map(({ id, name }) => ({ id, name }))
    .sort(byId);
  if (covered.length === 0) refused.push(/no account is left to cover/);
  if (refused.length > 0) return { refused };
  const skipped = scope
    .filter((account) => account.state !== "ACTIVE" || excluded.has(account.id))
    .map(({ id, name, state }) => ({ id, name, reason: reasonOf(state) ?? "excluded" }))
    .sort(byId);
  const unmatchedExclusions = selection.exclude.filter((id) => !scope.some((account) => account.id === id));
  return { covered, skipped, outsideUnits, unmatchedExclusions };
}

const rawConfig = (organization: GeneratedOrganization, selection: Selection) => ({
  ...minimalConfig,
  centralAccountId: organization.centralId,
  ...(selection.organizationId ? { organizationId: selection.organizationId } : {}),
  accounts: {
    ...(selection.units ? { organizationalUnits: selection.units } : {}),
    ...(selection.exclude.length > 0 ? { exclude: selection.exclude } : {}),
  },
});

async function discover(organization: GeneratedOrganization, selection: Selection): Promise<Discovery> {
  return discoverAccounts(validateConfig(rawConfig(organization, selection)), {
    caller: managementCaller,
    origin: "test",
    directory: new FileOrganizationDirectory(organization.file),
  });
}

describe("account selection over any organization (fast-check)", () => {
  it("refuses, naming the key, exactly the configs that exclude the central account", () => {
    fc.assert(
      fc.property(scenarioArbitrary, ([organization, selection]) => {
        const excludesCentral = selection.exclude.includes(organization.centralId);
        try {
          validateConfig(rawConfig(organization, selection));
          assert.ok(!excludesCentral, "a config that excludes the central account is refused");
        } catch (error) {
          assert.ok(error instanceof ConfigError, String(error));
          assert.ok(excludesCentral, error.message);
          assert.match(
            error.message,
            new RegExp(`abuse-alerts:accounts.exclude lists the central account ${organization.centralId}`),
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("covers exactly the ACTIVE accounts under the selected OUs (or the whole organization), minus exclude, plus the central account", async () => {
    let covered = 0;
    let refused = 0;
    let deepest = 0;
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary.filter(
          ([organization, selection]) => !selection.exclude.includes(organization.centralId),
        ),
        async ([organization, selection]) => {
          deepest = Math.max(deepest, ...organization.units.map((unit) => unit.depth));
          const expected = expectedOutcome(organization, selection);
          if ("refused" in expected) {
            refused++;
            await assert.rejects(discover(organization, selection), (error: Error) => {
              assert.ok(error instanceof DiscoveryError, String(error));
              for (const reason of expected.refused) assert.match(error.message, reason);
              return true;
            });
            return;
          }
          covered++;
          const discovery = await discover(organization, selection);
          assert.deepEqual(discovery.covered, expected.covered, "covered");
          assert.deepEqual(discovery.skipped, expected.skipped, "skipped, each with its reason");
          assert.deepEqual(
            discovery.outsideUnits,
            expected.outsideUnits,
            "the central account outside the OUs",
          );
          assert.equal(discovery.organizationId, ORGANIZATION_ID);
          assert.equal(discovery.managementAccountId, MANAGEMENT);
          for (const id of expected.unmatchedExclusions) {
            assert.ok(
              discovery.warnings.some((warning) =>
                warning.includes(`abuse-alerts:accounts.exclude lists ${id}`),
              ),
              `a warning names the exclusion ${id}, which matches nothing in scope`,
            );
          }
          if (expected.outsideUnits.length > 0) {
            assert.ok(
              discovery.warnings.some((warning) =>
                new RegExp(`centralAccountId ${organization.centralId} is not under .*covered anyway`).test(
                  warning,
                ),
              ),
              "a warning says the central account is covered outside the OUs",
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
    // Both outcomes are exercised, not just one, and OU trees as deep as AWS allows.
    assert.ok(covered > 100 && refused > 20, `covered ${covered}, refused ${refused}`);
    assert.equal(deepest, MAX_DEPTH);
  });

  it("keeps covered sorted and unique, disjoint from skipped, the central account always in, every account in scope once", async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary.filter(
          ([organization, selection]) =>
            !selection.exclude.includes(organization.centralId) &&
            !("refused" in expectedOutcome(organization, selection)),
        ),
        async ([organization, selection]) => {
          const discovery = await discover(organization, selection);
          const coveredIds = discovery.covered.map((account) => account.id);
          const skippedIds = discovery.skipped.map((account) => account.id);
          coveredIds
            .slice(1)
            .forEach((id, index) => assert.ok(coveredIds[index] < id, "covered: sorted, unique"));
          skippedIds
            .slice(1)
            .forEach((id, index) => assert.ok(skippedIds[index] < id, "skipped: sorted, unique"));
          assert.deepEqual(
            coveredIds.filter((id) => skippedIds.includes(id)),
            [],
            "no account both covered and skipped",
          );
          assert.ok(coveredIds.includes(organization.centralId), "the central account is covered");
          const excluded = new Set(selection.exclude);
          const inScope = selection.units
            ? organization.units
                .filter((unit) => selection.units?.includes(unit.id))
                .flatMap((unit) => unit.accountsBelow)
            : organization.accounts;
          for (const account of inScope) {
            const left = account.state !== "ACTIVE" || excluded.has(account.id);
            if (left) {
              const skipped = discovery.skipped.find((entry) => entry.id === account.id);
              assert.ok(skipped, `${account.id} (${account.state}) is skipped`);
              assert.ok(skipped.reason.length > 0, `${account.id} has a reason`);
            } else assert.ok(coveredIds.includes(account.id), `${account.id} is covered`);
          }
          // Only the central account reaches outside the scope; with OUs selected the management
          // account (always at the root) is covered only when it is the central account.
          for (const id of [...coveredIds, ...skippedIds]) {
            assert.ok(
              id === organization.centralId || inScope.some((account) => account.id === id),
              `${id} is in scope`,
            );
          }
          if (selection.units)
            assert.equal(coveredIds.includes(MANAGEMENT), organization.centralId === MANAGEMENT);
          else assert.equal(coveredIds.includes(MANAGEMENT), !excluded.has(MANAGEMENT));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

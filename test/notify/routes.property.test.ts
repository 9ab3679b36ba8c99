import { strict as assert } from "node:assert";
import fc from "fast-check";
import jsonata from "jsonata";
import { AccountPlace, failureReason, RouteTarget, routingTargets, Target } from "../../model/routes";
import { routedTargets } from "../../notify/routes";

/**
 * The notify workflow's routing (JSONata, notify/routes.ts) against the rule in plain TypeScript
 * (model/routes.ts), over random OU paths, tag sets, routes and failed lookups; and the rule
 * itself against the words: the central channel, plus exactly the routes one of whose
 * selectors matches the account.
 */

const CENTRAL = "arn:aws:sns:us-east-1:111111111111:abuse-alerts";
const ACCOUNTS = ["222222222221", "222222222222", "333333333333"];
/** A small pool, so that routes and accounts often share OUs, tags and values. */
const OUS = Array.from({ length: 8 }, (_, index) => `ou-ab12-pool000${index}`);
const TAG_KEYS = ["team", "environment", "cost-center", "owner"];
const TAG_VALUES = ["data", "payments", "prod", "dev", "Prod", "o'brien", "ünïcode 😀"];

const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
const error = fc.record({
  Error: fc.constantFrom("Organizations.AccessDeniedException", "States.Timeout"),
  Cause: fc.string({ maxLength: 400 }),
});
/**
 * Mostly two common values, so that a route's tags match an account's often enough for the count
 * below to hold every run: drawn evenly, about 12 of 300 matched and a run in five fell under
 * 10; drawn so, 22 to 41 in five runs. The quotes and non-ASCII values still come up.
 */
const tagValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("data", "prod") },
  { weight: 1, arbitrary: fc.constantFrom(...TAG_VALUES) },
);
const tags = fc.dictionary(fc.constantFrom(...TAG_KEYS), tagValue, { maxKeys: 4 });

/** The account's OUs: distinct OUs of the pool, the root's child first, named anyhow. */
const ouPath = fc
  .uniqueArray(fc.constantFrom(...OUS), { maxLength: 5 })
  .chain((ids) =>
    fc.tuple(fc.constant(ids), fc.array(text, { minLength: ids.length, maxLength: ids.length })),
  )
  .map(([ids, names]) => ids.map((id, index) => ({ id, name: names[index] })));

const route = (index: number): fc.Arbitrary<RouteTarget> =>
  fc
    .record({
      organizationalUnits: fc.uniqueArray(fc.constantFrom(...OUS), { maxLength: 3 }),
      accounts: fc.uniqueArray(fc.constantFrom(...ACCOUNTS), { maxLength: 2 }),
      tags: fc.dictionary(fc.constantFrom(...TAG_KEYS), tagValue, { maxKeys: 2 }),
      name: fc.string({ unit: fc.constantFrom(..."abcxyz019-"), minLength: 1, maxLength: 32 }),
    })
    // Validation refuses a route without a selector.
    .filter((r) => r.organizationalUnits.length + r.accounts.length + Object.keys(r.tags).length > 0)
    .map((r) => ({ ...r, topicArn: `arn:aws:sns:us-east-1:111111111111:abuse-alerts-route-${index}` }));

const routes = fc
  .integer({ min: 0, max: 6 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => route(index))));

const lookup = <T>(found: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 5, arbitrary: found.map((value) => ({ found: value })) },
    { weight: 1, arbitrary: error.map((failed) => ({ failed })) },
  );

const scenario = fc.record({
  accountId: fc.constantFrom(...ACCOUNTS),
  ous: lookup(ouPath),
  tags: lookup(tags),
  routes,
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** The four lookups' results as the workflow holds them in `$context`. */
function contextOf({ ous, tags: found }: Scenario): unknown[] {
  return [
    { name: "shop-prod", email: "aws-shop-prod@example.com" },
    "found" in ous
      ? {
          path: ous.found.map((ou) => ou.name),
          ids: ous.found.map((ou) => ou.id),
          complete: true,
          parentId: "r-ab12",
        }
      : { error: ous.failed },
    "found" in found ? { tags: {}, all: found.found } : { error: found.failed },
    { contact: null },
  ];
}

function placeOf({ accountId, ous, tags: found }: Scenario): AccountPlace {
  return {
    accountId,
    organizationalUnits: "found" in ous ? ous : { failed: failureReason(ous.failed) },
    tags: "found" in found ? found : { failed: failureReason(found.failed) },
  };
}

/** What the workflow's Assign makes of `$targets`, by the reference JSONata implementation. */
async function workflowTargets(subject: Scenario): Promise<Target[]> {
  const expression = routedTargets(CENTRAL, subject.routes);
  return (await jsonata(expression).evaluate(
    {},
    {
      context: contextOf(subject),
      accountId: subject.accountId,
    },
  )) as Target[];
}

/** The rule, read literally: any selector of the route matches the account. */
function selects(r: RouteTarget, subject: Scenario): boolean {
  const ous = "found" in subject.ous ? subject.ous.found.map((ou) => ou.id) : [];
  const found = "found" in subject.tags ? subject.tags.found : undefined;
  const tagKeys = Object.keys(r.tags);
  return (
    r.organizationalUnits.some((ou) => ous.includes(ou)) ||
    r.accounts.includes(subject.accountId) ||
    (tagKeys.length > 0 && found !== undefined && tagKeys.every((key) => found[key] === r.tags[key]))
  );
}

describe("routing, property-tested", () => {
  it("the workflow's JSONata makes exactly the targets and notes of the rule in model/routes.ts", async () => {
    // How often each way of routing came up: a generator that never matches would prove nothing.
    const seen = { ou: 0, account: 0, tag: 0, undecided: 0, unmatched: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (subject) => {
        const expected = routingTargets(CENTRAL, subject.routes, placeOf(subject));
        assert.deepEqual(await workflowTargets(subject), expected);
        const notes = expected.map((target) => target.note ?? "").join("\n");
        if (/\*Routed to .*: OU /.test(notes)) seen.ou += 1;
        if (/\*Routed to .*account \d{12}/.test(notes)) seen.account += 1;
        if (/\*Routed to .*tags? /.test(notes)) seen.tag += 1;
        if (notes.startsWith("*Routing could not be decided*")) seen.undecided += 1;
        if (notes.startsWith("*Also sent to* no team")) seen.unmatched += 1;
      }),
      { numRuns: 300 },
    );
    for (const [way, count] of Object.entries(seen)) assert.ok(count >= 10, `${way}: ${count} of 300`);
  });

  it("an account reaches the central channel and exactly the routes one of whose selectors matches it; a failed lookup a route needs, the central channel only", () => {
    fc.assert(
      fc.property(scenario, (subject) => {
        const targets = routingTargets(CENTRAL, subject.routes, placeOf(subject));
        const failed =
          (subject.routes.some((r) => r.organizationalUnits.length > 0) && "failed" in subject.ous) ||
          (subject.routes.some((r) => Object.keys(r.tags).length > 0) && "failed" in subject.tags);
        const routed = failed ? [] : subject.routes.filter((r) => selects(r, subject));
        assert.deepEqual(
          targets.map((target) => target.topicArn),
          [CENTRAL, ...routed.map((r) => r.topicArn)],
        );
        if (subject.routes.length === 0) assert.deepEqual(targets, [{ topicArn: CENTRAL }]);
        else if (failed) assert.match(targets[0].note ?? "", /^\*Routing could not be decided\*: /);
        for (const target of targets.slice(1)) assert.match(target.note ?? "", /^\*Routed to [a-z0-9-]+\*: /);
      }),
      { numRuns: 500 },
    );
  });
});

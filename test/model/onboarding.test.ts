import { strict as assert } from "node:assert";
import fc from "fast-check";
import { onboardingPatterns } from "../../model/onboarding";
import { matchesPattern } from "../../sim/eventbridge";
import { onboardingSampleEvents } from "../../tools/examples";

/** Which onboarding rule each held-out sample starts, if any (the example stack excludes 333333333331). */
const expectations: Record<string, "created" | "invited" | "moved" | undefined> = {
  created: "created",
  "creation-failed": undefined,
  "invitation-accepted": "invited",
  // A created account joins too: its CreateAccountResult onboards it, once.
  "joined-by-creation": undefined,
  "moved-into-scope": "moved",
  "excluded-moved": undefined,
  "move-denied": undefined,
  "describe-account": undefined,
};

const EXCLUDED = ["333333333331"];

const matched = (event: unknown, excluded = EXCLUDED) =>
  Object.entries(onboardingPatterns(excluded))
    .filter(([, pattern]) => matchesPattern(pattern, event as never))
    .map(([name]) => name);

describe("onboarding patterns against sample Organizations events", () => {
  const fixtures = onboardingSampleEvents();

  it("has an expectation for every fixture and a fixture for every expectation", () => {
    assert.deepEqual(fixtures.map((fixture) => fixture.name).sort(), Object.keys(expectations).sort());
  });

  for (const { name, event } of fixtures) {
    const expected = expectations[name];
    it(`${name}: ${expected ?? "ignored"}`, () => {
      assert.deepEqual(matched(event), expected ? [expected] : []);
    });
  }

  it("an excluded account is left out whatever its ID, and every other one is taken", () => {
    const created = fixtures.find((fixture) => fixture.name === "created")?.event ?? assert.fail("created");
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.boolean(), (accountId, excludedOne) => {
        const event = structuredClone(created) as {
          detail: { serviceEventDetails: { createAccountStatus: { accountId: string } } };
        };
        event.detail.serviceEventDetails.createAccountStatus.accountId = accountId;
        const excluded = excludedOne ? [accountId] : ["000000000000"].filter((id) => id !== accountId);
        assert.deepEqual(matched(event, excluded), excludedOne ? [] : ["created"]);
      }),
    );
  });

  it("with nothing excluded, the patterns still need the account named", () => {
    const moved = fixtures.find((fixture) => fixture.name === "moved-into-scope")?.event;
    assert.deepEqual(matched(moved, []), ["moved"]);
    const anonymous = structuredClone(moved) as { detail: { requestParameters: Record<string, unknown> } };
    delete anonymous.detail.requestParameters.accountId;
    assert.deepEqual(matched(anonymous, []), []);
  });
});

import { strict as assert } from "node:assert";
import { centralPattern, forwarderPattern, stackSetCoveragePattern } from "../../model/patterns";
import { matchesPattern } from "../../sim/eventbridge";
import { sampleEvents, stackSetSampleEvents } from "../../tools/examples";

/** What each sample event must do: forwarded by member accounts, notified by the central abuse or risk rule. */
const expectations: Record<string, { forwarded: boolean; abuse: boolean; risk: boolean }> = {
  "abuse/copyright-dmca": { forwarded: true, abuse: true, risk: false },
  "abuse/dos-report": { forwarded: true, abuse: true, risk: false },
  "abuse/dos-report-closed": { forwarded: true, abuse: true, risk: false },
  // A second page of a paged event is forwarded but must not post again.
  "abuse/email-spam-page-2": { forwarded: true, abuse: false, risk: false },
  "abuse/phishing-backup-region": { forwarded: true, abuse: true, risk: false },
  "abuse/pii-content-removal": { forwarded: true, abuse: true, risk: false },
  "abuse/port-scanning-many-resources": { forwarded: true, abuse: true, risk: false },
  "abuse/ses-spam": { forwarded: true, abuse: true, risk: false },
  "risk/credentials-exposed": { forwarded: true, abuse: false, risk: true },
  "risk/iam-quarantine": { forwarded: true, abuse: false, risk: true },
  "negative/ec2-scheduled-maintenance": { forwarded: false, abuse: false, risk: false },
  "negative/guardduty-finding": { forwarded: false, abuse: false, risk: false },
  "negative/iam-operational-issue": { forwarded: false, abuse: false, risk: false },
  "negative/spoofed-health-source": { forwarded: false, abuse: false, risk: false },
};

describe("event patterns against sample AWS Health events", () => {
  const fixtures = sampleEvents();

  it("has an expectation for every fixture and a fixture for every expectation", () => {
    assert.deepEqual(fixtures.map((fixture) => fixture.name).sort(), Object.keys(expectations).sort());
  });

  for (const { name, event } of fixtures) {
    const expected = expectations[name];
    it(`${name}: ${expected?.forwarded ? "forwarded" : "not forwarded"}, ${
      expected?.abuse ? "abuse alert" : expected?.risk ? "risk alert" : "no alert"
    }`, () => {
      assert.equal(matchesPattern(forwarderPattern(["abuse", "risk"]), event as never), expected.forwarded);
      assert.equal(matchesPattern(centralPattern("abuse"), event as never), expected.abuse);
      assert.equal(matchesPattern(centralPattern("risk"), event as never), expected.risk);
    });
  }

  it("forwards only the configured categories", () => {
    const [abuse] = sampleEvents("abuse");
    const [risk] = sampleEvents("risk");
    assert.equal(matchesPattern(forwarderPattern(["risk"]), abuse.event as never), false);
    assert.equal(matchesPattern(forwarderPattern(["risk"]), risk.event as never), true);
    assert.equal(matchesPattern(forwarderPattern(["abuse"]), risk.event as never), false);
  });

  it("treats a numeric first page like the string AWS sends, and any later page as a repeat", () => {
    const [{ event }] = sampleEvents("abuse").filter((fixture) => fixture.name === "abuse/dos-report");
    const withPage = (page: unknown) => ({ ...event, detail: { ...(event.detail as object), page } });
    assert.equal(matchesPattern(centralPattern("abuse"), withPage(1) as never), true);
    assert.equal(matchesPattern(centralPattern("abuse"), withPage("1") as never), true);
    assert.equal(matchesPattern(centralPattern("abuse"), withPage(2) as never), false);
    assert.equal(matchesPattern(centralPattern("abuse"), withPage("10") as never), false);
  });

  it("uses exact sources, never a wildcard or prefix, and no region filter", () => {
    assert.deepEqual(forwarderPattern(["abuse", "risk"]).source, ["aws.health", "abuse-alerts.test"]);
    assert.deepEqual(centralPattern("abuse").source, ["aws.health"]);
    assert.deepEqual(centralPattern("risk").source, ["aws.health"]);
    assert.deepEqual(centralPattern("risk", { test: true }).source, ["abuse-alerts.test"]);
    for (const pattern of [
      forwarderPattern(["abuse", "risk"]),
      centralPattern("abuse"),
      centralPattern("risk"),
    ]) {
      assert.equal(
        "region" in pattern,
        false,
        "global events arrive in a backup region too: no region filter",
      );
    }
  });
});

describe("the StackSet failure pattern against sample CloudFormation events", () => {
  const expected: Record<string, boolean> = {
    "instance-failed-scp": true,
    "instance-suspended": false,
    "instance-succeeded": false,
    "other-stackset-failed": false,
    "operation-failed": true,
    "operation-succeeded": false,
    "instance-cancelled": false,
  };
  const events = stackSetSampleEvents();

  it("has an expectation for every fixture", () => {
    assert.deepEqual(events.map((fixture) => fixture.name).sort(), Object.keys(expected).sort());
  });

  for (const { name, event } of events) {
    it(`${name}: ${expected[name] ? "a coverage alert" : "nothing"}`, () => {
      assert.equal(matchesPattern(stackSetCoveragePattern(), event as never), expected[name]);
      assert.equal(matchesPattern(forwarderPattern(["abuse", "risk"]), event as never), false);
    });
  }
});

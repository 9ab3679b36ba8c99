import { THROTTLED } from "../../notify/onboarding-scope";
import { strict as assert } from "node:assert";
import { OnboardingDefinitionArgs, onboardingDefinition } from "../../notify/onboarding-definition";
import { proberDefinition } from "../../notify/prober-definition";
import { reconcileDefinition } from "../../notify/reconcile-definition";
import { OPS_TOPIC_NAME } from "../../model/names";
import { onboardingPatterns } from "../../model/onboarding";
import { fromItem } from "../../model/state-table";
import { ManagementSim } from "../../sim/onboarding";
import { OfflineHub } from "../../sim/hub";
import { matchesPattern } from "../../sim/eventbridge";
import { onboardingSampleEvents } from "../../tools/examples";
import { at, startHub } from "../helpers/hub";
import { CENTRAL, exampleOrg, MANAGEMENT, SECURITY_CONTACT } from "../helpers/example-org";

// asl-validator ships no types: the part of its API the tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText(separator?: string): string };

const T0 = new Date("2026-11-20T10:02:12Z");
const REGIONS = ["us-east-1", "us-west-2"];
const ROLE = "OrganizationAccountAccessRole";
const NEW = "222222222224";
const MOVED = "222222222225";

const sample = (name: string) =>
  structuredClone(onboardingSampleEvents().find((fixture) => fixture.name === name)?.event) ??
  assert.fail(name);

function args(hub: OfflineHub, changes: Partial<OnboardingDefinitionArgs> = {}): OnboardingDefinitionArgs {
  return {
    managementAccountId: MANAGEMENT,
    centralAccountId: CENTRAL,
    organizationalUnits: [],
    excluded: ["333333333331"],
    regions: REGIONS,
    memberRoleName: ROLE,
    deployment: "stackset",
    callAs: "SELF",
    contact: SECURITY_CONTACT,
    opsTopicArn: hub.topicArn("us-east-1", OPS_TOPIC_NAME),
    ...changes,
  };
}

const running: OfflineHub[] = [];
afterEach(() => Promise.all(running.splice(0).map((hub) => hub.stop())));

/** The hub and the management account, a new account in Prod and one moved to Prod-EU, their stacks ready in minutes. */
async function world(changes: Partial<OnboardingDefinitionArgs> = {}) {
  const hub = await startHub({ start: T0 });
  running.push(hub);
  const onboarding = args(hub, changes);
  const sim = new ManagementSim({
    hub,
    organization: exampleOrg(),
    categories: ["abuse", "risk"],
    onboarding,
    reconcile: onboarding.contact ? { ...onboarding, contact: onboarding.contact } : undefined,
  });
  sim.place({ id: NEW, name: "payments-sandbox" }, "ou-ex12-prod0001");
  sim.place({ id: MOVED, name: "analytics-eu" }, "ou-ex12-prodeu01");
  for (const account of [NEW, MOVED]) {
    sim.instances.set(account, [
      { region: "us-east-1", readyAt: at(T0, 240) },
      { region: "us-west-2", readyAt: at(T0, 330) },
    ]);
  }
  return { hub, sim };
}

async function onboard(sim: ManagementSim, hub: OfflineHub, event: unknown) {
  const started = sim.onboard(event);
  await hub.run();
  const result = await started.done;
  assert.equal(result.status, "SUCCEEDED", JSON.stringify(result.error));
  return result.output as {
    outcome: string;
    accountId: string;
    probes: { region: string; seconds?: number }[];
  };
}

const only = (sim: ManagementSim) => {
  assert.equal(sim.posts.length, 1, "one message per account");
  return sim.posts[0].notification.content;
};

/** Only the topic's ARN, for the definitions alone. */
const DEFINITION_HUB = {
  topicArn: () => "arn:aws:sns:us-east-1:111111111111:abuse-alerts-ops",
} as unknown as OfflineHub;

describe("onboarding workflow (management account, on the virtual clock)", () => {
  const definitions = {
    onboarding: onboardingDefinition(args(DEFINITION_HUB)),
    prober: proberDefinition({ memberRoleName: ROLE, categories: ["abuse"] }),
    reconcile: reconcileDefinition({
      ...args(DEFINITION_HUB),
      contact: SECURITY_CONTACT,
    }),
  };
  for (const [name, definition] of Object.entries(definitions)) {
    it(`${name}: valid Amazon States Language in JSONata mode (asl-validator)`, () => {
      const result = aslValidator(definition, { checkPaths: true, checkArn: true });
      assert.ok(result.isValid, result.errorsText("\n"));
    });
  }

  it("a created account: contact set, stacks waited for, a probe through each region's forwarder, one message, no alert", async () => {
    const { hub, sim } = await world();
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "covered");
    assert.deepEqual(sim.contacts.get(NEW), {
      Name: SECURITY_CONTACT.name,
      Title: SECURITY_CONTACT.title,
      EmailAddress: SECURITY_CONTACT.emailAddress,
      PhoneNumber: SECURITY_CONTACT.phoneNumber,
    });
    const message = only(sim);
    assert.match(message.title ?? "", /payments-sandbox \(222222222224\) created: covered/);
    assert.match(message.description, /Covered in us-east-1 and us-west-2, probe delivered in 3 s/);
    assert.match(message.description, /\*OU:\* ou-ex12-prod0001\n/);
    assert.match(message.description, /SECURITY contact set: Security/);
    assert.deepEqual(hub.posts(), [], "the probes post no alert of their own");
    // The probes' arrivals: an item per region, each written by its own region.
    const items = (await hub.table.items("us-east-1"))
      .map((item) => fromItem(item))
      .filter((item) => String(item.pk).startsWith("probe#"));
    assert.deepEqual(items.map((item) => [item.accountId, item.sk]).sort(), [
      [NEW, "us-east-1"],
      [NEW, "us-west-2"],
    ]);
    // The stacks were polled until CURRENT in both regions (5.5 minutes), not past.
    const polls = sim.calls.filter((call) => call.resource.endsWith("listStackInstances"));
    assert.ok(polls.length >= 11 && polls.length <= 13, `${polls.length} polls`);
  });

  it("a failed creation starts nothing; were it started, it would be ignored without a call", async () => {
    const event = sample("creation-failed");
    assert.ok(
      Object.values(onboardingPatterns([])).every((pattern) => !matchesPattern(pattern, event as never)),
    );
    const { hub, sim } = await world();
    const output = await onboard(sim, hub, event);
    assert.equal(output.outcome, "ignored");
    assert.deepEqual(sim.calls, []);
    assert.deepEqual(sim.posts, []);
  });

  it("a move into the scope, three levels below the configured OU: onboarded", async () => {
    const { hub, sim } = await world({ organizationalUnits: ["ou-ex12-workload1"] });
    const output = await onboard(sim, hub, sample("moved-into-scope"));
    assert.equal(output.accountId, MOVED);
    assert.equal(output.outcome, "covered");
    assert.match(only(sim).title ?? "", /analytics-eu \(222222222225\) moved into the scope: covered/);
  });

  it("a move outside the configured OUs, and an excluded account moved: ignored, no contact, no message", async () => {
    for (const [name, ous] of [
      ["moved-into-scope", ["ou-ex12-security1"]],
      ["excluded-moved", []],
    ] as const) {
      const { hub, sim } = await world({ organizationalUnits: [...ous] });
      sim.place({ id: "333333333331", name: "sandbox-playground" }, "ou-ex12-prod0001");
      const output = await onboard(sim, hub, sample(name));
      assert.equal(output.outcome, "ignored", name);
      assert.deepEqual(
        sim.calls.filter((call) => call.resource.includes("account:")),
        [],
        name,
      );
      assert.deepEqual(sim.posts, [], name);
    }
  });

  it("a move between two OUs in scope, or any move when the whole organization is covered: ignored, nothing called, nothing posted", async () => {
    const moved = sample("moved-into-scope") as { detail: { requestParameters: Record<string, string> } };
    // Prod (under the configured Workloads) to Prod-EU (under Prod): the account was covered all along.
    const withinScope = {
      ...moved,
      detail: {
        ...moved.detail,
        requestParameters: { ...moved.detail.requestParameters, sourceParentId: "ou-ex12-prod0001" },
      },
    };
    for (const [name, event, ous] of [
      ["within the configured OU", withinScope, ["ou-ex12-workload1"]],
      [
        "from the configured OU itself",
        sample("moved-into-scope"),
        ["ou-ex12-security1", "ou-ex12-workload1"],
      ],
      ["in a whole-organization stack", sample("moved-into-scope"), []],
    ] as const) {
      const { hub, sim } = await world({ organizationalUnits: [...ous] });
      const output = await onboard(sim, hub, event);
      assert.equal(output.outcome, "ignored", name);
      assert.deepEqual(
        sim.calls.filter((call) => /account:|cloudformation:|events:/.test(call.resource)),
        [],
        name,
      );
      assert.deepEqual(sim.posts, [], name);
    }
  });

  it("an invitation accepted: the joining account from AccountJoinedOrganization's details", async () => {
    const { hub, sim } = await world();
    sim.place({ id: "555555555551", name: "acquired-co" }, "r-ex12");
    sim.instances.set("555555555551", [
      { region: "us-east-1", readyAt: at(T0, 60) },
      { region: "us-west-2", readyAt: at(T0, 60) },
    ]);
    const output = await onboard(sim, hub, sample("invitation-accepted"));
    assert.equal(output.outcome, "covered");
    assert.match(only(sim).title ?? "", /acquired-co \(555555555551\) joined by invitation: covered/);
  });

  it("stacks that fail: not covered, with AWS's reason and the fix; no probe", async () => {
    const { hub, sim } = await world();
    sim.instances.set(NEW, [
      { region: "us-east-1", readyAt: at(T0, 240) },
      {
        region: "us-west-2",
        readyAt: at(T0, 300),
        failed: { detailedStatus: "FAILED", reason: "iam:CreateRole denied by a service control policy" },
      },
    ]);
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "stacks");
    const message = only(sim);
    assert.match(message.title ?? "", /not covered/);
    assert.match(
      message.description,
      /us-west-2: FAILED \(iam:CreateRole denied by a service control policy\)/,
    );
    assert.match(
      message.nextSteps?.[0] ?? "",
      /list-stack-instances .* --stack-instance-account 222222222224/,
    );
    assert.equal(sim.calls.filter((call) => call.resource.endsWith("putEvents")).length, 0);
  });

  it("stacks that never arrive: not covered after an hour", async () => {
    const { hub, sim } = await world();
    sim.instances.set(NEW, []);
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "stacks-timeout");
    assert.match(
      only(sim).description,
      /did not reach the account within an hour \(not CURRENT in us-east-1 and us-west-2\)/,
    );
    assert.ok(sim.posts[0].time.getTime() - T0.getTime() >= 3600 * 1000);
  });

  it("a member role that cannot be assumed: not covered: cannot assume <role>, with the fix", async () => {
    const { hub, sim } = await world();
    sim.unreachable.add(NEW);
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "role");
    const message = only(sim);
    assert.match(message.description, /Not covered: cannot assume OrganizationAccountAccessRole/);
    assert.match(message.nextSteps?.[0] ?? "", /Create OrganizationAccountAccessRole in 222222222224/);
  });

  it("a probe that does not arrive in one region: not covered there, the hop-by-hop trace as the fix", async () => {
    const { hub, sim } = await world();
    sim.brokenForwarders.set(NEW, ["us-west-2"]);
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "probe");
    const message = only(sim);
    assert.match(message.description, /Not covered in us-west-2: the probe did not arrive within 10 minutes/);
    assert.match(
      message.nextSteps?.[0] ?? "",
      /send-test-event -- --account 222222222224 --region us-west-2 --wait/,
    );
  });

  it("a throttled contact call is retried with backoff; one that fails is told, and the forwarder still proven", async () => {
    const throttled = await world();
    throttled.sim.contactFailures.set(NEW, [
      "Account.TooManyRequestsException",
      "Account.TooManyRequestsException",
    ]);
    await onboard(throttled.sim, throttled.hub, sample("created"));
    const attempts = throttled.sim.calls.filter((call) => call.resource.endsWith("putAlternateContact"));
    assert.equal(attempts.length, 3);
    assert.ok(attempts[2].time > attempts[1].time && attempts[1].time > attempts[0].time, "backoff");
    assert.match(only(throttled.sim).description, /SECURITY contact set/);

    const denied = await world();
    denied.sim.contactFailures.set(NEW, ["Account.AccessDeniedException"]);
    const output = await onboard(denied.sim, denied.hub, sample("created"));
    assert.equal(output.outcome, "covered");
    const message = only(denied.sim);
    assert.match(message.description, /SECURITY contact not set: Account.AccessDeniedException/);
    assert.ok(message.nextSteps?.some((step) => step.includes("enable-aws-service-access")));

    // Throttled past every retry: told as not set, with the throttling named, the forwarder proven.
    const exhausted = await world();
    exhausted.sim.contactFailures.set(NEW, Array<string>(20).fill("Account.TooManyRequestsException"));
    const gaveUp = await onboard(exhausted.sim, exhausted.hub, sample("created"));
    assert.equal(gaveUp.outcome, "covered");
    const tries = exhausted.sim.calls.filter((call) => call.resource.endsWith("putAlternateContact"));
    assert.equal(tries.length, 1 + THROTTLED[0].MaxAttempts!, "the first call and every retry");
    assert.match(
      only(exhausted.sim).description,
      /SECURITY contact not set: Account.TooManyRequestsException/,
    );
  });

  it("direct mode: the contact now, the forwarder at the next pulumi up, and the message says so", async () => {
    const { hub, sim } = await world({ deployment: "direct" });
    const output = await onboard(sim, hub, sample("created"));
    assert.equal(output.outcome, "direct");
    assert.match(only(sim).description, /in direct mode the next pulumi up deploys its forwarder/);
    assert.ok(sim.contacts.has(NEW));
  });
});

describe("daily reconcile of SECURITY contacts", () => {
  async function reconcileWorld() {
    const { hub, sim } = await world();
    const contact = {
      Name: SECURITY_CONTACT.name,
      Title: SECURITY_CONTACT.title,
      EmailAddress: SECURITY_CONTACT.emailAddress,
      PhoneNumber: SECURITY_CONTACT.phoneNumber,
    };
    // 25 more accounts, so ListAccounts takes two pages: two executions, one summary.
    for (let index = 0; index < 25; index++) {
      const id = `66666666${String(index).padStart(4, "0")}`;
      sim.place({ id, name: `bulk-${index}` }, "ou-ex12-prod0001");
      sim.contacts.set(id, contact);
    }
    for (const id of [MANAGEMENT, CENTRAL, "111111111112", NEW, MOVED, "333333333333"])
      sim.contacts.set(id, contact);
    sim.contacts.set("222222222221", contact); // correct
    sim.contacts.set("222222222222", { ...contact, EmailAddress: "old-secops@example.com" }); // different
    sim.contacts.delete("222222222223"); // missing
    sim.contacts.delete(MANAGEMENT); // the management account's own, missing
    return { hub, sim, contact };
  }

  it("sets the missing, corrects the different, leaves the correct, skips suspended, closing and excluded; one summary", async () => {
    const { hub, sim, contact } = await reconcileWorld();
    sim.reconcile();
    await hub.run();
    const ends = await Promise.all(sim.sfn.all().map((started) => started.done));
    assert.deepEqual(
      ends.map((end) => end.error),
      [undefined, undefined],
    );
    assert.deepEqual(
      ends.map((end) => end.status),
      ["SUCCEEDED", "SUCCEEDED"],
      "a page per execution",
    );
    const puts = sim.calls.filter((call) => call.resource.endsWith("putAlternateContact"));
    assert.deepEqual(
      puts.map((call) => (call.arguments as { AccountId?: string }).AccountId ?? "own").sort(),
      ["222222222222", "222222222223", "own"],
    );
    for (const id of ["222222222222", "222222222223", MANAGEMENT])
      assert.deepEqual(sim.contacts.get(id), contact);
    const reads = sim.calls.filter((call) => call.resource.endsWith("getAlternateContact"));
    const read = reads.map((call) => (call.arguments as { AccountId?: string }).AccountId ?? MANAGEMENT);
    for (const skipped of ["333333333331", "333333333332", "444444444441", "444444444442"])
      assert.ok(!read.includes(skipped), skipped);
    assert.equal(sim.posts.length, 1);
    const summary = sim.posts[0].notification.content;
    assert.match(summary.title ?? "", /3 repaired/);
    assert.match(
      summary.description,
      /Set where missing: 2\nCorrected: 1\nAlready correct: 31\nSkipped \(suspended, closing, excluded or out of scope\): 4\nFailed: 0/,
    );
    const concurrency = reconcileDefinition({ ...args(hub), contact: SECURITY_CONTACT }).States.Contacts
      .MaxConcurrency;
    assert.equal(concurrency, 5);
  });

  it("posts nothing when every contact is already correct", async () => {
    const { hub, sim, contact } = await reconcileWorld();
    for (const id of ["222222222222", "222222222223", MANAGEMENT]) sim.contacts.set(id, contact);
    sim.reconcile();
    await hub.run();
    assert.deepEqual(sim.posts, []);
    assert.deepEqual(
      sim.calls.filter((call) => call.resource.endsWith("putAlternateContact")),
      [],
    );
  });
});

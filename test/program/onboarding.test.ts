import { strict as assert } from "node:assert";
import { onboardingPatterns } from "../../model/onboarding";
import { PlannedResource } from "../../sim/pulumi-runner";
import { CENTRAL, MANAGEMENT } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

const byType = (resources: PlannedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);

describe("onboarding in the resource graph", () => {
  let resources: PlannedResource[];
  before(async () => {
    ({ resources } = await runProgram(prodConfigWith({ deployment: "stackset" })));
  });
  const onboarding = () =>
    resources.filter((resource) => resource.name.startsWith("onboarding") && resource.custom);

  it("lives in the management account; only the relay in the central account", () => {
    for (const resource of onboarding()) {
      assert.equal(
        resource.account,
        resource.name.startsWith("onboarding-relay") ? CENTRAL : MANAGEMENT,
        resource.name,
      );
    }
  });

  it("three rules on the management account's default bus in us-east-1, each starting the onboarding workflow", () => {
    const rules = byType(onboarding(), "aws:cloudwatch/eventRule:EventRule").filter((rule) =>
      String(rule.inputs.name).startsWith("abuse-alerts-onboard-"),
    );
    const patterns = onboardingPatterns(["333333333331"]);
    assert.deepEqual(
      rules.map((rule) => [
        rule.region,
        rule.inputs.eventBusName ?? "default",
        JSON.parse(String(rule.inputs.eventPattern)) as unknown,
      ]),
      Object.values(patterns).map((pattern) => ["us-east-1", "default", pattern]),
    );
  });

  it("a prober per hub region; probe requests for us-west-2 cross on EventBridge to its default bus", () => {
    const machines = byType(onboarding(), "aws:sfn/stateMachine:StateMachine").map(
      (machine) => `${machine.region} ${String(machine.inputs.name)}`,
    );
    assert.deepEqual(machines.sort(), [
      "us-east-1 abuse-alerts-contacts-reconcile",
      "us-east-1 abuse-alerts-onboarding",
      "us-east-1 abuse-alerts-prober-us-east-1",
      "us-west-2 abuse-alerts-prober-us-west-2",
    ]);
    const crossing = byType(onboarding(), "aws:cloudwatch/eventTarget:EventTarget").find(
      (target) => target.inputs.arn === `arn:aws:events:us-west-2:${MANAGEMENT}:event-bus/default`,
    );
    assert.ok(crossing, "the us-west-2 requests' target");
    assert.equal(crossing.region, "us-east-1");
    assert.ok(crossing.inputs.roleArn && crossing.inputs.deadLetterConfig);
  });

  it("the daily reconcile on EventBridge Scheduler, only when the stack sets a contact", async () => {
    const [schedule] = byType(onboarding(), "aws:scheduler/schedule:Schedule");
    assert.equal(schedule.inputs.scheduleExpression, "rate(1 day)");
    const { resources: without } = await runProgram(prodConfigWith({ securityContact: undefined }));
    assert.deepEqual(byType(without, "aws:scheduler/schedule:Schedule"), []);
  });

  it("the relay trusts exactly the onboarding and reconcile roles", () => {
    const relay = onboarding().find((resource) => resource.name === "onboarding-relay-role");
    assert.ok(relay);
    const trust = JSON.parse(String(relay.inputs.assumeRolePolicy)) as {
      Statement: { Principal: { AWS: string[] } }[];
    };
    assert.equal(trust.Statement.length, 1);
    assert.equal(trust.Statement[0].Principal.AWS.length, 2);
  });
});

import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CloudFormationTemplate,
  forwarderTemplate,
  exclusionConditions,
} from "../../model/forwarder-template";
import { rolloutMinutes } from "../../model/stackset-rollout";
import { ROLLOUT_TIMEOUT } from "../../components/stackset-forwarder";
import { resolveTemplate, TemplateError } from "../../sim/cloudformation";
import { planUpdate, StateResource } from "../../sim/pulumi-plan";
import { PlannedResource } from "../../sim/pulumi-runner";
import { StackSetSim } from "../../sim/stackset";
import { specProblems } from "../helpers/cfnspec";
import { decide } from "../helpers/iam";
import { PolicyDocument } from "../../model/policies";
import { CENTRAL, exampleOrg } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

const INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance";
const STACKSET = "aws:cloudformation/stackSet:StackSet";
const TEMPLATE_ARGS = { centralAccountId: CENTRAL, categories: ["abuse", "risk"] as const };
const instancesOf = (resources: PlannedResource[]) =>
  resources.filter((resource) => resource.type === INSTANCE);

/** The program in stackset mode with these accounts settings. */
const run = (accounts: Record<string, unknown>) =>
  runProgram(prodConfigWith({ deployment: "stackset", accounts }));

/** What decides an instance's fate: its URN, inputs and resource options. */
const declarationOf = (resource: PlannedResource) =>
  JSON.stringify({
    urn: resource.urn,
    inputs: resource.inputs,
    aliases: resource.aliases,
    ignoreChanges: resource.ignoreChanges,
    deleteBeforeReplace: resource.deleteBeforeReplace,
    customTimeouts: resource.customTimeouts,
  });

describe("StackSet rollouts: how long pulumi up waits", () => {
  it("waits as long as a template update can take: ten waves of 20 minutes, and one rollout queued ahead", () => {
    assert.equal(
      rolloutMinutes({ maxConcurrentPercentage: 10, regionConcurrencyType: "PARALLEL", regions: 2 }),
      400,
    );
    assert.equal(ROLLOUT_TIMEOUT, "6h40m");
    // Regions one after the other multiply the waves; 25% a wave makes four.
    assert.equal(
      rolloutMinutes({ maxConcurrentPercentage: 10, regionConcurrencyType: "SEQUENTIAL", regions: 2 }),
      800,
    );
    assert.equal(
      rolloutMinutes({ maxConcurrentPercentage: 25, regionConcurrencyType: "PARALLEL", regions: 2 }),
      160,
    );
  });

  it("sets that wait on the StackSet and every instance, for create, update and delete (the provider's default is 30 minutes)", async () => {
    const { resources } = await run({ exclude: ["333333333331"] });
    const rollouts = resources.filter((resource) => resource.type === STACKSET || resource.type === INSTANCE);
    assert.equal(rollouts.length, 3);
    for (const resource of rollouts) {
      assert.deepEqual(
        resource.customTimeouts,
        { create: "6h40m", update: "6h40m", delete: "6h40m" },
        resource.name,
      );
      const hours = Number(/^(\d+)h/.exec(resource.customTimeouts.update)?.[1]);
      assert.ok(hours >= 3, "at least 3 hours for updates, as the issue asks");
    }
  });
});

describe("StackSet instances: changing OUs or exclusions leaves the others alone", () => {
  const WORKLOADS = "ou-ex12-workload1";
  const SECURITY = "ou-ex12-security1";

  it("declares one instance per OU and region, none deleteBeforeReplace, with a DIFFERENCE-free target", async () => {
    const { resources } = await run({ organizationalUnits: [WORKLOADS, SECURITY] });
    const instances = instancesOf(resources);
    assert.deepEqual(instances.map((instance) => instance.name).sort(), [
      `stackset-${SECURITY}-us-east-1`,
      `stackset-${SECURITY}-us-west-2`,
      `stackset-${WORKLOADS}-us-east-1`,
      `stackset-${WORKLOADS}-us-west-2`,
    ]);
    for (const instance of instances) {
      assert.equal(instance.deleteBeforeReplace, false, instance.name);
      const targets = instance.inputs.deploymentTargets as { organizationalUnitIds: string[] };
      assert.equal(targets.organizationalUnitIds.length, 1);
      assert.ok(instance.name.includes(targets.organizationalUnitIds[0]));
    }
  });

  it("adding an OU adds its instances; removing it removes them; the other OU's declarations do not change", async () => {
    const one = instancesOf((await run({ organizationalUnits: [WORKLOADS] })).resources);
    const two = instancesOf((await run({ organizationalUnits: [WORKLOADS, SECURITY] })).resources);
    const kept = (list: PlannedResource[]) =>
      list.filter((instance) => instance.name.includes(WORKLOADS)).map(declarationOf);
    // The alias to the one-per-region name is there only while one OU is targeted: an alias of a
    // URN the state does not hold is a no-op, and the plan below shows it changes nothing.
    const withoutAliases = (list: string[]) =>
      list.map((line) => line.replace(/"aliases":\[[^\]]*\]/, '"aliases":[]'));
    assert.deepEqual(withoutAliases(kept(two)), withoutAliases(kept(one)));
    const state = two.map((instance): StateResource => ({
      urn: instance.urn,
      type: instance.type,
      inputs: instance.inputs,
    }));
    const steps = planUpdate(state, one);
    assert.deepEqual(
      steps
        .filter((step) => step.kind !== "same")
        .map((step) => `${step.kind} ${step.urn.split("::").pop()}`),
      [`delete stackset-${SECURITY}-us-east-1`, `delete stackset-${SECURITY}-us-west-2`],
    );
    const back = planUpdate(
      one.map((instance) => ({ urn: instance.urn, type: instance.type, inputs: instance.inputs })),
      two,
    );
    assert.deepEqual(
      back.filter((step) => step.kind !== "same").map((step) => `${step.kind} ${step.urn.split("::").pop()}`),
      [`create stackset-${SECURITY}-us-east-1`, `create stackset-${SECURITY}-us-west-2`],
    );
  });

  it("adding an exclusion changes the template only: every instance declaration stays as it was", async () => {
    const before = await run({ organizationalUnits: [WORKLOADS] });
    const after = await run({ organizationalUnits: [WORKLOADS], exclude: ["222222222222"] });
    assert.deepEqual(
      instancesOf(after.resources).map(declarationOf),
      instancesOf(before.resources).map(declarationOf),
    );
    const steps = planUpdate(
      before.resources.map((resource) => ({
        urn: resource.urn,
        type: resource.type,
        inputs: resource.inputs,
      })),
      after.resources.filter((resource) => resource.type === STACKSET || resource.type === INSTANCE),
    );
    assert.deepEqual(
      steps
        .filter((step) => step.type === STACKSET || step.type === INSTANCE)
        .map((step) => `${step.kind} ${step.type}`),
      [`update ${STACKSET}`, `same ${INSTANCE}`, `same ${INSTANCE}`],
    );
  });
});

describe("StackSet instances: the upgrade from one instance per region", () => {
  const legacy = JSON.parse(readFileSync(join(__dirname, "legacy-stackset.json"), "utf8")) as {
    resources: (StateResource & { name: string })[];
  };
  const state = legacy.resources.filter((resource) => resource.type.startsWith("aws:"));

  it("the recorded state is today's: one instance per region targeting the root, the excluded account filtered out", () => {
    const instances = state.filter((resource) => resource.type === INSTANCE);
    assert.deepEqual(
      instances.map((instance) => instance.name),
      ["stackset-us-east-1", "stackset-us-west-2"],
    );
    for (const instance of instances) {
      assert.deepEqual(instance.inputs.deploymentTargets, {
        organizationalUnitIds: ["r-ex12"],
        accountFilterType: "DIFFERENCE",
        accounts: ["333333333331"],
      });
    }
  });

  it("plans no delete and no replacement of a stack instance: the new declarations take the old ones over by alias", async () => {
    const { resources } = await runProgram(prodConfigWith({ deployment: "stackset" }));
    const steps = planUpdate(
      state,
      resources.filter((resource) => resource.type === STACKSET || resource.type === INSTANCE),
    );
    const instanceSteps = steps.filter((step) => step.type === INSTANCE);
    assert.deepEqual(
      instanceSteps.map(
        (step) => `${step.kind} ${step.oldUrn?.split("::").pop()} → ${step.urn.split("::").pop()}`,
      ),
      [
        "same stackset-us-east-1 → stackset-r-ex12-us-east-1",
        "same stackset-us-west-2 → stackset-r-ex12-us-west-2",
      ],
    );
    assert.deepEqual(
      steps.filter((step) => step.deletesInAws),
      [],
    );
    // The template gains the exclusion condition: one StackSet update, in place.
    assert.deepEqual(
      steps.filter((step) => step.type === STACKSET).map((step) => step.kind),
      ["update"],
    );
  });

  it("without the ignored filter the alias alone would replace the root's instance, and its delete would remove every stack", async () => {
    const { resources } = await runProgram(prodConfigWith({ deployment: "stackset" }));
    const naive = instancesOf(resources).map((resource) => ({ ...resource, ignoreChanges: [] }));
    const steps = planUpdate(
      state.filter((resource) => resource.type === INSTANCE),
      naive,
    );
    assert.deepEqual(
      steps.map((step) => step.kind),
      ["replace", "replace"],
    );
    assert.ok(steps.every((step) => step.deletesInAws));
  });

  it("several OUs before: no alias fits, and the documented step (pulumi state delete of the old instances) plans no delete", async () => {
    const units = ["ou-ex12-security1", "ou-ex12-workload1"];
    const before = state.map((resource) =>
      resource.type === INSTANCE
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              deploymentTargets: { organizationalUnitIds: units, accountFilterType: "NONE" },
            },
          }
        : resource,
    );
    const { resources } = await run({ organizationalUnits: units });
    const declared = resources.filter((resource) => resource.type === INSTANCE);
    const unprepared = planUpdate(before, declared).filter((step) => step.type === INSTANCE);
    assert.deepEqual(
      unprepared.filter((step) => step.deletesInAws).map((step) => step.urn.split("::").pop()),
      ["stackset-us-east-1", "stackset-us-west-2"],
      "left in the state, the old instances' delete would remove every stack of both OUs",
    );
    const forgotten = before.filter((resource) => resource.type !== INSTANCE);
    const steps = planUpdate(
      forgotten,
      resources.filter((resource) => resource.type === STACKSET || resource.type === INSTANCE),
    );
    assert.deepEqual(
      steps.map((step) => step.kind),
      ["update", "create", "create", "create", "create"],
    );
    assert.deepEqual(
      steps.filter((step) => step.deletesInAws),
      [],
    );
  });
});

describe("exclusions in the template, resolved per account as CloudFormation would", () => {
  const resolve = (template: CloudFormationTemplate, accountId: string) =>
    resolveTemplate(template, {
      accountId,
      region: "eu-west-1",
      stackName: "StackSet-abuse-alerts-forwarder-1",
    });

  it("an excluded account's stack holds only the placeholder; an included one's holds the forwarder as before", () => {
    const excluded = ["222222222222", "333333333331"];
    const template = forwarderTemplate({ ...TEMPLATE_ARGS, excludedAccounts: excluded });
    assert.deepEqual(specProblems(template), []);
    assert.deepEqual(Object.keys(resolve(template, "222222222222")), ["Placeholder"]);
    const included = resolve(template, "222222222221");
    const today = resolve(forwarderTemplate(TEMPLATE_ARGS), "222222222221");
    assert.deepEqual(included, today);
    assert.deepEqual(Object.keys(included).sort(), [
      "DeadLetterQueue",
      "DeadLetterQueuePolicy",
      "ForwardRule",
      "ForwarderRole",
      "Placeholder",
    ]);
  });

  it("chunks many exclusions into Fn::Or of at most ten conditions, nested, and each one still matches", () => {
    for (const count of [1, 2, 10, 11, 25, 101, 250]) {
      const excluded = Array.from({ length: count }, (_, index) => String(500000000000 + index));
      const template = forwarderTemplate({ ...TEMPLATE_ARGS, excludedAccounts: excluded });
      for (const [name, condition] of Object.entries(template.Conditions ?? {})) {
        const or = (condition as Record<string, unknown[]>)["Fn::Or"];
        if (or) assert.ok(or.length >= 2 && or.length <= 10, `${count}: ${name} has ${or.length}`);
      }
      for (const id of [excluded[0], excluded[count - 1], excluded[Math.floor(count / 2)]]) {
        assert.deepEqual(Object.keys(resolve(template, id)), ["Placeholder"], `${count}: ${id}`);
      }
      assert.ok("ForwardRule" in resolve(template, "222222222221"), `${count}: an included account`);
      assert.ok(JSON.stringify(template).length < 51_200, `${count} exclusions fit in a TemplateBody`);
    }
  });

  it("the offline CloudFormation refuses an Fn::Or of one or of eleven conditions, as CloudFormation does", () => {
    const equals = (id: string) => ({ "Fn::Equals": [{ Ref: "AWS::AccountId" }, id] });
    for (const list of [[equals("1")], Array.from({ length: 11 }, (_, index) => equals(String(index)))]) {
      assert.throws(
        () =>
          resolve(
            {
              ...forwarderTemplate({ ...TEMPLATE_ARGS, excludedAccounts: ["1", "2"] }),
              Conditions: { ...exclusionConditions(["1", "2"]), Excluded: { "Fn::Or": list } },
            },
            "222222222221",
          ),
        TemplateError,
      );
    }
  });

  it("auto-deployment: an excluded account moving between target OUs never gets a forwarder; an included one does", () => {
    const organization = exampleOrg();
    const excluded = "333333333331";
    const sim = new StackSetSim(
      organization,
      forwarderTemplate({ ...TEMPLATE_ARGS, excludedAccounts: [excluded] }),
    );
    sim.declare(
      ["us-east-1", "us-west-2"].map((region) => ({ organizationalUnitId: "ou-ex12-workload1", region })),
    );
    assert.ok(sim.stackKeys().has(`${excluded}/us-east-1`), "the excluded account has a stack");
    assert.ok(!sim.forwarders().has(`${excluded}/us-east-1`), "but no forwarder in it");
    // Dev → Prod-EU → Security (outside the targets: its stacks go) → Prod again.
    for (const destination of ["ou-ex12-prodeu01", "ou-ex12-security1", "ou-ex12-prod0001"]) {
      sim.moveAccount(excluded, destination);
      assert.deepEqual(
        [...sim.forwarders()].filter((key) => key.startsWith(excluded)),
        [],
        destination,
      );
    }
    sim.moveAccount("111111111112", "ou-ex12-dev00001");
    assert.ok(sim.forwarders().has("111111111112/us-west-2"), "an included account moving in is covered");
    // Lifting the exclusion is a template update: the account's stacks gain the forwarder.
    sim.updateTemplate(forwarderTemplate(TEMPLATE_ARGS));
    assert.ok(sim.forwarders().has(`${excluded}/us-east-1`));
  });
});

describe("the directory role reads the StackSet's operations for the summaries (IAM policy simulator)", () => {
  it("lists this StackSet's operations and their results, and nothing of another StackSet", async () => {
    const { resources } = await runProgram(prodConfigWith({ deployment: "stackset" }));
    const role = resources.find((resource) => resource.name === "directory-role");
    assert.ok(role);
    const policies = (role.inputs.inlinePolicies as { name: string; policy: string }[]).map(
      (inline) => JSON.parse(inline.policy) as PolicyDocument,
    );
    const read = (action: string, stackSet: string) =>
      decide({
        principal: "arn:aws:iam::100000000001:role/abuse-alerts-directory",
        action,
        resource: `arn:aws:cloudformation:us-east-1:100000000001:stackset/${stackSet}:3f3a3fbe`,
        resourceAccount: "100000000001",
        identityPolicies: policies,
      });
    for (const action of [
      "cloudformation:ListStackSetOperationResults",
      "cloudformation:ListStackSetOperations",
    ]) {
      assert.equal(await read(action, "abuse-alerts-forwarder"), "Allowed", action);
      assert.equal(await read(action, "someone-elses"), "ImplicitlyDenied", action);
    }
    assert.equal(await read("cloudformation:UpdateStackSet", "abuse-alerts-forwarder"), "ImplicitlyDenied");
  });
});

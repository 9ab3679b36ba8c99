import { strict as assert } from "node:assert";
import fc from "fast-check";
import { discoverAccounts } from "../../accounts/discover";
import {
  accountsBelow,
  FileOrganizationDirectory,
  OrganizationalUnitNode,
  OrganizationFile,
} from "../../accounts/org-file";
import { stackSetTargets } from "../../model/stackset-targets";
import { syntheticOrganization } from "../../sim/synthetic-org";
import { resolveTemplate } from "../../sim/cloudformation";
import {
  CloudFormationTemplate,
  forwarderTemplate,
  TEMPLATE_BODY_LIMIT,
} from "../../model/forwarder-template";
import { forwarderPattern, stackSetCoveragePattern } from "../../model/patterns";
import { PolicyDocument } from "../../model/policies";
import { validateConfig } from "../../config/schema";
import { matchesPattern } from "../../sim/eventbridge";
import { PlannedResource } from "../../sim/pulumi-runner";
import { CENTRAL, exampleOrg, MANAGEMENT, minimalConfig, PROD_COVERED } from "../helpers/example-org";
import { allUnitIds, organizationArbitrary } from "../helpers/random-org";
import { specProblems } from "../helpers/cfnspec";
import { sampleEvents } from "../../tools/examples";
import { decide } from "../helpers/iam";
import { prodConfigWith, runProgram } from "../helpers/offline";

const STACKSET = { deployment: "stackset" };
const TEMPLATE_ARGS = { centralAccountId: CENTRAL, categories: ["abuse", "risk"] as const };
const REGIONS = ["us-east-1", "us-west-2"];
const ofType = (resources: PlannedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const named = (resources: PlannedResource[], name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `${name} is declared`);
  return found;
};
const input = <T>(resource: PlannedResource, key: string) => resource.inputs[key] as T;
const parsed = <T>(resource: PlannedResource, key: string) => JSON.parse(input<string>(resource, key)) as T;
const providersOf = (resources: PlannedResource[]) =>
  ofType(resources, "pulumi:providers:aws")
    .map((provider) => provider.account)
    .sort();

describe("deployment: stackset, the resource graph", () => {
  let resources: PlannedResource[];
  let outputs: Record<string, unknown>;
  before(async () => {
    ({ resources, outputs } = await runProgram(prodConfigWith(STACKSET)));
  });

  it("covers the same accounts as direct mode, and declares the management account's forwarder itself", () => {
    assert.deepEqual(outputs.coveredAccountIds, PROD_COVERED);
    assert.deepEqual(outputs.directForwarderAccountIds, [MANAGEMENT]);
    assert.deepEqual(
      ofType(resources, "abuse-alerts:index:AccountForwarder").map((forwarder) => forwarder.name),
      [`forwarder-${MANAGEMENT}`],
    );
  });

  it("needs no provider per account: the caller's and the central account's", () => {
    assert.deepEqual(providersOf(resources), [MANAGEMENT, CENTRAL]);
    const names = resources.map((resource) => `${resource.type}::${resource.name}`);
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
    );
  });

  it("declares one service-managed StackSet with auto-deployment and managed execution, from the management account", () => {
    const [stackSet, ...others] = ofType(resources, "aws:cloudformation/stackSet:StackSet");
    assert.equal(others.length, 0);
    assert.equal(stackSet.account, MANAGEMENT);
    assert.equal(input(stackSet, "name"), "abuse-alerts-forwarder");
    assert.equal(input(stackSet, "permissionModel"), "SERVICE_MANAGED");
    assert.deepEqual(input(stackSet, "autoDeployment"), {
      enabled: true,
      retainStacksOnAccountRemoval: false,
    });
    assert.deepEqual(input(stackSet, "managedExecution"), { active: true });
    assert.equal(input(stackSet, "callAs"), "SELF");
    assert.deepEqual(input(stackSet, "capabilities"), ["CAPABILITY_NAMED_IAM"]);
    // Strict failure tolerance (the StackSet has no concurrency mode): concurrency stated as it runs.
    assert.deepEqual(input(stackSet, "operationPreferences"), {
      regionConcurrencyType: "PARALLEL",
      maxConcurrentPercentage: 10,
      failureTolerancePercentage: 10,
    });
    const template = parsed<ReturnType<typeof forwarderTemplate>>(stackSet, "templateBody");
    assert.deepEqual(
      template,
      forwarderTemplate({
        centralAccountId: CENTRAL,
        categories: ["abuse", "risk"],
        excludedAccounts: ["333333333331"],
      }),
    );
  });

  it("targets the root in every region, one instance each, the excluded account left to the template, with soft failure tolerance", () => {
    const instances = ofType(resources, "aws:cloudformation/stackSetInstance:StackSetInstance");
    assert.deepEqual(instances.map((instance) => input(instance, "stackSetInstanceRegion")).sort(), REGIONS);
    assert.deepEqual(
      instances.map((instance) => instance.name),
      REGIONS.map((region) => `stackset-r-ex12-${region}`),
    );
    const stackSet = named(resources, "stackset-stackset");
    assert.deepEqual(parsed<CloudFormationTemplate>(stackSet, "templateBody").Conditions?.Excluded, {
      "Fn::Equals": [{ Ref: "AWS::AccountId" }, "333333333331"],
    });
    for (const instance of instances) {
      assert.equal(instance.account, MANAGEMENT);
      assert.equal(input(instance, "stackSetName"), "abuse-alerts-forwarder");
      assert.deepEqual(input(instance, "deploymentTargets"), {
        organizationalUnitIds: ["r-ex12"],
        accountFilterType: "NONE",
      });
      assert.deepEqual(input(instance, "operationPreferences"), {
        regionConcurrencyType: "PARALLEL",
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
        concurrencyMode: "SOFT_FAILURE_TOLERANCE",
      });
    }
  });

  it("forwards the StackSet's failed instances from its account to the central bus, posted by a coverage rule there", () => {
    const rule = named(resources, "stackset-failures-rule");
    assert.equal(rule.account, MANAGEMENT);
    assert.equal(rule.region, "us-east-1");
    assert.deepEqual(parsed(rule, "eventPattern"), stackSetCoveragePattern());
    const target = named(resources, "stackset-failures-target");
    assert.equal(input(target, "arn"), `arn:aws:events:us-east-1:${CENTRAL}:event-bus/abuse-alerts`);
    assert.equal(input(target, "roleArn"), `arn:aws:iam::${MANAGEMENT}:role/abuse-alerts-stackset-failures`);
    assert.equal(input(target, "retryPolicy"), undefined);
    assert.deepEqual(input(target, "deadLetterConfig"), {
      arn: `arn:aws:sqs:us-east-1:${MANAGEMENT}:abuse-alerts-stackset-failures-dlq`,
    });
    const coverage = resources.filter((resource) => resource.name.endsWith("-coverage-rule"));
    assert.deepEqual(
      coverage.map((resource) => `${resource.account} ${resource.region}`),
      [`${CENTRAL} us-east-1`],
      "one coverage rule, on the central bus of the StackSet's region",
    );
    assert.deepEqual(parsed(coverage[0], "eventPattern"), stackSetCoveragePattern());
  });
});

describe("deployment: stackset, who is reached and how", () => {
  it("targets the selected OUs and covers the central account outside them with a direct forwarder", async () => {
    const { resources, outputs } = await runProgram(
      prodConfigWith({ ...STACKSET, accounts: { organizationalUnits: ["ou-ex12-workload1"] } }),
    );
    const [instance] = ofType(resources, "aws:cloudformation/stackSetInstance:StackSetInstance");
    assert.deepEqual(input(instance, "deploymentTargets"), {
      organizationalUnitIds: ["ou-ex12-workload1"],
      accountFilterType: "NONE",
    });
    assert.equal(instance.name, "stackset-ou-ex12-workload1-us-east-1");
    assert.deepEqual(outputs.directForwarderAccountIds, [CENTRAL]);
    assert.deepEqual(providersOf(resources), [MANAGEMENT, CENTRAL]);
  });

  it("from a StackSets delegated administrator: callAs DELEGATED_ADMIN, and three providers at most", async () => {
    const delegated = "111111111112";
    const organization = {
      ...exampleOrg(),
      caller: { accountId: delegated, arn: `arn:aws:sts::${delegated}:assumed-role/Admin/me` },
    };
    const { resources } = await runProgram(prodConfigWith(STACKSET), { organization });
    for (const type of [
      "aws:cloudformation/stackSet:StackSet",
      "aws:cloudformation/stackSetInstance:StackSetInstance",
    ]) {
      for (const resource of ofType(resources, type)) {
        assert.equal(input(resource, "callAs"), "DELEGATED_ADMIN");
        assert.equal(resource.account, delegated);
      }
    }
    assert.deepEqual(providersOf(resources), [MANAGEMENT, CENTRAL, delegated].sort());
    assert.equal(named(resources, `forwarder-${MANAGEMENT}-role`).account, MANAGEMENT);
    assert.equal(named(resources, "stackset-failures-rule").account, delegated);
    // Its coverage notices give the retry command as the delegated administrator runs it.
    const notify = ofType(resources, "aws:sfn/stateMachine:StateMachine").filter(
      (machine) => input(machine, "name") === "abuse-alerts-notify",
    );
    assert.ok(notify.length > 0);
    for (const machine of notify) {
      assert.match(input<string>(machine, "definition"), /--call-as DELEGATED_ADMIN/);
    }
  });

  it("declares the same resources and providers for 40 accounts as for 3,000 with securityContact: none per account", async () => {
    const shape = async (size: number) => {
      const { resources, outputs } = await runProgram(
        prodConfigWith({ ...STACKSET, organizationId: undefined, accounts: { exclude: ["200000000005"] } }),
        { organization: syntheticOrganization(size) },
      );
      const covered = outputs.coveredAccountIds as string[];
      assert.ok(covered.length > size * 0.95);
      assert.deepEqual(ofType(resources, "aws:account/alternativeContact:AlternativeContact"), []);
      // The onboarding workflows set and reconcile the contacts instead.
      assert.ok(resources.some((resource) => resource.type === "aws:scheduler/schedule:Schedule"));
      return resources.map((resource) => `${resource.type} ${resource.name} ${resource.account}`).sort();
    };
    const small = await shape(40);
    assert.deepEqual(await shape(3000), small);
    assert.equal(small.filter((line) => line.startsWith("pulumi:providers:aws")).length, 2);
  });
});

describe("the forwarder template, resolved per account and region as CloudFormation would", () => {
  const template = forwarderTemplate({ centralAccountId: CENTRAL, categories: ["abuse", "risk"] });
  const member = "222222222221";
  const stackIn = (region: string) =>
    resolveTemplate(template, {
      accountId: member,
      region,
      stackName: "StackSet-abuse-alerts-forwarder-1234",
    });

  it("is valid by AWS's resource specification, and far below the 51,200-byte TemplateBody limit", () => {
    assert.deepEqual(specProblems(template), []);
    assert.ok(JSON.stringify(template).length < TEMPLATE_BODY_LIMIT / 4);
  });

  it("watches the default bus with the direct forwarder's pattern: abuse and risk events pass, the rest do not", () => {
    const { ForwardRule } = stackIn("us-east-1");
    const pattern = ForwardRule.properties.EventPattern as Record<string, unknown>;
    assert.deepEqual(pattern, forwarderPattern(["abuse", "risk"]));
    assert.equal(ForwardRule.properties.EventBusName, "default");
    for (const { name, event } of sampleEvents()) {
      assert.equal(matchesPattern(pattern, event as never), !name.startsWith("negative/"), name);
    }
  });

  it("targets the central bus of each stack's own region through that region's role, with a dead-letter queue and no retry policy", () => {
    for (const region of REGIONS) {
      const { ForwardRule, ForwarderRole, DeadLetterQueue } = stackIn(region);
      assert.equal(ForwarderRole.ref, `abuse-alerts-stackset-${region}`);
      assert.deepEqual(ForwardRule.properties.Targets, [
        {
          Id: "central-bus",
          Arn: `arn:aws:events:${region}:${CENTRAL}:event-bus/abuse-alerts`,
          RoleArn: `arn:aws:iam::${member}:role/abuse-alerts-stackset-${region}`,
          DeadLetterConfig: { Arn: `arn:aws:sqs:${region}:${member}:abuse-alerts-stackset-dlq` },
        },
      ]);
      assert.equal(DeadLetterQueue.properties.SqsManagedSseEnabled, true);
    }
    const names = REGIONS.map((region) => stackIn(region).ForwarderRole.ref);
    assert.equal(
      new Set(names).size,
      names.length,
      "two regions' stacks in one account never share a role name",
    );
  });

  it("gives its role PutEvents on its region's central bus only, and its queue to its rule only (IAM policy simulator)", async () => {
    const { ForwarderRole, DeadLetterQueuePolicy, ForwardRule, DeadLetterQueue } = stackIn("us-west-2");
    const [inline] = ForwarderRole.properties.Policies as { PolicyDocument: PolicyDocument }[];
    const role = ForwarderRole.attributes.Arn;
    const put = (bus: string) =>
      decide({
        principal: role,
        action: "events:PutEvents",
        resource: bus,
        resourceAccount: CENTRAL,
        identityPolicies: [inline.PolicyDocument],
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: bus }],
        },
      });
    assert.equal(await put(`arn:aws:events:us-west-2:${CENTRAL}:event-bus/abuse-alerts`), "Allowed");
    assert.equal(await put(`arn:aws:events:us-east-1:${CENTRAL}:event-bus/abuse-alerts`), "ImplicitlyDenied");
    assert.equal(await put(`arn:aws:events:us-west-2:${CENTRAL}:event-bus/default`), "ImplicitlyDenied");
    const trust = ForwarderRole.properties.AssumeRolePolicyDocument as PolicyDocument;
    assert.deepEqual(trust.Statement[0].Principal, { Service: "events.amazonaws.com" });

    const queuePolicy = DeadLetterQueuePolicy.properties.PolicyDocument as PolicyDocument;
    assert.deepEqual(DeadLetterQueuePolicy.properties.Queues, [DeadLetterQueue.ref]);
    const send = (sourceArn: string) =>
      decide({
        principal: "events.amazonaws.com",
        action: "sqs:SendMessage",
        resource: DeadLetterQueue.attributes.Arn,
        resourceAccount: member,
        context: { "aws:SourceArn": sourceArn },
        resourcePolicy: queuePolicy,
      });
    assert.equal(await send(ForwardRule.attributes.Arn), "Allowed");
    assert.equal(await send(`arn:aws:events:us-west-2:${member}:rule/someone-else`), "ImplicitlyDenied");
  });
});

describe("StackSet targets over any organization (fast-check)", () => {
  /** What a service-managed StackSet deploys to: ACTIVE accounts under the target OUs, nested ones too, minus the filter, never the management account. */
  function deployedTo(file: OrganizationFile, targets: ReturnType<typeof stackSetTargets>): Set<string> {
    const units = (unit: OrganizationalUnitNode): OrganizationalUnitNode[] => [
      unit,
      ...(unit.organizationalUnits ?? []).flatMap(units),
    ];
    const targeted = units(file.root).filter((unit) => targets.organizationalUnitIds.includes(unit.id));
    return new Set(
      targeted
        .flatMap((unit) => accountsBelow(unit))
        .filter((account) => account.state === "ACTIVE" && account.id !== MANAGEMENT)
        // The template's condition, resolved per account: no forwarder in the excluded ones.
        .filter((account) => {
          const stack = resolveTemplate(forwarderTemplate({ ...TEMPLATE_ARGS, ...targets }), {
            accountId: account.id,
            region: "us-east-1",
            stackName: "StackSet-abuse-alerts-forwarder-1",
          });
          return "ForwardRule" in stack;
        })
        .map((account) => account.id),
    );
  }

  it("reach exactly the accounts in scope: the StackSet's, plus the direct forwarders, without overlap", async () => {
    await fc.assert(
      fc.asyncProperty(
        organizationArbitrary,
        fc.nat(12),
        fc.boolean(),
        fc.array(fc.nat(39), { maxLength: 4 }),
        async (file, unitIndex, selectUnit, excludeIndexes) => {
          const unitIds = accountsBelow(file.root).length > 0 ? allUnitIds(file.root) : [];
          const organizationalUnits = selectUnit ? [unitIds[unitIndex % unitIds.length]] : [];
          const exclude = [...new Set(excludeIndexes.map((index) => String(300000000000 + index)))];
          const config = validateConfig({
            ...minimalConfig,
            deployment: "stackset",
            accounts: { ...(selectUnit ? { organizationalUnits } : {}), exclude },
          });
          let discovery;
          try {
            discovery = await discoverAccounts(config, {
              caller: { accountId: MANAGEMENT, arn: "arn:aws:sts::100000000001:assumed-role/Admin/me" },
              origin: "test",
              directory: new FileOrganizationDirectory(file),
            });
          } catch {
            return; // nothing to cover under that OU: the program refuses, which bad-input tests check
          }
          const targets = stackSetTargets(organizationalUnits, discovery, file.root.id);
          const stackSet = deployedTo(file, targets);
          const direct = new Set(targets.direct);
          assert.deepEqual(
            [...stackSet].filter((id) => direct.has(id)),
            [],
            "no account gets two forwarders",
          );
          assert.deepEqual(
            [...stackSet, ...direct].sort(),
            discovery.covered.map((account) => account.id),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

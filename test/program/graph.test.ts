import { strict as assert } from "node:assert";
import { AccountForwarder } from "../../components/account-forwarder";
import { PolicyDocument } from "../../model/policies";
import { centralRules } from "../../model/rules";
import { notifyDefinition } from "../../notify/definition";
import { caseDefinition } from "../../notify/case-definition";
import { acknowledgeAction } from "../../model/chatbot";
import { PlannedResource } from "../../sim/pulumi-runner";
import { CENTRAL, MANAGEMENT, PROD_COVERED } from "../helpers/example-org";
import { exampleNotifyArgs, prodConfigWith, runProgram } from "../helpers/offline";

const SKIPPED = ["333333333331", "333333333332", "444444444441", "444444444442"];
const REGIONS = ["us-east-1", "us-west-2"];
const RULE_KEYS = ["abuse", "abuse-test", "risk", "risk-test"];

const ofType = (resources: PlannedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const inputs = <T>(resource: PlannedResource, key: string) => resource.inputs[key] as T;
const named = (resources: PlannedResource[], name: string) => {
  const found = resources.find((resource) => resource.name === name);
  assert.ok(found, `${name} is declared`);
  return found;
};
const policyOf = (resource: PlannedResource) =>
  JSON.parse(inputs<string>(resource, "policy")) as PolicyDocument;

describe("resource graph (Pulumi mocks, example organization, two regions)", () => {
  let resources: PlannedResource[];
  let central: PlannedResource[];
  before(async () => {
    ({ resources } = await runProgram(prodConfigWith()));
    central = resources.filter(
      (resource) =>
        resource.custom &&
        !resource.name.startsWith("forwarder-") &&
        // Onboarding lives in the management account (test/program/onboarding.test.ts), its relay centrally.
        !(resource.name.startsWith("onboarding") && !resource.name.startsWith("onboarding-relay")) &&
        !resource.name.startsWith("directory") &&
        !resource.type.startsWith("pulumi:providers"),
    );
  });

  it("declares every resource name once (the real engine rejects duplicates; the mocks would not)", () => {
    const names = resources.map((resource) => `${resource.type}::${resource.name}`);
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
    );
  });

  it("gives each covered account one provider, pinned to it, assuming the member role except where the program runs", () => {
    const providers = ofType(resources, "pulumi:providers:aws");
    assert.deepEqual(providers.map((provider) => provider.account).sort(), PROD_COVERED);
    for (const provider of providers) {
      assert.equal(inputs(provider, "allowedAccountIds"), JSON.stringify([provider.account]));
      const assumeRoles = inputs<string | undefined>(provider, "assumeRoles");
      if (provider.account === MANAGEMENT)
        assert.equal(assumeRoles, undefined, "the caller's own account uses its credentials");
      else
        assert.match(
          assumeRoles ?? "",
          new RegExp(`"roleArn":"arn:aws:iam::${provider.account}:role/OrganizationAccountAccessRole"`),
        );
    }
  });

  it("declares nothing at all for skipped accounts", () => {
    for (const id of SKIPPED) {
      const mentions = resources.filter(
        (resource) =>
          resource.account === id ||
          // Onboarding names excluded accounts only to refuse them (rules, role denials, the workflow's check).
          (JSON.stringify(resource).includes(id) && !resource.name.startsWith("onboarding")),
      );
      assert.deepEqual(
        mentions.map((resource) => resource.name),
        [],
        `account ${id}`,
      );
    }
  });

  it("gives every covered account exactly its forwarder, through its own provider, in every region", () => {
    const providers = new Map(
      ofType(resources, "pulumi:providers:aws").map((provider) => [provider.urn, provider.account]),
    );
    for (const account of PROD_COVERED) {
      const forwarder = named(resources, `forwarder-${account}`);
      assert.equal(forwarder.type, "abuse-alerts:index:AccountForwarder");
      assert.equal(resources.filter((resource) => resource.name === forwarder.name).length, 1);
      const children = resources.filter((resource) => resource.parent === forwarder.urn);
      assert.ok(
        children.every((child) => child.account === account && providers.get(child.provider) === account),
      );
      assert.equal(ofType(children, "aws:iam/role:Role").length, 1, "one role per account");
      assert.equal(
        children.length,
        1 + 3 * REGIONS.length,
        `${account}: a role; a rule, target and DLQ per region`,
      );

      for (const region of REGIONS) {
        const rule = named(children, `forwarder-${account}-${region}-rule`);
        const target = named(children, `forwarder-${account}-${region}-target`);
        const queue = named(children, `forwarder-${account}-${region}-dlq`);
        for (const resource of [rule, target, queue]) assert.equal(resource.region, region);
        assert.equal(inputs(rule, "eventBusName"), undefined, "the rule watches the default bus");
        assert.equal(inputs(target, "rule"), "abuse-alerts-forward");
        assert.equal(inputs(target, "arn"), `arn:aws:events:${region}:${CENTRAL}:event-bus/abuse-alerts`);
        assert.equal(
          inputs(target, "roleArn"),
          `arn:aws:iam::${account}:role/abuse-alerts-forwarder`,
          "the account's own role",
        );
        assert.equal(
          inputs(target, "retryPolicy"),
          undefined,
          "no retry policy on a bus target (AWS CDK: unsupported); EventBridge's 24 h / 185 attempts apply",
        );
        const queueArn = `arn:aws:sqs:${region}:${account}:abuse-alerts-forwarder-dlq`;
        assert.deepEqual(inputs(target, "deadLetterConfig"), { arn: queueArn });
        assert.equal(inputs(queue, "messageRetentionSeconds"), 1209600, "14 days");
        assert.equal(inputs(queue, "sqsManagedSseEnabled"), true);
        assert.equal(inputs(queue, "fifoQueue"), undefined, "EventBridge takes standard queues only");
        const [statement, ...others] = policyOf(queue).Statement;
        assert.equal(others.length, 0);
        assert.deepEqual(statement.Principal, { Service: "events.amazonaws.com" });
        assert.equal(statement.Resource, queueArn);
        assert.deepEqual(statement.Condition, {
          ArnEquals: { "aws:SourceArn": `arn:aws:events:${region}:${account}:rule/abuse-alerts-forward` },
        });
      }
    }
  });

  it("puts the central pieces once, in the central account, per region", () => {
    assert.equal(ofType(resources, "abuse-alerts:index:CentralHub").length, 1);
    assert.ok(central.length > 0);
    assert.ok(
      central.every((resource) => resource.account === CENTRAL),
      "every hub resource is in the central account",
    );
    for (const type of [
      "aws:cloudwatch/eventBus:EventBus",
      "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
      "aws:cloudwatch/eventArchive:EventArchive",
    ]) {
      assert.deepEqual(
        ofType(central, type)
          .map((resource) => resource.region)
          .sort(),
        REGIONS,
        type,
      );
    }
    assert.ok(
      ofType(central, "aws:cloudwatch/eventBus:EventBus").every(
        (bus) => inputs(bus, "name") === "abuse-alerts",
      ),
    );
    for (const topic of ofType(central, "aws:sns/topic:Topic")) {
      // The operations topic its own key: a broken alert key must not silence the alarms about it.
      const key = inputs(topic, "name") === "abuse-alerts-ops" ? "ops-key" : "key";
      assert.equal(
        inputs(topic, "kmsMasterKeyId"),
        `arn:aws:kms:${topic.region}:${CENTRAL}:key/central-${topic.region}-${key}`,
      );
    }
    assert.equal(ofType(central, "aws:kms/key:Key").length, 2 * REGIONS.length);
    assert.deepEqual(
      ofType(central, "aws:sns/topic:Topic")
        .map((topic) => `${topic.region} ${inputs<string>(topic, "name")}`)
        .sort(),
      [
        "us-east-1 abuse-alerts",
        "us-east-1 abuse-alerts-escalation",
        "us-east-1 abuse-alerts-ops",
        "us-west-2 abuse-alerts",
        "us-west-2 abuse-alerts-escalation",
        "us-west-2 abuse-alerts-ops",
      ],
    );
  });

  it("gives each region a rule per category for real and test events, starting the workflow, with retries and its own DLQ", () => {
    const definitions = centralRules(["abuse", "risk"]);
    const rules = ofType(central, "aws:cloudwatch/eventRule:EventRule");
    assert.deepEqual(
      rules.map((rule) => `${rule.region} ${inputs<string>(rule, "name")}`).sort(),
      REGIONS.flatMap((region) => RULE_KEYS.map((key) => `${region} abuse-alerts-${key}`)),
    );
    for (const rule of rules) {
      const definition = definitions.find((candidate) => candidate.name === inputs(rule, "name"));
      assert.ok(definition);
      assert.equal(inputs(rule, "eventBusName"), "abuse-alerts");
      assert.equal(inputs(rule, "eventPattern"), JSON.stringify(definition.pattern));
      const prefix = `central-${rule.region}-${definition.key}`;
      const target = named(central, `${prefix}-target`);
      assert.equal(
        inputs(target, "arn"),
        `arn:aws:states:${rule.region}:${CENTRAL}:stateMachine:abuse-alerts-notify`,
        "every rule starts the region's notify workflow",
      );
      assert.equal(
        inputs(target, "roleArn"),
        `arn:aws:iam::${CENTRAL}:role/abuse-alerts-events-${rule.region}`,
      );
      assert.equal(inputs(target, "inputTransformer"), undefined, "the raw event: the workflow formats it");
      assert.deepEqual(inputs(target, "retryPolicy"), {
        maximumEventAgeInSeconds: 86400,
        maximumRetryAttempts: 185,
      });
      const queue = named(central, `${prefix}-dlq`);
      const queueArn = `arn:aws:sqs:${rule.region}:${CENTRAL}:abuse-alerts-${definition.key}-dlq`;
      assert.deepEqual(inputs(target, "deadLetterConfig"), { arn: queueArn });
      assert.equal(inputs(queue, "sqsManagedSseEnabled"), true);
      assert.equal(inputs(queue, "messageRetentionSeconds"), 1209600);
      assert.deepEqual(policyOf(queue).Statement[0].Condition, {
        ArnEquals: {
          "aws:SourceArn": `arn:aws:events:${rule.region}:${CENTRAL}:rule/abuse-alerts/${definition.name}`,
        },
      });
    }
  });

  it("alarms on failed invocations, lost dead letters, DLQ depth, long retries, failed and timed-out workflows and failed SNS deliveries, to the operations topic", () => {
    const alarms = ofType(central, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal(alarms.length, REGIONS.length * (RULE_KEYS.length * 4 + 5));
    for (const region of REGIONS) {
      for (const key of RULE_KEYS) {
        const opsTopic = [`arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`];
        const check = (
          suffix: string,
          namespace: string,
          metric: string,
          dimensions: Record<string, string>,
          periods = 1,
        ) => {
          const alarm = named(alarms, `central-${region}-${key}-${suffix}-alarm`);
          assert.equal(alarm.region, region);
          assert.equal(inputs(alarm, "evaluationPeriods"), periods);
          assert.equal(inputs(alarm, "namespace"), namespace);
          assert.equal(inputs(alarm, "metricName"), metric);
          assert.deepEqual(inputs(alarm, "dimensions"), dimensions);
          assert.equal(inputs(alarm, "threshold"), 1);
          assert.equal(inputs(alarm, "comparisonOperator"), "GreaterThanOrEqualToThreshold");
          assert.equal(inputs(alarm, "treatMissingData"), "notBreaching");
          assert.deepEqual(inputs(alarm, "alarmActions"), opsTopic);
        };
        const ruleDimensions = { EventBusName: "abuse-alerts", RuleName: `abuse-alerts-${key}` };
        check("failed-invocations", "AWS/Events", "FailedInvocations", ruleDimensions);
        check("dlq-send-failures", "AWS/Events", "InvocationsFailedToBeSentToDlq", ruleDimensions);
        check("dlq-depth", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {
          QueueName: `abuse-alerts-${key}-dlq`,
        });
        check("retrying", "AWS/Events", "RetryInvocationAttempts", ruleDimensions, 3);
      }
      for (const [workflow, suffix, metric] of [
        ["notify", "failed", "ExecutionsFailed"],
        ["notify", "timed-out", "ExecutionsTimedOut"],
        ["case", "failed", "ExecutionsFailed"],
        ["case", "timed-out", "ExecutionsTimedOut"],
      ]) {
        const alarm = named(alarms, `central-${region}-${workflow}-${suffix}-alarm`);
        assert.equal(inputs(alarm, "namespace"), "AWS/States");
        assert.equal(inputs(alarm, "metricName"), metric);
        assert.deepEqual(inputs(alarm, "dimensions"), {
          StateMachineArn: `arn:aws:states:${region}:${CENTRAL}:stateMachine:abuse-alerts-${workflow}`,
        });
        assert.deepEqual(inputs(alarm, "alarmActions"), [
          `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`,
        ]);
      }
      const failed = named(alarms, `central-${region}-notifications-failed-alarm`);
      assert.equal(inputs(failed, "namespace"), "AWS/SNS");
      assert.equal(inputs(failed, "metricName"), "NumberOfNotificationsFailed");
      assert.deepEqual(inputs(failed, "dimensions"), { TopicName: "abuse-alerts" });
      assert.deepEqual(inputs(failed, "alarmActions"), [`arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`]);
    }
    for (const policy of ofType(central, "aws:sns/topicPolicy:TopicPolicy").filter((p) =>
      p.name.includes("-ops-"),
    )) {
      assert.deepEqual(policyOf(policy).Statement[0].Principal, { Service: "cloudwatch.amazonaws.com" });
    }
  });

  it("archives each central bus for replay, 365 days by default", () => {
    for (const archive of ofType(central, "aws:cloudwatch/eventArchive:EventArchive")) {
      assert.equal(
        inputs(archive, "eventSourceArn"),
        `arn:aws:events:${archive.region}:${CENTRAL}:event-bus/abuse-alerts`,
      );
      assert.equal(inputs(archive, "retentionDays"), 365);
    }
  });

  it("keeps the workflows' state in one global table: on demand, a replica per hub region, PITR, TTL", () => {
    const tables = central.filter((resource) => resource.type === "aws:dynamodb/table:Table");
    assert.equal(tables.length, 1);
    const [table] = tables;
    assert.equal(table.region, "us-east-1");
    assert.equal(inputs(table, "name"), "abuse-alerts-state");
    assert.equal(inputs(table, "billingMode"), "PAY_PER_REQUEST");
    assert.deepEqual(inputs(table, "ttl"), { attributeName: "expiresAt", enabled: true });
    assert.deepEqual(inputs(table, "pointInTimeRecovery"), { enabled: true });
    assert.equal(inputs(table, "streamEnabled"), true);
    assert.equal(inputs(table, "deletionProtectionEnabled"), true);
    assert.deepEqual(inputs(table, "replicas"), [
      { regionName: "us-west-2", pointInTimeRecovery: true, deletionProtectionEnabled: true },
    ]);
  });

  it("protects the bus, the alert topic, the keys and the state table, and gives the keys a 30-day deletion window", () => {
    const protectedNames = central
      .filter((resource) => resource.protect)
      .map((resource) => resource.name)
      .sort();
    assert.deepEqual(
      protectedNames,
      [
        "central-state-table",
        ...REGIONS.flatMap((region) => [
          `central-${region}-bus`,
          `central-${region}-key`,
          `central-${region}-ops-key`,
          `central-${region}-topic`,
        ]),
      ].sort(),
    );
    for (const key of ofType(central, "aws:kms/key:Key")) {
      assert.equal(inputs(key, "deletionWindowInDays"), 30);
      assert.equal(inputs(key, "enableKeyRotation"), true);
      // The alarms' key names CloudWatch; the alert key is used by the workflow's role through IAM.
      const services = key.name.endsWith("-ops-key") ? ["cloudwatch.amazonaws.com"] : [];
      const statements = (JSON.parse(inputs<string>(key, "policy")) as PolicyDocument).Statement;
      assert.deepEqual(
        statements.flatMap(
          (statement) => (statement.Principal as { Service?: string[] } | undefined)?.Service ?? [],
        ),
        services,
        key.name,
      );
    }
  });

  it("configures one Chatbot channel through Cloud Control: the Slack IDs, every alert and operations topic, guardrails, the Acknowledge button, ERROR logging", () => {
    assert.deepEqual(
      ofType(resources, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration"),
      [],
      "pulumi-aws's channel configuration cannot attach a custom action",
    );
    const cloudControl = ofType(resources, "aws:cloudcontrol/resource:Resource");
    const desired = (resource: PlannedResource) =>
      JSON.parse(inputs<string>(resource, "desiredState")) as Record<string, unknown>;
    const channel = named(cloudControl, "central-slack-channel");
    const action = named(cloudControl, "central-slack-acknowledge-action");
    for (const resource of [channel, action]) {
      assert.equal(resource.account, CENTRAL);
      assert.equal(resource.region, "us-west-2", "Chatbot's API has no us-east-1 endpoint");
    }
    assert.equal(inputs(action, "typeName"), "AWS::Chatbot::CustomAction");
    assert.deepEqual(desired(action), acknowledgeAction());
    assert.equal(inputs(channel, "typeName"), "AWS::Chatbot::SlackChannelConfiguration");
    assert.deepEqual(desired(channel), {
      ConfigurationName: "abuse-alerts",
      SlackWorkspaceId: "T0123456789",
      SlackChannelId: "C0123456789",
      IamRoleArn: `arn:aws:iam::${CENTRAL}:role/abuse-alerts-chatbot`,
      SnsTopicArns: REGIONS.flatMap((region) => [
        `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts`,
        `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`,
      ]),
      GuardrailPolicies: [
        `arn:aws:iam::${CENTRAL}:policy/abuse-alerts-chatbot-notifications-only`,
        `arn:aws:iam::${CENTRAL}:policy/abuse-alerts-chatbot-acknowledge`,
      ],
      CustomizationResourceArns: [`arn:aws:chatbot::${CENTRAL}:custom-action/abuse-alerts-acknowledge`],
      LoggingLevel: "ERROR",
      UserRoleRequired: false,
    });
    assert.ok(
      channel.dependencies.some((urn) => urn.endsWith("::central-slack-acknowledge-action")),
      "the channel is created after the action it attaches",
    );
    assert.match(
      inputs<string>(named(resources, "central-slack-role"), "assumeRolePolicy"),
      /"Service":"chatbot.amazonaws.com"/,
    );
    assert.deepEqual(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((attachment) => attachment.name.startsWith("central-slack"))
        .map((attachment) => inputs(attachment, "policyArn"))
        .sort(),
      (desired(channel).GuardrailPolicies as string[]).slice().sort(),
      "the role has exactly its guardrails' permissions",
    );
    assert.deepEqual(policyOf(named(resources, "central-slack-acknowledge")).Statement[0].Resource, [
      `arn:aws:states:us-east-1:${CENTRAL}:stateMachine:abuse-alerts-case`,
      `arn:aws:states:us-west-2:${CENTRAL}:stateMachine:abuse-alerts-case`,
    ]);
  });

  it("subscribes the notify emails to every region's alert and operations topics, and the escalation emails to its escalation topic", () => {
    const subscriptions = ofType(resources, "aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(
      subscriptions
        .map(
          (s) =>
            `${s.region} ${inputs<string>(s, "topic").split(":").pop()} ${inputs<string>(s, "endpoint")}`,
        )
        .sort(),
      REGIONS.flatMap((region) => [
        `${region} abuse-alerts secops@example.com`,
        `${region} abuse-alerts-escalation oncall@example.com`,
        `${region} abuse-alerts-ops secops@example.com`,
      ]),
    );
  });

  it("doubles the regional pieces with a second region", async () => {
    const single = (await runProgram(prodConfigWith({ regions: ["us-east-1"] }))).resources;
    const regional = (list: PlannedResource[]) =>
      list.filter(
        (r) =>
          r.custom &&
          r.region !== "global" &&
          // Onboarding is in us-east-1 but for its probers (test/program/onboarding.test.ts).
          !r.name.startsWith("onboarding") &&
          !r.type.startsWith("pulumi:") &&
          // Chatbot is account-wide: one channel and one button, in its API's region.
          r.type !== "aws:cloudcontrol/resource:Resource" &&
          // One global table, its replicas declared on it.
          r.type !== "aws:dynamodb/table:Table",
      );
    const global = (list: PlannedResource[]) =>
      list.filter(
        (r) => (r.region === "global" && !r.name.startsWith("onboarding")) || r.type.startsWith("pulumi:"),
      );
    assert.ok(regional(single).length > 0);
    assert.equal(regional(resources).length, 2 * regional(single).length);
    const perRegionRoles = (list: PlannedResource[]) =>
      list.filter(
        (r) =>
          /-(notify|case|events)-role$/.test(r.name) &&
          r.type === "aws:iam/role:Role" &&
          !r.name.startsWith("onboarding"),
      );
    assert.equal(
      perRegionRoles(resources).length,
      2 * perRegionRoles(single).length,
      "two workflow roles and a rules' role per region",
    );
    assert.equal(
      global(resources).length - perRegionRoles(resources).length,
      global(single).length - perRegionRoles(single).length,
      "the other IAM resources and the providers do not repeat per region",
    );
  });

  it("refuses to build a forwarder without the account's provider", () => {
    assert.throws(
      () =>
        new AccountForwarder(
          "forwarder-x",
          { accountId: "222222222222", categories: ["abuse"], centralBusArns: {} },
          {},
        ),
      /needs the provider of account 222222222222/,
    );
  });
});

describe("the notify workflow in the resource graph", () => {
  let resources: PlannedResource[];
  before(async () => {
    ({ resources } = await runProgram(prodConfigWith({ accountTags: ["owner", "cost-center"] })));
  });

  it("a Standard state machine per region, from the workflow definition, logging every execution", () => {
    const machines = ofType(resources, "aws:sfn/stateMachine:StateMachine").filter(
      (machine) => inputs(machine, "name") === "abuse-alerts-notify",
    );
    assert.deepEqual(machines.map((machine) => machine.region).sort(), REGIONS);
    for (const machine of machines) {
      assert.equal(machine.account, CENTRAL);
      assert.equal(inputs(machine, "name"), "abuse-alerts-notify");
      assert.equal(inputs(machine, "type"), "STANDARD");
      assert.equal(
        inputs(machine, "roleArn"),
        `arn:aws:iam::${CENTRAL}:role/abuse-alerts-notify-${machine.region}`,
      );
      assert.deepEqual(
        JSON.parse(inputs<string>(machine, "definition")),
        notifyDefinition(
          exampleNotifyArgs(machine.region, CENTRAL, {
            message: { accountTags: ["owner", "cost-center"], escalatedTo: ["oncall@example.com"] },
          }),
        ),
      );
      assert.deepEqual(inputs(machine, "loggingConfiguration"), {
        logDestination: `arn:aws:logs:${machine.region}:${CENTRAL}:log-group:/aws/vendedlogs/states/abuse-alerts-notify:*`,
        includeExecutionData: true,
        level: "ALL",
      });
    }
    for (const logs of ofType(resources, "aws:cloudwatch/logGroup:LogGroup")) {
      assert.equal(inputs(logs, "retentionInDays"), 400);
    }
  });

  it("the directory role in the management account, trusting each region's workflow role for its own state machine", () => {
    const role = named(resources, "directory-role");
    assert.equal(role.account, MANAGEMENT);
    assert.equal(inputs(role, "name"), "abuse-alerts-directory");
    const [statement] = (JSON.parse(inputs<string>(role, "assumeRolePolicy")) as PolicyDocument).Statement;
    assert.deepEqual(statement.Principal, {
      AWS: REGIONS.map((region) => `arn:aws:iam::${CENTRAL}:role/abuse-alerts-notify-${region}`),
    });
    assert.deepEqual(statement.Condition, {
      StringEquals: {
        "sts:ExternalId": REGIONS.map(
          (region) => `arn:aws:states:${region}:${CENTRAL}:stateMachine:abuse-alerts-notify`,
        ),
      },
    });
  });

  it("explicit mode, which does not know the management account: the directory role where the program runs", async () => {
    const { resources: explicit } = await runProgram(
      prodConfigWith({
        accounts: {
          explicit: [
            { id: CENTRAL, name: "security-tooling" },
            { id: "222222222221", name: "shop-prod" },
          ],
        },
      }),
    );
    assert.equal(named(explicit, "directory-role").account, MANAGEMENT);
    const machine =
      ofType(explicit, "aws:sfn/stateMachine:StateMachine").find((candidate) =>
        inputs<string>(candidate, "name").startsWith("abuse-alerts-notify"),
      ) ?? assert.fail("the notify workflow");
    assert.match(
      inputs<string>(machine, "definition"),
      /arn:aws:iam::100000000001:role\/abuse-alerts-directory/,
    );
  });
});

describe("the case workflow and its escalation in the resource graph", () => {
  const ROUTING_KEY = "R0ut1ngKeyOfTheOnCallService0032";
  let resources: PlannedResource[];
  let outputs: Record<string, unknown>;
  before(async () => {
    ({ resources, outputs } = await runProgram(
      prodConfigWith({
        escalation: {
          emails: ["oncall@example.com", "cto@example.com"],
          pagerDuty: { routingKey: ROUTING_KEY },
        },
        reminders: [1, 12],
      }),
      { secretKeys: ["abuse-alerts:escalation"] },
    ));
  });

  it("a Standard case workflow per region, from its definition: reminders, the escalation topic, PagerDuty's connection", () => {
    const machines = ofType(resources, "aws:sfn/stateMachine:StateMachine").filter(
      (machine) => inputs(machine, "name") === "abuse-alerts-case",
    );
    assert.deepEqual(machines.map((machine) => machine.region).sort(), REGIONS);
    for (const machine of machines) {
      const { region } = machine;
      assert.equal(inputs(machine, "type"), "STANDARD");
      assert.equal(inputs(machine, "roleArn"), `arn:aws:iam::${CENTRAL}:role/abuse-alerts-case-${region}`);
      assert.deepEqual(
        JSON.parse(inputs<string>(machine, "definition")),
        caseDefinition({
          stateMachineArn: `arn:aws:states:${region}:${CENTRAL}:stateMachine:abuse-alerts-case`,
          opsTopicArn: `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`,
          reminders: [12, 1],
          escalation: {
            topicArn: `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-escalation`,
            pagerDutyConnectionArn: `arn:aws:events:${region}:${CENTRAL}:connection/abuse-alerts-pagerduty/offline-central-${region}-case-pagerduty`,
            to: ["oncall@example.com, cto@example.com", "PagerDuty"],
          },
        }),
      );
      assert.deepEqual(inputs(machine, "loggingConfiguration"), {
        logDestination: `arn:aws:logs:${region}:${CENTRAL}:log-group:/aws/vendedlogs/states/abuse-alerts-case:*`,
        includeExecutionData: true,
        level: "ALL",
      });
      const topic = named(resources, `central-${region}-case-escalation-topic`);
      assert.equal(inputs(topic, "name"), "abuse-alerts-escalation");
      assert.equal(
        inputs(topic, "kmsMasterKeyId"),
        `arn:aws:kms:${region}:${CENTRAL}:key/central-${region}-key`,
      );
    }
    assert.deepEqual(outputs.caseStateMachineArns, {
      "us-east-1": `arn:aws:states:us-east-1:${CENTRAL}:stateMachine:abuse-alerts-case`,
      "us-west-2": `arn:aws:states:us-west-2:${CENTRAL}:stateMachine:abuse-alerts-case`,
    });
  });

  it("keeps PagerDuty's routing key a secret: in its connection only, encrypted in the state, in no definition or output", () => {
    const connections = ofType(resources, "aws:cloudwatch/eventConnection:EventConnection");
    assert.deepEqual(connections.map((connection) => connection.region).sort(), REGIONS);
    for (const connection of connections) {
      assert.equal(inputs(connection, "authorizationType"), "API_KEY");
      assert.ok(
        connection.secretInputs.some((path) => path.startsWith("authParameters")),
        `the engine gets the routing key as a secret: ${connection.secretInputs.join(", ")}`,
      );
      assert.match(JSON.stringify(connection.inputs), /"isValueSecret":true,"key":"routing_key"/);
    }
    const holders = resources.filter((resource) => JSON.stringify(resource.inputs).includes(ROUTING_KEY));
    assert.deepEqual(
      holders.map((resource) => resource.type),
      connections.map(() => "aws:cloudwatch/eventConnection:EventConnection"),
    );
    assert.doesNotMatch(JSON.stringify(outputs), new RegExp(ROUTING_KEY));
  });

  it("without escalation config: no escalation topic, no connection, and the case workflow still posts overdue", async () => {
    const { resources: plain } = await runProgram(prodConfigWith({ escalation: undefined }));
    assert.deepEqual(ofType(plain, "aws:cloudwatch/eventConnection:EventConnection"), []);
    assert.deepEqual(
      ofType(plain, "aws:sns/topic:Topic").filter(
        (topic) => inputs(topic, "name") === "abuse-alerts-escalation",
      ),
      [],
    );
    const machine = ofType(plain, "aws:sfn/stateMachine:StateMachine").find(
      (candidate) => inputs(candidate, "name") === "abuse-alerts-case",
    );
    assert.match(inputs<string>(machine ?? assert.fail(), "definition"), /Overdue/);
    assert.doesNotMatch(inputs<string>(machine ?? assert.fail(), "definition"), /http:invoke/);
  });
});

describe("the order the engine creates things in", () => {
  it("creates each workflow role before the topic policy and the directory role that name it (IAM and SNS refuse unknown principals)", async () => {
    const { resources } = await runProgram(prodConfigWith());
    const dependsOn = (name: string, on: string) =>
      named(resources, name).dependencies.some((urn) => urn.endsWith(`::${on}`));
    for (const region of REGIONS) {
      assert.ok(dependsOn(`central-${region}-topic-policy`, `central-${region}-notify-role`), region);
      assert.ok(dependsOn("directory-role", `central-${region}-notify-role`), region);
    }
  });
});

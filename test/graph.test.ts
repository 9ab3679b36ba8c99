import { strict as assert } from "node:assert";
import { AccountForwarder } from "../components/accountForwarder";
import { centralRules } from "../components/rules";
import { PlannedResource } from "../scripts/offline";
import { CENTRAL, MANAGEMENT } from "./helpers/example-org";
import { prodConfigWith, runProgram } from "./helpers/offline";

const COVERED = [
  MANAGEMENT,
  CENTRAL,
  "111111111112",
  "222222222221",
  "222222222222",
  "222222222223",
  "333333333333",
];
const SKIPPED = ["333333333331", "333333333332", "444444444441", "444444444442"];
const REGIONS = ["us-east-1", "us-west-2"];

const ofType = (resources: PlannedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const inputs = <T>(resource: PlannedResource, key: string) => resource.inputs[key] as T;
const byUrn = (resources: PlannedResource[]) =>
  new Map(resources.map((resource) => [resource.urn, resource]));

describe("resource graph (Pulumi mocks, example organization, two regions)", () => {
  let resources: PlannedResource[];
  before(async () => {
    ({ resources } = await runProgram(prodConfigWith()));
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
    assert.deepEqual(providers.map((provider) => provider.account).sort(), COVERED);
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
        (resource) => resource.account === id || JSON.stringify(resource).includes(id),
      );
      assert.deepEqual(
        mentions.map((resource) => resource.name),
        [],
        `account ${id}`,
      );
    }
  });

  it("gives every covered account exactly its forwarder, through its own provider, in every region", () => {
    const urns = byUrn(resources);
    for (const account of COVERED) {
      const forwarders = resources.filter((resource) => resource.name === `forwarder-${account}`);
      assert.equal(forwarders.length, 1);
      assert.equal(forwarders[0].type, "abuse-alerts:index:AccountForwarder");
      const children = resources.filter((resource) => resource.parent === forwarders[0].urn);
      assert.ok(
        children.every((child) => child.account === account && urns.get(child.provider)?.account === account),
      );

      const roles = children.filter((child) => child.type === "aws:iam/role:Role");
      assert.equal(roles.length, 1, "one role per account");
      const roleArn = `arn:aws:iam::${account}:role/abuse-alerts-forwarder`;
      for (const region of REGIONS) {
        const rules = children.filter(
          (child) => child.type === "aws:cloudwatch/eventRule:EventRule" && child.region === region,
        );
        const targets = children.filter(
          (child) => child.type === "aws:cloudwatch/eventTarget:EventTarget" && child.region === region,
        );
        assert.equal(rules.length, 1, `${account} ${region}: one rule`);
        assert.equal(inputs(rules[0], "eventBusName"), undefined, "the rule watches the default bus");
        assert.equal(targets.length, 1, `${account} ${region}: one target`);
        assert.equal(inputs(targets[0], "arn"), `arn:aws:events:${region}:${CENTRAL}:event-bus/abuse-alerts`);
        assert.equal(
          inputs(targets[0], "roleArn"),
          roleArn,
          "a cross-account bus target needs the account's own role",
        );
        assert.equal(inputs(targets[0], "rule"), "abuse-alerts-forward");
      }
      assert.equal(
        children.length,
        1 + 2 * REGIONS.length,
        `${account}: a role, and a rule and target per region`,
      );
    }
  });

  it("puts the central pieces once, in the central account, per region", () => {
    const hubs = ofType(resources, "abuse-alerts:index:CentralHub");
    assert.equal(hubs.length, 1);
    const central = resources.filter(
      (resource) =>
        !resource.name.startsWith("forwarder-") &&
        resource.custom &&
        !resource.type.startsWith("pulumi:providers"),
    );
    assert.ok(central.length > 0);
    assert.ok(
      central.every((resource) => resource.account === CENTRAL),
      "every hub resource is in the central account",
    );
    for (const type of [
      "aws:cloudwatch/eventBus:EventBus",
      "aws:sns/topic:Topic",
      "aws:kms/key:Key",
      "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    ]) {
      assert.deepEqual(
        ofType(central, type)
          .map((resource) => resource.region)
          .sort(),
        REGIONS,
        type,
      );
    }
    const buses = ofType(central, "aws:cloudwatch/eventBus:EventBus");
    assert.ok(buses.every((bus) => inputs(bus, "name") === "abuse-alerts"));
    const definitions = centralRules(["abuse", "risk"]);
    const rules = ofType(central, "aws:cloudwatch/eventRule:EventRule");
    assert.deepEqual(rules.map((rule) => `${rule.region} ${inputs<string>(rule, "name")}`).sort(), [
      "us-east-1 abuse-alerts-abuse",
      "us-east-1 abuse-alerts-abuse-test",
      "us-east-1 abuse-alerts-risk",
      "us-east-1 abuse-alerts-risk-test",
      "us-west-2 abuse-alerts-abuse",
      "us-west-2 abuse-alerts-abuse-test",
      "us-west-2 abuse-alerts-risk",
      "us-west-2 abuse-alerts-risk-test",
    ]);
    assert.ok(rules.every((rule) => inputs(rule, "eventBusName") === "abuse-alerts"));
    for (const rule of rules) {
      const definition = definitions.find((candidate) => candidate.name === inputs(rule, "name"));
      assert.equal(inputs(rule, "eventPattern"), JSON.stringify(definition?.pattern));
    }
    const topicTargets = ofType(central, "aws:cloudwatch/eventTarget:EventTarget");
    for (const target of topicTargets) {
      assert.equal(inputs(target, "arn"), `arn:aws:sns:${target.region}:${CENTRAL}:abuse-alerts`);
      const rule = definitions.find((candidate) => candidate.name === inputs(target, "rule"));
      assert.ok(rule, "each target belongs to a central rule");
      assert.deepEqual(
        inputs(target, "inputTransformer"),
        rule.transformer,
        "formats with the rule's own message",
      );
      assert.equal(inputs(target, "roleArn"), undefined, "SNS targets use the topic policy, not a role");
    }
    for (const topic of ofType(central, "aws:sns/topic:Topic")) {
      assert.equal(
        inputs(topic, "kmsMasterKeyId"),
        `arn:aws:kms:${topic.region}:${CENTRAL}:key/central-${topic.region}-key`,
      );
    }
    for (const key of ofType(central, "aws:kms/key:Key"))
      assert.equal(inputs(key, "enableKeyRotation"), true);
  });

  it("configures one Chatbot channel with the Slack IDs, every region's topic, a guardrail and ERROR logging", () => {
    const [channel, ...others] = ofType(
      resources,
      "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
    );
    assert.equal(others.length, 0);
    assert.equal(channel.account, CENTRAL);
    assert.equal(channel.region, "us-west-2", "Chatbot's API has no us-east-1 endpoint");
    assert.equal(inputs(channel, "slackTeamId"), "T0123456789");
    assert.equal(inputs(channel, "slackChannelId"), "C0123456789");
    assert.deepEqual(
      inputs(channel, "snsTopicArns"),
      REGIONS.map((region) => `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts`),
    );
    assert.deepEqual(inputs(channel, "guardrailPolicyArns"), [
      `arn:aws:iam::${CENTRAL}:policy/abuse-alerts-chatbot-notifications-only`,
    ]);
    assert.equal(inputs(channel, "loggingLevel"), "ERROR");
    const [role] = ofType(resources, "aws:iam/role:Role").filter((r) => r.name === "central-slack-role");
    assert.match(inputs<string>(role, "assumeRolePolicy"), /"Service":"chatbot.amazonaws.com"/);
  });

  it("subscribes the notify emails to every region's topic", () => {
    const subscriptions = ofType(resources, "aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(
      subscriptions
        .map((s) => `${s.region} ${inputs<string>(s, "protocol")} ${inputs<string>(s, "endpoint")}`)
        .sort(),
      ["us-east-1 email secops@example.com", "us-west-2 email secops@example.com"],
    );
  });

  it("doubles the regional pieces with a second region", async () => {
    const single = (await runProgram(prodConfigWith({ regions: ["us-east-1"] }))).resources;
    const regional = (list: PlannedResource[]) =>
      list.filter(
        (resource) => resource.custom && resource.region !== "global" && !resource.type.startsWith("pulumi:"),
      );
    const global = (list: PlannedResource[]) =>
      list.filter((resource) => resource.region === "global" || resource.type.startsWith("pulumi:"));
    const chatbot = (list: PlannedResource[]) =>
      ofType(list, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration").length;
    assert.equal(
      regional(resources).length - chatbot(resources),
      2 * (regional(single).length - chatbot(single)),
    );
    assert.equal(
      global(resources).length,
      global(single).length,
      "IAM and providers do not repeat per region",
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

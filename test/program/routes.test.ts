import { strict as assert } from "node:assert";
import { PolicyDocument } from "../../model/policies";
import { routeTargetsIn } from "../../model/routes";
import { notifyDefinition } from "../../notify/definition";
import { PlannedResource } from "../../sim/pulumi-runner";
import { CENTRAL } from "../helpers/example-org";
import { decide } from "../helpers/iam";
import { exampleNotifyArgs, prodConfigWith, runProgram } from "../helpers/offline";
import { validateConfig } from "../../config/schema";

/**
 * Routes resolved to resources, under the Pulumi mocks: a topic per route in every region and a
 * channel configuration per route on those topics only; nothing shared between routes.
 */

const REGIONS = ["us-east-1", "us-west-2"];
const TEAM = "0a1b2c3d-1111-2222-3333-444455556666";
const TENANT = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
const EXAMPLE_ROUTES = [
  { name: "prod", slack: { channelId: "C0PRODTEAM1" }, organizationalUnits: ["ou-ex12-prod0001"] },
  {
    name: "shop",
    teams: { teamId: TEAM, channelId: "19:0a1b2c3d4e5f@thread.tacv2", tenantId: TENANT },
    tags: { team: "shop" },
  },
  {
    name: "payments",
    slack: { workspaceId: "T0OTHERWS1", channelId: "C0PAYMENTS1" },
    accounts: ["222222222222"],
  },
];
const NAMES = EXAMPLE_ROUTES.map((route) => route.name);
const topicArn = (region: string, route: string) =>
  `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-route-${route}`;
const workflowRole = (region: string) => `arn:aws:iam::${CENTRAL}:role/abuse-alerts-notify-${region}`;
const inputs = <T>(resource: PlannedResource, key: string) => resource.inputs[key] as T;
const allowEverything: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

describe("routes as resources (Pulumi mocks, example organization, two regions)", () => {
  let resources: PlannedResource[];
  const named = (name: string) => {
    const found = resources.find((resource) => resource.name === name);
    assert.ok(found, `${name} is declared`);
    return found;
  };
  const ofType = (type: string) => resources.filter((resource) => resource.type === type);
  const json = (resource: PlannedResource, field: string) =>
    JSON.parse(inputs<string>(resource, field)) as PolicyDocument;
  const inline = (name: string) =>
    JSON.parse(inputs<{ policy: string }[]>(named(name), "inlinePolicies")[0].policy) as PolicyDocument;

  before(async () => {
    ({ resources } = await runProgram(prodConfigWith({ routes: EXAMPLE_ROUTES })));
  });

  it("gives each route its own topic in every hub region, under that region's alert key, not protected", () => {
    const topics = ofType("aws:sns/topic:Topic").filter((topic) =>
      String(inputs(topic, "name")).includes("-route-"),
    );
    assert.deepEqual(
      topics.map((topic) => `${topic.region} ${String(inputs(topic, "name"))}`).sort(),
      REGIONS.flatMap((region) => NAMES.map((route) => `${region} abuse-alerts-route-${route}`)).sort(),
    );
    for (const topic of topics) {
      assert.equal(topic.account, CENTRAL);
      assert.equal(
        inputs(topic, "kmsMasterKeyId"),
        `arn:aws:kms:${topic.region}:${CENTRAL}:key/central-${topic.region}-key`,
      );
      assert.equal(topic.protect, false, "a route removed from the config goes");
    }
  });

  it("gives each route one channel configuration, Slack or Teams, on its own topics and no other", () => {
    const slack = ofType("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
    const teams = ofType("aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration");
    // The central channel is a Cloud Control resource, for its Acknowledge button (SlackChannel).
    assert.deepEqual(
      [...slack, ...teams].map((configuration) => String(inputs(configuration, "configurationName"))).sort(),
      NAMES.map((route) => `abuse-alerts-route-${route}`).sort(),
    );
    const subscribed = new Map<string, string>();
    for (const route of NAMES) {
      const configuration = named(`central-route-${route}-configuration`);
      assert.equal(configuration.account, CENTRAL);
      assert.equal(configuration.region, "us-west-2", "Chatbot's API has no us-east-1 endpoint");
      const topics = inputs<string[]>(configuration, "snsTopicArns");
      assert.deepEqual(
        topics,
        REGIONS.map((region) => topicArn(region, route)),
      );
      for (const topic of topics) {
        assert.equal(
          subscribed.get(topic),
          undefined,
          `${topic} is shared with ${subscribed.get(topic) ?? ""}`,
        );
        subscribed.set(topic, route);
      }
      assert.equal(inputs(configuration, "loggingLevel"), "ERROR");
      assert.deepEqual(inputs(configuration, "guardrailPolicyArns"), [
        `arn:aws:iam::${CENTRAL}:policy/abuse-alerts-chatbot-notifications-only`,
      ]);
      assert.equal(
        inputs(configuration, "iamRoleArn"),
        `arn:aws:iam::${CENTRAL}:role/abuse-alerts-route-${route}`,
      );
    }
    const central = JSON.parse(inputs<string>(named("central-slack-channel"), "desiredState")) as {
      SnsTopicArns: string[];
    };
    assert.ok(
      central.SnsTopicArns.every((topic) => !topic.includes("-route-")),
      "the central channel has the alert and operations topics, which carry every alert already",
    );
  });

  it("sets each channel's IDs: the stack's Slack workspace by default, Teams' channel ID URL-encoded", () => {
    const prod = named("central-route-prod-configuration");
    assert.equal(inputs(prod, "slackTeamId"), "T0123456789");
    assert.equal(inputs(prod, "slackChannelId"), "C0PRODTEAM1");
    const payments = named("central-route-payments-configuration");
    assert.equal(inputs(payments, "slackTeamId"), "T0OTHERWS1");
    const shop = named("central-route-shop-configuration");
    assert.equal(shop.type, "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration");
    assert.equal(inputs(shop, "teamId"), TEAM);
    assert.equal(inputs(shop, "tenantId"), TENANT);
    assert.equal(inputs(shop, "channelId"), "19%3a0a1b2c3d4e5f%40thread.tacv2");
  });

  it("gives each channel a role of its own, trusted by Chatbot only, with the notifications-only policy alone", async () => {
    for (const route of NAMES) {
      const role = named(`central-route-${route}-role`);
      assert.equal(inputs(role, "name"), `abuse-alerts-route-${route}`);
      assert.deepEqual(json(role, "assumeRolePolicy").Statement, [
        { Effect: "Allow", Principal: { Service: "chatbot.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      const attachments = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
        (attachment) => inputs(attachment, "role") === `abuse-alerts-route-${route}`,
      );
      assert.deepEqual(
        attachments.map((attachment) => inputs(attachment, "policyArn")),
        [`arn:aws:iam::${CENTRAL}:policy/abuse-alerts-chatbot-notifications-only`],
      );
    }
    const notificationsOnly = json(named("central-slack-notifications-only"), "policy");
    const asChannel = (action: string, resource: string) =>
      decide({
        principal: `arn:aws:iam::${CENTRAL}:role/abuse-alerts-route-prod`,
        action,
        resource,
        resourceAccount: CENTRAL,
        identityPolicies: [notificationsOnly],
      });
    assert.equal(await asChannel("cloudwatch:GetMetricData", "*"), "Allowed");
    for (const [action, resource] of [
      ["sns:Publish", topicArn("us-east-1", "shop")],
      ["sns:Subscribe", topicArn("us-east-1", "shop")],
      ["ec2:StopInstances", `arn:aws:ec2:us-east-1:${CENTRAL}:instance/i-0abc`],
      ["iam:PassRole", `arn:aws:iam::${CENTRAL}:role/abuse-alerts-route-shop`],
    ]) {
      assert.equal(await asChannel(action, resource), "ImplicitlyDenied", action);
    }
  });

  it("lets only its region's notify workflow publish to a route's topic", async () => {
    for (const region of REGIONS) {
      for (const route of NAMES) {
        const resourcePolicy = json(named(`central-${region}-route-${route}-topic-policy`), "policy");
        const publish = (principal: string, identityPolicies: PolicyDocument[], account = CENTRAL) =>
          decide({
            principal,
            action: "sns:Publish",
            resource: topicArn(region, route),
            resourceAccount: CENTRAL,
            context: { "aws:PrincipalAccount": account },
            identityPolicies,
            resourcePolicy,
          });
        const other = REGIONS.find((candidate) => candidate !== region) ?? "";
        assert.equal(
          await publish(workflowRole(region), [inline(`central-${region}-notify-role`)]),
          "Allowed",
        );
        assert.equal(
          await publish(workflowRole(other), [inline(`central-${other}-notify-role`)]),
          "ImplicitlyDenied",
          "the other region's workflow publishes to its own region's topics",
        );
        assert.equal(await publish("events.amazonaws.com", []), "ImplicitlyDenied");
        assert.equal(
          await publish("arn:aws:iam::999999999999:role/admin", [allowEverything], "999999999999"),
          "ImplicitlyDenied",
        );
        assert.equal(
          await publish(`arn:aws:iam::${CENTRAL}:role/abuse-alerts-route-${route}`, [
            json(named("central-slack-notifications-only"), "policy"),
          ]),
          "ImplicitlyDenied",
          "a channel reads its topic; it cannot post to another's",
        );
      }
    }
  });

  it("gives each region's workflow the routes with that region's topics, and the right to publish to them", () => {
    const config = validateConfig({
      centralAccountId: CENTRAL,
      slack: { workspaceId: "T0123456789", channelId: "C0123456789" },
      routes: EXAMPLE_ROUTES,
    });
    for (const region of REGIONS) {
      const machine = named(`central-${region}-notify-state-machine`);
      assert.deepEqual(
        JSON.parse(inputs<string>(machine, "definition")),
        notifyDefinition(
          exampleNotifyArgs(region, CENTRAL, {
            // Pulumi.prod.yaml's escalation.
            message: { escalatedTo: ["oncall@example.com"] },
            routes: routeTargetsIn(region, CENTRAL, config.routes),
          }),
        ),
      );
      const publish = inline(`central-${region}-notify-role`).Statement.find(
        (s) => s.Sid === "PublishAlerts",
      );
      assert.deepEqual(publish?.Resource, [
        `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts`,
        ...NAMES.map((route) => topicArn(region, route)),
        `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`,
      ]);
      // A case's reminders and overdue post follow the routes of its first post.
      const post = inline(`central-${region}-case-role`).Statement.find((s) => s.Sid === "PostAndEscalate");
      assert.deepEqual(
        NAMES.map((route) => topicArn(region, route)).filter(
          (arn) => !(post?.Resource as string[]).includes(arn),
        ),
        [],
      );
    }
  });

  it("alarms on the operations topic when SNS cannot deliver to a route's channel", () => {
    for (const region of REGIONS) {
      for (const route of NAMES) {
        const alarm = named(`central-${region}-route-${route}-notifications-failed-alarm`);
        assert.equal(inputs(alarm, "metricName"), "NumberOfNotificationsFailed");
        assert.deepEqual(inputs(alarm, "dimensions"), { TopicName: `abuse-alerts-route-${route}` });
        assert.deepEqual(inputs(alarm, "alarmActions"), [
          `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`,
        ]);
      }
    }
  });

  it("declares nothing of the kind without routes, and the same workflow as before", async () => {
    const { resources: plain } = await runProgram(prodConfigWith());
    assert.deepEqual(
      plain.filter((resource) => resource.name.includes("-route-")).map((resource) => resource.name),
      [],
    );
    const machine = plain.find((resource) => resource.name === "central-us-east-1-notify-state-machine");
    assert.doesNotMatch(inputs<string>(machine ?? assert.fail(), "definition"), /Routed to|Also sent to/);
  });
});

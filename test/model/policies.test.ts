import { strict as assert } from "node:assert";
import { notifyRolePolicy, PolicyDocument } from "../../model/policies";
import { routeTopicArn } from "../../model/names";
import { MAX_ROUTES } from "../../config/routes";
import { COMMERCIAL_REGIONS } from "../../config/schema";
import { PlannedResource } from "../../sim/pulumi-runner";
import { CENTRAL } from "../helpers/example-org";
import { decide } from "../helpers/iam";
import { prodConfigWith, runProgram } from "../helpers/offline";

const ORG = "o-exampleorg1";
const MEMBER = "222222222221";
const BUS = `arn:aws:events:us-east-1:${CENTRAL}:event-bus/abuse-alerts`;
const WEST_BUS = `arn:aws:events:us-west-2:${CENTRAL}:event-bus/abuse-alerts`;
const TOPIC = `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts`;
const KEY = `arn:aws:kms:us-east-1:${CENTRAL}:key/central-us-east-1-key`;
const FORWARDER_ROLE = `arn:aws:iam::${MEMBER}:role/abuse-alerts-forwarder`;
const WORKFLOW_ROLE = `arn:aws:iam::${CENTRAL}:role/abuse-alerts-notify-us-east-1`;
const WEST_WORKFLOW_ROLE = `arn:aws:iam::${CENTRAL}:role/abuse-alerts-notify-us-west-2`;
const STATE_MACHINE = `arn:aws:states:us-east-1:${CENTRAL}:stateMachine:abuse-alerts-notify`;
const WEST_STATE_MACHINE = `arn:aws:states:us-west-2:${CENTRAL}:stateMachine:abuse-alerts-notify`;
const DIRECTORY_ROLE = `arn:aws:iam::100000000001:role/abuse-alerts-directory`;
const allowEverything: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** The policy documents exactly as the program declares them. */
describe("policies as deployed, in the IAM policy simulator", () => {
  let resources: PlannedResource[];
  const document = (type: string, name: string, field: string): PolicyDocument => {
    const resource = resources.find((candidate) => candidate.type === type && candidate.name === name);
    assert.ok(resource, `${type} ${name} is declared`);
    return JSON.parse(resource.inputs[field] as string) as PolicyDocument;
  };
  const busPolicy = (region = "us-east-1") =>
    document("aws:cloudwatch/eventBusPolicy:EventBusPolicy", `central-${region}-bus-policy`, "policy");
  const topicPolicy = () =>
    document("aws:sns/topicPolicy:TopicPolicy", "central-us-east-1-topic-policy", "policy");
  const keyPolicy = (name = "central-us-east-1-key") => document("aws:kms/key:Key", name, "policy");
  /** The inline policy of a role, by its resource name. */
  const roleInline = (name: string): PolicyDocument => {
    const role = resources.find((candidate) => candidate.name === name);
    assert.ok(role, `${name} is declared`);
    return JSON.parse((role.inputs.inlinePolicies as { policy: string }[])[0].policy) as PolicyDocument;
  };
  const trustOf = (name: string): PolicyDocument => {
    const role = resources.find((candidate) => candidate.name === name);
    assert.ok(role, `${name} is declared`);
    return JSON.parse(role.inputs.assumeRolePolicy as string) as PolicyDocument;
  };
  const forwarderPolicy = (): PolicyDocument => {
    const role = resources.find((candidate) => candidate.name === `forwarder-${MEMBER}-role`);
    const inline = role?.inputs.inlinePolicies as { policy: string }[];
    return JSON.parse(inline[0].policy) as PolicyDocument;
  };

  // PagerDuty too, so that every role and policy the program can declare is here.
  before(async () => {
    ({ resources } = await runProgram(
      prodConfigWith({
        escalation: {
          emails: ["oncall@example.com"],
          pagerDuty: { routingKey: "R0ut1ngKeyOfTheOnCallService0032" },
        },
      }),
      { secretKeys: ["abuse-alerts:escalation"] },
    ));
  });

  describe("central bus", () => {
    it("lets the forwarder role of an organization account put events", async () => {
      const decision = await decide({
        principal: FORWARDER_ROLE,
        action: "events:PutEvents",
        resource: BUS,
        resourceAccount: CENTRAL,
        context: { "aws:PrincipalOrgID": ORG, "aws:PrincipalAccount": MEMBER },
        identityPolicies: [forwarderPolicy()],
        resourcePolicy: busPolicy(),
      });
      assert.equal(decision, "Allowed");
    });

    it("refuses a principal of another organization, whatever its own permissions", async () => {
      const decision = await decide({
        principal: "arn:aws:iam::999999999999:role/attacker",
        action: "events:PutEvents",
        resource: BUS,
        resourceAccount: CENTRAL,
        context: { "aws:PrincipalOrgID": "o-otherorg123", "aws:PrincipalAccount": "999999999999" },
        identityPolicies: [allowEverything],
        resourcePolicy: busPolicy(),
      });
      assert.equal(decision, "ImplicitlyDenied");
    });

    it("refuses a principal outside any organization", async () => {
      const decision = await decide({
        principal: "arn:aws:iam::999999999999:user/someone",
        action: "events:PutEvents",
        resource: BUS,
        resourceAccount: CENTRAL,
        identityPolicies: [allowEverything],
        resourcePolicy: busPolicy(),
      });
      assert.equal(decision, "ImplicitlyDenied");
    });

    it("grants nothing but PutEvents to the organization", async () => {
      const decision = await decide({
        principal: FORWARDER_ROLE,
        action: "events:PutRule",
        resource: `arn:aws:events:us-east-1:${CENTRAL}:rule/abuse-alerts/anything`,
        resourceAccount: CENTRAL,
        context: { "aws:PrincipalOrgID": ORG },
        identityPolicies: [allowEverything],
        resourcePolicy: busPolicy(),
      });
      assert.equal(decision, "ImplicitlyDenied");
    });

    it("names the organization, never an account list", () => {
      const text = JSON.stringify(busPolicy());
      assert.match(text, /"aws:PrincipalOrgID":"o-exampleorg1"/);
      assert.doesNotMatch(text, /\d{12}:root|"AWS":/);
    });
  });

  describe("forwarder role", () => {
    it("may put events on the central bus of every configured region", async () => {
      for (const [region, bus] of [
        ["us-east-1", BUS],
        ["us-west-2", WEST_BUS],
      ]) {
        const decision = await decide({
          principal: FORWARDER_ROLE,
          action: "events:PutEvents",
          resource: bus,
          resourceAccount: CENTRAL,
          context: { "aws:PrincipalOrgID": ORG },
          identityPolicies: [forwarderPolicy()],
          resourcePolicy: busPolicy(region),
        });
        assert.equal(decision, "Allowed", bus);
      }
    });

    it("may do nothing else", async () => {
      const attempts = [
        {
          action: "events:PutEvents",
          resource: `arn:aws:events:us-east-1:${MEMBER}:event-bus/default`,
          account: MEMBER,
        },
        {
          action: "events:PutEvents",
          resource: `arn:aws:events:us-east-1:${CENTRAL}:event-bus/default`,
          account: CENTRAL,
        },
        { action: "sns:Publish", resource: TOPIC, account: CENTRAL },
        { action: "iam:PassRole", resource: FORWARDER_ROLE, account: MEMBER },
        { action: "events:PutRule", resource: `arn:aws:events:us-east-1:${MEMBER}:rule/x`, account: MEMBER },
      ];
      for (const { action, resource, account } of attempts) {
        const decision = await decide({
          principal: FORWARDER_ROLE,
          action,
          resource,
          resourceAccount: account,
          context: { "aws:PrincipalOrgID": ORG },
          identityPolicies: [forwarderPolicy()],
        });
        assert.equal(decision, "ImplicitlyDenied", `${action} on ${resource}`);
      }
    });
  });

  describe("alert topic", () => {
    const publish = (
      principal: string,
      context: Record<string, string>,
      identityPolicies: PolicyDocument[] = [],
    ) =>
      decide({
        principal,
        action: "sns:Publish",
        resource: TOPIC,
        resourceAccount: CENTRAL,
        context,
        identityPolicies,
        resourcePolicy: topicPolicy(),
      });

    it("lets the notify workflow's role publish, as its own policy allows", async () => {
      assert.equal(
        await publish(WORKFLOW_ROLE, {}, [roleInline("central-us-east-1-notify-role")]),
        "Allowed",
      );
    });

    it("refuses EventBridge, which no longer publishes itself, and the workflow role of another account", async () => {
      assert.equal(
        await publish("events.amazonaws.com", { "aws:SourceAccount": CENTRAL }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await publish("arn:aws:iam::999999999999:role/abuse-alerts-notify-us-east-1", {}, [allowEverything]),
        "ImplicitlyDenied",
      );
    });

    it("refuses other services and other accounts", async () => {
      assert.equal(await publish("s3.amazonaws.com", { "aws:SourceAccount": CENTRAL }), "ImplicitlyDenied");
      assert.equal(
        await publish("arn:aws:iam::999999999999:role/attacker", { "aws:PrincipalOrgID": ORG }, [
          allowEverything,
        ]),
        "ImplicitlyDenied",
      );
      assert.equal(
        await publish(FORWARDER_ROLE, { "aws:PrincipalOrgID": ORG }, [allowEverything]),
        "ImplicitlyDenied",
      );
    });
  });

  describe("dead-letter queues and the operations topic", () => {
    const queue = () => document("aws:sqs/queue:Queue", `forwarder-${MEMBER}-us-east-1-dlq`, "policy");
    const QUEUE = `arn:aws:sqs:us-east-1:${MEMBER}:abuse-alerts-forwarder-dlq`;
    const RULE = `arn:aws:events:us-east-1:${MEMBER}:rule/abuse-alerts-forward`;
    const send = (principal: string, sourceArn: string) =>
      decide({
        principal,
        action: "sqs:SendMessage",
        resource: QUEUE,
        resourceAccount: MEMBER,
        context: { "aws:SourceArn": sourceArn },
        resourcePolicy: queue(),
      });

    it("a forwarder DLQ takes dead letters from its own rule only", async () => {
      assert.equal(await send("events.amazonaws.com", RULE), "Allowed");
      assert.equal(
        await send("events.amazonaws.com", `arn:aws:events:us-east-1:${MEMBER}:rule/other`),
        "ImplicitlyDenied",
      );
      assert.equal(await send("sns.amazonaws.com", RULE), "ImplicitlyDenied");
    });

    it("only CloudWatch alarms of the central account publish to the operations topic", async () => {
      const ops = document("aws:sns/topicPolicy:TopicPolicy", "central-us-east-1-ops-topic-policy", "policy");
      const publish = (principal: string, sourceAccount: string) =>
        decide({
          principal,
          action: "sns:Publish",
          resource: `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts-ops`,
          resourceAccount: CENTRAL,
          context: { "aws:SourceAccount": sourceAccount },
          resourcePolicy: ops,
        });
      assert.equal(await publish("cloudwatch.amazonaws.com", CENTRAL), "Allowed");
      assert.equal(await publish("cloudwatch.amazonaws.com", MEMBER), "ImplicitlyDenied");
      assert.equal(await publish("events.amazonaws.com", CENTRAL), "ImplicitlyDenied");
    });
  });

  describe("topic keys", () => {
    const use = (
      principal: string,
      action: string,
      keyName = "central-us-east-1-key",
      identityPolicies: PolicyDocument[] = [],
    ) =>
      decide({
        principal,
        action,
        resource: KEY,
        resourceAccount: CENTRAL,
        identityPolicies,
        resourcePolicy: keyPolicy(keyName),
      });

    it("lets the workflow's role generate data keys and decrypt with the alert key, to publish to the encrypted topic", async () => {
      const workflow = [roleInline("central-us-east-1-notify-role")];
      assert.equal(await use(WORKFLOW_ROLE, "kms:GenerateDataKey", undefined, workflow), "Allowed");
      assert.equal(await use(WORKFLOW_ROLE, "kms:Decrypt", undefined, workflow), "Allowed");
      assert.equal(
        await use(WORKFLOW_ROLE, "kms:ScheduleKeyDeletion", undefined, workflow),
        "ImplicitlyDenied",
      );
      assert.equal(await use("events.amazonaws.com", "kms:GenerateDataKey"), "ImplicitlyDenied");
      assert.equal(await use("cloudwatch.amazonaws.com", "kms:GenerateDataKey"), "ImplicitlyDenied");
    });

    it("lets CloudWatch alarms use the operations key, and EventBridge not", async () => {
      assert.equal(
        await use("cloudwatch.amazonaws.com", "kms:GenerateDataKey", "central-us-east-1-ops-key"),
        "Allowed",
      );
      assert.equal(
        await use("cloudwatch.amazonaws.com", "kms:Decrypt", "central-us-east-1-ops-key"),
        "Allowed",
      );
      assert.equal(
        await use("events.amazonaws.com", "kms:GenerateDataKey", "central-us-east-1-ops-key"),
        "ImplicitlyDenied",
      );
    });

    it("keeps administration in the central account", async () => {
      assert.equal(
        await use(`arn:aws:iam::${CENTRAL}:role/Admin`, "kms:ScheduleKeyDeletion", undefined, [
          allowEverything,
        ]),
        "Allowed",
      );
      assert.equal(await use("events.amazonaws.com", "kms:ScheduleKeyDeletion"), "ImplicitlyDenied");
      assert.equal(await use("sns.amazonaws.com", "kms:GenerateDataKey"), "ImplicitlyDenied");
      assert.equal(
        await use("arn:aws:iam::999999999999:role/attacker", "kms:Decrypt", undefined, [allowEverything]),
        "ImplicitlyDenied",
      );
    });
  });

  describe("the notify workflow and its lookups", () => {
    it("the directory role is assumable only by the workflows' roles, for their own state machines", async () => {
      const assume = (principal: string, externalId: string | undefined, identity = [allowEverything]) =>
        decide({
          principal,
          action: "sts:AssumeRole",
          resource: DIRECTORY_ROLE,
          resourceAccount: "100000000001",
          context: externalId ? { "sts:ExternalId": externalId } : {},
          identityPolicies: identity,
          resourcePolicy: trustOf("directory-role"),
        });
      const workflow = [roleInline("central-us-east-1-notify-role")];
      assert.equal(await assume(WORKFLOW_ROLE, STATE_MACHINE, workflow), "Allowed");
      assert.equal(await assume(WEST_WORKFLOW_ROLE, WEST_STATE_MACHINE), "Allowed");
      assert.equal(
        await assume(WORKFLOW_ROLE, undefined, workflow),
        "ImplicitlyDenied",
        "no external ID: not a Step Functions task",
      );
      assert.equal(
        await assume(WORKFLOW_ROLE, `arn:aws:states:us-east-1:${CENTRAL}:stateMachine:other`, workflow),
        "ImplicitlyDenied",
      );
      assert.equal(await assume(`arn:aws:iam::${CENTRAL}:role/Admin`, STATE_MACHINE), "ImplicitlyDenied");
      assert.equal(
        await assume(`arn:aws:iam::${MEMBER}:role/abuse-alerts-notify-us-east-1`, STATE_MACHINE),
        "ImplicitlyDenied",
      );
    });

    it("the directory role may read an account's context, and nothing else", async () => {
      const act = (action: string) =>
        decide({
          principal: DIRECTORY_ROLE,
          action,
          resource: "*",
          resourceAccount: "100000000001",
          identityPolicies: [roleInline("directory-role")],
        });
      for (const action of [
        "organizations:DescribeAccount",
        "organizations:ListParents",
        "organizations:DescribeOrganizationalUnit",
        "organizations:ListTagsForResource",
        "account:GetAlternateContact",
      ]) {
        assert.equal(await act(action), "Allowed", action);
      }
      for (const action of [
        "organizations:TagResource",
        "account:PutAlternateContact",
        "organizations:ListAccounts",
        "iam:CreateRole",
      ]) {
        assert.equal(await act(action), "ImplicitlyDenied", action);
      }
    });

    it("the workflow's role publishes only to its own region's alert and operations topics, and assumes only the directory role", async () => {
      const act = (action: string, resource: string, account = CENTRAL) =>
        decide({
          principal: WORKFLOW_ROLE,
          action,
          resource,
          resourceAccount: account,
          identityPolicies: [roleInline("central-us-east-1-notify-role")],
        });
      assert.equal(await act("sns:Publish", TOPIC), "Allowed");
      // A case it cannot follow is told to the operations topic.
      assert.equal(await act("sns:Publish", `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts-ops`), "Allowed");
      assert.equal(
        await act("sns:Publish", `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts-escalation`),
        "ImplicitlyDenied",
      );
      assert.equal(
        await act("sns:Publish", `arn:aws:sns:us-west-2:${CENTRAL}:abuse-alerts`),
        "ImplicitlyDenied",
      );
      assert.equal(
        await decide({
          principal: WORKFLOW_ROLE,
          action: "sts:AssumeRole",
          resource: DIRECTORY_ROLE,
          resourceAccount: "100000000001",
          context: { "sts:ExternalId": STATE_MACHINE },
          identityPolicies: [roleInline("central-us-east-1-notify-role")],
          resourcePolicy: trustOf("directory-role"),
        }),
        "Allowed",
      );
      assert.equal(
        await act("sts:AssumeRole", `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`, MEMBER),
        "ImplicitlyDenied",
      );
      assert.deepEqual(trustOf("central-us-east-1-notify-role").Statement[0].Principal, {
        Service: "states.amazonaws.com",
      });
    });

    it("the central rules' role may start its region's workflow, and nothing else", async () => {
      const start = (resource: string) =>
        decide({
          principal: `arn:aws:iam::${CENTRAL}:role/abuse-alerts-events-us-east-1`,
          action: "states:StartExecution",
          resource,
          resourceAccount: CENTRAL,
          identityPolicies: [roleInline("central-us-east-1-events-role")],
        });
      assert.equal(await start(STATE_MACHINE), "Allowed");
      assert.equal(await start(WEST_STATE_MACHINE), "ImplicitlyDenied");
      assert.equal(await start(`arn:aws:states:us-east-1:${CENTRAL}:stateMachine:other`), "ImplicitlyDenied");
      assert.deepEqual(trustOf("central-us-east-1-events-role").Statement[0].Principal, {
        Service: "events.amazonaws.com",
      });
    });
  });

  describe("the case workflow and the Acknowledge button", () => {
    const TABLE = `arn:aws:dynamodb:us-east-1:${CENTRAL}:table/abuse-alerts-state`;
    const WEST_TABLE = `arn:aws:dynamodb:us-west-2:${CENTRAL}:table/abuse-alerts-state`;
    const CASES = `arn:aws:states:us-east-1:${CENTRAL}:stateMachine:abuse-alerts-case`;
    const WEST_CASES = `arn:aws:states:us-west-2:${CENTRAL}:stateMachine:abuse-alerts-case`;
    const CASE_ROLE = `arn:aws:iam::${CENTRAL}:role/abuse-alerts-case-us-east-1`;
    const PAGERDUTY = "https://events.pagerduty.com/v2/enqueue";
    const inlineOf = (name: string): PolicyDocument => {
      const role = resources.find((candidate) => candidate.name === name);
      assert.ok(role, `${name} is declared`);
      return JSON.parse((role.inputs.inlinePolicies as { policy: string }[])[0].policy) as PolicyDocument;
    };
    const connection = () => {
      const found = resources.find((resource) => resource.name === "central-us-east-1-case-pagerduty");
      assert.ok(found);
      return found;
    };

    it("the notify workflow's role keeps cases in its own region's table and starts its own region's case workflow", async () => {
      const act = (action: string, resource: string) =>
        decide({
          principal: WORKFLOW_ROLE,
          action,
          resource,
          resourceAccount: CENTRAL,
          identityPolicies: [roleInline("central-us-east-1-notify-role")],
        });
      for (const action of ["dynamodb:Query", "dynamodb:PutItem"]) {
        assert.equal(await act(action, TABLE), "Allowed", action);
        assert.equal(await act(action, WEST_TABLE), "ImplicitlyDenied", `${action} in another region`);
      }
      for (const action of ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan"]) {
        assert.equal(await act(action, TABLE), "ImplicitlyDenied", action);
      }
      assert.equal(await act("states:StartExecution", CASES), "Allowed");
      assert.equal(await act("states:StartExecution", WEST_CASES), "ImplicitlyDenied");
      assert.equal(await act("states:StartExecution", STATE_MACHINE), "ImplicitlyDenied", "not itself");
    });

    it("the case workflow's role: its region's table, the alert, operations and escalation topics, PagerDuty through its connection only", async () => {
      const policy = inlineOf("central-us-east-1-case-role");
      const act = (action: string, resource: string, context: Record<string, string> = {}) =>
        decide({
          principal: CASE_ROLE,
          action,
          resource,
          resourceAccount: CENTRAL,
          context,
          identityPolicies: [policy],
        });
      for (const action of ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]) {
        assert.equal(await act(action, TABLE), "Allowed", action);
        assert.equal(await act(action, WEST_TABLE), "ImplicitlyDenied", action);
      }
      for (const action of ["dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:DeleteTable"]) {
        assert.equal(await act(action, TABLE), "ImplicitlyDenied", action);
      }
      for (const topic of ["abuse-alerts", "abuse-alerts-ops", "abuse-alerts-escalation"]) {
        assert.equal(await act("sns:Publish", `arn:aws:sns:us-east-1:${CENTRAL}:${topic}`), "Allowed", topic);
        assert.equal(
          await act("sns:Publish", `arn:aws:sns:us-west-2:${CENTRAL}:${topic}`),
          "ImplicitlyDenied",
          topic,
        );
      }
      for (const key of ["central-us-east-1-key", "central-us-east-1-ops-key"]) {
        const decision = await decide({
          principal: CASE_ROLE,
          action: "kms:GenerateDataKey",
          resource: `arn:aws:kms:us-east-1:${CENTRAL}:key/${key}`,
          resourceAccount: CENTRAL,
          identityPolicies: [policy],
          resourcePolicy: keyPolicy(key),
        });
        assert.equal(decision, "Allowed", key);
      }
      // The simulator's IAM data lists no condition keys for InvokeHTTPEndpoint and drops them from
      // a request: it can only show that the grant is conditional. The conditions are checked as written.
      assert.equal(await act("states:InvokeHTTPEndpoint", "*"), "ImplicitlyDenied", "never unconditional");
      const http = policy.Statement.find((statement) => statement.Sid === "CallPagerDuty");
      assert.deepEqual(http?.Condition, {
        StringEquals: { "states:HTTPMethod": "POST", "states:HTTPEndpoint": PAGERDUTY },
      });
      const { Condition: conditions, ...unconditionedStatement } =
        http ?? assert.fail("no CallPagerDuty statement");
      assert.ok(conditions);
      const unconditioned: PolicyDocument = { Version: "2012-10-17", Statement: [unconditionedStatement] };
      assert.equal(
        await decide({
          principal: CASE_ROLE,
          action: "states:InvokeHTTPEndpoint",
          resource: "*",
          resourceAccount: CENTRAL,
          identityPolicies: [unconditioned],
        }),
        "Allowed",
      );
      const connectionArn = `arn:aws:events:us-east-1:${CENTRAL}:connection/abuse-alerts-pagerduty/offline-central-us-east-1-case-pagerduty`;
      assert.equal(await act("events:RetrieveConnectionCredentials", connectionArn), "Allowed");
      assert.equal(
        await act(
          "events:RetrieveConnectionCredentials",
          `arn:aws:events:us-east-1:${CENTRAL}:connection/other/1`,
        ),
        "ImplicitlyDenied",
      );
      const secret = `arn:aws:secretsmanager:us-east-1:${CENTRAL}:secret:events!connection/abuse-alerts-pagerduty/offline-central-us-east-1-case-pagerduty`;
      assert.equal(await act("secretsmanager:GetSecretValue", secret), "Allowed");
      assert.equal(
        await act(
          "secretsmanager:GetSecretValue",
          `arn:aws:secretsmanager:us-east-1:${CENTRAL}:secret:other-AbCdEf`,
        ),
        "ImplicitlyDenied",
      );
      assert.equal(await act("sts:AssumeRole", DIRECTORY_ROLE), "ImplicitlyDenied");
      assert.equal(connection().region, "us-east-1");
    });

    it("the Slack channel's role and guardrails allow the button's command, states:StartExecution of a case workflow, and nothing more", async () => {
      const policies = ["central-slack-notifications-only", "central-slack-acknowledge"].map((name) => {
        const found = resources.find((resource) => resource.name === name);
        assert.ok(found, name);
        return JSON.parse(found.inputs.policy as string) as PolicyDocument;
      });
      const [, acknowledge] = policies;
      const role = `arn:aws:iam::${CENTRAL}:role/abuse-alerts-chatbot`;
      // Chatbot runs a command only if the role's policies and a guardrail both allow it.
      const act = async (action: string, resource: string) => {
        const byRole = await decide({
          principal: role,
          action,
          resource,
          resourceAccount: CENTRAL,
          identityPolicies: policies,
        });
        const byGuardrail = await decide({
          principal: role,
          action,
          resource,
          resourceAccount: CENTRAL,
          identityPolicies: policies,
        });
        return byRole === "Allowed" && byGuardrail === "Allowed" ? "Allowed" : "Denied";
      };
      assert.equal(await act("states:StartExecution", CASES), "Allowed");
      assert.equal(await act("states:StartExecution", WEST_CASES), "Allowed");
      assert.equal(await act("states:StartExecution", STATE_MACHINE), "Denied", "not the notify workflow");
      for (const [action, resource] of [
        ["states:StopExecution", `${CASES.replace(":stateMachine:", ":execution:")}:case-x`],
        ["states:StartSyncExecution", CASES],
        ["dynamodb:PutItem", TABLE],
        ["sns:Publish", TOPIC],
        ["iam:PassRole", CASE_ROLE],
      ]) {
        assert.equal(await act(action, resource), "Denied", action);
      }
      assert.deepEqual(
        acknowledge.Statement.map((statement) => statement.Action),
        ["states:StartExecution"],
      );
    });
  });
});

describe("the workflow role's inline policy with the most routes", () => {
  it(`stays well under IAM's 10,240 characters with ${MAX_ROUTES} routes of the longest names, in the longest region name`, () => {
    const region = [...COMMERCIAL_REGIONS].sort((a, b) => b.length - a.length)[0];
    const names = Array.from({ length: MAX_ROUTES }, (_, index) =>
      `r${String(index).padStart(2, "0")}`.padEnd(32, "x"),
    );
    const key = (id: string) => `arn:aws:kms:${region}:${CENTRAL}:key/0a1b2c3d-1111-2222-3333-44445555${id}`;
    const document = notifyRolePolicy({
      alert: { topicArn: `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts`, keyArn: key("6666") },
      ops: { topicArn: `arn:aws:sns:${region}:${CENTRAL}:abuse-alerts-ops`, keyArn: key("7777") },
      directoryAccountId: "100000000001",
      tableArn: `arn:aws:dynamodb:${region}:${CENTRAL}:table/abuse-alerts-state`,
      caseStateMachineArn: `arn:aws:states:${region}:${CENTRAL}:stateMachine:abuse-alerts-case`,
      routeTopicArns: names.map((name) => routeTopicArn(region, CENTRAL, name)),
    });
    // IAM counts the characters of the policy without its whitespace.
    const size = JSON.stringify(document).replace(/\s/g, "").length;
    assert.ok(size < 6000, `${size} characters: room for what other statements the role needs`);
  });
});

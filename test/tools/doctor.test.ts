import { strict as assert } from "node:assert";
import {
  ChatbotClient,
  ConfiguredTeam,
  DescribeSlackWorkspacesCommand,
  ListMicrosoftTeamsChannelConfigurationsCommand,
  ListMicrosoftTeamsConfiguredTeamsCommand,
  SlackWorkspace,
} from "@aws-sdk/client-chatbot";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeOrganizationsAccessCommand,
} from "@aws-sdk/client-cloudformation";
import { ListPoliciesForTargetCommand } from "@aws-sdk/client-organizations";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SQSClient,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { AttachedScp } from "../../accounts/scp";
import { configFromPulumi } from "../../config/read";
import {
  DescribeExecutionCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { contextHandler, contextsFromOrganization } from "../../sim/account-context";
import { notifyDefinition } from "../../notify/definition";
import { ExecutionResult, runStateMachine, TaskCall, TaskFailure } from "../../sim/step-functions";
import { forwarderRequirements, STACKSET_SHAPE, stackSetExecutionRole } from "../../tools/doctor/checks/scp";
import { blocksDelivery, renderDoctor } from "../../tools/doctor/report";
import { outputWidth } from "../../lib/tables";
import { DoctorOptions, runDoctor } from "../../tools/doctor/run";
import { Finding } from "../../tools/doctor/types";
import { routesCheck } from "../../tools/doctor/checks/routes";
import { routeTargetsIn } from "../../model/routes";
import { exampleOrg, MANAGEMENT, SECURITY_CONTACT } from "../helpers/example-org";
import { exampleNotifyArgs, prodConfigWith } from "../helpers/offline";
import { mockOrganizations, serviceError } from "../../sim/fake-organizations";

const config = configFromPulumi(prodConfigWith());
const stackSetConfig = configFromPulumi(prodConfigWith({ deployment: "stackset" }));

interface Scenario {
  /** The stack's config; the example prod stack in direct mode by default. */
  config?: typeof config;
  /** Who runs the doctor; the management account by default. */
  caller?: string;
  stackSetsAccess?: "ENABLED" | "DISABLED" | "denied";
  /** The notify workflow: deployed and working (default), absent, or its lookups refused. */
  workflow?: "missing" | "lookups-denied" | "contact-denied";
  delegatedAdministrators?: Record<string, string[]>;
  /** Service principals with trusted access in the organization. */
  trustedServices?: string[];
  identityFails?: boolean;
  deniedAccounts?: string[];
  workspaces?: SlackWorkspace[];
  /** Microsoft Teams teams onboarded in Chatbot. */
  teams?: ConfiguredTeam[];
  /** Names of the Teams channel configurations in each team. */
  teamsConfigurations?: Record<string, string[]>;
  /** Chatbot refuses to list the onboarded Teams teams. */
  teamsDenied?: boolean;
  scps?: Record<string, AttachedScp[]>;
  scpsDisabled?: boolean;
  organizationsDenied?: boolean;
  /** Messages waiting, by "account region queue". */
  dlqDepth?: Record<string, number>;
  missingQueues?: string[];
  /** Queues whose attributes cannot be read, by "account region queue". */
  unreadableQueues?: string[];
}

/** Every AWS call the doctor makes, answered by aws-sdk-client-mock from a scenario. */
function doctor(scenario: Scenario = {}) {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  if (scenario.identityFails)
    stsMock.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    );
  else
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: scenario.caller ?? MANAGEMENT,
      Arn: `arn:aws:sts::${scenario.caller ?? MANAGEMENT}:assumed-role/Admin/me`,
    });
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(":")[4];
    if (scenario.deniedAccounts?.includes(accountId)) {
      throw new STSServiceException({
        name: "AccessDenied",
        message: "not authorized to perform: sts:AssumeRole",
        $fault: "client",
        $metadata: {},
      });
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: "secret",
        SessionToken: "t",
        Expiration: new Date(),
      },
    };
  });

  const organizations = mockOrganizations(exampleOrg(), {
    scps: scenario.scps,
    delegatedAdministrators: scenario.delegatedAdministrators,
    trustedServices: scenario.trustedServices,
  });
  const cloudformation = new CloudFormationClient({ region: "us-east-1" });
  const cfnMock = mockClient(cloudformation);
  if (scenario.stackSetsAccess === "denied") {
    cfnMock.on(DescribeOrganizationsAccessCommand).rejects(
      new CloudFormationServiceException({
        name: "AccessDeniedException",
        message: "not authorized to perform: cloudformation:DescribeOrganizationsAccess",
        $fault: "client",
        $metadata: {},
      }),
    );
  } else {
    cfnMock
      .on(DescribeOrganizationsAccessCommand)
      .resolves({ Status: scenario.stackSetsAccess ?? "ENABLED" });
  }
  if (scenario.organizationsDenied)
    organizations.fail("DescribeOrganization", serviceError("AccessDeniedException", "no"));
  if (scenario.scpsDisabled) {
    organizations.mock
      .on(ListPoliciesForTargetCommand)
      .rejects(serviceError("PolicyTypeNotEnabledException", "SCPs are disabled"));
  }

  const chatbotCredentials: (AwsCredentialIdentity | undefined)[] = [];
  const chatbot = new ChatbotClient({ region: "us-west-2" });
  // @aws-sdk/client-chatbot 3.670, the newest the registry has, types against an older @smithy/types
  // than the other clients; at run time its send() is stubbed the same way.
  const chatbotMock = mockClient(chatbot as never);
  chatbotMock.on(DescribeSlackWorkspacesCommand as never).resolves({
    SlackWorkspaces: scenario.workspaces ?? [{ SlackTeamId: "T0123456789", SlackTeamName: "example-corp" }],
  } as never);
  if (scenario.teamsDenied) {
    chatbotMock.on(ListMicrosoftTeamsConfiguredTeamsCommand as never).rejects(
      Object.assign(new Error("not authorized to perform: chatbot:ListMicrosoftTeamsConfiguredTeams"), {
        name: "AccessDeniedException",
      }),
    );
  } else {
    chatbotMock
      .on(ListMicrosoftTeamsConfiguredTeamsCommand as never)
      .resolves({ ConfiguredTeams: scenario.teams ?? [] } as never);
  }
  chatbotMock.on(ListMicrosoftTeamsChannelConfigurationsCommand as never).callsFake(((input: {
    TeamId: string;
  }) => ({
    TeamChannelConfigurations: (scenario.teamsConfigurations?.[input.TeamId] ?? []).map((name) => ({
      ConfigurationName: name,
      TeamId: input.TeamId,
    })),
  })) as never);

  // The notify workflow, run by the offline interpreter from its real definition and the example
  // organization's context: StartExecution runs it, DescribeExecution returns what it returned.
  const executions = new Map<string, ExecutionResult>();
  const dryRuns: { region: string; input: { dryRun: boolean; event: { account: string } } }[] = [];
  const sfn = (region: string) => {
    const client = new SFNClient({ region });
    const mock = mockClient(client);
    mock.on(StartExecutionCommand).callsFake(async (input: { stateMachineArn: string; input: string }) => {
      if (scenario.workflow === "missing") {
        throw new SFNServiceException({
          name: "StateMachineDoesNotExist",
          message: "State Machine Does Not Exist",
          $fault: "client",
          $metadata: {},
        });
      }
      const parsed = JSON.parse(input.input) as (typeof dryRuns)[number]["input"];
      dryRuns.push({ region, input: parsed });
      const lookups = contextHandler(contextsFromOrganization(exampleOrg(), SECURITY_CONTACT), {
        directoryAccountId: MANAGEMENT,
      });
      const service = scenario.workflow === "contact-denied" ? "account" : "organizations";
      const denied = (call: TaskCall) =>
        call.resource.includes(`:${service}:`)
          ? Promise.reject(
              new TaskFailure(
                service === "account"
                  ? "Account.AccessDeniedException"
                  : "Organizations.AccessDeniedException",
                service === "account"
                  ? "trusted access is not enabled for Account Management"
                  : "not authorized to assume the directory role",
              ),
            )
          : lookups(call);
      const definition = notifyDefinition(
        exampleNotifyArgs(region, "111111111111", {
          routes: routeTargetsIn(region, "111111111111", (scenario.config ?? config).routes),
        }),
      );
      const executionArn = `${input.stateMachineArn}:run-${executions.size}`;
      executions.set(
        executionArn,
        await runStateMachine(definition, parsed, {
          now: new Date(),
          handler: scenario.workflow?.endsWith("-denied") ? denied : lookups,
        }),
      );
      return { executionArn };
    });
    mock.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
      const execution = executions.get(input.executionArn) ?? assert.fail("unknown execution");
      return {
        status: execution.status,
        output: JSON.stringify(execution.output),
        error: execution.error?.Error,
        cause: execution.error?.Cause,
      };
    });
    return client;
  };

  const queuesRead: string[] = [];
  const sqs = (region: string, credentials?: AwsCredentialIdentity) => {
    const accountId = credentials
      ? credentials.accessKeyId.replace("ASIA", "")
      : (scenario.caller ?? MANAGEMENT);
    const client = new SQSClient({ region });
    const mock = mockClient(client);
    mock.on(GetQueueUrlCommand).callsFake((input: { QueueName: string }) => {
      const key = `${accountId} ${region} ${input.QueueName}`;
      queuesRead.push(key);
      if (scenario.missingQueues?.includes(key)) {
        throw new SQSServiceException({
          name: "QueueDoesNotExist",
          message: "The specified queue does not exist.",
          $fault: "client",
          $metadata: {},
        });
      }
      return { QueueUrl: `https://sqs.${region}.amazonaws.com/${accountId}/${input.QueueName}` };
    });
    mock.on(GetQueueAttributesCommand).callsFake((input: { QueueUrl: string }) => {
      const [, , , accountPart, queueName] = input.QueueUrl.split("/");
      if (scenario.unreadableQueues?.includes(`${accountPart} ${region} ${queueName}`)) {
        throw new SQSServiceException({
          name: "AccessDenied",
          message: "not authorized to perform: sqs:getqueueattributes",
          $fault: "client",
          $metadata: {},
        });
      }
      const depth = scenario.dlqDepth?.[`${accountPart} ${region} ${queueName}`] ?? 0;
      return {
        Attributes: {
          ApproximateNumberOfMessages: String(depth),
          ApproximateNumberOfMessagesNotVisible: "0",
        },
      };
    });
    return client;
  };

  const run = (options: DoctorOptions = {}) =>
    runDoctor(
      {
        sts,
        organizations: organizations.client,
        chatbot: (credentials) => {
          chatbotCredentials.push(credentials);
          return chatbot;
        },
        sqs,
        cloudformation,
        sfn,
      },
      scenario.config ?? config,
      options,
    );
  return { run, stsMock, organizations, chatbotCredentials, queuesRead, cfnMock, dryRuns };
}

const problems = (findings: Finding[]) => findings.filter((finding) => finding.status !== "ok");
const byCheck = (findings: Finding[], check: Finding["check"]) =>
  findings.filter((finding) => finding.check === check);

describe("npm run doctor", () => {
  it("finds nothing wrong in a healthy organization, and says so for every check", async () => {
    const { run, chatbotCredentials, queuesRead, organizations } = doctor();
    const findings = await run();
    const calls = (name: string) => organizations.calls.filter((call) => call.startsWith(`${name} `)).length;
    assert.equal(calls("DescribePolicy"), 1, "FullAWSAccess is read once for every level of every account");
    // 6 accounts (SCPs do not apply to the management account) and the 5 OUs above them, once each.
    assert.equal(calls("ListParents"), 6 + 5);
    assert.deepEqual(problems(findings), []);
    assert.equal(blocksDelivery(findings), false);
    assert.deepEqual(
      [...new Set(findings.map((finding) => finding.check))],
      [
        "identity",
        "organization",
        "security contact",
        "member role",
        "slack",
        "scp",
        "workflow",
        "dead letters",
      ],
    );
    assert.match(byCheck(findings, "slack")[0].detail, /T0123456789 \(example-corp\) is authorized/);
    assert.equal(
      chatbotCredentials[0]?.accessKeyId,
      "ASIA111111111111",
      "Chatbot is read in the central account",
    );
    // 7 accounts × 2 regions forwarder DLQs, and 4 central DLQs × 2 regions.
    assert.equal(queuesRead.length, 7 * 2 + 4 * 2);
    assert.ok(
      queuesRead.includes("100000000001 us-west-2 abuse-alerts-forwarder-dlq"),
      "the caller's own account with its own credentials",
    );
    assert.ok(queuesRead.includes("111111111111 us-east-1 abuse-alerts-abuse-dlq"));
    assert.match(renderDoctor(findings), /Nothing blocks delivery of alerts\./);
  });

  it("reports each account whose member role cannot be assumed, with the fix, and skips its queues", async () => {
    const { run, queuesRead } = doctor({ deniedAccounts: ["222222222222"] });
    const findings = await run();
    const [failure, ...others] = byCheck(findings, "member role");
    assert.equal(others.length, 0);
    assert.equal(failure.status, "fail");
    assert.equal(failure.subject, "account 222222222222");
    assert.match(failure.detail, /cannot assume role OrganizationAccountAccessRole: AccessDenied/);
    assert.match(
      failure.fix ?? "",
      /create role OrganizationAccountAccessRole in 222222222222 trusting account 100000000001/,
    );
    assert.ok(!queuesRead.some((queue) => queue.startsWith("222222222222")));
    assert.equal(blocksDelivery(findings), true);
  });

  it("fails when the Slack workspace is not authorized for Chatbot, listing those that are", async () => {
    const { run } = doctor({ workspaces: [{ SlackTeamId: "T9999999999", SlackTeamName: "other-corp" }] });
    const [slack] = byCheck(await run(), "slack");
    assert.equal(slack.status, "fail");
    assert.match(
      slack.detail,
      /T0123456789 is not authorized for Chatbot \(authorized: T9999999999 \(other-corp\)\)/,
    );
    assert.match(
      slack.fix ?? "",
      /in account 111111111111, open the Amazon Q Developer in chat applications \(Chatbot\) console/,
    );
  });

  describe("routes' channels", () => {
    const TEAM = "0a1b2c3d-1111-2222-3333-444455556666";
    const TENANT = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
    const routesConfig = configFromPulumi(
      prodConfigWith({
        routes: [
          { name: "prod", slack: { channelId: "C0PRODTEAM1" }, organizationalUnits: ["ou-ex12-prod0001"] },
          {
            name: "web",
            slack: { workspaceId: "T0OTHERWS1", channelId: "C0WEB00001" },
            accounts: ["222222222222", "111111111112"],
          },
          {
            name: "payments",
            teams: { teamId: TEAM, channelId: "19:0a1b@thread.tacv2", tenantId: TENANT },
            tags: { team: "payments" },
          },
        ],
      }),
    );
    const healthy: Scenario = {
      config: routesConfig,
      workspaces: [
        { SlackTeamId: "T0123456789", SlackTeamName: "example-corp" },
        { SlackTeamId: "T0OTHERWS1", SlackTeamName: "web-corp" },
      ],
      teams: [{ TeamId: TEAM, TenantId: TENANT, TeamName: "Payments" }],
      teamsConfigurations: { [TEAM]: ["abuse-alerts-route-payments"] },
    };
    const routes = async (scenario: Scenario) =>
      byCheck(await doctor(scenario).run({ checks: [routesCheck] }), "routes");

    it("checks every route's channel in the central account: Slack workspaces authorized, the Teams team onboarded", async () => {
      const { run, chatbotCredentials } = doctor(healthy);
      const findings = await run();
      assert.deepEqual(problems(findings), []);
      assert.ok(findings.some((finding) => finding.check === "routes"));
      assert.deepEqual(
        byCheck(findings, "routes").map((finding) => `${finding.subject}: ${finding.detail}`),
        [
          "route prod: Slack channel C0PRODTEAM1: workspace T0123456789 (example-corp) is authorized for Chatbot",
          "route web: Slack channel C0WEB00001: workspace T0OTHERWS1 (web-corp) is authorized for Chatbot",
          `route payments: Microsoft Teams team ${TEAM} (Payments) is onboarded in Chatbot, tenant ${TENANT}`,
        ],
      );
      assert.ok(chatbotCredentials.every((credentials) => credentials?.accessKeyId === "ASIA111111111111"));
      // The dry run of the deployed workflow says where a real alert for its sample account would go.
      assert.match(
        byCheck(findings, "workflow")[0].detail,
        /^a dry run found Account log-archive \(111111111112\); .*; Also sent to web \(account 111111111112\)$/,
      );
    });

    it("fails a route whose Slack workspace is not authorized, or disabled by an organization policy", async () => {
      const [, web] = await routes({ ...healthy, workspaces: healthy.workspaces?.slice(0, 1) });
      assert.equal(web.status, "fail");
      assert.match(
        web.detail,
        /workspace T0OTHERWS1 is not authorized for Chatbot \(authorized: T0123456789 \(example-corp\)\)/,
      );
      assert.match(
        web.fix ?? "",
        /Configure new client, Slack, .*or fix abuse-alerts:routes\[1\].slack.workspaceId/,
      );
      const disabled = await routes({
        ...healthy,
        workspaces: [
          {
            SlackTeamId: "T0123456789",
            SlackTeamName: "example-corp",
            State: "DISABLED",
            StateReason: "Slack is denied",
          },
          { SlackTeamId: "T0OTHERWS1", SlackTeamName: "web-corp" },
        ],
      });
      assert.equal(disabled[0].status, "fail");
      assert.match(disabled[0].detail, /is disabled in Chatbot: Slack is denied/);
    });

    it("fails a route whose Teams team is not onboarded, or onboarded under another tenant", async () => {
      const [, , missing] = await routes({ ...healthy, teams: [] });
      assert.equal(missing.status, "fail");
      assert.match(
        missing.detail,
        new RegExp(`team ${TEAM} is not onboarded in Chatbot \\(onboarded: none\\)`),
      );
      assert.match(
        missing.fix ?? "",
        /Configure new client, Microsoft Teams, .*or fix abuse-alerts:routes\[2\].teams/,
      );
      const other = "11111111-2222-3333-4444-555555555555";
      const [, , tenant] = await routes({
        ...healthy,
        teams: [{ TeamId: TEAM, TenantId: other, TeamName: "Payments" }],
      });
      assert.equal(tenant.status, "fail");
      assert.match(tenant.detail, new RegExp(`is onboarded in tenant ${other}, not ${TENANT}`));
      assert.equal(tenant.fix, `set abuse-alerts:routes[2].teams.tenantId to ${other}`);
    });

    it("says which Chatbot permission it lacks when it cannot list the onboarded teams", async () => {
      const findings = await routes({ ...healthy, teamsDenied: true });
      assert.deepEqual(
        findings.map((finding) => finding.status),
        ["ok", "ok", "fail"],
      );
      assert.match(
        findings[2].detail,
        /^chatbot:ListMicrosoftTeamsConfiguredTeams failed in us-west-2: AccessDeniedException: /,
      );
      assert.equal(
        findings[2].fix,
        "allow chatbot:ListMicrosoftTeamsConfiguredTeams to the member role in the central account",
      );
    });

    it("fails a Teams route whose team already has another channel configuration, which the provider would mistake for the route's", async () => {
      const [, , payments] = await routes({
        ...healthy,
        teamsConfigurations: { [TEAM]: ["finance-alarms", "abuse-alerts-route-payments"] },
      });
      assert.equal(payments.status, "fail");
      assert.match(
        payments.detail,
        /already has channel configuration finance-alarms: the AWS provider finds a Teams configuration by its team alone \(terraform-provider-aws#38943\)/,
      );
      assert.match(
        payments.fix ?? "",
        /delete that configuration in account 111111111111, or give the route a channel of another team/,
      );
    });
  });

  it("fails for every account under an OU whose SCP denies what the forwarder needs, naming OU and policy", async () => {
    const noEvents: AttachedScp = {
      id: "p-noevents",
      name: "DenyEventBridge",
      document: {
        Version: "2012-10-17",
        Statement: [
          { Sid: "NoRules", Effect: "Deny", Action: ["events:PutRule", "events:PutTargets"], Resource: "*" },
        ],
      },
    };
    const { run } = doctor({
      scps: {
        "ou-ex12-prod0001": [
          {
            id: "p-FullAWSAccess",
            name: "FullAWSAccess",
            document: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          },
          noEvents,
        ],
      },
    });
    const failures = byCheck(await run(), "scp");
    assert.ok(failures.every((finding) => finding.status === "fail"));
    // Three accounts under Prod (one in a child OU), two regions, two actions.
    assert.equal(failures.length, 3 * 2 * 2);
    assert.deepEqual([...new Set(failures.map((finding) => finding.subject.split(",")[0]))].sort(), [
      "account 222222222221",
      "account 222222222222",
      "account 222222222223",
    ]);
    assert.match(
      failures[0].detail,
      /explicit Deny of events:PutRule for role\/OrganizationAccountAccessRole \(ou-ex12-prod0001 \/ DenyEventBridge \/ NoRules\)/,
    );
    assert.match(
      failures[0].fix ?? "",
      /exempt arn:aws:iam::222222222221:role\/OrganizationAccountAccessRole from that statement/,
    );
  });

  it("catches an SCP that would stop the forwarder role from putting events at run time", async () => {
    const noPut: AttachedScp = {
      id: "p-noput",
      name: "NoCrossAccountEvents",
      document: {
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          {
            Effect: "Deny",
            Action: "events:PutEvents",
            Resource: "arn:aws:events:*:111111111111:event-bus/*",
          },
        ],
      },
    };
    const failures = byCheck(await doctor({ scps: { "333333333333": [noPut] } }).run(), "scp");
    assert.deepEqual(
      failures.map((finding) => `${finding.subject}: ${finding.detail.split(" for ")[0]}`),
      [
        "account 333333333333, us-east-1: explicit Deny of events:PutEvents",
        "account 333333333333, us-west-2: explicit Deny of events:PutEvents",
      ],
    );
    assert.match(failures[0].detail, /for role\/abuse-alerts-forwarder/);
  });

  it("warns, without failing, about an SCP whose conditions it cannot evaluate", async () => {
    const tagged: AttachedScp = {
      id: "p-tags",
      name: "RequireTags",
      document: {
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          {
            Effect: "Deny",
            Action: "sqs:CreateQueue",
            Resource: "*",
            Condition: { Null: { "aws:RequestTag/cost-center": "true" } },
          },
        ],
      },
    };
    const findings = await doctor({ scps: { "111111111112": [tagged] } }).run();
    const warnings = byCheck(findings, "scp");
    assert.equal(warnings.length, 2);
    assert.ok(
      warnings.every(
        (finding) => finding.status === "warn" && finding.subject.startsWith("account 111111111112"),
      ),
    );
    assert.equal(blocksDelivery(findings), false);
  });

  it("says so when the organization has no SCPs enabled", async () => {
    const [scp, ...others] = byCheck(await doctor({ scpsDisabled: true }).run(), "scp");
    assert.equal(others.length, 0);
    assert.deepEqual(
      [scp.status, scp.detail],
      ["ok", "service control policies are not enabled: none restricts the forwarder"],
    );
  });

  it("fails for every dead-letter queue holding events, and warns about one not deployed yet", async () => {
    const { run } = doctor({
      dlqDepth: {
        "222222222221 us-east-1 abuse-alerts-forwarder-dlq": 3,
        "111111111111 us-west-2 abuse-alerts-risk-dlq": 1,
      },
      missingQueues: ["333333333333 us-west-2 abuse-alerts-forwarder-dlq"],
    });
    const findings = byCheck(await run(), "dead letters");
    assert.deepEqual(
      findings.map((finding) => `${finding.status} ${finding.subject}: ${finding.detail}`).sort(),
      [
        "fail account 111111111111, us-west-2: 1 event(s) failed delivery and wait in abuse-alerts-risk-dlq",
        "fail account 222222222221, us-east-1: 3 event(s) failed delivery and wait in abuse-alerts-forwarder-dlq",
        "warn account 333333333333, us-west-2: queue abuse-alerts-forwarder-dlq does not exist",
      ],
    );
    assert.match(
      findings.find((finding) => finding.status === "fail")?.fix ?? "",
      /ERROR_CODE and ERROR_MESSAGE say why/,
    );
  });

  it("fails, rather than reports no dead letters, when a queue cannot be read", async () => {
    const findings = await doctor({
      unreadableQueues: ["222222222222 us-east-1 abuse-alerts-forwarder-dlq"],
    }).run();
    const deadLetters = byCheck(findings, "dead letters");
    assert.deepEqual(
      deadLetters.map((finding) => `${finding.status} ${finding.subject}: ${finding.detail}`),
      [
        "fail account 222222222222, us-east-1: cannot read abuse-alerts-forwarder-dlq: AccessDenied: not authorized to perform: sqs:getqueueattributes",
      ],
    );
    assert.equal(blocksDelivery(findings), true);
  });

  it("brings every progress bar to its total, and stops it", async () => {
    const bars: { label: string; total: number; ticks: number; stopped: boolean }[] = [];
    await doctor().run({
      progress: (label, total) => {
        const bar = { label, total, ticks: 0, stopped: false };
        bars.push(bar);
        return {
          tick: () => void (bar.ticks += 1),
          update: () => assert.fail("no doctor check grows its total"),
          stop: () => void (bar.stopped = true),
        };
      },
    });
    assert.deepEqual(
      bars.map((bar) => `${bar.label}: ${bar.ticks}/${bar.total}${bar.stopped ? " stopped" : ""}`),
      [
        "assuming OrganizationAccountAccessRole: 7/7 stopped",
        // The management account is not read: SCPs do not apply to it.
        "reading service control policies: 6/6 stopped",
        "reading dead-letter queues: 22/22 stopped",
      ],
    );
  });

  it("asks for hour-long sessions, so the queues are still readable after a long SCP scan", async () => {
    const { run, stsMock } = doctor();
    await run();
    const durations = stsMock
      .commandCalls(AssumeRoleCommand)
      .map((call) => call.args[0].input.DurationSeconds);
    assert.ok(durations.length > 0 && durations.every((duration) => duration === 3600));
  });

  it("stops early, with the reason, when Organizations cannot be read", async () => {
    const { run, stsMock } = doctor({ organizationsDenied: true });
    const findings = await run();
    assert.deepEqual(
      findings.map((finding) => `${finding.check} ${finding.status}`),
      ["identity ok", "organization fail"],
    );
    assert.match(
      findings[1].detail,
      /may not read AWS Organizations .*management account or of an Organizations delegated administrator/,
    );
    assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0);
  });

  it("stops at once without credentials", async () => {
    const findings = await doctor({ identityFails: true }).run();
    assert.deepEqual(
      findings.map((finding) => `${finding.check} ${finding.status}`),
      ["identity fail"],
    );
    assert.match(findings[0].detail, /aws sso login/);
    const text = renderDoctor(findings);
    assert.match(
      text,
      /│ Status │ Check +│ Where +│ Problem +│\n/,
      "the message holds its fix: no empty Fix column",
    );
    assert.doesNotMatch(text, /│ Fix/);
    assert.match(
      text.replace(/\n/g, " "),
      /The doctor stopped there: it can check nothing else without this\. Fix it, then run npm run doctor again\.$/,
    );
    const tooWide = text.split("\n").filter((line) => line.length > outputWidth());
    assert.deepEqual(tooWide, [], "the closing sentence wraps to the terminal, as the tables do");
    assert.doesNotMatch(text, /blocks delivery/, "missing credentials stop the doctor, not the alerts");
  });

  it("renders a summary per check and a table of problems with fixes", async () => {
    const findings = await doctor({
      deniedAccounts: ["222222222222"],
      dlqDepth: { "222222222221 us-east-1 abuse-alerts-forwarder-dlq": 2 },
    }).run();
    const text = renderDoctor(findings);
    assert.match(text, /│ member role +│ FAIL +│ 1 problem, see below/);
    assert.match(text, /│ Status │ Check +│ Where +│ Problem +│ Fix +│/);
    assert.match(text, /│ slack +│ OK +│ Slack workspace T0123456789/);
    assert.match(text, /Problems/);
    assert.match(text, /│ FAIL +│ member role +│ account 222222222222/);
    assert.match(text, /2 problems block delivery of alerts\. Fix them,/);
  });

  it("lists what the forwarder needs: IAM once, EventBridge and SQS per region, PutEvents as the forwarder role", () => {
    const needs = forwarderRequirements(
      "222222222221",
      ["us-east-1", "us-west-2"],
      config.centralAccountId,
      "arn:aws:iam::222222222221:role/OrganizationAccountAccessRole",
    );
    assert.deepEqual(
      needs.filter((need) => need.action.startsWith("iam:")).map((need) => need.action),
      ["iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"],
    );
    assert.equal(needs.filter((need) => need.action === "events:PutRule").length, 2);
    const put = needs.find((need) => need.action === "events:PutEvents" && need.region === "us-west-2");
    assert.deepEqual(put, {
      action: "events:PutEvents",
      resource: "arn:aws:events:us-west-2:111111111111:event-bus/abuse-alerts",
      region: "us-west-2",
      principal: "arn:aws:iam::222222222221:role/abuse-alerts-forwarder",
    });
  });

  it("the StackSet's needs: IAM per region's role, its stacks, and PutEvents as that region's role", () => {
    const needs = forwarderRequirements(
      "222222222221",
      ["us-east-1", "us-west-2"],
      config.centralAccountId,
      stackSetExecutionRole("222222222221"),
      STACKSET_SHAPE,
    );
    assert.deepEqual(
      needs.filter((need) => need.action === "iam:CreateRole").map((need) => need.resource),
      [
        "arn:aws:iam::222222222221:role/abuse-alerts-stackset-us-east-1",
        "arn:aws:iam::222222222221:role/abuse-alerts-stackset-us-west-2",
      ],
    );
    assert.ok(
      needs.some(
        (need) =>
          need.action === "cloudformation:CreateStack" &&
          need.resource ===
            "arn:aws:cloudformation:us-west-2:222222222221:stack/StackSet-abuse-alerts-forwarder-*",
      ),
    );
    const put = needs.find((need) => need.action === "events:PutEvents" && need.region === "us-west-2");
    assert.equal(put?.principal, "arn:aws:iam::222222222221:role/abuse-alerts-stackset-us-west-2");
  });
});

describe("npm run doctor, deployment: stackset", () => {
  it("checks StackSets' trusted access and who administers it, then the SCPs for the StackSet's execution role", async () => {
    const { run, queuesRead, cfnMock } = doctor({ config: stackSetConfig });
    const findings = await run();
    assert.deepEqual(problems(findings), []);
    assert.deepEqual(
      [...new Set(findings.map((finding) => finding.check))],
      [
        "identity",
        "organization",
        "stackset admin",
        "stackset access",
        "security contact",
        "member role",
        "slack",
        "stackset scp",
        "workflow",
        "dead letters",
      ],
    );
    assert.equal(cfnMock.commandCalls(DescribeOrganizationsAccessCommand)[0].args[0].input.CallAs, "SELF");
    assert.ok(queuesRead.includes("222222222221 us-east-1 abuse-alerts-stackset-dlq"));
    assert.ok(
      queuesRead.includes("100000000001 us-west-2 abuse-alerts-forwarder-dlq"),
      "the management account's own forwarder",
    );
    assert.ok(queuesRead.includes("100000000001 us-east-1 abuse-alerts-stackset-failures-dlq"));
    assert.ok(queuesRead.includes("111111111111 us-east-1 abuse-alerts-coverage-dlq"));
    assert.ok(
      !queuesRead.includes("111111111111 us-west-2 abuse-alerts-coverage-dlq"),
      "coverage alerts come in us-east-1 only",
    );
  });

  it("fails, with the command that fixes it, when trusted access for StackSets is off", async () => {
    const findings = await doctor({ config: stackSetConfig, stackSetsAccess: "DISABLED" }).run();
    const [access] = byCheck(findings, "stackset access");
    assert.equal(access.status, "fail");
    assert.match(access.detail, /trusted access for CloudFormation StackSets is DISABLED/);
    assert.match(access.fix ?? "", /aws cloudformation activate-organizations-access/);
    assert.equal(blocksDelivery(findings), true);
  });

  it("from another account: fails unless it is a registered StackSets delegated administrator", async () => {
    const delegated = "111111111112";
    const unregistered = await doctor({ config: stackSetConfig, caller: delegated }).run();
    const [admin] = byCheck(unregistered, "stackset admin");
    assert.equal(admin.status, "fail");
    assert.match(
      admin.fix ?? "",
      /aws organizations register-delegated-administrator --account-id 111111111112 --service-principal member.org.stacksets.cloudformation.amazonaws.com/,
    );
    const { run, cfnMock } = doctor({
      config: stackSetConfig,
      caller: delegated,
      delegatedAdministrators: { "member.org.stacksets.cloudformation.amazonaws.com": [delegated] },
    });
    const [registered] = byCheck(await run(), "stackset admin");
    assert.equal(registered.status, "ok");
    assert.equal(
      cfnMock.commandCalls(DescribeOrganizationsAccessCommand)[0].args[0].input.CallAs,
      "DELEGATED_ADMIN",
    );
  });

  it("fails for accounts whose SCPs deny the StackSet's execution role, and passes one that exempts stacksets-exec-*", async () => {
    const denyIam = (exempt: boolean): AttachedScp => ({
      id: "p-noiam",
      name: "NoIamRoles",
      document: {
        Statement: [
          { Effect: "Allow", Action: "*", Resource: "*" },
          {
            Sid: "NoRoles",
            Effect: "Deny",
            Action: "iam:CreateRole",
            Resource: "*",
            ...(exempt
              ? { Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/stacksets-exec-*" } } }
              : {}),
          },
        ],
      },
    });
    const denied = byCheck(
      await doctor({ config: stackSetConfig, scps: { "ou-ex12-dev00001": [denyIam(false)] } }).run(),
      "stackset scp",
    );
    assert.deepEqual(
      [...new Set(denied.map((finding) => `${finding.status} ${finding.subject.split(",")[0]}`))],
      ["fail account 333333333333"],
    );
    assert.match(denied[0].detail, /explicit Deny of iam:CreateRole for role\/stacksets-exec-/);
    const exempt = byCheck(
      await doctor({ config: stackSetConfig, scps: { "ou-ex12-dev00001": [denyIam(true)] } }).run(),
      "stackset scp",
    );
    assert.deepEqual(problems(exempt), []);
  });
});

describe("npm run doctor, abuse-alerts:securityContact", () => {
  it("fails, with the command, when trusted access for Account Management is off", async () => {
    const findings = await doctor({
      trustedServices: ["member.org.stacksets.cloudformation.amazonaws.com"],
    }).run();
    const [contact] = byCheck(findings, "security contact");
    assert.equal(contact.status, "fail");
    assert.match(contact.detail, /trusted access for Account Management is off/);
    assert.match(
      contact.fix ?? "",
      /aws organizations enable-aws-service-access --service-principal account.amazonaws.com/,
    );
  });

  it("from another account: fails unless it is the Account Management delegated administrator", async () => {
    const delegated = "111111111112";
    const stackSets = { "member.org.stacksets.cloudformation.amazonaws.com": [delegated] };
    const unregistered = byCheck(
      await doctor({ config: stackSetConfig, caller: delegated, delegatedAdministrators: stackSets }).run(),
      "security contact",
    );
    assert.deepEqual(
      unregistered.map((finding) => finding.status),
      ["ok", "fail"],
    );
    assert.match(
      unregistered[1].fix ?? "",
      /register-delegated-administrator --account-id 111111111112 --service-principal account.amazonaws.com/,
    );
    const registered = byCheck(
      await doctor({
        config: stackSetConfig,
        caller: delegated,
        delegatedAdministrators: { ...stackSets, "account.amazonaws.com": [delegated] },
      }).run(),
      "security contact",
    );
    assert.deepEqual(problems(registered), []);
  });

  it("without one configured, still checks the trusted access the alerts read contacts with, and only warns", async () => {
    const config = configFromPulumi(prodConfigWith({ securityContact: undefined }));
    const on = byCheck(await doctor({ config }).run(), "security contact");
    assert.deepEqual(
      on.map((finding) => [finding.status, finding.detail]),
      [["ok", "trusted access for Account Management is on"]],
    );
    const off = byCheck(
      await doctor({ config, trustedServices: ["member.org.stacksets.cloudformation.amazonaws.com"] }).run(),
      "security contact",
    );
    assert.deepEqual(
      off.map((finding) => finding.status),
      ["warn"],
    );
    assert.match(off[0].detail, /the alerts cannot read the accounts' SECURITY contact/);
    // Not the delegated administrator for Account Management: nothing to set, so no finding.
    const delegated = "111111111112";
    const fromMember = byCheck(
      await doctor({
        config: configFromPulumi(prodConfigWith({ securityContact: undefined, deployment: "stackset" })),
        caller: delegated,
        delegatedAdministrators: { "member.org.stacksets.cloudformation.amazonaws.com": [delegated] },
      }).run(),
      "security contact",
    );
    assert.deepEqual(
      fromMember.map((finding) => finding.status),
      ["ok"],
    );
  });
});

describe("npm run doctor, the notify workflow's dry run", () => {
  it("runs the workflow in every hub region for a member account and shows the context it found", async () => {
    const { run, dryRuns } = doctor();
    const findings = byCheck(await run({ pollIntervalMs: 1 }), "workflow");
    assert.deepEqual(
      dryRuns.map((dryRun) => [dryRun.region, dryRun.input.dryRun, dryRun.input.event.account]),
      [
        ["us-east-1", true, "111111111112"],
        ["us-west-2", true, "111111111112"],
      ],
    );
    assert.deepEqual(
      findings.map((finding) => finding.status),
      ["ok", "ok"],
    );
    assert.match(
      findings[0].detail,
      /a dry run found Account log-archive \(111111111112\); OU Root \/ Security; Owner owner: secops@example.com · team: security · environment: prod; Report sent to the security contact secops@example.com/,
    );
  });

  it("warns, naming what is missing and why, when the lookups are refused", async () => {
    const [finding] = byCheck(
      await doctor({ workflow: "lookups-denied" }).run({ pollIntervalMs: 1 }),
      "workflow",
    );
    assert.equal(finding.status, "warn");
    assert.match(
      finding.detail,
      /account name and root email, OU path, owner tags \(Organizations.AccessDeniedException: not authorized/,
    );
    assert.match(finding.fix ?? "", /abuse-alerts-directory/);
    assert.doesNotMatch(finding.fix ?? "", /Account Management/);
  });

  it("points a missing security contact at Account Management's trusted access, not at the role", async () => {
    const [finding] = byCheck(
      await doctor({ workflow: "contact-denied" }).run({ pollIntervalMs: 1 }),
      "workflow",
    );
    assert.equal(finding.status, "warn");
    assert.match(finding.detail, /security contact \(Account.AccessDeniedException: trusted access/);
    assert.equal(
      finding.fix,
      "the security contact lookup needs trusted access for Account Management (see the security contact check)",
    );
  });

  it("fails, saying to deploy, when the workflow does not exist", async () => {
    const findings = await doctor({ workflow: "missing" }).run({ pollIntervalMs: 1 });
    const [finding] = byCheck(findings, "workflow");
    assert.equal(finding.status, "fail");
    assert.match(
      finding.detail,
      /cannot start a dry run of arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-notify: StateMachineDoesNotExist/,
    );
    assert.match(finding.fix ?? "", /run pulumi up/);
    assert.equal(blocksDelivery(findings), true);
  });
});

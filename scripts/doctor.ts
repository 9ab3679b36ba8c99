import { ChatbotClient, paginateDescribeSlackWorkspaces } from "@aws-sdk/client-chatbot";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { Command } from "commander";
import pLimit from "p-limit";
import { memberRoleArn } from "../accounts/assume";
import { discoverAccounts, Discovery } from "../accounts/discover";
import { errorCode, errorMessage } from "../accounts/errors";
import { createStsClient, getCaller } from "../accounts/identity";
import { AwsOrganizationDirectory, collectPages, createOrganizationsClient } from "../accounts/organizations";
import { probeFix, probeMemberRoles } from "../accounts/probe";
import { withRetries } from "../accounts/retry";
import { evaluateScps, ScpLevel } from "../accounts/scp";
import { Caller, DiscoveryError } from "../accounts/types";
import {
  CENTRAL_BUS_NAME,
  centralBusArn,
  centralDlqName,
  CHATBOT_API_REGION,
  FORWARDER_DLQ_NAME,
  FORWARDER_ROLE_NAME,
  FORWARDER_RULE_NAME,
} from "../components/names";
import { centralRules } from "../components/rules";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../config/schema";
import { loadStackFileConfig } from "../config/stack-file";
import { runCommand } from "../lib/cli";
import { Progress, progressBar } from "../lib/progress";
import { newTable } from "../lib/tables";

export type Status = "ok" | "warn" | "fail";

export const CHECKS = ["identity", "organization", "member role", "slack", "scp", "dead letters"] as const;
export type Check = (typeof CHECKS)[number];

export interface Finding {
  check: Check;
  status: Status;
  /** Account, region or resource the finding is about. */
  subject: string;
  detail: string;
  fix?: string;
}

export interface DoctorClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  /** Chatbot's API, in the central account (credentials) or the caller's. */
  chatbot: (credentials?: AwsCredentialIdentity) => ChatbotClient;
  sqs: (region: string, credentials?: AwsCredentialIdentity) => SQSClient;
}

/** Starts a progress bar for a number of steps. */
type ProgressFactory = (label: string, total: number) => Progress;

export interface DoctorOptions {
  /** Parallel per-account checks (default 8). */
  concurrency?: number;
  progress?: ProgressFactory;
}

const silent = (): Progress => ({ tick: () => undefined, stop: () => undefined });

/** The role ARN behind an assumed-role session ARN, as SCP conditions on aws:PrincipalArn see it. */
function principalArn(arn: string): string {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : arn;
}

export interface Requirement {
  action: string;
  resource: string;
  region: string;
  /** Who makes the call: the deploying role, or the forwarder's role when it runs. */
  principal: string;
}

/** What deploying and running the forwarder asks of an account, per region; IAM once, in us-east-1. */
export function forwarderRequirements(
  accountId: string,
  regions: readonly string[],
  config: AbuseAlertsConfig,
  deployer: string,
): Requirement[] {
  const role = `arn:aws:iam::${accountId}:role/${FORWARDER_ROLE_NAME}`;
  const iam = ["iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"].map((action) => ({
    action,
    resource: role,
    region: GLOBAL_EVENTS_REGION,
    principal: deployer,
  }));
  const regional = regions.flatMap((region) => {
    const rule = `arn:aws:events:${region}:${accountId}:rule/${FORWARDER_RULE_NAME}`;
    const queue = `arn:aws:sqs:${region}:${accountId}:${FORWARDER_DLQ_NAME}`;
    return [
      { action: "events:PutRule", resource: rule, region, principal: deployer },
      { action: "events:PutTargets", resource: rule, region, principal: deployer },
      { action: "sqs:CreateQueue", resource: queue, region, principal: deployer },
      { action: "sqs:SetQueueAttributes", resource: queue, region, principal: deployer },
      {
        action: "events:PutEvents",
        resource: centralBusArn(region, config.centralAccountId),
        region,
        principal: role,
      },
    ];
  });
  return [...iam, ...regional];
}

/** The deepest AWS error code in a failed SDK call, for messages. */
const describe = (error: unknown) => `${errorCode(error)}: ${errorMessage(error)}`;

async function checkSlack(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  credentials: AwsCredentialIdentity | undefined,
): Promise<Finding> {
  const subject = `account ${config.centralAccountId}`;
  try {
    const workspaces = await collectPages(
      paginateDescribeSlackWorkspaces({ client: clients.chatbot(credentials) }, {}),
      (page) => page.SlackWorkspaces,
    );
    const found = workspaces.find((workspace) => workspace.SlackTeamId === config.slack.workspaceId);
    if (found) {
      return {
        check: "slack",
        status: "ok",
        subject,
        detail: `Slack workspace ${config.slack.workspaceId} (${found.SlackTeamName}) is authorized for Chatbot`,
      };
    }
    const listed =
      workspaces.map((workspace) => `${workspace.SlackTeamId} (${workspace.SlackTeamName})`).join(", ") ||
      "none";
    return {
      check: "slack",
      status: "fail",
      subject,
      detail: `Slack workspace ${config.slack.workspaceId} is not authorized for Chatbot (authorized: ${listed})`,
      fix: `in account ${config.centralAccountId}, open the Amazon Q Developer in chat applications (Chatbot) console, Configure new client, Slack, and allow the workspace; or fix abuse-alerts:slack.workspaceId`,
    };
  } catch (error) {
    return {
      check: "slack",
      status: "fail",
      subject,
      detail: `chatbot:DescribeSlackWorkspaces failed in ${CHATBOT_API_REGION}: ${describe(error)}`,
      fix: "allow chatbot:DescribeSlackWorkspaces to the member role in the central account",
    };
  }
}

async function checkScps(
  directory: AwsOrganizationDirectory,
  discovery: Discovery,
  config: AbuseAlertsConfig,
  limit: ReturnType<typeof pLimit>,
  startProgress: ProgressFactory,
): Promise<Finding[]> {
  // SCPs never apply to the management account.
  const accounts = discovery.covered.filter((account) => account.id !== discovery.managementAccountId);
  const findings: Finding[] = [];
  let checked = 0;
  const progress = startProgress("reading service control policies", accounts.length);
  const paths = await Promise.all(
    accounts.map((account) =>
      limit(async () => {
        try {
          return { account, levels: await directory.scpPath(account.id) };
        } catch (error) {
          return { account, error };
        } finally {
          progress.tick();
        }
      }),
    ),
  );
  progress.stop();
  for (const entry of paths) {
    if ("error" in entry) {
      const code = entry.error instanceof DiscoveryError ? entry.error.code : errorCode(entry.error);
      if (code === "PolicyTypeNotEnabledException") {
        return [
          {
            check: "scp",
            status: "ok",
            subject: "organization",
            detail: "service control policies are not enabled: none restricts the forwarder",
          },
        ];
      }
      findings.push({
        check: "scp",
        status: "warn",
        subject: `account ${entry.account.id}`,
        detail: `could not read the SCPs on its OU path: ${errorMessage(entry.error)}`,
      });
      continue;
    }
    checked += 1;
    const deployer =
      entry.account.id === discovery.caller.accountId
        ? principalArn(discovery.caller.arn)
        : memberRoleArn(entry.account.id, config.memberRoleName);
    findings.push(
      ...scpFindings(
        entry.account.id,
        entry.levels,
        forwarderRequirements(entry.account.id, config.regions, config, deployer),
      ),
    );
  }
  if (!findings.some((finding) => finding.status !== "ok")) {
    findings.push({
      check: "scp",
      status: "ok",
      subject: `${checked} accounts`,
      detail: "no service control policy on their OU paths denies what the forwarder needs",
    });
  }
  return findings;
}

/** One finding per requirement an account's SCPs deny or may deny. */
export function scpFindings(accountId: string, levels: ScpLevel[], requirements: Requirement[]): Finding[] {
  return requirements.flatMap((requirement): Finding[] => {
    const verdict = evaluateScps(levels, {
      action: requirement.action,
      resource: requirement.resource,
      context: {
        "aws:PrincipalArn": requirement.principal,
        "aws:RequestedRegion": requirement.region,
        "aws:PrincipalAccount": accountId,
      },
    });
    if (verdict.status === "allowed") return [];
    const where = [verdict.target, "policy" in verdict ? verdict.policy : undefined, verdict.statement]
      .filter(Boolean)
      .join(" / ");
    return [
      {
        check: "scp",
        status: verdict.status === "denied" ? "fail" : "warn",
        subject: `account ${accountId}, ${requirement.region}`,
        detail: `${verdict.reason} for ${requirement.principal.split(":").pop()} (${where})`,
        fix: `exempt ${requirement.principal} from that statement (e.g. ArnNotLike aws:PrincipalArn), or move the account to an OU whose SCPs allow ${requirement.action}`,
      },
    ];
  });
}

async function queueDepth(client: SQSClient, queueName: string): Promise<number | undefined> {
  try {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } catch (error) {
    if (["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"].includes(errorCode(error)))
      return undefined;
    throw error;
  }
}

async function checkDeadLetters(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  reachable: Map<string, AwsCredentialIdentity | undefined>,
  limit: ReturnType<typeof pLimit>,
  startProgress: ProgressFactory,
): Promise<Finding[]> {
  const queues = [...reachable.keys()].flatMap((accountId) =>
    config.regions.flatMap((region) => [
      { accountId, region, queueName: FORWARDER_DLQ_NAME },
      ...(accountId === config.centralAccountId
        ? centralRules(config.categories).map((rule) => ({
            accountId,
            region,
            queueName: centralDlqName(rule.key),
          }))
        : []),
    ]),
  );
  const progress = startProgress("reading dead-letter queues", queues.length);
  const findings = await Promise.all(
    queues.map(({ accountId, region, queueName }) =>
      limit(async (): Promise<Finding | undefined> => {
        const subject = `account ${accountId}, ${region}`;
        try {
          const depth = await queueDepth(clients.sqs(region, reachable.get(accountId)), queueName);
          if (depth === undefined) {
            return {
              check: "dead letters",
              status: "warn",
              subject,
              detail: `queue ${queueName} does not exist`,
              fix: "run pulumi up: the account is not deployed yet",
            };
          }
          if (depth === 0) return undefined;
          return {
            check: "dead letters",
            status: "fail",
            subject,
            detail: `${depth} event(s) failed delivery and wait in ${queueName}`,
            fix:
              `handle each report now: the message body is the AWS Health event (aws sqs receive-message --attribute-names All ` +
              `--message-attribute-names All; ERROR_CODE and ERROR_MESSAGE say why it failed); fix the cause; replay what reached ` +
              `the central bus ${CENTRAL_BUS_NAME} from its archive; then delete the messages`,
          };
        } catch (error) {
          // Unread is not empty: an unreadable queue may hold lost alerts.
          return {
            check: "dead letters",
            status: "fail",
            subject,
            detail: `cannot read ${queueName}: ${describe(error)}`,
            fix: "allow sqs:GetQueueUrl and sqs:GetQueueAttributes to the member role, then run the doctor again",
          };
        } finally {
          progress.tick();
        }
      }),
    ),
  );
  progress.stop();
  const problems = findings.filter((finding): finding is Finding => finding !== undefined);
  if (!problems.some((finding) => finding.status === "fail")) {
    problems.push({
      check: "dead letters",
      status: "ok",
      subject: `${queues.length} queues`,
      detail: "no dead letters waiting",
    });
  }
  return problems;
}

/**
 * Everything that can stop an alert, checked with the deploying credentials before `pulumi up`:
 * identity and organization, the member role in every covered account, the Slack workspace,
 * the SCPs along every account's OU path, and every dead-letter queue.
 */
export async function runDoctor(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  options: DoctorOptions = {},
): Promise<Finding[]> {
  const progress = options.progress ?? silent;
  const limit = pLimit(options.concurrency ?? 8);
  const findings: Finding[] = [];

  let caller: Caller;
  try {
    caller = await getCaller(clients.sts);
    findings.push({
      check: "identity",
      status: "ok",
      subject: `account ${caller.accountId}`,
      detail: `running as ${caller.arn}`,
    });
  } catch (error) {
    return [{ check: "identity", status: "fail", subject: "credentials", detail: errorMessage(error) }];
  }

  const directory = new AwsOrganizationDirectory(clients.organizations, {
    callerArn: caller.arn,
    concurrency: options.concurrency,
  });
  let discovery: Discovery;
  try {
    discovery = await discoverAccounts(config, { caller, directory });
  } catch (error) {
    return [
      ...findings,
      { check: "organization", status: "fail", subject: "organization", detail: errorMessage(error) },
    ];
  }
  findings.push({
    check: "organization",
    status: "ok",
    subject: discovery.organizationId,
    detail:
      `${discovery.covered.length} accounts covered, ${discovery.skipped.length} skipped` +
      (discovery.managementAccountId ? `; management account ${discovery.managementAccountId}` : ""),
  });
  findings.push(
    ...discovery.warnings.map((warning): Finding => ({
      check: "organization",
      status: "warn",
      subject: "config",
      detail: warning,
    })),
  );

  const roleBar = progress(`assuming ${config.memberRoleName}`, discovery.covered.length);
  const outcomes = await probeMemberRoles(
    clients.sts,
    discovery.covered.map((account) => account.id),
    {
      roleName: config.memberRoleName,
      callerAccountId: caller.accountId,
      concurrency: options.concurrency,
      // The queues are read after the SCP scan, which takes a while in a large organization.
      sessionSeconds: 3600,
      onSettled: () => roleBar.tick(),
    },
  );
  roleBar.stop();
  const reachable = new Map<string, AwsCredentialIdentity | undefined>();
  for (const outcome of outcomes) {
    if (outcome.status === "failed") {
      findings.push({
        check: "member role",
        status: "fail",
        subject: `account ${outcome.accountId}`,
        detail: `cannot assume role ${config.memberRoleName}: ${outcome.errorCode}: ${outcome.message}`,
        fix: probeFix(outcome.errorCode, outcome.accountId, config.memberRoleName, caller.accountId),
      });
    } else reachable.set(outcome.accountId, outcome.status === "ok" ? outcome.credentials : undefined);
  }
  if (reachable.size === outcomes.length) {
    findings.push({
      check: "member role",
      status: "ok",
      subject: `${outcomes.length} accounts`,
      detail: `${config.memberRoleName} can be assumed in every covered account`,
    });
  }

  if (reachable.has(config.centralAccountId))
    findings.push(await checkSlack(clients, config, reachable.get(config.centralAccountId)));
  else
    findings.push({
      check: "slack",
      status: "fail",
      subject: `account ${config.centralAccountId}`,
      detail: "not checked: the central account cannot be reached",
    });

  if (config.accounts.explicit) {
    findings.push({
      check: "scp",
      status: "warn",
      subject: "organization",
      detail: "not checked: with abuse-alerts:accounts.explicit the tools make no Organizations call",
    });
  } else {
    findings.push(...(await checkScps(directory, discovery, config, limit, progress)));
  }
  findings.push(...(await checkDeadLetters(clients, config, reachable, limit, progress)));
  return findings;
}

const ORDER: Record<Status, number> = { fail: 0, warn: 1, ok: 2 };

/** The report: a summary per check, then every problem with its fix. */
export function renderDoctor(findings: readonly Finding[]): string {
  const summary = newTable(["Check", "Status", "Detail"], [undefined, undefined, 90]);
  for (const check of CHECKS) {
    const mine = findings.filter((finding) => finding.check === check);
    if (mine.length === 0) continue;
    const worst = mine.reduce((a, b) => (ORDER[b.status] < ORDER[a.status] ? b : a));
    const problems = mine.filter((finding) => finding.status !== "ok").length;
    summary.push([
      check,
      worst.status.toUpperCase(),
      problems > 0 ? `${problems} problem(s), see below` : worst.detail,
    ]);
  }
  const problems = [...findings]
    .filter((finding) => finding.status !== "ok")
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const failures = problems.filter((finding) => finding.status === "fail").length;
  const lines = ["abuse-alerts doctor", summary.toString()];
  if (problems.length > 0) {
    const table = newTable(
      ["Status", "Check", "Where", "Problem", "Fix"],
      [undefined, undefined, 26, 56, 56],
    );
    problems.forEach((finding) =>
      table.push([
        finding.status.toUpperCase(),
        finding.check,
        finding.subject,
        finding.detail,
        finding.fix ?? "",
      ]),
    );
    lines.push("", "Problems", table.toString());
  }
  lines.push(
    "",
    failures > 0
      ? `${failures} problem(s) block delivery of alerts. Fix them, run npm run doctor again, then pulumi up.`
      : "Nothing blocks delivery of alerts.",
  );
  return lines.join("\n");
}

export const blocksDelivery = (findings: readonly Finding[]) =>
  findings.some((finding) => finding.status === "fail");

if (require.main === module) {
  const command = new Command()
    .name("npm run doctor --")
    .description("Check, before pulumi up, everything that can stop an abuse alert from reaching Slack.")
    .option("--stack <name>", "stack whose Pulumi.<name>.yaml to check", "prod")
    .option("--concurrency <n>", "parallel per-account checks", (value) => Number.parseInt(value, 10), 8)
    .action(async (flags: { stack: string; concurrency: number }) => {
      const config = loadStackFileConfig(flags.stack);
      const findings = await runDoctor(
        {
          sts: createStsClient(),
          organizations: createOrganizationsClient(),
          chatbot: (credentials) =>
            withRetries(new ChatbotClient({ region: CHATBOT_API_REGION, credentials, maxAttempts: 1 })),
          sqs: (region, credentials) => withRetries(new SQSClient({ region, credentials, maxAttempts: 1 })),
        },
        config,
        { concurrency: flags.concurrency, progress: progressBar },
      );
      console.log(renderDoctor(findings));
      if (blocksDelivery(findings)) process.exitCode = 1;
    });
  runCommand(command);
}

import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsClient } from "../accounts/clients";
import { probeFix, reachAccount } from "../accounts/probe";
import { errorCode, errorMessage } from "../accounts/errors";
import { createStsClient, getCaller } from "../accounts/identity";
import {
  CENTRAL_BUS_NAME,
  centralDlqName,
  CHATBOT_LOG_GROUP,
  FORWARDER_DLQ_NAME,
  FORWARDER_RULE_NAME,
  NOTIFY_STATE_MACHINE_NAME,
  OPS_TOPIC_NAME,
  STACKSET_DLQ_NAME,
  STACKSET_RULE_NAME,
} from "../model/names";
import { roleArn } from "../model/arns";
import { renderForSlack } from "./render-slack";
import { deliveredEvent, testEventEntry } from "../model/test-event";
import { DEFAULT_MEMBER_ROLE_NAME } from "../config/defaults";
import { AbuseAlertsConfig, Category } from "../config/schema";
import { accountIdMistake } from "../lib/cli";
import { UserError } from "../lib/errors";
import { progressBar } from "../lib/progress";
import { TaskFailure, TaskHandler } from "../sim/step-functions";
import { previewEvent } from "./preview";
import { renderTrace, traceProbe, TraceClients } from "./trace-probe";

export interface SendTestEventOptions {
  accountId: string;
  region: string;
  category: Category;
  roleName: string;
  /** Sent as a probe: recorded centrally, not posted (send-test-event --all). */
  probeId?: string;
}

export interface SendTestEventClients {
  sts: STSClient;
  /** An EventBridge client in a region, with the member role's credentials or the ambient ones. */
  eventBridge: (region: string, credentials?: AwsCredentialIdentity) => EventBridgeClient;
  now?: () => Date;
}

/** A failure a person can act on; the message says what failed and what to do. */
export class TestEventError extends UserError {}

export interface SentTestEvent {
  eventId: string;
  sentBy: string;
  /** The event as the rules see it, for the preview. */
  event: Record<string, unknown>;
}

/** Puts a synthetic abuse or risk event on an account's default bus, as AWS Health would. */
export async function sendTestEvent(
  clients: SendTestEventClients,
  options: SendTestEventOptions,
): Promise<SentTestEvent> {
  const caller = await getCaller(clients.sts);
  const reached = await reachAccount(clients.sts, options.accountId, {
    roleName: options.roleName,
    callerAccountId: caller.accountId,
    sessionName: "abuse-alerts-test-event",
  });
  if (reached.status === "failed") {
    throw new TestEventError(
      `cannot assume ${roleArn(options.accountId, options.roleName)} as ${caller.arn} (${reached.errorCode}: ${reached.message}): ` +
        `${probeFix(reached.errorCode, options.accountId, options.roleName, caller.accountId)}; ` +
        `or pass --role with a role that exists in account ${options.accountId}, or run with credentials of that account itself.`,
    );
  }
  const credentials = reached.status === "ok" ? reached.credentials : undefined;

  const entry = testEventEntry({ ...options, sentBy: caller.arn, now: clients.now?.() ?? new Date() });
  const client = clients.eventBridge(options.region, credentials);
  let result;
  try {
    result = await client.send(new PutEventsCommand({ Entries: [entry] }));
  } catch (error) {
    throw new TestEventError(
      `events:PutEvents on the default bus of ${options.accountId} in ${options.region} failed: ${errorCode(error)}: ${errorMessage(error)}`,
    );
  }
  const [outcome] = result.Entries ?? [];
  if ((result.FailedEntryCount ?? 0) > 0 || outcome?.ErrorCode || !outcome?.EventId) {
    throw new TestEventError(
      `events:PutEvents rejected the test event on the default bus of ${options.accountId} in ${options.region}: ` +
        `${outcome?.ErrorCode ?? "no event ID returned"}: ${outcome?.ErrorMessage ?? ""}`.trim(),
    );
  }
  const event = deliveredEvent(entry, {
    id: outcome.EventId,
    accountId: options.accountId,
    region: options.region,
  });
  return { eventId: outcome.EventId, sentBy: caller.arn, event };
}

/** The forwarder's rule and queue in an account, as the stack's mode names them. */
function forwarderNames(deployment: AbuseAlertsConfig["deployment"] | undefined): string {
  const direct = `rule ${FORWARDER_RULE_NAME} on the default bus and its dead-letter queue ${FORWARDER_DLQ_NAME}`;
  if (deployment !== "stackset") return direct;
  return (
    `rule ${STACKSET_RULE_NAME} on the default bus and its dead-letter queue ${STACKSET_DLQ_NAME}, ` +
    `deployed by the StackSet (in the management account: ${direct})`
  );
}

/** The preview does not look the account up: each lookup says so, as a failed lookup would in Slack. */
const notLookedUp: TaskHandler = () =>
  Promise.reject(
    new TaskFailure("Preview.NotLookedUp", "this preview does not look the account up; the workflow does"),
  );

/** What to tell the person who sent it: the event, what Slack should show, and where to look if it does not. */
export async function describeSent(
  sent: SentTestEvent,
  options: SendTestEventOptions & {
    centralAccountId?: string;
    channelId?: string;
    deployment?: AbuseAlertsConfig["deployment"];
    /** How many routes the stack has: the matching ones get the test too. */
    routeCount?: number;
  },
): Promise<string> {
  const preview = await previewEvent(sent.event, {
    centralAccountId: options.centralAccountId,
    handler: notLookedUp,
  });
  const central = options.centralAccountId ?? "<central account>";
  return [
    `Sent test ${options.category} event ${sent.eventId} to the default bus of account ${options.accountId} in ${options.region}, as ${sent.sentBy}.`,
    "",
    `Within a minute, Slack channel ${options.channelId ?? "(slack.channelId)"} should show this, with the account's name, ` +
      "OU path, owner tags and security contact where the preview says context is missing:",
    preview.notification
      ? renderForSlack(preview.notification, options.channelId)
      : `(no preview: ${preview.error ?? "no central rule takes this event"})`,
    "",
    ...(options.routeCount
      ? [
          `The channel of each of the stack's ${options.routeCount} routes that matches account ${options.accountId} gets it too, ` +
            `opening with "Routed to <route>"; the central post opens with which ("Also sent to"). ` +
            `npm run preview-message -- --account ${options.accountId} <event> shows which, by the organization file.`,
          "",
        ]
      : []),
    "If it does not arrive, follow the event:",
    `  1. Account ${options.accountId}, ${options.region}: ${forwarderNames(options.deployment)} (CloudWatch AWS/Events ` +
      `Invocations, FailedInvocations); npm run coverage says whether the account has its forwarder.`,
    `  2. Account ${central}, ${options.region}: bus ${CENTRAL_BUS_NAME}, rule abuse-alerts-${options.category}-test, its dead-letter ` +
      `queue ${centralDlqName(`${options.category}-test`)} and its alarms on the topic ${OPS_TOPIC_NAME}.`,
    `  3. Account ${central}, ${options.region}: the executions of state machine ${NOTIFY_STATE_MACHINE_NAME} (Step Functions ` +
      `console, or log group /aws/vendedlogs/states/${NOTIFY_STATE_MACHINE_NAME}): each state, the lookups and the message published.`,
    `  4. Account ${central}: Chatbot's log group ${CHATBOT_LOG_GROUP} in us-east-1; @Amazon Q must be in the channel.`,
    "  npm run doctor checks the roles, the Slack workspace, service control policies, the workflow (a dry run) and every dead-letter queue.",
  ].join("\n");
}

/** Why a test event sent there could never reach Slack, by the stack's config; empty when it can. */
export function unreachableTarget(config: AbuseAlertsConfig, accountId: string, region: string): string[] {
  const problems: string[] = [];
  if (!config.regions.includes(region)) {
    problems.push(
      `the stack forwards only in ${config.regions.join(", ")} (abuse-alerts:regions), not in ${region}`,
    );
  }
  if (config.accounts.exclude.includes(accountId)) {
    problems.push(`account ${accountId} is excluded (abuse-alerts:accounts.exclude)`);
  }
  if (config.accounts.explicit && !config.accounts.explicit.some((account) => account.id === accountId)) {
    problems.push(`account ${accountId} is not in abuse-alerts:accounts.explicit`);
  }
  return problems;
}

export interface SendTestEventRequest {
  account?: string;
  region: string;
  category: Category;
  role?: string;
  /** Follow the event hop by hop to the topic's delivery metrics (tools/trace-probe.ts). */
  wait?: boolean;
}

/**
 * What `npm run send-test-event` does: checks the account and the stack's reach, sends the event,
 * and says what Slack should show and where to look when it does not.
 */
export async function sendTestEventAndDescribe(
  request: SendTestEventRequest,
  config: AbuseAlertsConfig | undefined,
  clients: SendTestEventClients & { trace?: TraceClients } = {
    sts: createStsClient(),
    eventBridge: (region, credentials) => awsClient(EventBridgeClient, region, credentials),
  },
): Promise<string> {
  if (request.account === undefined) {
    throw new TestEventError(
      "--account is required: the 12-digit ID of the account to send from, e.g. --account 222222222221",
    );
  }
  const mistake = accountIdMistake(request.account);
  if (mistake !== undefined) throw new TestEventError(`--account ${request.account}: ${mistake}`);
  const problems = config ? unreachableTarget(config, request.account, request.region) : [];
  if (problems.length > 0) {
    throw new TestEventError(
      `nothing would reach Slack from there: ${problems.join("; ")}. Check npm run plan for the accounts covered.`,
    );
  }
  const options = {
    accountId: request.account,
    region: request.region,
    category: request.category,
    roleName: request.role ?? config?.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
  };
  if (request.wait && !config) {
    throw new TestEventError(
      "--wait follows the event into the central account, which the stack's config names: run it where Pulumi.<stack>.yaml is, or pass --stack <name>",
    );
  }
  const at = clients.now?.() ?? new Date();
  const sent = await sendTestEvent(clients, options);
  if (request.wait && config) {
    const trace = await traceProbe(
      clients.trace ?? defaultTraceClients(clients.sts),
      { ...sent, at },
      { centralAccountId: config.centralAccountId, region: request.region, roleName: options.roleName },
    );
    return renderTrace(trace);
  }
  return describeSent(sent, {
    ...options,
    centralAccountId: config?.centralAccountId,
    channelId: config?.slack.channelId,
    deployment: config?.deployment,
    routeCount: config?.routes.length,
  });
}

/** The trace's clients on real AWS: Step Functions and CloudWatch built the project's way, real time. */
export function defaultTraceClients(sts: STSClient): TraceClients {
  return {
    sts,
    sfn: (region, credentials) => awsClient(SFNClient, region, credentials),
    cloudWatch: (region, credentials) => awsClient(CloudWatchClient, region, credentials),
    progress: progressBar,
    now: () => new Date(),
    sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  };
}

import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { Command } from "commander";
import { assumeMemberRole } from "../accounts/assume";
import { errorCode, errorMessage } from "../accounts/errors";
import { createStsClient, getCaller } from "../accounts/identity";
import { withRetries } from "../accounts/retry";
import {
  CENTRAL_BUS_NAME,
  centralDlqName,
  FORWARDER_DLQ_NAME,
  FORWARDER_RULE_NAME,
  NOTIFY_STATE_MACHINE_NAME,
  OPS_TOPIC_NAME,
  roleArn,
  STACKSET_DLQ_NAME,
  STACKSET_RULE_NAME,
} from "../components/names";
import { renderForSlack } from "../components/notification";
import { deliveredEvent, testEventEntry } from "../components/test-event";
import { AbuseAlertsConfig, CATEGORIES, Category, COMMERCIAL_REGIONS } from "../config/schema";
import { optionalStackConfig } from "../config/stack-file";
import { oneOf, runCommand, stackName, UserError } from "../lib/cli";
import { TaskFailure, TaskHandler } from "../workflow/interpreter";
import { previewEvent } from "../workflow/preview";

export interface SendTestEventOptions {
  accountId: string;
  region: string;
  category: Category;
  roleName: string;
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
  let credentials: AwsCredentialIdentity | undefined;
  if (options.accountId !== caller.accountId) {
    try {
      credentials = await assumeMemberRole(
        clients.sts,
        options.accountId,
        options.roleName,
        "abuse-alerts-test-event",
      );
    } catch (error) {
      throw new TestEventError(
        `cannot assume ${roleArn(options.accountId, options.roleName)} as ${caller.arn} (${errorCode(error)}: ${errorMessage(error)}). ` +
          `Run with credentials that may assume that role (the management account, or a delegated administrator), ` +
          `pass --role with a role that exists in account ${options.accountId}, or run with credentials of that account itself.`,
      );
    }
  }

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
    "If it does not arrive, follow the event:",
    `  1. Account ${options.accountId}, ${options.region}: ${forwarderNames(options.deployment)} (CloudWatch AWS/Events ` +
      `Invocations, FailedInvocations); npm run coverage says whether the account has its forwarder.`,
    `  2. Account ${central}, ${options.region}: bus ${CENTRAL_BUS_NAME}, rule abuse-alerts-${options.category}-test, its dead-letter ` +
      `queue ${centralDlqName(`${options.category}-test`)} and its alarms on the topic ${OPS_TOPIC_NAME}.`,
    `  3. Account ${central}, ${options.region}: the executions of state machine ${NOTIFY_STATE_MACHINE_NAME} (Step Functions ` +
      `console, or log group /aws/vendedlogs/states/${NOTIFY_STATE_MACHINE_NAME}): each state, the lookups and the message published.`,
    `  4. Account ${central}: Chatbot's log group /aws/chatbot/abuse-alerts in us-east-1; @Amazon Q must be in the channel.`,
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

/** The command line: the account is checked in the action, after commander has reported unknown options. */
export function sendTestEventCommand(): Command {
  return new Command()
    .name("npm run send-test-event --")
    .description("Send a realistic test abuse or risk event through an account's forwarder to Slack.")
    .option("--account <id>", "(required) 12-digit ID of the account whose default bus gets the event")
    .option(
      "--region <region>",
      "region of the default bus",
      oneOf(COMMERCIAL_REGIONS, "an AWS region"),
      "us-east-1",
    )
    .option(
      "--category <category>",
      "which alert to test: abuse or risk",
      oneOf(CATEGORIES, "a category"),
      "abuse",
    )
    .option(
      "--stack <name>",
      "stack whose Pulumi.<name>.yaml gives the member role and the central account",
      stackName,
      "prod",
    )
    .option("--role <name>", "role to assume in the account (default: the stack's memberRoleName)")
    .action(
      async (
        flags: {
          account?: string;
          region: string;
          category: Category;
          stack: string;
          role?: string;
        },
        command: Command,
      ) => {
        if (flags.account === undefined) {
          throw new TestEventError(
            "--account is required: the 12-digit ID of the account to send from, e.g. --account 222222222221",
          );
        }
        if (!/^\d{12}$/.test(flags.account))
          throw new TestEventError(`--account must be a 12-digit account ID, got "${flags.account}"`);
        const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
        const problems = config ? unreachableTarget(config, flags.account, flags.region) : [];
        if (problems.length > 0) {
          throw new TestEventError(
            `nothing would reach Slack from there: ${problems.join("; ")}. Check npm run plan for the accounts covered.`,
          );
        }
        const options = {
          accountId: flags.account,
          region: flags.region,
          category: flags.category,
          roleName: flags.role ?? config?.memberRoleName ?? "OrganizationAccountAccessRole",
        };
        const clients = {
          sts: createStsClient(),
          eventBridge: (region: string, credentials?: AwsCredentialIdentity) =>
            withRetries(new EventBridgeClient({ region, credentials, maxAttempts: 1 })),
        };
        const sent = await sendTestEvent(clients, options);
        console.log(
          await describeSent(sent, {
            ...options,
            centralAccountId: config?.centralAccountId,
            channelId: config?.slack.channelId,
            deployment: config?.deployment,
          }),
        );
      },
    );
}

if (require.main === module) void runCommand(sendTestEventCommand());

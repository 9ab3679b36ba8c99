import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import {
  DescribeExecutionCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { credentialsOf, reachAccount } from "../accounts/probe";
import { errorCode, errorMessage } from "../accounts/errors";
import { getCaller } from "../accounts/identity";
import { noProgress, ProgressFactory } from "../lib/progress";
import {
  ALERT_TOPIC_NAME,
  CHATBOT_LOG_GROUP,
  NOTIFY_STATE_MACHINE_NAME,
  notifyStateMachineArn,
} from "../model/names";
import { floorToMinute, MinuteDeliveries, minuteDeliveries } from "./delivery-metrics";
import { SentTestEvent } from "./test-event";

/**
 * `send-test-event --wait`: the test event followed hop by hop on real AWS. 1) put on the member
 * account's default bus (PutEvents' event ID); 2) arrived on the central bus: the notify workflow's
 * execution whose input carries that event ID (ListExecutions, paginated, then DescribeExecution);
 * 3) published: the SNS message ID, from the execution's history; 4) delivered to Chatbot: the
 * alert topic's AWS/SNS delivery metrics from the publish's minute on (tools/delivery-metrics.ts),
 * which count the topic's every delivery of that minute, not this message alone.
 */
export interface TraceClients {
  sts: STSClient;
  /** Step Functions in the central account's region, with the role's credentials or the ambient ones. */
  sfn: (region: string, credentials?: AwsCredentialIdentity) => SFNClient;
  /** CloudWatch in the same account and region, for the alert topic's delivery metrics. */
  cloudWatch: (region: string, credentials?: AwsCredentialIdentity) => CloudWatchClient;
  now: () => Date;
  sleep: (seconds: number) => Promise<void>;
  /** Shown while the delivery metrics are awaited, up to ten minutes; none by default. */
  progress?: ProgressFactory;
}

export interface Hop {
  name: string;
  /** When it was seen; none: not reached. */
  at?: Date;
  /** `at` is a bound, not a time seen: metrics count by the minute, so "by" then. */
  atMost?: boolean;
  detail: string;
}

export interface Trace {
  hops: Hop[];
  /** The hop it stopped at, and what to check; none: it went through. */
  stopped?: { hop: string; check: string };
}

/** How long each hop may take before the trace says it stopped there. */
export const ARRIVAL_SECONDS = 120;
export const PUBLISH_SECONDS = 300;
/** SNS sends its metrics at 1-minute intervals: read them each minute, for up to ten. */
export const DELIVERY_SECONDS = 600;
const POLL_SECONDS = 5;
const METRIC_POLL_SECONDS = 60;

async function findExecution(client: SFNClient, stateMachineArn: string, sent: SentTestEvent, since: Date) {
  for await (const page of paginateListExecutions({ client }, { stateMachineArn })) {
    for (const execution of page.executions ?? []) {
      if (!execution.startDate || execution.startDate < since) return undefined;
      const described = await client.send(
        new DescribeExecutionCommand({ executionArn: execution.executionArn }),
      );
      if (described.input?.includes(sent.eventId)) return described;
    }
  }
  return undefined;
}

/** The SNS message ID and when the publish task succeeded, from the execution's history. */
async function published(client: SFNClient, executionArn: string) {
  for await (const page of paginateGetExecutionHistory({ client }, { executionArn })) {
    for (const event of page.events ?? []) {
      const done = event.taskSucceededEventDetails;
      if (done?.resourceType === "sns" && done.resource === "publish" && done.output) {
        const id = (JSON.parse(done.output) as { MessageId?: string }).MessageId;
        return id ? { id, at: event.timestamp } : undefined;
      }
    }
  }
  return undefined;
}

/**
 * Polls `look` every `every` seconds until it finds something or `seconds` pass, with a progress
 * bar of the seconds waited for `what`: a hop can take minutes.
 */
async function within<T>(
  clients: TraceClients,
  what: string,
  seconds: number,
  look: () => Promise<T | undefined>,
  every = POLL_SECONDS,
): Promise<T | undefined> {
  const start = clients.now().getTime();
  const deadline = start + seconds * 1000;
  const progress = (clients.progress ?? noProgress)(`waiting for ${what}, seconds`, seconds);
  try {
    for (;;) {
      const found = await look();
      if (found !== undefined || clients.now().getTime() >= deadline) return found;
      await clients.sleep(every);
      progress.update(Math.min(seconds, Math.round((clients.now().getTime() - start) / 1000)));
    }
  } finally {
    progress.stop();
  }
}

export async function traceProbe(
  clients: TraceClients,
  sent: SentTestEvent & { at: Date },
  options: { centralAccountId: string; region: string; roleName: string; probe?: boolean },
): Promise<Trace> {
  const hops: Hop[] = [{ name: "put on the member bus", at: sent.at, detail: `event ${sent.eventId}` }];
  const stop = (hop: string, check: string): Trace => ({ hops, stopped: { hop, check } });
  const caller = await getCaller(clients.sts);
  const reached = await reachAccount(clients.sts, options.centralAccountId, {
    roleName: options.roleName,
    callerAccountId: caller.accountId,
    sessionName: "abuse-alerts-trace",
  });
  if (reached.status === "failed")
    return stop(
      "arrival on the central bus",
      `cannot read the central account ${options.centralAccountId} (${reached.errorCode}: ${reached.message}): run with its credentials, or --role`,
    );
  const client = clients.sfn(options.region, credentialsOf(reached));
  const machine = notifyStateMachineArn(options.region, options.centralAccountId);
  let execution;
  try {
    execution = await within(clients, "the arrival on the central bus", ARRIVAL_SECONDS, () =>
      findExecution(client, machine, sent, sent.at),
    );
  } catch (error) {
    return stop(
      "arrival on the central bus",
      `states:ListExecutions on ${machine} failed (${errorCode(error)}: ${errorMessage(error)})`,
    );
  }
  if (!execution?.executionArn)
    return stop(
      "arrival on the central bus",
      `no ${NOTIFY_STATE_MACHINE_NAME} execution took event ${sent.eventId} within ${ARRIVAL_SECONDS} s: check the forwarder rule's FailedInvocations and its dead-letter queue in the member account, then the central rule's (npm run doctor)`,
    );
  hops.push({ name: "arrival on the central bus", at: execution.startDate, detail: execution.executionArn });
  const arn = execution.executionArn;
  const ended = await within(clients, "the notify workflow to publish", PUBLISH_SECONDS, async () => {
    const now = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    return now.status === "RUNNING" ? undefined : now;
  });
  if (options.probe && ended?.status === "SUCCEEDED") {
    hops.push({ name: "probe recorded", at: ended.stopDate, detail: "in the state table, not posted" });
    return { hops };
  }
  const message = ended?.status === "SUCCEEDED" ? await published(client, arn) : undefined;
  if (!message)
    return stop(
      "message published",
      ended
        ? `the execution ${ended.status}${ended.error ? `: ${ended.error}: ${ended.cause ?? ""}` : " without publishing"}; read it in the Step Functions console`
        : `the execution still runs after ${PUBLISH_SECONDS} s (publishing retries): check the ${ALERT_TOPIC_NAME} topic and its key`,
    );
  const publishedAt = message.at ?? ended?.stopDate ?? clients.now();
  hops.push({ name: "message published", at: publishedAt, detail: `SNS message ${message.id}` });
  const delivery = await deliveryHop(clients, {
    ...options,
    credentials: credentialsOf(reached),
    messageId: message.id,
    publishedAt,
  });
  hops.push(delivery.hop);
  return delivery.stopped ? { hops, stopped: delivery.stopped } : { hops };
}

const DELIVERY = "delivered to Chatbot";
const HOW_COUNTED = "the topic's deliveries to all its subscribers in that minute, not this message alone";

/** Where to look when SNS could not deliver: the runbook's hop 4. */
const deliveryChecks = (centralAccountId: string, region: string) =>
  `the Chatbot channel's subscription to topic ${ALERT_TOPIC_NAME} in ${region} (the channel configuration lists the topic, ` +
  `and the topic's subscription to Chatbot is confirmed), the alert key's policy ` +
  `(the topic is encrypted with it), and Chatbot's log group ${CHATBOT_LOG_GROUP} in us-east-1 of account ${centralAccountId}; ` +
  `alarm ${ALERT_TOPIC_NAME}-notifications-failed (runbook.md, "SNS → Chatbot → Slack")`;

/** Hop 4: the alert topic's delivery metrics from the publish's minute, read each minute until one appears. */
async function deliveryHop(
  clients: TraceClients,
  options: {
    centralAccountId: string;
    region: string;
    credentials?: AwsCredentialIdentity;
    messageId: string;
    publishedAt: Date;
  },
): Promise<{ hop: Hop; stopped?: Trace["stopped"] }> {
  const { centralAccountId, region, publishedAt } = options;
  const client = clients.cloudWatch(region, options.credentials);
  const minutes = DELIVERY_SECONDS / 60;
  const look = async () =>
    (await minuteDeliveries(client, ALERT_TOPIC_NAME, publishedAt, clients.now())).find(
      (minute) => minute.delivered > 0 || minute.failed > 0,
    );
  let found: MinuteDeliveries | undefined;
  try {
    found = await within(
      clients,
      `the delivery metrics of ${ALERT_TOPIC_NAME}`,
      DELIVERY_SECONDS,
      look,
      METRIC_POLL_SECONDS,
    );
  } catch (error) {
    const code = errorCode(error);
    const denied = code === "AccessDenied" || code === "AccessDeniedException";
    const check = denied
      ? `cloudwatch:GetMetricData was denied in account ${centralAccountId} (${code}: ${errorMessage(error)}): allow it (Resource "*") to the credentials that read the central account`
      : `cloudwatch:GetMetricData in account ${centralAccountId}, ${region} failed (${code}: ${errorMessage(error)})`;
    return { hop: { name: DELIVERY, detail: "not read" }, stopped: { hop: DELIVERY, check } };
  }
  if (!found) {
    const check =
      `message ${options.messageId} was published, but its delivery was not confirmed within ${minutes} minutes: no AWS/SNS ` +
      `NumberOfNotificationsDelivered or NumberOfNotificationsFailed datapoint for topic ${ALERT_TOPIC_NAME} in ${region} ` +
      `since ${floorToMinute(publishedAt).toISOString()}. Look at the metrics again in a few minutes, then check ${deliveryChecks(centralAccountId, region)}`;
    return { hop: { name: DELIVERY, detail: "no datapoint" }, stopped: { hop: DELIVERY, check } };
  }
  // Delivered within that minute, and not after the time it was seen.
  const by = new Date(Math.min(found.minute.getTime() + 60_000, clients.now().getTime()));
  const counts = `topic ${ALERT_TOPIC_NAME}: ${found.delivered} delivered, ${found.failed} failed in the minute from ${found.minute.toISOString()} (${HOW_COUNTED})`;
  const hop = { name: DELIVERY, at: by, atMost: true, detail: counts };
  if (found.failed === 0) return { hop };
  return {
    hop,
    stopped: {
      hop: DELIVERY,
      check: `delivery to Chatbot failed (NumberOfNotificationsFailed ${found.failed}, ${HOW_COUNTED}): check ${deliveryChecks(centralAccountId, region)}`,
    },
  };
}

/** The trace as lines: each hop with its time and the time since the put; the end-to-end latency, or where it stopped. */
export function renderTrace(trace: Trace): string {
  const start = trace.hops[0].at?.getTime() ?? 0;
  const lines = trace.hops.map((hop, index) => {
    const by = hop.atMost ? "by " : "";
    const when = hop.at
      ? `${by}${hop.at.toISOString()}  ${by}+${((hop.at.getTime() - start) / 1000).toFixed(1)} s`
      : "—";
    return `${index + 1}. ${hop.name.padEnd(28)} ${when}  ${hop.detail}`;
  });
  const last = [...trace.hops].reverse().find((hop) => hop.at);
  if (trace.stopped) lines.push(`Stopped at: ${trace.stopped.hop}. Check: ${trace.stopped.check}`);
  else if (last?.at)
    lines.push(
      `End to end (put to ${last.name}): ${last.atMost ? "at most " : ""}${((last.at.getTime() - start) / 1000).toFixed(1)} s`,
    );
  return lines.join("\n");
}

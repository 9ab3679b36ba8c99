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
import { ALERT_TOPIC_NAME, NOTIFY_STATE_MACHINE_NAME, notifyStateMachineArn } from "../model/names";
import { SentTestEvent } from "./test-event";

/**
 * `send-test-event --wait`: the test event followed hop by hop on real AWS. 1) put on the member
 * account's default bus (PutEvents' event ID); 2) arrived on the central bus: the notify workflow's
 * execution whose input carries that event ID (ListExecutions, paginated, then DescribeExecution);
 * 3) published: the SNS message ID, from the execution's history; 4) delivered to Chatbot: the
 * topic's CloudWatch delivery metrics, which this project cannot read (no @aws-sdk/client-cloudwatch
 * among its dependencies), so the last hop names the metric to check.
 */
export interface TraceClients {
  sts: STSClient;
  /** Step Functions in the central account's region, with the role's credentials or the ambient ones. */
  sfn: (region: string, credentials?: AwsCredentialIdentity) => SFNClient;
  now: () => Date;
  sleep: (seconds: number) => Promise<void>;
}

export interface Hop {
  name: string;
  /** When it was seen; none: not reached. */
  at?: Date;
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
const POLL_SECONDS = 5;

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

async function messageId(client: SFNClient, executionArn: string): Promise<string | undefined> {
  for await (const page of paginateGetExecutionHistory({ client }, { executionArn })) {
    for (const event of page.events ?? []) {
      const done = event.taskSucceededEventDetails;
      if (done?.resourceType === "sns" && done.resource === "publish" && done.output)
        return (JSON.parse(done.output) as { MessageId?: string }).MessageId;
    }
  }
  return undefined;
}

/** Polls `look` until it finds something or `seconds` pass. */
async function within<T>(
  clients: TraceClients,
  seconds: number,
  look: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const deadline = clients.now().getTime() + seconds * 1000;
  for (;;) {
    const found = await look();
    if (found !== undefined || clients.now().getTime() >= deadline) return found;
    await clients.sleep(POLL_SECONDS);
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
    execution = await within(clients, ARRIVAL_SECONDS, () => findExecution(client, machine, sent, sent.at));
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
  const ended = await within(clients, PUBLISH_SECONDS, async () => {
    const now = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    return now.status === "RUNNING" ? undefined : now;
  });
  if (options.probe && ended?.status === "SUCCEEDED") {
    hops.push({ name: "probe recorded", at: ended.stopDate, detail: "in the state table, not posted" });
    return { hops };
  }
  const published = ended?.status === "SUCCEEDED" ? await messageId(client, arn) : undefined;
  if (!published)
    return stop(
      "message published",
      ended
        ? `the execution ${ended.status}${ended.error ? `: ${ended.error}: ${ended.cause ?? ""}` : " without publishing"}; read it in the Step Functions console`
        : `the execution still runs after ${PUBLISH_SECONDS} s (publishing retries): check the ${ALERT_TOPIC_NAME} topic and its key`,
    );
  hops.push({ name: "message published", at: ended?.stopDate, detail: `SNS message ${published}` });
  hops.push({
    name: "delivered to Chatbot",
    detail: `not read here (no CloudWatch client in this project): check AWS/SNS NumberOfNotificationsDelivered and NumberOfNotificationsFailed of topic ${ALERT_TOPIC_NAME} in ${options.region}, and Chatbot's log group`,
  });
  return { hops };
}

/** The trace as lines: each hop with its time and the time since the put; the end-to-end latency, or where it stopped. */
export function renderTrace(trace: Trace): string {
  const start = trace.hops[0].at?.getTime() ?? 0;
  const lines = trace.hops.map((hop, index) => {
    const when = hop.at
      ? `${hop.at.toISOString()}  +${((hop.at.getTime() - start) / 1000).toFixed(1)} s`
      : "—";
    return `${index + 1}. ${hop.name.padEnd(28)} ${when}  ${hop.detail}`;
  });
  const last = [...trace.hops].reverse().find((hop) => hop.at);
  if (trace.stopped) lines.push(`Stopped at: ${trace.stopped.hop}. Check: ${trace.stopped.check}`);
  else if (last?.at)
    lines.push(`End to end (put to ${last.name}): ${((last.at.getTime() - start) / 1000).toFixed(1)} s`);
  return lines.join("\n");
}

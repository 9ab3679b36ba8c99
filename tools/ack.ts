import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsClient } from "../accounts/clients";
import { describeError, errorCode } from "../accounts/errors";
import { createStsClient } from "../accounts/identity";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../config/schema";
import { UserError } from "../lib/errors";
import { ID_TYPO, suggestion } from "../lib/suggest";
import { caseStateMachineArn } from "../model/names";
import {
  ACK_KEY,
  CASE_ID_PATTERN,
  casePartition,
  EXPIRES_AT,
  RETENTION_SECONDS,
  STATE_TABLE_NAME,
  toItem,
} from "../model/state-table";
import { CASE_MODES } from "../notify/case-definition";
import {
  CaseRow,
  defaultTableClient,
  reachCentral,
  readCase,
  readCases,
  TableClientFactory,
  tableError,
} from "./cases";

export interface AckRequest {
  case?: string;
  note?: string;
  /** The replica to read the case from; the case's own region is written. */
  region?: string;
}

export interface AckClients {
  sts: STSClient;
  table: TableClientFactory;
  stepFunctions: (region: string, credentials?: AwsCredentialIdentity) => SFNClient;
  now?: () => Date;
}

/** What a note may hold: it is posted in the thread, cut there to Chatbot's limits. */
const MAX_NOTE = 500;

/** The case ID, or why it is not one: the form the alert and npm run cases show. */
function checkRequest(request: AckRequest): { caseId: string; note?: string } {
  if (request.case === undefined) {
    throw new UserError(
      "--case is required: the case ID the alert and npm run cases show, e.g. --case 222222222221-4f178e4c08f8",
    );
  }
  const caseId = request.case.trim().toLowerCase();
  if (!CASE_ID_PATTERN.test(caseId)) {
    throw new UserError(
      `--case must be a case ID: the account's 12 digits, a dash and 12 hex digits (e.g. 222222222221-4f178e4c08f8), got "${request.case}"`,
    );
  }
  const note = request.note?.trim();
  if (note !== undefined && (note === "" || note.length > MAX_NOTE)) {
    throw new UserError(`--note must be 1 to ${MAX_NOTE} characters, got ${note.length}`);
  }
  return { caseId, note };
}

/** A case ID that is not in the table: the open case it was likely meant to be. */
async function unknownCase(
  caseId: string,
  region: string,
  read: () => Promise<CaseRow[]>,
): Promise<UserError> {
  const open = await read().catch(() => []);
  const hint = suggestion(
    open.map((row) => row.caseId),
    caseId,
    ID_TYPO,
  );
  return new UserError(
    `no case ${caseId} in the ${region} replica of ${STATE_TABLE_NAME}${hint}: npm run cases lists the open cases` +
      (hint ? "" : "; a case posted only from the other region is read there with --region"),
  );
}

/**
 * Records the acknowledgement in the case's own region (the first one stays), then starts the
 * case workflow there to post it in the thread and resolve PagerDuty's incident. When that start
 * fails, the case's follower announces it at its next check: the acknowledgement itself is kept.
 */
async function record(
  row: CaseRow,
  ack: { by: string; note?: string; at: Date },
  central: { accountId: string; credentials?: AwsCredentialIdentity },
  clients: AckClients,
): Promise<{ recorded: boolean; execution?: string; startError?: string }> {
  const { credentials } = central;
  const at = ack.at.toISOString();
  try {
    await clients.table(row.region, credentials).send(
      new PutItemCommand({
        TableName: STATE_TABLE_NAME,
        Item: toItem({
          pk: casePartition(row.caseId),
          sk: ACK_KEY,
          by: ack.by,
          via: "cli",
          at,
          region: row.region,
          ...(ack.note ? { note: ack.note } : {}),
          [EXPIRES_AT]: Math.floor(ack.at.getTime() / 1000) + RETENTION_SECONDS,
        }),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (errorCode(error) === "ConditionalCheckFailedException") return { recorded: false };
    throw tableError(error, "PutItem", { region: row.region });
  }
  const stateMachineArn = caseStateMachineArn(row.region, central.accountId);
  try {
    const { executionArn } = await clients.stepFunctions(row.region, credentials).send(
      new StartExecutionCommand({
        stateMachineArn,
        name: `${CASE_MODES.settle}-${row.caseId}-${Math.floor(ack.at.getTime() / 1000)}`,
        input: "{}",
      }),
    );
    return { recorded: true, execution: executionArn };
  } catch (error) {
    return {
      recorded: true,
      startError: `states:StartExecution of ${stateMachineArn}: ${describeError(error)}`,
    };
  }
}

/** What `npm run ack` does and prints. */
export async function acknowledgeCase(
  request: AckRequest,
  config: AbuseAlertsConfig | undefined,
  clients: AckClients = {
    sts: createStsClient(),
    table: defaultTableClient,
    stepFunctions: (region, credentials) => awsClient(SFNClient, region, credentials),
  },
): Promise<string> {
  const { caseId, note } = checkRequest(request);
  const region = request.region ?? GLOBAL_EVENTS_REGION;
  const { caller, credentials } = await reachCentral(clients.sts, config, "abuse-alerts-ack");
  const client = clients.table(region, credentials);
  let row: CaseRow | undefined;
  try {
    row = await readCase(client, caseId);
  } catch (error) {
    throw tableError(error, "Query", { region, caller });
  }
  if (!row) throw await unknownCase(caseId, region, () => readCases(client));
  const what = `case ${caseId} (${row.code} in ${row.label})`;
  if (row.acknowledged) {
    return `${what} is already acknowledged, by ${row.acknowledged.by} at ${row.acknowledged.at}: nothing changed.`;
  }
  if (row.closed) return `AWS closed ${what}: no reply is due, nothing to acknowledge.`;
  // Without a stack, the caller is in the central account.
  const central = { accountId: config?.centralAccountId ?? caller.accountId, credentials };
  const outcome = await record(
    row,
    { by: caller.arn, note, at: clients.now?.() ?? new Date() },
    central,
    clients,
  );
  if (!outcome.recorded) {
    const now = await readCase(clients.table(row.region, credentials), caseId);
    return `${what} was acknowledged a moment ago, by ${now?.acknowledged?.by ?? "someone else"}: nothing changed.`;
  }
  const stops = row.replyBy ? "Its reminders and escalation stop" : "It is recorded";
  return [
    `Acknowledged ${what} as ${caller.arn}${note ? `, noting "${note}"` : ""}. ${stops}.`,
    outcome.execution
      ? `The thread hears of it now (execution ${outcome.execution}).`
      : `The thread hears of it at the case's next check, as ${outcome.startError}.`,
  ].join("\n");
}

import { DynamoDBClient, paginateScan, QueryCommand } from "@aws-sdk/client-dynamodb";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsClient } from "../accounts/clients";
import { describeError, errorCode } from "../accounts/errors";
import { createStsClient, getCaller, SIGN_IN_CENTRAL } from "../accounts/identity";
import { probeFix, reachAccount } from "../accounts/probe";
import { Caller } from "../accounts/types";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../config/schema";
import { UserError } from "../lib/errors";
import { outputWidth, renderTable, wrapText } from "../lib/tables";
import { roleArn } from "../model/arns";
import {
  ACK_KEY,
  CASE_PREFIX,
  casePartition,
  CaseValue,
  fromItem,
  STATE_TABLE_NAME,
  UPDATE_PREFIX,
} from "../model/state-table";

/** A case as `npm run cases` and `npm run ack` read it: its items in one replica, merged. */
export interface CaseRow {
  caseId: string;
  account: string;
  /** The account's name and ID, as the alert named it. */
  label: string;
  code: string;
  category: string;
  eventArn: string;
  /** The region whose workflows posted the case's first update and follow it. */
  region: string;
  /** The reply-by, epoch milliseconds; none for a risk notice or a test. */
  replyBy?: number;
  replyBySource?: string;
  remindersSent: number;
  /** AWS closed it: an update with status closed was posted. */
  closed: boolean;
  overdueAt?: string;
  pagerDuty?: string;
  acknowledged?: { by: string; at: string; via: string; note?: string };
}

const text = (value: CaseValue | undefined) => (value === undefined ? undefined : String(value));

/** A case from the items of its partition, or nothing when no region recorded it. */
export function mergeCase(items: Record<string, CaseValue>[]): CaseRow | undefined {
  const recorded = items
    .filter((item) => String(item.sk).startsWith("case#"))
    .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  const [record] = recorded;
  if (!record) return undefined;
  const ack = items.find((item) => item.sk === ACK_KEY);
  const closed = items.some(
    (item) => String(item.sk).startsWith(UPDATE_PREFIX) && item.statusCode === "closed",
  );
  const replyBy = Number(record.replyByMs);
  return {
    caseId: String(record.caseId),
    account: String(record.account),
    label: String(record.label),
    code: String(record.code),
    category: String(record.category),
    eventArn: String(record.eventArn),
    region: String(record.region),
    replyBy: record.follow === true && replyBy > 0 ? replyBy : undefined,
    replyBySource: text(record.replyBySource),
    remindersSent: recorded.reduce((sum, item) => sum + Number(item.remindersSent ?? 0), 0),
    closed,
    overdueAt: text(record.overdueAt),
    pagerDuty: text(record.pagerDuty),
    acknowledged: ack
      ? { by: String(ack.by), at: String(ack.at), via: String(ack.via), note: text(ack.note) || undefined }
      : undefined,
  };
}

/** The case table's replica in a region, with the credentials that reach the central account. */
export type TableClientFactory = (region: string, credentials?: AwsCredentialIdentity) => DynamoDBClient;

export const defaultTableClient: TableClientFactory = (region, credentials) =>
  awsClient(DynamoDBClient, region, credentials);

/** A table error as a person can act on it: which call, where, and what to do. */
export function tableError(
  error: unknown,
  call: string,
  where: { region: string; caller?: Caller },
): UserError {
  const code = errorCode(error);
  const table = `table ${STATE_TABLE_NAME} in ${where.region}`;
  if (code === "ResourceNotFoundException") {
    return new UserError(
      `dynamodb:${call} found no ${table}${where.caller ? ` in account ${where.caller.accountId}` : ""}: run with credentials of the central account (or --stack, which reaches it), deploy the stack first, or read another replica with --region`,
    );
  }
  if (code === "AccessDeniedException" || code === "AccessDenied" || code === "UnrecognizedClientException") {
    return new UserError(
      `dynamodb:${call} on ${table} was refused${where.caller ? ` for ${where.caller.arn}` : ""} (${code}): allow dynamodb:${call} on it to these credentials, or use the central account's member role (--stack)`,
    );
  }
  return new UserError(`dynamodb:${call} on ${table} failed: ${describeError(error)}`);
}

/** Every case of a replica (a paginated scan of the case partitions), open ones only unless `all`. */
export async function readCases(client: DynamoDBClient, all = false): Promise<CaseRow[]> {
  const byCase = new Map<string, Record<string, CaseValue>[]>();
  const pages = paginateScan(
    { client },
    {
      TableName: STATE_TABLE_NAME,
      FilterExpression: "begins_with(pk, :case)",
      ExpressionAttributeValues: { ":case": { S: CASE_PREFIX } },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const values = fromItem(item);
      byCase.set(String(values.pk), [...(byCase.get(String(values.pk)) ?? []), values]);
    }
  }
  return [...byCase.values()]
    .flatMap((items) => mergeCase(items) ?? [])
    .filter((row) => all || !row.closed)
    .sort((a, b) => (a.replyBy ?? Infinity) - (b.replyBy ?? Infinity) || a.caseId.localeCompare(b.caseId));
}

/** One case, by its ID, as a replica has it. */
export async function readCase(client: DynamoDBClient, caseId: string): Promise<CaseRow | undefined> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: STATE_TABLE_NAME,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: casePartition(caseId) } },
      ConsistentRead: true,
    }),
  );
  return mergeCase((Items ?? []).map(fromItem));
}

const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** "5.2 hours left", "overdue by 1.3 days": hours, or days from two days on, as the messages say it. */
export function timeLeft(replyBy: number, now: Date): string {
  const span = (ms: number) => {
    const days = ms >= 2 * 86_400_000;
    const value = Math.round((ms / (days ? 86_400_000 : 3_600_000)) * 10) / 10;
    return `${value} ${days ? "day" : "hour"}${value === 1 ? "" : "s"}`;
  };
  const ms = replyBy - now.getTime();
  return ms >= 0 ? `${span(ms)} left` : `overdue by ${span(-ms)}`;
}

/** Who, as a person reads it: an assumed role's session and role, an IAM user, else the text as is. */
export function shortIdentity(by: string): string {
  const assumed = /^arn:aws:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(by);
  if (assumed) return `${assumed[2]} (${assumed[1]})`;
  const user = /^arn:aws:iam::\d{12}:(?:user\/|)(.+)$/.exec(by);
  return user ? user[1] : by;
}

/** The reply-by, the time left and the reminders sent, in one cell. */
function replyCell(row: CaseRow, now: Date): string {
  if (!row.replyBy) return "none: a risk notice or a test";
  const state = row.closed ? "closed" : timeLeft(row.replyBy, now);
  return `${utc(row.replyBy)}, ${state}; ${row.remindersSent} reminder${row.remindersSent === 1 ? "" : "s"} sent`;
}

/**
 * The cases as a table that fits the terminal (100 columns when piped): case IDs whole, to be
 * copied, and the account's ID only there (it starts the case ID).
 */
export function casesTable(rows: readonly CaseRow[], now: Date, width?: number): string {
  return renderTable(
    ["Case", "Account", "Event", "Reply by", "Acknowledged by"],
    rows.map((row) => [
      row.caseId,
      row.label.replace(/ \(\d{12}\)$/, ""),
      row.closed ? `${row.code} (closed)` : row.code,
      replyCell(row, now),
      row.acknowledged
        ? `${shortIdentity(row.acknowledged.by)}, ${row.acknowledged.at.slice(0, 16).replace("T", " ")} UTC`
        : "",
    ]),
    width,
    [0],
  );
}

export interface CentralAccess {
  caller: Caller;
  credentials?: AwsCredentialIdentity;
}

/**
 * Credentials in the central account: the caller's own when it is there (or when no stack says
 * which account that is), else the member role of the stack's central account.
 */
export async function reachCentral(
  sts: STSClient,
  config: AbuseAlertsConfig | undefined,
  sessionName: string,
): Promise<CentralAccess> {
  const caller = await getCaller(sts, process.env, SIGN_IN_CENTRAL);
  if (!config) return { caller };
  const reached = await reachAccount(sts, config.centralAccountId, {
    roleName: config.memberRoleName,
    callerAccountId: caller.accountId,
    sessionName,
  });
  if (reached.status === "failed") {
    throw new UserError(
      `cannot assume ${roleArn(config.centralAccountId, config.memberRoleName)} as ${caller.arn} (${reached.errorCode}: ${reached.message}): ` +
        `${probeFix(reached.errorCode, config.centralAccountId, config.memberRoleName, caller.accountId)}; or run with credentials of the central account ${config.centralAccountId}`,
    );
  }
  return { caller, credentials: reached.status === "ok" ? reached.credentials : undefined };
}

export interface CasesRequest {
  region?: string;
  json?: boolean;
  all?: boolean;
}

export interface CasesClients {
  sts: STSClient;
  table: TableClientFactory;
  now?: () => Date;
  /** Columns of the table; the terminal's by default. */
  width?: number;
}

/** What `npm run cases` prints: the open cases (or all), as a table or JSON. */
export async function listCases(
  request: CasesRequest,
  config: AbuseAlertsConfig | undefined,
  clients: CasesClients = { sts: createStsClient(), table: defaultTableClient },
): Promise<string> {
  const region = request.region ?? GLOBAL_EVENTS_REGION;
  const { caller, credentials } = await reachCentral(clients.sts, config, "abuse-alerts-cases");
  let rows: CaseRow[];
  try {
    rows = await readCases(clients.table(region, credentials), request.all);
  } catch (error) {
    throw tableError(error, "Scan", { region, caller });
  }
  if (request.json) return JSON.stringify(rows, null, 2);
  const now = clients.now?.() ?? new Date();
  if (rows.length === 0) {
    return `No ${request.all ? "" : "open "}cases in the ${region} replica of ${STATE_TABLE_NAME}.`;
  }
  const open = rows.filter((row) => !row.closed).length;
  const width = clients.width ?? outputWidth();
  return [
    wrapText(
      `${open} open case${open === 1 ? "" : "s"}${request.all ? ` of ${rows.length}` : ""}, from the ${region} replica of ${STATE_TABLE_NAME}; npm run ack -- --case <Case> acknowledges one.`,
      width,
    ),
    casesTable(rows, now, width),
  ].join("\n");
}

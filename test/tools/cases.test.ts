import { strict as assert } from "node:assert";
import { DynamoDBClient, ScanCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { validateConfig } from "../../config/schema";
import { OfflineHub } from "../../sim/hub";
import { AckClients, acknowledgeCase } from "../../tools/ack";
import { casesTable, listCases, mergeCase, timeLeft } from "../../tools/cases";
import { ackCommand } from "../../scripts/ack";
import { casesCommand } from "../../scripts/cases";
import { runCli } from "../helpers/cli";
import { CENTRAL, MANAGEMENT, minimalConfig } from "../helpers/example-org";
import { at, DOS_CASE, HOUR, REPLY_BY, sample, START, startHub, timeline } from "../helpers/hub";

const ALICE = `arn:aws:sts::${CENTRAL}:assumed-role/SecOps/alice`;

/** STS answering as `arn`; AssumeRole into the central account's member role when asked. */
function sts(arn = ALICE) {
  const client = new STSClient({ region: "us-east-1" });
  const mock = mockClient(client);
  mock.on(GetCallerIdentityCommand).resolves({ Account: arn.split(":")[4], Arn: arn });
  mock.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date() },
  });
  return { client, mock };
}

/** Step Functions answering as the hub does: StartExecution starts the case workflow offline. */
function stepFunctions(hub: OfflineHub) {
  const client = new SFNClient({ region: "us-east-1" });
  const mock = mockClient(client);
  mock
    .on(StartExecutionCommand)
    .callsFake((input: { stateMachineArn: string; name: string; input: string }) => {
      const started = hub.sfn.startExecution(input.stateMachineArn, JSON.parse(input.input), input.name);
      return { executionArn: started.executionArn, startDate: started.startDate };
    });
  return { client, mock };
}

const clientsOf = (hub: OfflineHub, caller = sts().client): AckClients => ({
  sts: caller,
  table: (region) => hub.table.client(region),
  stepFunctions: () => stepFunctions(hub).client,
  now: () => hub.clock.now(),
});

/** Runs `work` at a time of the hub's virtual clock, as a person would at that moment. */
function atTime<T>(hub: OfflineHub, time: Date, work: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => hub.clock.at(time, () => work().then(resolve, reject)));
}

describe("npm run cases and npm run ack, against the case table (dynalite) and the offline hub", () => {
  let hub: OfflineHub;
  beforeEach(async () => {
    hub = await startHub();
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    void hub.deliver(sample("risk/credentials-exposed"), "us-east-1", START);
    await hub.run(at(START, HOUR));
  });
  afterEach(() => hub.stop());

  it("lists the open cases: account, event, reply-by, time left, reminders sent, who acknowledged; a table that fits", async () => {
    const text = await listCases({}, undefined, { ...clientsOf(hub), width: 100 });
    const lines = text.split("\n");
    assert.equal(
      lines.slice(0, 2).join(" "),
      "2 open cases, from the us-east-1 replica of abuse-alerts-state; npm run ack -- --case <Case> acknowledges one.",
    );
    assert.ok(
      lines.every((line) => line.length <= 100),
      "fits 100 columns, the width of a pipe",
    );
    const cells = (row: string) =>
      row
        .split("│")
        .map((cell) => cell.trim())
        .slice(1, -1);
    const header = lines.findIndex((line) => line.startsWith("│ Case"));
    assert.deepEqual(cells(lines[header]), ["Case", "Account", "Event", "Reply by", "Acknowledged by"]);
    const dos = lines.findIndex((line) => line.includes(DOS_CASE));
    const rowText = (first: number) =>
      lines
        .slice(
          first,
          lines.findIndex((line, index) => index > first && /^(│ \d|└)/.test(line)),
        )
        .map(cells)
        .reduce((all, row) => all.map((cell, column) => `${cell} ${row[column]}`.trim()));
    assert.deepEqual(rowText(dos), [
      DOS_CASE,
      "shop-prod",
      "AWS_ABUSE_DOS_REPORT",
      "2026-11-20 08:14 UTC, 21.3 hours left; 0 reminders sent",
      "",
    ]);
    const risk = lines.findIndex((line) => /│ 333333333333-[0-9a-f]{12} │/.test(line));
    assert.deepEqual(rowText(risk).slice(1, 4), [
      "shop-dev",
      "AWS_RISK_CREDENTIALS _EXPOSED",
      "none: a risk notice or a test",
    ]);
    // However narrow, a case ID stays whole, to be copied.
    const narrow = await listCases({}, undefined, { ...clientsOf(hub), width: 60 });
    assert.match(narrow, /│ 222222222221-4f178e4c08f8 │/);
  });

  it("--json gives every field, and --all adds the closed cases", async () => {
    const rows = JSON.parse(await listCases({ json: true }, undefined, clientsOf(hub))) as {
      caseId: string;
      replyBy?: number;
      category: string;
    }[];
    assert.deepEqual(
      rows.map((row) => [row.caseId, row.category, row.replyBy]),
      [
        [DOS_CASE, "abuse", REPLY_BY.getTime()],
        [rows[1].caseId, "risk", undefined],
      ],
    );
    const closed = { ...sample("abuse/dos-report-closed") };
    void hub.deliver(closed, "us-east-1", at(START, 2 * HOUR));
    await hub.run(at(START, 3 * HOUR));
    const open = JSON.parse(await listCases({ json: true }, undefined, clientsOf(hub))) as unknown[];
    const all = JSON.parse(await listCases({ json: true, all: true }, undefined, clientsOf(hub))) as {
      closed: boolean;
    }[];
    assert.equal(open.length, 1);
    assert.deepEqual(all.map((row) => row.closed).sort(), [false, true]);
  });

  it("npm run ack records the caller, posts the acknowledgement with its note in the thread, and stops the reminders", async () => {
    const pending = atTime(hub, at(START, 2 * HOUR), () =>
      acknowledgeCase({ case: DOS_CASE.toUpperCase(), note: "replied 14:05" }, undefined, clientsOf(hub)),
    );
    await hub.run();
    const said = await pending;
    assert.match(
      said,
      new RegExp(
        `^Acknowledged case ${DOS_CASE} \\(AWS_ABUSE_DOS_REPORT in shop-prod \\(222222222221\\)\\) as ${ALICE.replace(/\//g, "\\/")}, noting "replied 14:05"\\. Its reminders and escalation stop\\.\\nThe thread hears of it now \\(execution arn:aws:states:us-east-1:${CENTRAL}:execution:abuse-alerts-case:settle-${DOS_CASE}-\\d+\\)\\.$`,
      ),
    );
    const posts = timeline(hub.posts()).filter(([, , title]) => !title.includes("AWS account risk"));
    assert.deepEqual(
      posts.map(([time, , title]) => [time, title.split(":")[1]]),
      [
        [START.toISOString(), "rotating_light"],
        [at(START, 2 * HOUR).toISOString(), "ballot_box_with_check"],
      ],
    );
    assert.equal(
      hub.posts().find((post) => post.notification?.content.title?.startsWith(":ballot_box_with_check:"))
        ?.notification?.content.description,
      `*Acknowledged by* ${ALICE}, 2026-11-19 11:59 UTC, with npm run ack\n*Note* replied 14:05\nReminders and escalation stop for this case.`,
    );
    const rows = JSON.parse(await listCases({ json: true }, undefined, clientsOf(hub))) as {
      caseId: string;
      acknowledged?: { by: string };
    }[];
    assert.equal(rows.find((row) => row.caseId === DOS_CASE)?.acknowledged?.by, ALICE);
    assert.match(
      await listCases({}, undefined, { ...clientsOf(hub), width: 200 }),
      /alice \(SecOps\), 2026-11-19 11:59 UTC/,
    );
    const again = await acknowledgeCase({ case: DOS_CASE }, undefined, clientsOf(hub));
    assert.match(
      again,
      new RegExp(
        `is already acknowledged, by ${ALICE.replace(/\//g, "\\/")} at 2026-11-19T11:59:03.000Z: nothing changed\\.$`,
      ),
    );
  });

  it("when the thread cannot be told now, the acknowledgement is kept and the follower announces it at its next check", async () => {
    const refused = new SFNClient({ region: "us-east-1" });
    mockClient(refused)
      .on(StartExecutionCommand)
      .rejects(
        Object.assign(new Error("not authorized to perform: states:StartExecution"), {
          name: "AccessDeniedException",
        }),
      );
    const pending = atTime(hub, at(START, 2 * HOUR), () =>
      acknowledgeCase({ case: DOS_CASE }, undefined, { ...clientsOf(hub), stepFunctions: () => refused }),
    );
    await hub.run();
    const said = await pending;
    assert.match(
      said,
      /The thread hears of it at the case's next check, as states:StartExecution of arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-case: AccessDeniedException: not authorized/,
    );
    await hub.run();
    const acknowledged = hub
      .posts()
      .filter((post) => post.notification?.content.title?.startsWith(":ballot_box_with_check:"));
    assert.deepEqual(
      acknowledged.map((post) => post.time.toISOString()),
      [at(REPLY_BY, -6 * HOUR).toISOString()],
    );
    assert.ok(!hub.posts().some((post) => post.notification?.content.title?.startsWith(":alarm_clock:")));
  });

  it("a case ID mistyped, malformed or missing: says so, with the open case it was likely meant to be", async () => {
    const clients = clientsOf(hub);
    await assert.rejects(
      acknowledgeCase({}, undefined, clients),
      /^UserError: --case is required: the case ID the alert and npm run cases show/,
    );
    await assert.rejects(
      acknowledgeCase({ case: "222222222221" }, undefined, clients),
      /--case must be a case ID: the account's 12 digits, a dash and 12 hex digits \(e\.g\. 222222222221-4f178e4c08f8\), got "222222222221"/,
    );
    await assert.rejects(
      acknowledgeCase({ case: DOS_CASE.replace(/8$/, "9") }, undefined, clients),
      new RegExp(
        `no case 222222222221-4f178e4c08f9 in the us-east-1 replica of abuse-alerts-state \\(did you mean ${DOS_CASE}\\?\\): npm run cases lists the open cases`,
      ),
    );
    await assert.rejects(
      acknowledgeCase({ case: DOS_CASE, note: " " }, undefined, clients),
      /--note must be 1 to 500 characters/,
    );
  });

  it("a case AWS closed has nothing to acknowledge", async () => {
    void hub.deliver(sample("abuse/dos-report-closed"), "us-east-1", at(START, 2 * HOUR));
    await hub.run(at(START, 3 * HOUR));
    assert.equal(
      await acknowledgeCase({ case: DOS_CASE }, undefined, clientsOf(hub)),
      `AWS closed case ${DOS_CASE} (AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)): no reply is due, nothing to acknowledge.`,
    );
  });
});

describe("npm run cases and npm run ack: access and AWS errors (aws-sdk-client-mock)", () => {
  const refusing = (call: typeof ScanCommand | typeof QueryCommand, name: string) => {
    const client = new DynamoDBClient({ region: "us-east-1" });
    mockClient(client)
      .on(call)
      .rejects(Object.assign(new Error(`${name} for the call`), { name }));
    return client;
  };

  it("a refused or missing table names the call, the table, the caller and the fix", async () => {
    const clients = { sts: sts().client, table: () => refusing(ScanCommand, "AccessDeniedException") };
    await assert.rejects(
      listCases({}, undefined, clients),
      new RegExp(
        `^UserError: dynamodb:Scan on table abuse-alerts-state in us-east-1 was refused for ${ALICE.replace(/\//g, "\\/")} \\(AccessDeniedException\\): allow dynamodb:Scan on it to these credentials, or use the central account's member role \\(--stack\\)$`,
      ),
    );
    await assert.rejects(
      acknowledgeCase({ case: DOS_CASE }, undefined, {
        ...clients,
        table: () => refusing(QueryCommand, "ResourceNotFoundException"),
        stepFunctions: () => new SFNClient({}),
      }),
      /dynamodb:Query found no table abuse-alerts-state in us-east-1 in account 111111111111: run with credentials of the central account \(or --stack, which reaches it\), deploy the stack first, or read another replica with --region/,
    );
  });

  it("with a stack, reaches the central account through its member role, and says so when it cannot", async () => {
    const config = validateConfig(minimalConfig);
    const { client, mock } = sts(`arn:aws:sts::${MANAGEMENT}:assumed-role/Admin/me`);
    let used: unknown;
    const table = (_region: string, credentials?: unknown) => {
      used = credentials;
      const empty = new DynamoDBClient({ region: "us-east-1" });
      mockClient(empty).on(ScanCommand).resolves({ Items: [] });
      return empty;
    };
    assert.equal(
      await listCases({}, config, { sts: client, table }),
      "No open cases in the us-east-1 replica of abuse-alerts-state.",
    );
    assert.equal(
      mock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn,
      `arn:aws:iam::${CENTRAL}:role/OrganizationAccountAccessRole`,
    );
    assert.deepEqual((used as { accessKeyId: string }).accessKeyId, "ASIA");
    mock
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error("not authorized to perform: sts:AssumeRole"), { name: "AccessDenied" }),
      );
    await assert.rejects(
      listCases({}, config, { sts: client, table }),
      /cannot assume arn:aws:iam::111111111111:role\/OrganizationAccountAccessRole as arn:aws:sts::100000000001:assumed-role\/Admin\/me \(AccessDenied: .*\): create role .* or run with credentials of the central account 111111111111/,
    );
  });
});

describe("npm run cases and npm run ack on the command line", () => {
  it("npm run ack without --case, or with a slip, says what to type; nothing is called", async () => {
    const missing = await runCli(ackCommand(), []);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /--case is required: the case ID the alert and npm run cases show, e.g. --case 222222222221-4f178e4c08f8/,
    );
    const typo = await runCli(ackCommand(), ["--cas", DOS_CASE]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /unknown option '--cas'/);
    const region = await runCli(ackCommand(), ["--case", DOS_CASE, "--region", "us-est-1"]);
    assert.match(region.stderr, /did you mean us-east-1\?/);
    const bare = await runCli(ackCommand(), [DOS_CASE]);
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, new RegExp(`did you mean --case ${DOS_CASE}\\?`));
    const emptyNote = await runCli(ackCommand(), ["--case", DOS_CASE, "--note", ""]);
    assert.equal(emptyNote.code, 1);
    assert.match(emptyNote.stderr, /--note must be 1 to 500 characters, got 0/);
  });

  it("npm run cases json (without the dashes) says --json", async () => {
    const run = await runCli(casesCommand(), ["json"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /did you mean --json\?/);
    assert.doesNotMatch(run.stderr, /--stack/);
  });

  it("--help of both says what they do", async () => {
    const cases = await runCli(casesCommand(), ["--help"]);
    assert.equal(cases.code, 0);
    assert.match(cases.stdout, /--json +print the cases as JSON/);
    assert.match(cases.stdout, /--all +include the cases AWS closed/);
    const ack = await runCli(ackCommand(), ["--help"]);
    assert.match(ack.stdout, /--note <text>/);
  });
});

describe("a case as its items merge", () => {
  it("takes the earliest region's record, sums reminders, reads the acknowledgement and AWS's closing", () => {
    const record = (region: string, createdAt: string, reminders: number) => ({
      pk: `case#${DOS_CASE}`,
      sk: `case#${region}`,
      caseId: DOS_CASE,
      account: "222222222221",
      label: "shop-prod (222222222221)",
      code: "AWS_ABUSE_DOS_REPORT",
      category: "abuse",
      eventArn: "arn",
      region,
      createdAt,
      replyByMs: REPLY_BY.getTime(),
      follow: true,
      remindersSent: reminders,
    });
    const row = mergeCase([
      record("us-west-2", "2026-11-19T10:14:03Z", 1),
      record("us-east-1", "2026-11-19T09:59:03Z", 1),
      { pk: `case#${DOS_CASE}`, sk: "ack", by: ALICE, at: "2026-11-19T11:00:00Z", via: "cli" },
      { pk: `case#${DOS_CASE}`, sk: "update#x#us-east-1", statusCode: "closed" },
    ]);
    assert.deepEqual(
      [row?.region, row?.remindersSent, row?.closed, row?.acknowledged?.by],
      ["us-east-1", 2, true, ALICE],
    );
    assert.equal(mergeCase([{ pk: "case#x", sk: "ack" }]), undefined, "no record: no case");
  });

  it("counts time left in hours, and in days from two days on, as the messages do", () => {
    assert.equal(timeLeft(REPLY_BY.getTime(), at(REPLY_BY, -6 * HOUR)), "6 hours left");
    assert.equal(timeLeft(REPLY_BY.getTime(), at(REPLY_BY, -HOUR)), "1 hour left");
    assert.equal(timeLeft(REPLY_BY.getTime(), at(REPLY_BY, 50 * HOUR)), "overdue by 2.1 days");
    assert.match(casesTable([], START, 80), /Case/);
  });
});

import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { withoutBookkeepingTraces } from "../../sim/pulumi-runner";
import { EXAMPLE_ORG_PATH } from "../../tools/examples";
import { renderPlan } from "../../tools/plan";
import { routesStackFile } from "../helpers/offline";

const ROOT = join(__dirname, "..", "..");

/** Runs `npm run plan` as a user would, in a directory holding the given stack file. */
async function planCli(
  stackYaml: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const directory = mkdtempSync(join(tmpdir(), "plan-"));
  writeFileSync(join(directory, "Pulumi.test.yaml"), stackYaml);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        "-r",
        require.resolve("ts-node/register"),
        join(ROOT, "scripts", "plan.ts"),
        "--stack",
        "test",
        ...args,
      ],
      {
        cwd: directory,
        env: { ...process.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json"), TS_NODE_TRANSPILE_ONLY: "true" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run plan", () => {
  it("prints the config, the accounts with why each is skipped, resources per account and region, and totals", async () => {
    const { text } = await renderPlan({ stack: "prod", org: EXAMPLE_ORG_PATH });
    assert.match(text, /│ abuse-alerts:centralAccountId +│ 111111111111 /);
    assert.match(text, /Accounts: 7 covered, 4 skipped/);
    assert.match(text, /│ 100000000001 │ management +│ covered │ forwarder \(deploying credentials\)/);
    assert.match(
      text,
      /│ 111111111111 │ security-tooling +│ covered │ central hub \+ forwarder \(assumes +│\n│ +│ +│ +│ OrganizationAccountAccessRole\) +│/,
    );
    assert.match(text, /│ 333333333332 │ shop-dev-old +│ skipped │ suspended/);
    assert.match(text, /│ 333333333331 │ sandbox-playground +│ skipped │ excluded/);
    assert.match(text, /│ Account +│ Name +│ global │ us-east-1 │ us-west-2 │ Total │/);
    assert.match(text, /│ 222222222221 │ shop-prod +│ 1 +│ 3 +│ 3 +│ 7 +│/);
    // 7 accounts × 2 regions forwarding, 2 regions × 4 central rules (abuse, risk, and their tests), and
    // onboarding's: 3 on Organizations' events, a prober's per region, and us-west-2's probe requests crossing.
    assert.match(text, /│ aws:cloudwatch\/eventRule:EventRule +│ 28 +│/);
    assert.match(
      text,
      /What the security team sees for .*dos-report.json, processed at\s+2026-11-19T08:14:03.000Z \(--event and\s+--now for others\)/,
    );
    assert.match(text, /│ \*🚨 AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod \(222222222221\)\*/);
    assert.match(
      text,
      /│ \*Reply by\* 2026-11-20 08:14 UTC \(24 hours left; as the notice asks: within 24 hours\)/,
    );
    assert.match(text, /│ \*OU\* Root \/ Workloads \/ Prod/);
    // The case's timeline: its reminders, and its overdue post with the escalation email of Pulumi.prod.yaml.
    assert.match(text, /The case's timeline if nobody acknowledges it/);
    assert.match(text, /│ 2026-11-20 02:14 UTC │ reminder +│ :alarm_clock: 6 hours left to reply/);
    assert.match(text, /│ 2026-11-20 08:14 UTC │ email +│ to oncall@example.com: Overdue: AWS abuse report/);
    assert.match(
      text,
      /Totals: \d+ AWS resources and \d+ components declared by Pulumi in 7 accounts and 2 region\(s\);\s+7\s+AWS\s+providers/,
    );
  });

  it("reads another organization with --org", async () => {
    const org = join(mkdtempSync(join(tmpdir(), "org-")), "org.json");
    writeFileSync(
      org,
      JSON.stringify({
        organization: { id: "o-exampleorg1", managementAccountId: "100000000001" },
        root: {
          id: "r-ex12",
          name: "Root",
          accounts: [
            { id: "100000000001", name: "management", state: "ACTIVE" },
            { id: "111111111111", name: "security-tooling", state: "ACTIVE" },
          ],
        },
      }),
    );
    const { text } = await renderPlan({ stack: "prod", org });
    assert.match(text, /Accounts: 2 covered, 0 skipped/);
  });

  it("fails on bad config with the same clear error as pulumi up, exit code 1, nothing planned", async () => {
    const result = await planCli(
      [
        "config:",
        '  abuse-alerts:centralAccountId: "1234"',
        "  abuse-alerts:slack: { workspaceId: T0123456789 }",
        "",
      ].join("\n"),
      ["--org", EXAMPLE_ORG_PATH],
    );
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.deepEqual(result.stderr.trimEnd().split("\n"), [
      "The stack configuration has 2 problems:",
      '  - abuse-alerts:centralAccountId must be a 12-digit AWS account ID in quotes, e.g. "111111111111", got "1234"',
      "  - abuse-alerts:slack.channelId is required: the Slack channel ID, e.g. C0123456789",
      // The file itself, not Pulumi.<stack>.yaml; and plan never deploys, so it does not say "nothing was deployed".
      "Fix them in Pulumi.test.yaml (or with `pulumi config set --path`).",
    ]);
  });

  it("names a missing stack file", async () => {
    const result = await planCli("config: {}\n", ["--stack", "nope"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Pulumi.nope.yaml does not exist/);
  });
});

describe("the offline runner", () => {
  it("leaves Pulumi's own promise traces empty, the cost of a large plan, and every other error's trace whole", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Pulumi's internal module, read as the runtime uses it
    const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
      debuggablePromise: (promise: Promise<unknown>, context: string) => Promise<unknown>;
    };
    const traced = (promise: Promise<unknown>) =>
      (promise as unknown as { _debugStackTrace: string })._debugStackTrace;
    await withoutBookkeepingTraces(() => {
      const bookkeeping = Promise.resolve();
      void debuggablePromise(bookkeeping, "test");
      assert.equal(traced(bookkeeping), "");
      assert.match(new Error("a real failure").stack ?? "", /a real failure\n\s+at .*plan\.test\.ts:\d+/);
      return Promise.resolve();
    });
    const outside = Promise.resolve();
    void debuggablePromise(outside, "test");
    assert.match(traced(outside), /\s+at /, "Pulumi's traces are back once the run is over");
  });
});

describe("npm run plan with routes", () => {
  let text: string;
  before(async () => {
    const cwd = process.cwd();
    process.chdir(dirname(routesStackFile()));
    try {
      ({ text } = await renderPlan({ stack: "routes", org: EXAMPLE_ORG_PATH }));
    } finally {
      process.chdir(cwd);
    }
  });
  const flat = () => text.replace(/\s+/g, " ");

  it("lists each route with its channel, its selectors and the accounts of the organization file it matches", () => {
    assert.match(text, /│ abuse-alerts:routes +│ 3 routes: see Routes +│/);
    assert.match(
      text,
      /Routes: 3, each its own topic in every region and its own Chatbot channel configuration/,
    );
    assert.match(
      flat(),
      /│ prod │ Slack channel C0PRODTEAM1 │ OU ou-ex12-prod0001 \(Prod\) │ 222222222221 shop-prod \(OU │/,
    );
    /** A row of the routes table, its wrapped lines put back together, cell by cell. */
    const cells = (route: string) => {
      const lines = text.split("\n");
      const start = lines.findIndex((line) => line.startsWith(`│ ${route} `));
      const row: string[][] = [];
      for (const line of lines.slice(start)) {
        const parts = line
          .split("│")
          .slice(1, -1)
          .map((part) => part.trim());
        if (!line.startsWith("│") || (row.length > 0 && parts[0] !== "")) break;
        parts.forEach((part, column) => (row[column] = [...(row[column] ?? []), part]));
      }
      return row.map((column) => column.filter(Boolean).join(" ")).join(" | ");
    };
    assert.match(
      cells("prod"),
      /\| 222222222221 shop-prod \(OU Prod\) 222222222222 payments-prod \(OU Prod\) 222222222223 shop-prod-eu \(OU Prod\)$/,
    );
    assert.match(
      cells("payments"),
      /^payments \| Microsoft Teams channel 19:0a1b2c3d4e5f60718293a4b5 c6d7e8f9@thread.tacv2 .*\| tag team: payments \| 222222222222 payments-prod \(tag team: payments\)$/,
    );
    assert.match(
      cells("shop-dev"),
      /\| account 333333333333 \| 333333333333 shop-dev \(account 333333333333\)$/,
    );
  });

  it("names the covered accounts no route matches, whose alerts reach the central channel only", () => {
    assert.match(
      flat(),
      /No route matches 3 covered accounts, whose alerts reach the central channel only: 100000000001 management, 111111111111 security-tooling, 111111111112 log-archive\./,
    );
  });

  it("counts a topic per route and region, and a channel configuration per route", () => {
    // Two Slack routes: the central channel is a Cloud Control resource, for its Acknowledge button.
    assert.match(text, /│ aws:chatbot\/slackChannelConfiguration:SlackChannelConfiguration +│ 2 +│/);
    assert.match(text, /│ aws:chatbot\/teamsChannelConfiguration:TeamsChannelConfiguration +│ 1 +│/);
    // The alert, operations and escalation topics, and 3 routes' topics, in 2 regions.
    assert.match(text, /│ aws:sns\/topic:Topic +│ 12 +│/);
  });

  it("shows which channels the sample message goes to", () => {
    assert.match(
      flat(),
      /Posted to 2 channels, .*│ Slack channel C0PRODTEAM1 │ prod │ \*Routed to prod\*: OU Prod │/,
    );
  });
});

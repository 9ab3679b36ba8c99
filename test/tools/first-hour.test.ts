import { strict as assert } from "node:assert";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Command } from "commander";
import { mockClient } from "aws-sdk-client-mock";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { getCaller } from "../../accounts/identity";
import { reachCentral } from "../../tools/cases";
import { readOrganizationFile } from "../../accounts/org-file";
import { configFromPulumi } from "../../config/read";
import { benchCommand } from "../../scripts/bench";
import { coverageCommand } from "../../scripts/coverage";
import { doctorCommand } from "../../scripts/doctor";
import { exportOrgCommand } from "../../scripts/export-org";
import { planCommand } from "../../scripts/plan";
import { renderPlan } from "../../tools/plan";
import { previewMessageCommand } from "../../scripts/preview-message";
import { sendTestEventCommand } from "../../scripts/send-test-event";
import { CliRun, runCli } from "../helpers/cli";
import { EVENTS_DIR, EXAMPLE_ORG_PATH } from "../../tools/examples";
import { prodConfigWith, runProgram } from "../helpers/offline";

/** A directory holding Pulumi.test.yaml (and other files), as a user's checkout would. */
function workspace(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), "first-hour-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  return directory;
}

/** The example stack as YAML with some keys replaced, for a stack file on disk. */
function stackYaml(changes: Record<string, unknown> = {}): string {
  const config = prodConfigWith(changes);
  return [
    "config:",
    ...Object.entries(config).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
  ].join("\n");
}

/** Runs commands in a directory, as a person who cd'd there would. */
async function inDirectory<T>(directory: string, work: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(directory);
  try {
    return await work();
  } finally {
    process.chdir(cwd);
  }
}

const planIn = (directory: string, args: string[] = []): Promise<CliRun> =>
  inDirectory(directory, () => runCli(planCommand(), ["--stack", "test", ...args]));

/** Plans a stack file of these config lines, written as a person would type them. */
const planConfigLines = (lines: string[]) =>
  planIn(workspace({ "Pulumi.test.yaml": ["config:", ...lines.map((line) => `  ${line}`)].join("\n") }));

/** The plan's sentences as one line: they wrap to the terminal, where a long path may break them. */
const prose = (text: string) => text.replace(/\n/g, " ");

/** What a person reads: the message, once, and nothing of the machinery behind it. */
function assertPlainError(run: CliRun, message: RegExp) {
  assert.equal(run.code, 1);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, message);
  for (const noise of [/OfflineRunError/, /RunError/, /__pulumiRunError/, /resources: \[/, /^\s+at /m]) {
    assert.doesNotMatch(run.stderr, noise);
  }
}

const orgFile = (root: unknown) =>
  JSON.stringify({ organization: { id: "o-exampleorg1", managementAccountId: "100000000001" }, root });

describe("the first hour: npm run plan", () => {
  it("prints a config mistake exactly as pulumi up would, each problem once, exit 1", async () => {
    const bad = { centralAccountId: "1234", regions: ["us-wets-2", "us-east-1"] };
    const run = await planIn(workspace({ "Pulumi.test.yaml": stackYaml(bad) }));
    const programError = await runProgram(prodConfigWith(bad)).then(
      () => assert.fail("the program must refuse this config"),
      (error: Error) => error.message,
    );
    assertPlainError(run, /The stack configuration has 2 problems/);
    assert.equal(run.stderr, `${programError}\n`);
    assert.equal(run.stderr.match(/centralAccountId must be/g)?.length, 1);
    assert.match(run.stderr, /regions\[0\] must be .*"us-wets-2" \(did you mean us-west-2\?\)/);
  });

  it("names a misspelt namespace, or none, with the key meant, and leaves other providers' keys alone", async () => {
    const run = await planConfigLines([
      "aws:region: us-east-1",
      "aws:profile: management",
      'abuse-alerts:centralAccountId: "111111111111"',
      "abuse-alerts:slack: { workspaceId: T0123456789, channelId: C0123456789 }",
      "abuse-alert:regions: [us-east-1, us-west-2]",
      "abuse_alerts:notifyEmails: [secops@example.com]",
      "categories: [abuse]",
    ]);
    assertPlainError(run, /The stack configuration has 3 problems/);
    assert.match(
      run.stderr,
      /abuse-alert:regions is under namespace abuse-alert, which this program does not read: did you mean abuse-alerts:regions\?/,
    );
    assert.match(run.stderr, /abuse_alerts:notifyEmails .*did you mean abuse-alerts:notifyEmails\?/);
    assert.match(run.stderr, /categories has no namespace.*did you mean abuse-alerts:categories\?/);
    assert.doesNotMatch(run.stderr, /aws:region|aws:profile/);
  });

  it("does not also call a key missing when a misspelt one already names it", async () => {
    const run = await planConfigLines([
      'abuse-alert:centralAccountId: "111111111111"',
      "abuse-alerts:slack: { workspaceId: T0123456789, channelId: C0123456789 }",
    ]);
    assertPlainError(run, /The stack configuration has 1 problem:/);
    assert.match(run.stderr, /abuse-alert:centralAccountId .*did you mean abuse-alerts:centralAccountId\?/);
    assert.doesNotMatch(run.stderr, /is required/);
  });

  it("says so when the stack file has no config: block, or is not a stack file at all", async () => {
    assertPlainError(
      await planIn(workspace({ "Pulumi.test.yaml": "encryptionsalt: v1:abc\n" })),
      /Pulumi.test.yaml has no config: block, so abuse-alerts:centralAccountId and abuse-alerts:slack are missing/,
    );
    assertPlainError(
      await planIn(workspace({ "Pulumi.test.yaml": "just some words\n" })),
      /Pulumi.test.yaml is not a Pulumi stack file: it holds the text "just some words"/,
    );
    assertPlainError(
      await planIn(workspace({ "Pulumi.test.yaml": "config: [\n  unclosed" })),
      /Pulumi.test.yaml is not valid YAML/,
    );
  });

  it("names explicit accounts as the config does, even where the organization file does not know them", async () => {
    const run = await planIn(
      workspace({
        "Pulumi.test.yaml": stackYaml({
          accounts: {
            explicit: [
              { id: "111111111111", name: "security" },
              { id: "444444444441", name: "acquired-co" },
            ],
          },
        }),
      }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /│ 444444444441 │ acquired-co +│ covered │/);
    assert.match(run.stdout, /│ 111111111111 │ security +│ covered │/);
  });

  it("asks for config: when the keys sit at the top level", async () => {
    assertPlainError(
      await planIn(
        workspace({
          "Pulumi.test.yaml":
            'abuse-alerts:centralAccountId: "111111111111"\nabuse-alerts:regions: [us-east-1]\n',
        }),
      ),
      /Pulumi.test.yaml has abuse-alerts:centralAccountId, abuse-alerts:regions at the top level, where Pulumi reads none: indent them under a config: line/,
    );
  });

  describe("a stack file with encrypted values (pulumi config set --secret)", () => {
    const encrypted = [
      "encryptionsalt: v1:abc",
      "config:",
      '  abuse-alerts:centralAccountId: "111111111111"',
      "  abuse-alerts:slack:",
      "    workspaceId: T0123456789",
      "    channelId:",
      "      secure: v1:AAAAciphertext",
    ].join("\n");
    /** Runs the plan with a fake `pulumi` (a shell script) or none at all on PATH. */
    async function planWithPulumi(script: string | undefined): Promise<CliRun> {
      const directory = workspace({ "Pulumi.test.yaml": encrypted });
      const bin = mkdtempSync(join(tmpdir(), "fake-pulumi-"));
      if (script !== undefined) {
        writeFileSync(join(bin, "pulumi"), `#!/bin/sh\n${script}\n`);
        chmodSync(join(bin, "pulumi"), 0o755);
      }
      const path = process.env.PATH;
      process.env.PATH = bin;
      try {
        return await planIn(directory);
      } finally {
        process.env.PATH = path;
      }
    }

    it("reads them decrypted through the Pulumi CLI, as pulumi up would", async () => {
      // What `pulumi config --show-secrets --json` prints: every value as text, objects as JSON.
      const values = {
        "abuse-alerts:centralAccountId": { value: "111111111111", secret: false },
        "abuse-alerts:slack": {
          value: '{"channelId":"C0123456789","workspaceId":"T0123456789"}',
          objectValue: { channelId: "C0123456789", workspaceId: "T0123456789" },
          secret: false,
        },
      };
      const run = await planWithPulumi(
        `[ "$*" = "config --stack test --show-secrets --json" ] || exit 3\necho '${JSON.stringify(values)}'`,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /C0123456789/);
    });

    it("names the encrypted keys and the fix when the CLI cannot decrypt them, or is missing", async () => {
      assertPlainError(
        await planWithPulumi(
          "echo 'error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE' >&2\nexit 255",
        ),
        /Pulumi.test.yaml holds encrypted values \(abuse-alerts:slack.channelId\), which only the Pulumi CLI can decrypt, and `pulumi config --stack test --show-secrets --json` failed: error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE/,
      );
      const missing = await planWithPulumi(undefined);
      assertPlainError(missing, /holds encrypted values .* and the Pulumi CLI is not installed/);
      assert.match(missing.stderr, /or keep these keys in plain text/);
    });
  });

  it("explains an organization with no active account, a central account outside it, and a foreign organization ID", async () => {
    const accounts = (state: string) => [
      { id: "100000000001", name: "management", state },
      { id: "222222222221", name: "shop", state },
    ];
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        orgFile({ id: "r-ex12", name: "Root", accounts: accounts("SUSPENDED") }),
        {},
        /no account is left to cover in organization o-exampleorg1 \(the organization file org.json\): 2 found, 2 skipped/,
      ],
      [
        orgFile({ id: "r-ex12", name: "Root", accounts: accounts("ACTIVE") }),
        {},
        /abuse-alerts:centralAccountId 111111111111 is not an account of organization o-exampleorg1/,
      ],
      [
        readFileOf(EXAMPLE_ORG_PATH),
        { organizationId: "o-otherorg123" },
        /but the organization file org.json reports organization o-exampleorg1/,
      ],
    ];
    for (const [org, changes, message] of cases) {
      const directory = workspace({ "Pulumi.test.yaml": stackYaml(changes), "org.json": org });
      const run = await planIn(directory, ["--org", "org.json"]);
      assertPlainError(run, message);
      assert.doesNotMatch(run.stderr, /credentials|AWSReservedSSO/, "no invented credentials offline");
    }
  });

  it("reports every unknown OU at once, with the OU each was likely meant to be, and an exclusion typo with them", async () => {
    const run = await planIn(
      workspace({
        "Pulumi.test.yaml": stackYaml({
          accounts: {
            organizationalUnits: ["ou-ex12-prod000l", "ou-ex12-dev00002", "ou-zz99-elsewhere"],
            exclude: ["111111111113"],
          },
        }),
      }),
    );
    assertPlainError(
      run,
      /^Choosing the accounts to cover in organization o-exampleorg1 \(the organization file .*organization.json\) found 4 problems:\n/,
    );
    const lines = run.stderr.trimEnd().split("\n").slice(1);
    assert.equal(lines.length, 4, run.stderr);
    assert.match(
      lines[0],
      /ou-ex12-prod000l is not an OU of the organization file .*; did you mean ou-ex12-prod0001 \(Prod\)\?$/,
    );
    assert.match(
      lines[1],
      /ou-ex12-dev00002 is not an OU of the organization file .*; did you mean ou-ex12-dev00001 \(Dev\)\?$/,
    );
    assert.match(
      lines[2],
      /ou-zz99-elsewhere is not an OU of the organization file .*; check the ID, or pass --org with a file of your own organization/,
    );
    assert.match(
      lines[3],
      /exclude lists 111111111113, which is not an account of .*; did you mean 111111111111 \(security-tooling\)\? As written, that account stays covered$/,
    );
  });

  it("gives the quoting hint for JSON that is broken by an unquoted ID, and only then", () => {
    const directory = workspace({
      "zero.json": '{ "root": { "accounts": [{ "id": 012345678901 }] } }',
      "comma.json": '{ "root": { "accounts": [], } }',
    });
    assert.throws(
      () => readOrganizationFile(join(directory, "zero.json")),
      /zero.json is not valid JSON: .*\. Write account IDs as strings in quotes, e.g. "012345678901"$/,
    );
    assert.throws(
      () => readOrganizationFile(join(directory, "comma.json")),
      (error: Error) => {
        assert.match(error.message, /comma.json is not valid JSON: /);
        assert.doesNotMatch(error.message, /quotes/);
        return true;
      },
    );
  });

  it("reads the organization file's mistakes in the config's words, quoting hint included", () => {
    const directory = workspace({
      "numeric.json": orgFile({
        id: "r-ex12",
        name: "Root",
        accounts: [
          { id: "100000000001", name: "management", state: "ACTIVE" },
          { id: 111111111111, name: "security", state: "ACTIVE" },
          { id: "222222222221", name: "shop", state: "Active" },
        ],
      }),
      "ids.json": orgFile({
        id: "ou-ex12-root0001",
        name: "Root",
        accounts: [{ id: "100000000001", name: "management", state: "ACTIVE" }],
        organizationalUnits: [
          { id: "ou-ex12-prod1", name: "Prod" },
          { id: "ou-EX12-workload1", name: "Workloads" },
        ],
      }),
      "twice.json": orgFile({
        id: "r-ex12",
        name: "Root",
        accounts: [{ id: "100000000001", name: "management", state: "ACTIVE" }],
        organizationalUnits: [
          {
            id: "ou-ex12-aaaaaaaa",
            name: "A",
            accounts: [{ id: "222222222221", name: "shop", state: "ACTIVE" }],
          },
          {
            id: "ou-ex12-bbbbbbbb",
            name: "B",
            accounts: [{ id: "222222222221", name: "shop2", state: "ACTIVE" }],
          },
        ],
      }),
    });
    assert.throws(
      () => readOrganizationFile(join(directory, "numeric.json")),
      (error: Error) => {
        assert.match(error.message, /numeric.json is not a valid organization file \(2 problems\)/);
        assert.match(
          error.message,
          /root.accounts\[1\].id must be a 12-digit AWS account ID in quotes, e.g. "111111111111", got 111111111111 \(a number: write account IDs in quotes, as YAML and JSON drop leading zeros\)/,
        );
        assert.match(
          error.message,
          /root.accounts\[2\].state must be the account's Organizations State: ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, got "Active" \(did you mean ACTIVE\?\)/,
        );
        assert.doesNotMatch(error.message, /Invalid input/);
        return true;
      },
    );
    assert.throws(
      () => readOrganizationFile(join(directory, "ids.json")),
      (error: Error) => {
        assert.match(error.message, /ids.json is not a valid organization file \(3 problems\)/);
        const rule =
          "an OU ID: ou-, then the root's part of 4 to 32 lowercase letters or digits, a dash, and 8 to 32 lowercase letters or digits (e.g. ou-abcd-12345678)";
        for (const [index, id] of [
          [0, "ou-ex12-prod1"],
          [1, "ou-EX12-workload1"],
        ]) {
          assert.ok(
            error.message.includes(`root.organizationalUnits[${index}].id must be ${rule}, got "${id}"`),
            error.message,
          );
        }
        assert.match(
          error.message,
          /root.id must be a root ID: r- and 4 to 32 lowercase letters or digits \(e.g. r-ab12\), got "ou-ex12-root0001"/,
        );
        assert.doesNotMatch(error.message, /ou-…-…/);
        return true;
      },
    );
    assert.throws(
      () => readOrganizationFile(join(directory, "twice.json")),
      /account 222222222221 is listed twice, at root.organizationalUnits\[0\].accounts\[0\] and at root.organizationalUnits\[1\].accounts\[0\]: keep one/,
    );
    assert.throws(
      () => readOrganizationFile(join(directory, "missing.json")),
      /cannot read organization file .*missing.json \(ENOENT\): check the path given to --org/,
    );
  });

  it("refuses direct mode above maxDirectAccounts with the numbers and the advice, and a higher limit lets it through", async () => {
    const big = bigOrganization(45);
    await assert.rejects(
      runProgram(prodConfigWith(), { organization: big }),
      (error: Error & { resources: [] }) => {
        assert.deepEqual(error.resources, []);
        assert.match(
          error.message,
          /abuse-alerts:deployment direct would cover 46 accounts with one AWS provider each: 46 provider processes of 170-430 MB \(pulumi-aws#5226, #5860\), 7.8 GB to 19.8 GB for one pulumi up, above the limit of 30 accounts \(abuse-alerts:maxDirectAccounts\)/,
        );
        assert.match(error.message, /Set abuse-alerts:deployment to stackset/);
        assert.match(error.message, /raise abuse-alerts:maxDirectAccounts to 46 or more/);
        return true;
      },
    );
    const { outputs } = await runProgram(prodConfigWith({ maxDirectAccounts: 46 }), { organization: big });
    assert.equal((outputs.coveredAccountIds as string[]).length, 46);
  });

  it("shows progress while declaring, the bar brought to its total", async () => {
    const bars: { label: string; done: number; total: number; stopped: boolean }[] = [];
    const cwd = process.cwd();

    process.chdir(workspace({ "Pulumi.test.yaml": stackYaml() }));
    try {
      await renderPlan({
        stack: "test",
        org: EXAMPLE_ORG_PATH,
        event: join(EVENTS_DIR, "abuse", "dos-report.json"),
        progress: (label, total) => {
          const bar = { label, done: 0, total, stopped: false };
          bars.push(bar);
          return {
            tick: () => void (bar.done += 1),
            update: (done, grown) => {
              bar.done = done;
              if (grown !== undefined) bar.total = Math.max(bar.total, grown);
            },
            stop: () => void (bar.stopped = true),
          };
        },
      });
    } finally {
      process.chdir(cwd);
    }
    assert.equal(bars.length, 1);
    assert.equal(bars[0].label, "declaring resources");
    assert.ok(bars[0].total > 100, `${bars[0].total} resources declared`);
    assert.equal(bars[0].done, bars[0].total);
    assert.ok(bars[0].stopped);
  });

  it("says why an event would not be posted, and still plans; preview-message exits 1 on it", async () => {
    const negative = join(EVENTS_DIR, "negative", "guardduty-finding.json");
    const directory = workspace({ "Pulumi.test.yaml": stackYaml() });
    const plan = await planIn(directory, ["--event", negative]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /Nothing would be posted: it is neither an AWS Health abuse or risk event/);
    assert.match(prose(plan.stdout), /Next: pulumi preview --stack test/);
    const cwd = process.cwd();
    process.chdir(directory);
    try {
      const preview = await runCli(previewMessageCommand(), [negative, "--stack", "test"]);
      assert.equal(preview.code, 1);
    } finally {
      process.chdir(cwd);
    }
  });

  it("shows a sample the stack posts: a risk event for a risk-only stack, and says which key leaves an event out", async () => {
    const riskOnly = await planIn(workspace({ "Pulumi.test.yaml": stackYaml({ categories: ["risk"] }) }));
    assert.equal(riskOnly.code, 0, riskOnly.stderr);
    assert.match(prose(riskOnly.stdout), /What the security team sees for \S*credentials-exposed.json/);
    assert.match(
      prose(riskOnly.stdout),
      /Rule abuse-alerts-risk on the central bus starts the notify workflow/,
    );
    assert.doesNotMatch(riskOnly.stdout, /Nothing would be posted/);
    const dos = join(EVENTS_DIR, "abuse", "dos-report.json");
    const left = await planIn(workspace({ "Pulumi.test.yaml": stackYaml({ categories: ["risk"] }) }), [
      "--event",
      dos,
    ]);
    assert.equal(left.code, 0, left.stderr);
    assert.match(
      prose(left.stdout),
      /Nothing would be posted: it is an AWS Health abuse event, and this stack's abuse-alerts:categories is \[risk\]: add abuse to post such events\./,
    );
  });

  it("shows the message as made on the event's arrival, or at --now", async () => {
    const directory = workspace({ "Pulumi.test.yaml": stackYaml() });
    const arrival = await planIn(directory);
    assert.match(prose(arrival.stdout), /processed at 2026-11-19T08:14:03.000Z/);
    assert.match(
      arrival.stdout,
      /\*Reply by\* 2026-11-20 08:14 UTC \(24 hours left; as the notice asks: within 24 hours\)/,
    );
    const later = await planIn(directory, ["--now", "2026-11-19T10:14:03Z"]);
    assert.match(later.stdout, /\*Reply by\* 2026-11-20 08:14 UTC \(22 hours left; /);
    const early = await planIn(directory, ["--now", "2026-11-18T12:00:00Z"]);
    assertPlainError(
      early,
      /^--now 2026-11-18T12:00:00.000Z is before the event's time 2026-11-19T08:14:03Z: the workflow runs once the event has arrived\. Give a --now after it, or leave --now out for the time it arrived\.\n$/,
    );
    const local = await planIn(directory, ["--now", "2026-11-19T10:14:03"]);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /Expected an ISO 8601 time with Z or an offset/);
  });

  it("names keys set without --path, once per object, with both ways to fix them", async () => {
    const run = await planConfigLines([
      'abuse-alerts:centralAccountId: "111111111111"',
      "abuse-alerts:slack.workspaceId: T0123456789",
      "abuse-alerts:slack.channelId: C0123456789",
    ]);
    assertPlainError(run, /The stack configuration has 1 problem:/);
    assert.match(
      run.stderr,
      /abuse-alerts:slack.workspaceId, abuse-alerts:slack.channelId are keys with a dot in the name, which Pulumi does not nest \(pulumi config set without --path\): write them under abuse-alerts:slack: in the stack file, or set each again with pulumi config set --path 'abuse-alerts:slack.workspaceId' <value>/,
    );
    assert.doesNotMatch(run.stderr, /is required|not a known key/);
    assert.match(run.stderr, /Fix it in Pulumi.test.yaml/);

    const mixed = await planConfigLines([
      'abuse-alerts:centralAccountId: "111111111111"',
      "abuse-alerts:slack: { workspaceId: T0123456789 }",
      "abuse-alerts:slack.channelId: C0123456789",
      "abuse-alerts:regions.0: us-east-1",
    ]);
    assertPlainError(mixed, /The stack configuration has 2 problems:/);
    assert.doesNotMatch(mixed.stderr, /is required/, "the flat key already names slack.channelId");
    assert.match(mixed.stderr, /pulumi config set --path 'abuse-alerts:regions\[0\]' <value>/);

    // A route's key set as `pulumi config set 'abuse-alerts:routes[0].name' payments`.
    const route = await planConfigLines([
      ...stackYaml()
        .split("\n")
        .slice(1)
        .map((line) => line.trim()),
      "abuse-alerts:routes[0].name: payments",
    ]);
    assertPlainError(route, /The stack configuration has 1 problem:/);
    assert.match(
      route.stderr,
      /abuse-alerts:routes\[0\].name is a key with a dot in the name, .*or set it again with pulumi config set --path 'abuse-alerts:routes\[0\].name' <value>/,
    );
  });

  it("warns that aws: keys are not read, and plans anyway", async () => {
    const yaml = `${stackYaml()}\n  aws:region: eu-west-1\n  aws:profile: management\n`;
    const run = await planIn(workspace({ "Pulumi.test.yaml": yaml }));
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /aws:profile, aws:region are not read: every AWS provider of this program sets its own region, and credentials come from the environment \(AWS_PROFILE/,
    );
  });

  it("fits the Slack preview and the tables to an 80-column terminal", async () => {
    const directory = workspace({ "Pulumi.test.yaml": stackYaml() });
    const saved = { isTTY: process.stdout.isTTY, columns: process.stdout.columns };
    Object.assign(process.stdout, { isTTY: true, columns: 80 });
    let run: CliRun;
    try {
      run = await planIn(directory);
    } finally {
      Object.assign(process.stdout, saved);
    }
    assert.equal(run.code, 0, run.stderr);
    // On a terminal, table headings are bold: escape codes take no columns.
    // All but the SNS message's JSON, which is printed as it would be sent.
    const json = run.stdout.indexOf("SNS message (what Chatbot receives):");
    const lines = stripVTControlCharacters(run.stdout.slice(0, json))
      .split("\n")
      .concat(stripVTControlCharacters(run.stdout.slice(run.stdout.indexOf("\nTotals: "))).split("\n"));
    assert.ok(
      lines.some((line) => line.startsWith("│ *Reply by*")),
      "the Slack preview is among them",
    );
    assert.ok(
      lines.some((line) => line.startsWith("Totals: ")),
      "and the totals",
    );
    assert.deepEqual(
      lines.filter((line) => [...line].length > 80),
      [],
    );
  });

  it("shows the configured Slack channel, and keeps every table within 100 columns", async () => {
    const run = await planIn(
      workspace({
        "Pulumi.test.yaml": stackYaml({ slack: { workspaceId: "T0123456789", channelId: "C0SECOPS42" } }),
      }),
    );
    assert.equal(run.code, 0);
    assert.match(run.stdout, /│ Slack channel C0SECOPS42 · Amazon Q/);
    assert.doesNotMatch(run.stdout, /#security-alerts/);
    const tooWide = run.stdout.split("\n").filter((line) => /^[┌│├└]/.test(line) && line.length > 100);
    assert.deepEqual(tooWide, []);
  });
});

describe("the first hour: options and credentials", () => {
  it("rejects a bad number for every numeric option, naming it, with no stack trace", async () => {
    for (const [command, value] of [doctorCommand, coverageCommand].flatMap((make) =>
      ["0", "abc", "-3", "1.5", "65"].map((value) => [make, value] as const),
    )) {
      const run = await runCli(command(), ["--concurrency", value]);
      assert.equal(run.code, 1, `${command().name()} --concurrency ${value}`);
      assert.match(
        run.stderr,
        new RegExp(
          `option '--concurrency <n>' argument '${value.replace(".", "\\.")}' is invalid. Expected a whole number from 1 to 64`,
        ),
      );
      assert.doesNotMatch(run.stderr, /TypeError|^\s+at /m);
    }
  });

  it("send-test-event: names an unknown option before a missing one, marks --account required, suggests a region", async () => {
    const typo = await runCli(sendTestEventCommand(), ["--acount", "222222222221"]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /unknown option '--acount'\n\(Did you mean --account\?\)/);
    assert.doesNotMatch(typo.stderr, /--account is required/);

    const missing = await runCli(sendTestEventCommand(), []);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--account is required: the 12-digit ID of the account to send from/);

    const help = await runCli(sendTestEventCommand(), ["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--account <id> +\(required\) 12-digit ID/);

    const region = await runCli(sendTestEventCommand(), [
      "--account",
      "222222222221",
      "--region",
      "us-wets-2",
    ]);
    assert.equal(region.code, 1);
    assert.match(
      region.stderr,
      /argument 'us-wets-2' is invalid. Not an AWS region \(did you mean us-west-2\?\)/,
    );
  });

  it("send-test-event: says how to write an account ID typed with dashes or a digit short, as preview-message does", async () => {
    for (const [account, hint] of [
      [
        "2222-2222-2221",
        /--account 2222-2222-2221: Expected a 12-digit AWS account ID .*, without dashes: 222222222221\./,
      ],
      [
        "22222222221",
        /--account 22222222221: Expected a 12-digit AWS account ID .* \(this one has 11 digits\)\./,
      ],
    ] as const) {
      const run = await runCli(sendTestEventCommand(), ["--account", account]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, hint);
      assert.doesNotMatch(run.stderr, /^\s+at /m);
    }
  });

  it("says it is the network when AWS cannot be reached, not the credentials", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(new Error("getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com"), { code: "ENOTFOUND" }),
      );
    await assert.rejects(getCaller(sts, {}), (error: Error) => {
      assert.match(
        error.message,
        /AWS could not be reached \(getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com\). This is the network, not the credentials/,
      );
      assert.doesNotMatch(error.message, /sign in|aws sso login/i);
      return true;
    });
  });

  it("names a missing AWS_PROFILE, and tells it from no credentials at all", async () => {
    const directory = workspace({
      config: "[profile management]\nregion = us-east-1\n[profile sandbox]\nregion = us-east-1\n",
      credentials: "",
    });
    const sts = new STSClient({ region: "us-east-1" });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(new Error("Could not load credentials from any providers"), {
          name: "CredentialsProviderError",
        }),
      );
    const files = {
      AWS_CONFIG_FILE: join(directory, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(directory, "credentials"),
    };
    await assert.rejects(
      getCaller(sts, { ...files, AWS_PROFILE: "managment" }),
      /AWS_PROFILE is "managment", but no profile of that name is in .*config or .*credentials \(profiles there: management, sandbox\)/,
    );
    await assert.rejects(
      getCaller(sts, files),
      /no AWS credentials were found \(no AWS_PROFILE.*Sign in as the management account or an Organizations delegated administrator/,
    );
  });

  it("npm run cases and ack, without credentials, ask for the central account's, where the case table is", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" }));
    const saved = process.env.AWS_PROFILE;
    delete process.env.AWS_PROFILE;
    try {
      await assert.rejects(reachCentral(sts, undefined, "abuse-alerts-cases"), (error: Error) => {
        assert.match(
          error.message,
          /no AWS credentials were found.*Sign in as the central \(security\) account/,
        );
        assert.doesNotMatch(error.message, /management account/);
        return true;
      });
    } finally {
      if (saved !== undefined) process.env.AWS_PROFILE = saved;
    }
  });

  it("gives the quoting hint only where a number can be an account ID", () => {
    const problems = (changes: Record<string, unknown>) => {
      try {
        configFromPulumi(prodConfigWith(changes));
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.match(
      problems({ archiveRetentionDays: -1 }),
      /archiveRetentionDays must be 0 or more days .*, got -1$/m,
    );
    assert.doesNotMatch(problems({ archiveRetentionDays: -1 }), /quote|leading zero/);
    assert.match(problems({ centralAccountId: 11111111111 }), /YAML dropped its leading zeros: quote it/);
  });
});

function readFileOf(path: string): string {
  return JSON.stringify(readOrganizationFile(path));
}

/** The example organization's management and central accounts, and `members` more under one OU. */
function bigOrganization(members: number) {
  return {
    organization: { id: "o-exampleorg1", managementAccountId: "100000000001" },
    root: {
      id: "r-ex12",
      name: "Root",
      accounts: [{ id: "100000000001", name: "management", state: "ACTIVE" }],
      organizationalUnits: [
        {
          id: "ou-ex12-members1",
          name: "Members",
          accounts: [
            { id: "111111111111", name: "security-tooling", state: "ACTIVE" },
            ...Array.from({ length: members - 1 }, (_, index) => ({
              id: String(500000000000 + index),
              name: `member-${index}`,
              state: "ACTIVE",
            })),
          ],
        },
      ],
    },
  };
}

describe("the first hour: npm run bench options", () => {
  it("rejects sizes that are not account counts, and a bad --direct-max", async () => {
    const sizes = await runCli(benchCommand(), ["--sizes", "10,abc"]);
    assert.equal(sizes.code, 1);
    assert.match(
      sizes.stderr,
      /option '--sizes <list>' argument '10,abc' is invalid. Expected account counts from 2 to 20000/,
    );
    const max = await runCli(benchCommand(), ["--direct-max", "0"]);
    assert.equal(max.code, 1);
    assert.match(max.stderr, /option '--direct-max <n>' argument '0' is invalid/);
  });
});

describe("the first hour: npm run preview-message", () => {
  const dos = join(EVENTS_DIR, "abuse", "dos-report.json");

  it("shows what the workflow would publish, with the example organization's context by default", async () => {
    const run = await runCli(previewMessageCommand(), [dos]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /starts the notify workflow, which publishes:/);
    assert.match(run.stdout, /│ \*🚨 AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod \(222222222221\)\*/);
    assert.match(run.stdout, /│ \*OU\* Root \/ Workloads \/ Prod/);
    assert.match(run.stdout, /"source": "custom"/);
  });

  it("takes the lookups' answers from --account-context", async () => {
    const directory = workspace({
      "context.json": JSON.stringify({
        "222222222221": {
          name: "webshop",
          ouPath: ["Retail"],
          tags: { owner: "carol@example.com" },
          securityContact: null,
          email: "root@webshop.example",
        },
      }),
    });
    const run = await runCli(previewMessageCommand(), [
      dos,
      "--account-context",
      join(directory, "context.json"),
    ]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /in webshop \(222222222221\)/);
    assert.match(run.stdout, /\*Owner\* owner: carol@example.com/);
    assert.match(
      run.stdout,
      /\*Report sent to\* the root address root@webshop.example, as the account has no security contact/,
    );
  });

  it("routes by the OU IDs of --account-context, and refuses ouIds that do not pair with ouPath", async () => {
    const routes = [
      { name: "retail", slack: { channelId: "C0RETAIL01" }, organizationalUnits: ["ou-ab12-retail01"] },
    ];
    const context = (ouIds: string[]) =>
      JSON.stringify({
        "222222222221": { name: "webshop", ouPath: ["Retail"], ouIds, securityContact: null },
      });
    const directory = workspace({
      "Pulumi.test.yaml": stackYaml({ routes }),
      "context.json": context(["r-ab12", "ou-ab12-retail01"]),
      "unpaired.json": context(["ou-ab12-retail01"]),
    });
    const preview = (file: string) =>
      inDirectory(directory, () =>
        runCli(previewMessageCommand(), [dos, "--stack", "test", "--account-context", file]),
      );
    const routed = await preview("context.json");
    assert.equal(routed.code, 0, routed.stderr);
    assert.match(
      prose(routed.stdout),
      /│ Slack channel C0RETAIL01 +│ retail +│ \*Routed to retail\*: OU Retail +│/,
    );
    const unpaired = await preview("unpaired.json");
    assert.equal(unpaired.code, 1);
    assert.match(
      unpaired.stderr,
      /222222222221.ouIds must be the root's ID \(r-…\), then the ID of each OU in ouPath \(1\), got \["ou-ab12-retail01"\]/,
    );
  });

  it("refuses an ouPath that starts at the root, naming the key, and never shows Root twice", async () => {
    const directory = workspace({
      "rooted.json": JSON.stringify({
        "222222222221": { name: "webshop", ouPath: ["Root", "Prod"] },
        "222222222222": { name: "payments", ouPath: ["root"] },
      }),
    });
    const run = await runCli(previewMessageCommand(), [
      dos,
      "--account-context",
      join(directory, "rooted.json"),
    ]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /rooted.json is not a valid account context file:\n/);
    assert.match(
      run.stderr,
      /\n {2}- 222222222221.ouPath lists the OUs below the root: drop "Root", leaving \["Prod"\]\n/,
    );
    assert.match(
      run.stderr,
      /\n {2}- 222222222222.ouPath lists the OUs below the root: drop "root", leaving \[\] \(an account at the root\)\n/,
    );
    assert.doesNotMatch(run.stderr, /^\s+at /m);
  });

  it("says the OU path is missing, not that the account sits at the root, when its context has no ouPath", async () => {
    const directory = workspace({ "no-ou.json": JSON.stringify({ "222222222221": { name: "webshop" } }) });
    const run = await runCli(previewMessageCommand(), [
      dos,
      "--account-context",
      join(directory, "no-ou.json"),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /\*OU\*/);
    assert.match(
      prose(run.stdout).replace(/│ /g, ""),
      /\*Context missing\*: OU path \(Preview.NoOuPath: the account context gives no ouPath for 222222222221, so its OUs are not known\)/,
    );
    // An empty ouPath is the root, said on purpose.
    const root = workspace({
      "root.json": JSON.stringify({ "222222222221": { name: "webshop", ouPath: [] } }),
    });
    const atRoot = await runCli(previewMessageCommand(), [dos, "--account-context", join(root, "root.json")]);
    assert.match(atRoot.stdout, /│ \*OU\* Root\n/);
    assert.doesNotMatch(atRoot.stdout, /OU path/);
  });

  it("names what is wrong in an account context file, and a missing one", async () => {
    const directory = workspace({
      "key.json": JSON.stringify({ "2222": { name: "x" } }),
      "value.json": JSON.stringify({ "222222222221": { name: 5, ouPaths: [] } }),
    });
    const context = (file: string) =>
      runCli(previewMessageCommand(), [dos, "--account-context", join(directory, file)]);
    const key = await context("key.json");
    assert.equal(key.code, 1);
    assert.match(key.stderr, /key.json is not a valid account context file/);
    assert.match(
      key.stderr,
      /2222 must be a 12-digit AWS account ID in quotes, e.g. "111111111111", got "2222"/,
    );
    const value = await context("value.json");
    assert.equal(value.code, 1);
    assert.match(value.stderr, /222222222221.name must be/);
    assert.match(
      value.stderr,
      /222222222221.ouPaths is not a known key \(did you mean 222222222221.ouPath\?\)/,
    );
    assert.doesNotMatch(value.stderr, /^\s+at /m);
    const missing = await runCli(previewMessageCommand(), [
      dos,
      "--account-context",
      join(directory, "nope.json"),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the account context .*nope.json/);
  });
});

describe("the first hour: npm run preview-message, event files", () => {
  it("names a missing event file, one that is not JSON, and one that is not an event", async () => {
    const directory = workspace({ "list.json": "[1, 2]", "text.json": "source: aws.health" });
    const missing = await runCli(previewMessageCommand(), [join(directory, "nope.json")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the event .*nope.json \(ENOENT\)/);
    const text = await runCli(previewMessageCommand(), [join(directory, "text.json")]);
    assert.match(text.stderr, /the event .*text.json is not valid JSON: /);
    const list = await runCli(previewMessageCommand(), [join(directory, "list.json")]);
    assert.match(
      list.stderr,
      /the event .*list.json is not an EventBridge event: a JSON object with source, detail-type and detail/,
    );
    for (const run of [missing, text, list]) assert.doesNotMatch(run.stderr, /^\s+at /m);
  });
});

describe("the first hour: npm run preview-message --now", () => {
  it("counts the hours left from the given time, and names a time it cannot read", async () => {
    const dos = join(EVENTS_DIR, "abuse", "dos-report.json");
    const run = await runCli(previewMessageCommand(), [dos, "--now", "2026-11-19T10:14:03Z"]);
    assert.match(run.stdout, /\*Reply by\* 2026-11-20 08:14 UTC \(22 hours left; /);
    const bad = await runCli(previewMessageCommand(), [dos, "--now", "yesterday"]);
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /option '--now <time>' argument 'yesterday' is invalid. Expected an ISO 8601 time/,
    );
    // Without an offset, JavaScript would read the time in the machine's zone.
    const local = await runCli(previewMessageCommand(), [dos, "--now", "2026-11-19T10:14:03"]);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /Expected an ISO 8601 time with Z or an offset/);
    const offset = await runCli(previewMessageCommand(), [dos, "--now", "2026-11-19T11:14:03+01:00"]);
    assert.match(offset.stdout, /\(22 hours left; /);
  });
});

describe("the first hour: npm run preview-message, when and from which account", () => {
  const dos = join(EVENTS_DIR, "abuse", "dos-report.json");

  it("counts the hours left from the event's arrival, as plan does, and says so in --help of both", async () => {
    const run = await runCli(previewMessageCommand(), [dos]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Processed at 2026-11-19T08:14:03.000Z, when the event arrived \(--now for another time\)/,
    );
    assert.match(
      run.stdout,
      /\*Reply by\* 2026-11-20 08:14 UTC \(24 hours left; as the notice asks: within 24 hours\)/,
    );
    assert.doesNotMatch(run.stdout, /overdue by/);
    const plan = await runCli(planCommand(), ["--event", dos]);
    assert.match(
      plan.stdout,
      /\*Reply by\* 2026-11-20 08:14 UTC \(24 hours left; as the notice asks: within 24 hours\)/,
    );
    for (const command of [previewMessageCommand(), planCommand()]) {
      const help = await runCli(command, ["--help"]);
      assert.match(
        prose(help.stdout).replace(/\s+/g, " "),
        /--now <time> .*default: the event's time, when it arrived/,
      );
    }
  });

  it("previews the event as if from --account: its account and a Health event's affectedAccount", async () => {
    const run = await runCli(previewMessageCommand(), [dos, "--account", "222222222222"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /AWS abuse report AWS_ABUSE_DOS_REPORT in payments-prod \(222222222222\)/);
    assert.match(run.stdout, /"account": "222222222222"/);
    // AWS's own text keeps the account it was written for; every field of the workflow's is moved.
    const fields = run.stdout.replace(/AWS ID: 222222222221/g, "");
    assert.doesNotMatch(fields, /222222222221/);
    const stranger = await runCli(previewMessageCommand(), [dos, "--account", "222222222229"]);
    assert.equal(stranger.code, 0, "the message is still valid: its lookups fail, and it says so");
    assert.match(
      prose(stranger.stdout),
      /Account 222222222229 is not in the organization file examples\/organization.json \(did you mean 222222222221\?\): its lookups fail/,
    );
  });

  it("refuses an --account that is not 12 digits, saying why, with no stack trace", async () => {
    const refused = async (value: string) => {
      const run = await runCli(previewMessageCommand(), [dos, "--account", value]);
      assert.equal(run.code, 1, value);
      assert.equal(run.stdout, "");
      assert.doesNotMatch(run.stderr, /^\s+at /m);
      return run.stderr.trim();
    };
    assert.equal(
      await refused("22222222221"),
      "error: option '--account <id>' argument '22222222221' is invalid. Expected a 12-digit AWS account ID such as 222222222221 (this one has 11 digits).",
    );
    assert.match(
      await refused("2222-2222-2222"),
      /Expected a 12-digit AWS account ID such as 222222222221, without dashes: 222222222222\.$/,
    );
    assert.match(
      await refused("shop-prod"),
      /argument 'shop-prod' is invalid. Expected a 12-digit AWS account ID such as 222222222221\.$/,
    );
  });
});

describe("the first hour: npm's own habits", () => {
  const dos = join(EVENTS_DIR, "abuse", "dos-report.json");

  it("says when npm kept an option for itself (npm run plan --stack dev, without --)", async () => {
    // npm hands the script only "dev" and sets npm_config_stack.
    const excess = await runCli(planCommand(), ["dev"], { npm_config_stack: "true" });
    assert.equal(excess.code, 1);
    assert.equal(
      excess.stderr,
      "npm took --stack for itself: put -- before the command's options, e.g. npm run plan -- --stack dev\n",
      "commander's complaint about the leftover value is npm's doing: only the hint",
    );
    // With --stack=dev nothing is left over: without the check the plan would run for prod.
    const silent = await runCli(planCommand(), [], { npm_config_stack: "dev" });
    assert.equal(silent.code, 1);
    assert.equal(silent.stdout, "");
    assert.equal(
      silent.stderr,
      "npm took --stack for itself: put -- before the command's options, e.g. npm run plan -- --stack dev\n",
    );
    const given = await runCli(previewMessageCommand(), [dos, "--stack", "prod"], { npm_config_stack: "x" });
    assert.equal(given.code, 0, "an option given to the script itself is not npm's");
  });

  it("reads files from where npm run was typed, not from the project's directory", async () => {
    const run = await runCli(previewMessageCommand(), ["abuse/dos-report.json"], { INIT_CWD: EVENTS_DIR });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /AWS abuse report AWS_ABUSE_DOS_REPORT/);
  });

  it("guesses the option an argument was meant for, and points to --help for an unknown one", async () => {
    const hintOf = async (command: Command, args: string[]) => {
      const run = await runCli(command, args);
      assert.equal(run.code, 1, args.join(" "));
      assert.equal(run.stdout, "");
      return run.stderr.trimEnd().split("\n");
    };
    assert.deepEqual(await hintOf(planCommand(), ["prod"]), [
      "error: too many arguments. Expected 0 arguments but got 1.",
      "did you mean --stack prod?",
    ]);
    assert.deepEqual(
      (await hintOf(planCommand(), ["my-org.json"]))[1],
      "did you mean --event my-org.json, or --org my-org.json for an organization file?",
    );
    assert.deepEqual((await hintOf(planCommand(), ["help"]))[1], "for help, npm run plan -- --help");
    assert.deepEqual(
      (await hintOf(sendTestEventCommand(), ["222222222221"]))[1],
      "did you mean --account 222222222221?",
    );
    assert.deepEqual(await hintOf(previewMessageCommand(), ["--event", dos]), [
      "error: unknown option '--event'",
      "the event file is this command's argument, without an option: npm run preview-message -- <file>",
    ]);
    assert.deepEqual(await hintOf(planCommand(), ["--organization", "x"]), [
      "error: unknown option '--organization'",
      "did you mean --org?",
    ]);
    const help = await runCli(planCommand(), ["--help"]);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /\(default:\s+examples\/organization\.json\)/,
      "the project's path, not this machine's",
    );
    assert.deepEqual(await hintOf(planCommand(), ["--verbose"]), [
      "error: unknown option '--verbose'",
      "npm run plan -- --help lists the options",
    ]);
    assert.deepEqual(await hintOf(planCommand(), ["--stack", "Pulumi.prod.yaml"]), [
      "error: option '--stack <name>' argument 'Pulumi.prod.yaml' is invalid. Expected the stack's name: --stack prod.",
    ]);
  });

  it("tells an organization file given as account context, and refuses both at once", async () => {
    const asContext = await runCli(previewMessageCommand(), [dos, "--account-context", EXAMPLE_ORG_PATH]);
    assert.equal(asContext.code, 1);
    assert.match(
      asContext.stderr,
      /organization.json is an organization file, not an account context file: pass it with --org .*organization.json\n$/,
    );
    const both = await runCli(previewMessageCommand(), [
      dos,
      "--org",
      EXAMPLE_ORG_PATH,
      "--account-context",
      "x.json",
    ]);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /option '--account-context <file>' cannot be used with option '--org <file>'/);
    const missing = await runCli(previewMessageCommand(), ["nope.json"]);
    assert.equal(missing.stderr, "cannot read the event nope.json (ENOENT): check the event file's path\n");
  });

  it("suggests the nearest stack for a --stack typo, or lists the stacks there are", async () => {
    const directory = workspace({ "Pulumi.mycorp.yaml": stackYaml(), "Pulumi.staging.yaml": stackYaml() });
    const expected =
      "Pulumi.mycrop.yaml does not exist; did you mean --stack mycorp (Pulumi.mycorp.yaml)? Or create Pulumi.mycrop.yaml from Pulumi.prod.yaml\n";
    const runs = await inDirectory(directory, async () => [
      await runCli(planCommand(), ["--stack", "mycrop"]),
      await runCli(previewMessageCommand(), [dos, "--stack", "mycrop"]),
      await runCli(doctorCommand(), ["--stack", "mycrop"]),
      await runCli(sendTestEventCommand(), ["--account", "222222222221", "--stack", "mycrop"]),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 1);
      assert.equal(run.stderr, expected);
    }
    const far = await inDirectory(directory, () => runCli(planCommand(), ["--stack", "nope"]));
    assert.equal(
      far.stderr,
      "Pulumi.nope.yaml does not exist: create it from Pulumi.prod.yaml, or pass --stack with an existing stack (mycorp, staging)\n",
    );
  });

  it("names the stack's own file in config errors, and never says nothing was deployed where nothing deploys", async () => {
    const directory = workspace({ "Pulumi.mycorp.yaml": stackYaml({ centralAccountId: "1234" }) });
    const runs = await inDirectory(directory, async () => ({
      plan: await runCli(planCommand(), ["--stack", "mycorp"]),
      "preview-message": await runCli(previewMessageCommand(), [dos, "--stack", "mycorp"]),
      doctor: await runCli(doctorCommand(), ["--stack", "mycorp"]),
      coverage: await runCli(coverageCommand(), ["--stack", "mycorp"]),
      "send-test-event": await runCli(sendTestEventCommand(), [
        "--account",
        "222222222221",
        "--stack",
        "mycorp",
      ]),
      "export-org": await runCli(exportOrgCommand(), ["--stack", "mycorp"]),
    }));
    for (const [command, run] of Object.entries(runs)) {
      assert.equal(run.code, 1, command);
      assert.equal(run.stdout, "", command);
      assert.match(run.stderr, /^The stack configuration has 1 problem:\n/, command);
      assert.ok(
        run.stderr.endsWith("\nFix it in Pulumi.mycorp.yaml (or with `pulumi config set --path`).\n"),
        `${command}: ${run.stderr}`,
      );
      assert.doesNotMatch(run.stderr, /Pulumi\.<stack>\.yaml|nothing was deployed/i, command);
    }
    const broken = workspace({ "Pulumi.mycorp.yaml": "config: [1, 2]\n" });
    const yaml = await inDirectory(broken, () => runCli(planCommand(), ["--stack", "mycorp"]));
    assert.equal(
      yaml.stderr,
      "The stack configuration has 1 problem:\n  - Pulumi.mycorp.yaml: config: must be a map of keys to values, got a list\nFix it in Pulumi.mycorp.yaml (or with `pulumi config set --path`).\n",
    );
  });

  it("refuses a --stack whose file does not exist, instead of running without it", async () => {
    const preview = await runCli(previewMessageCommand(), [dos, "--stack", "nope"]);
    assert.equal(preview.code, 1);
    assert.match(preview.stderr, /Pulumi.nope.yaml does not exist: create it from Pulumi.prod.yaml/);
    assert.doesNotMatch(preview.stderr, /Fix it in|nothing was deployed/, "there is no file to fix yet");
    const send = await runCli(sendTestEventCommand(), ["--account", "222222222221", "--stack", "nope"]);
    assert.equal(send.code, 1);
    assert.match(send.stderr, /Pulumi.nope.yaml does not exist/);
  });
});

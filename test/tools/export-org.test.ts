import { strict as assert } from "node:assert";
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportOrganization, ExportOptions, organizationJson } from "../../accounts/export-org";
import {
  FileAccount,
  OrganizationalUnitNode,
  OrganizationFile,
  parseOrganizationFile,
  readOrganizationFile,
} from "../../accounts/org-file";
import { Caller, DiscoveryError } from "../../accounts/types";
import { mockOrganizations, OrganizationsMockOptions, serviceError } from "../../sim/fake-organizations";
import { noProgress, ProgressFactory } from "../../lib/progress";
import { exportOrgCommand } from "../../scripts/export-org";
import { ExportClients } from "../../tools/export-org";
import { runCli } from "../helpers/cli";
import { CENTRAL, exampleOrg, MANAGEMENT, managementCaller } from "../helpers/example-org";

const units = (unit: OrganizationalUnitNode): OrganizationalUnitNode[] => [
  unit,
  ...(unit.organizationalUnits ?? []).flatMap(units),
];
const accountsOf = (file: OrganizationFile): FileAccount[] =>
  units(file.root).flatMap((unit) => unit.accounts ?? []);

/**
 * The project's Organizations mock (every list paginated, calls recorded, in-flight calls counted,
 * retries with an instant backoff), plus ListTagsForResource served from the file's tags, paginated
 * the same way and counted in the same in-flight statistics.
 */
function served(file: OrganizationFile, options: OrganizationsMockOptions = {}) {
  const mocked = mockOrganizations(file, options);
  const pageSize = options.pageSize ?? 2;
  const tags = new Map(accountsOf(file).map((account) => [account.id, Object.entries(account.tags ?? {})]));
  /** Every ListTagsForResource call as `ResourceId@NextToken`. */
  const tagCalls: string[] = [];
  /** Errors ListTagsForResource throws before it answers normally, one per call. */
  const tagFailures: Error[] = [];
  mocked.mock
    .on(ListTagsForResourceCommand)
    .callsFake(async (input: { ResourceId?: string; NextToken?: string }) => {
      tagCalls.push(`${input.ResourceId}@${input.NextToken ?? 0}`);
      mocked.stats.inFlight += 1;
      mocked.stats.maxInFlight = Math.max(mocked.stats.maxInFlight, mocked.stats.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.latency ?? 0));
        const failure = tagFailures.shift();
        if (failure) throw failure;
        const entries = tags.get(input.ResourceId ?? "");
        if (!entries) throw serviceError("TargetNotFoundException");
        const start = Number(input.NextToken ?? 0);
        const next = start + pageSize;
        return {
          Tags: entries.slice(start, next).map(([Key, Value]) => ({ Key, Value })),
          NextToken: next < entries.length ? String(next) : undefined,
        };
      } finally {
        mocked.stats.inFlight -= 1;
      }
    });
  return { ...mocked, tagCalls, tagFailures };
}

type Served = ReturnType<typeof served>;

const exportFrom = (mocked: Served, options: ExportOptions = {}) =>
  exportOrganization(mocked.client, options);

/** The file as `npm run plan -- --org` would read it after the export wrote it. */
const reparsed = (file: OrganizationFile) =>
  parseOrganizationFile(JSON.parse(organizationJson(file)), "the written file");

const ORDER = (left: { id: string }, right: { id: string }) => (left.id < right.id ? -1 : 1);

/**
 * What the export must hold for a served organization, from the source tree itself: every OU and
 * account (the mock serves no email), sorted by ID, tags cut to the requested keys, none when none
 * match.
 */
function expectedExport(file: OrganizationFile, keys: readonly string[]): OrganizationFile {
  const account = ({ id, name, state, tags }: FileAccount): FileAccount => {
    const kept = keys.filter((key) => tags?.[key] !== undefined);
    return {
      id,
      name,
      state,
      ...(kept.length > 0 ? { tags: Object.fromEntries(kept.map((key) => [key, tags?.[key] ?? ""])) } : {}),
    };
  };
  const unit = (node: OrganizationalUnitNode): OrganizationalUnitNode => {
    const accounts = [...(node.accounts ?? [])].sort(ORDER).map(account);
    const children = [...(node.organizationalUnits ?? [])].sort(ORDER).map(unit);
    return {
      id: node.id,
      name: node.name,
      ...(accounts.length > 0 ? { accounts } : {}),
      ...(children.length > 0 ? { organizationalUnits: children } : {}),
    };
  };
  return { organization: file.organization, root: unit(file.root) };
}

const DEFAULT_TAGS = ["owner", "team", "environment"];
const findAccount = (file: OrganizationFile, id: string) =>
  accountsOf(file).find((account) => account.id === id);
const findUnit = (file: OrganizationFile, id: string) => units(file.root).find((unit) => unit.id === id);

describe("export-org: the real organization as an organization file", () => {
  it("exports a three-level OU tree across every page, which plan's parser accepts with exactly its accounts, OUs and requested tags", async () => {
    const source = exampleOrg();
    const mocked = served(source, { pageSize: 1 });
    const file = reparsed(await exportFrom(mocked, { tags: DEFAULT_TAGS }));

    assert.deepEqual(file, expectedExport(source, DEFAULT_TAGS));
    // Spot checks against the example file as a person reads it.
    assert.deepEqual(
      file.root.organizationalUnits?.map((unit) => unit.id),
      ["ou-ex12-closing1", "ou-ex12-security1", "ou-ex12-workload1"],
      "OUs sorted by ID",
    );
    assert.deepEqual(
      findUnit(file, "ou-ex12-prod0001")?.organizationalUnits?.map((unit) => [unit.id, unit.name]),
      [["ou-ex12-prodeu01", "Prod-EU"]],
      "the third level, with its name",
    );
    assert.deepEqual(findAccount(file, "222222222221")?.tags, {
      owner: "alice@example.com",
      team: "shop",
      environment: "prod",
    });
    assert.equal(findAccount(file, "333333333331")?.tags, undefined, "an account without tags has none");
    assert.equal(accountsOf(file).length, 11);

    // Every page of every list was read, each asking for the token the previous page returned.
    const pages = (prefix: string) =>
      mocked.calls.filter((call) => call.startsWith(prefix)).map((call) => call.slice(prefix.length));
    assert.deepEqual(pages("ListAccountsForParent ou-ex12-dev00001").sort(), ["@0", "@1", "@2"]);
    assert.deepEqual(pages("ListOrganizationalUnitsForParent r-ex12").sort(), ["@0", "@1", "@2"]);
    assert.deepEqual(pages("ListOrganizationalUnitsForParent ou-ex12-workload1").sort(), ["@0", "@1"]);
    assert.deepEqual(
      mocked.tagCalls.filter((call) => call.startsWith("222222222221@")).sort(),
      ["222222222221@0", "222222222221@1", "222222222221@2", "222222222221@3"],
      "four tags at one a page: four pages",
    );
  });

  it("keeps suspended, closed and pending-closure accounts, with their State, in their OU", async () => {
    const file = reparsed(await exportFrom(served(exampleOrg())));
    const states = (unitId: string) =>
      findUnit(file, unitId)?.accounts?.map((account) => `${account.id} ${account.state}`);
    assert.deepEqual(states("ou-ex12-dev00001"), [
      "333333333331 ACTIVE",
      "333333333332 SUSPENDED",
      "333333333333 ACTIVE",
    ]);
    assert.deepEqual(states("ou-ex12-closing1"), ["444444444441 CLOSED", "444444444442 PENDING_CLOSURE"]);
  });

  it("keeps only the requested tag keys, in the order asked, and no tags where none of them is set", async () => {
    const mocked = served(exampleOrg());
    const file = reparsed(await exportFrom(mocked, { tags: ["cost-center", "team"] }));
    assert.deepEqual(Object.entries(findAccount(file, "222222222221")?.tags ?? {}), [
      ["cost-center", "4711"],
      ["team", "shop"],
    ]);
    assert.deepEqual(findAccount(file, CENTRAL)?.tags, { team: "security" });
    assert.equal(findAccount(file, "333333333331")?.tags, undefined);
    assert.equal(new Set(mocked.tagCalls.map((call) => call.split("@")[0])).size, 11, "every account asked");

    const none = reparsed(await exportFrom(served(exampleOrg()), { tags: ["no-such-key"] }));
    assert.deepEqual(
      accountsOf(none).filter((account) => account.tags),
      [],
      "no account has a tags key when none of the requested keys is set",
    );
  });

  for (const [what, tags] of [
    ["no tag keys given", undefined],
    ["an empty list of tag keys", []],
  ] as const) {
    it(`makes no ListTagsForResource call for ${what}`, async () => {
      const mocked = served(exampleOrg());
      const file = await exportFrom(mocked, { tags });
      assert.equal(mocked.mock.commandCalls(ListTagsForResourceCommand).length, 0);
      assert.equal(accountsOf(file).length, 11);
      assert.deepEqual(
        accountsOf(file).filter((account) => account.tags),
        [],
      );
    });
  }

  it("keeps each account's root email address", async () => {
    const mocked = served(exampleOrg());
    mocked.mock.on(ListAccountsForParentCommand, { ParentId: "r-ex12" }).resolves({
      Accounts: [
        { Id: MANAGEMENT, Name: "management", State: "ACTIVE", Email: "aws-management@example.com" },
      ],
    });
    const file = reparsed(await exportFrom(mocked));
    assert.deepEqual(file.root.accounts, [
      { id: MANAGEMENT, name: "management", state: "ACTIVE", email: "aws-management@example.com" },
    ]);
  });

  it("retries throttling (TooManyRequestsException) on the walk and on tags, then exports the same file", async () => {
    const calm = await exportFrom(served(exampleOrg()), { tags: DEFAULT_TAGS });
    const mocked = served(exampleOrg());
    mocked.fail(
      "ListAccountsForParent",
      serviceError("TooManyRequestsException", "AWS Organizations can't complete your request right now."),
    );
    mocked.tagFailures.push(serviceError("TooManyRequestsException", "slow down"));
    const file = await exportFrom(mocked, { tags: DEFAULT_TAGS });
    assert.deepEqual(file, calm);
    assert.deepEqual(mocked.backoffs, [0, 0], "one backoff per throttled call");
    assert.equal(mocked.tagFailures.length, 0, "the tag throttle was met");
  });

  it("reports AccessDeniedException once, naming the credentials and what to fix, without retrying", async () => {
    const mocked = served(exampleOrg());
    mocked.fail(
      "DescribeOrganization",
      serviceError("AccessDeniedException", "You don't have permissions to access this resource."),
    );
    await assert.rejects(exportFrom(mocked, { caller: managementCaller }), (error: Error) => {
      assert.ok(error instanceof DiscoveryError, String(error));
      assert.match(error.message, /^organizations:DescribeOrganization failed/);
      assert.match(error.message, new RegExp(`${managementCaller.arn} may not read AWS Organizations`));
      assert.match(error.message, /management account or of an Organizations delegated administrator/);
      return true;
    });
    assert.equal(mocked.mock.commandCalls(DescribeOrganizationCommand).length, 1);
    assert.deepEqual(mocked.backoffs, []);
    assert.equal(mocked.calls.length, 1, "nothing else is asked after the refusal");
  });

  it("says tags are optional when ListTagsForResource is denied, and stops asking", async () => {
    const mocked = served(exampleOrg());
    mocked.tagFailures.push(serviceError("AccessDeniedException", "not allowed"));
    await assert.rejects(exportFrom(mocked, { tags: DEFAULT_TAGS, concurrency: 1 }), (error: Error) => {
      assert.match(error.message, /^organizations:ListTagsForResource failed/);
      assert.match(error.message, /organizations:ListTagsForResource, or export without them .*--no-tags/);
      return true;
    });
    assert.equal(mocked.tagCalls.length, 1, "the queued tag reads give up after the refusal");
  });

  it("explains AWSOrganizationsNotInUseException: the account is in no organization", async () => {
    const mocked = served(exampleOrg());
    mocked.fail("DescribeOrganization", serviceError("AWSOrganizationsNotInUseException"));
    await assert.rejects(
      exportFrom(mocked),
      /organizations:DescribeOrganization failed: the account of these credentials is not in an AWS Organization/,
    );
  });

  for (const concurrency of [1, 3, undefined]) {
    it(`never has more requests in flight than the limit (${concurrency ?? "default 4"}), and uses it`, async () => {
      const mocked = served(exampleOrg(), { pageSize: 1, latency: 2 });
      await exportFrom(mocked, { tags: DEFAULT_TAGS, concurrency });
      assert.equal(mocked.stats.inFlight, 0);
      assert.ok(mocked.stats.maxInFlight <= (concurrency ?? 4), `max in flight ${mocked.stats.maxInFlight}`);
      assert.equal(mocked.stats.maxInFlight, concurrency ?? 4, "the limit is reached: requests overlap");
    });
  }

  it("writes the caller only when it is not the management account", async () => {
    const delegated: Caller = {
      accountId: CENTRAL,
      arn: `arn:aws:sts::${CENTRAL}:assumed-role/AWSReservedSSO_Admin_0123/me`,
    };
    const asDelegated = reparsed(await exportFrom(served(exampleOrg()), { caller: delegated }));
    assert.deepEqual(asDelegated.caller, delegated);
    const asManagement = await exportFrom(served(exampleOrg()), { caller: managementCaller });
    assert.equal("caller" in asManagement, false);
  });

  it("counts accounts as they are found and exported, the total growing, and stops the bar", async () => {
    const updates: [number, number | undefined][] = [];
    let stopped = 0;
    const progress: ProgressFactory = () => ({
      tick: () => undefined,
      update: (done, total) => void updates.push([done, total]),
      stop: () => void (stopped += 1),
    });
    await exportFrom(served(exampleOrg()), { tags: DEFAULT_TAGS, progress });
    assert.deepEqual(updates.at(-1), [11, 11]);
    updates.forEach(([done, total], index) => {
      assert.ok(done <= (total ?? 0), `${done} of ${total}`);
      if (index > 0) assert.ok((total ?? 0) >= (updates[index - 1][1] ?? 0), "the total only grows");
    });
    assert.ok(new Set(updates.map(([, total]) => total)).size > 2, "the total grew as OUs were read");
    assert.equal(stopped, 1);
  });
});

const STATES = ["ACTIVE", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"] as const;

/**
 * A random organization: up to 12 OUs, each under the root or an earlier OU, at most five levels
 * deep (as AWS allows), named at random; members of random names and states in any of them; the
 * management account at the root. Served with random page sizes and concurrency.
 */
const organizationArbitrary = fc
  .record({
    // IDs drawn at random, so their order is not the order of creation and sorting is exercised.
    parents: fc.uniqueArray(fc.tuple(fc.nat(99999999), fc.nat(), fc.string({ maxLength: 8 })), {
      maxLength: 12,
      selector: ([id]) => id,
    }),
    members: fc.uniqueArray(
      fc.tuple(
        fc.nat(99999999),
        fc.nat(12),
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.constantFrom(...STATES),
      ),
      { maxLength: 25, selector: ([id]) => id },
    ),
    pageSize: fc.integer({ min: 1, max: 4 }),
    concurrency: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ parents, members, pageSize, concurrency }) => {
    const root: OrganizationalUnitNode = {
      id: "r-prop",
      name: "Root",
      accounts: [{ id: MANAGEMENT, name: "management", state: "ACTIVE" }],
    };
    const nodes = [{ node: root, depth: 0 }];
    /** (child, parent) for every OU and account, read from the generated tree. */
    const pairs: string[] = [`${MANAGEMENT} ACTIVE in r-prop`];
    for (const [number, choice, name] of parents) {
      const open = nodes.filter((candidate) => candidate.depth < 5);
      const parent = open[choice % open.length];
      const node: OrganizationalUnitNode = { id: `ou-prop-${String(number).padStart(8, "0")}`, name };
      (parent.node.organizationalUnits ??= []).push(node);
      nodes.push({ node, depth: parent.depth + 1 });
      pairs.push(`${node.id} ${JSON.stringify(name)} in ${parent.node.id}`);
    }
    for (const [number, slot, name, state] of members) {
      const unit = nodes[slot % nodes.length].node;
      const id = String(300000000000 + number);
      (unit.accounts ??= []).push({ id, name, state });
      pairs.push(`${id} ${state} in ${unit.id}`);
    }
    const file: OrganizationFile = {
      organization: { id: "o-exampleorg1", managementAccountId: MANAGEMENT },
      root,
    };
    return { file, pairs: pairs.sort(), pageSize, concurrency };
  });

/** (child, parent) for every OU and account of a file as the parser returned it. */
function parentPairs(file: OrganizationFile): string[] {
  return units(file.root)
    .flatMap((unit) => [
      ...(unit.organizationalUnits ?? []).map(
        (child) => `${child.id} ${JSON.stringify(child.name)} in ${unit.id}`,
      ),
      ...(unit.accounts ?? []).map((account) => `${account.id} ${account.state} in ${unit.id}`),
    ])
    .sort();
}

describe("export-org over any OU tree (fast-check)", () => {
  it("export → parse keeps every account and OU under its parent, once, sorted by ID", async () => {
    let deepest = 0;
    await fc.assert(
      fc.asyncProperty(organizationArbitrary, async ({ file, pairs, pageSize, concurrency }) => {
        const mocked = served(file, { pageSize });
        const exported = reparsed(await exportFrom(mocked, { concurrency }));
        assert.deepEqual(parentPairs(exported), pairs);
        for (const unit of units(exported.root)) {
          for (const list of [unit.accounts ?? [], unit.organizationalUnits ?? []]) {
            const ids = list.map((item) => item.id);
            assert.deepEqual(ids, [...ids].sort(), `${unit.id}: sorted by ID`);
          }
        }
        assert.ok(mocked.stats.maxInFlight <= concurrency);
        const depth = (unit: OrganizationalUnitNode): number =>
          1 + Math.max(0, ...(unit.organizationalUnits ?? []).map(depth));
        deepest = Math.max(deepest, depth(exported.root) - 1);
      }),
      { numRuns: 150 },
    );
    assert.ok(deepest >= 4, `trees as deep as ${deepest} levels were exported`);
  });
});

describe("npm run export-org", () => {
  const workspace = () => mkdtempSync(join(tmpdir(), "export-org-"));

  /** AWS as the command sees it: STS answering for the caller, Organizations serving the file. */
  function aws(source = exampleOrg(), caller = managementCaller) {
    const mocked = served(source);
    const sts = new STSClient({ region: "us-east-1", maxAttempts: 1 });
    mockClient(sts).on(GetCallerIdentityCommand).resolves({ Account: caller.accountId, Arn: caller.arn });
    let created = 0;
    const clients = (): ExportClients => {
      created += 1;
      return { sts, organizations: mocked.client };
    };
    return { mocked, clients, created: () => created };
  }

  const run = (clients: () => ExportClients, args: string[], env: Record<string, string> = {}) =>
    runCli(exportOrgCommand(clients, noProgress), args, env);

  it("refuses to overwrite an existing --out file without --force, before any AWS call", async () => {
    const directory = workspace();
    writeFileSync(join(directory, "my-org.json"), "keep me\n");
    const { clients, created } = aws();
    // Relative to where npm was run (INIT_CWD), as the person typed it.
    const result = await run(clients, ["--out", "my-org.json"], { INIT_CWD: directory });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      "my-org.json already exists: pass --force to overwrite it, or choose another --out.",
    );
    assert.equal(readFileSync(join(directory, "my-org.json"), "utf8"), "keep me\n");
    assert.equal(created(), 0, "no AWS client was even created");
  });

  it("names an --out directory that does not exist, before any AWS call", async () => {
    const { clients, created } = aws();
    const result = await run(clients, ["--out", "missing/my-org.json"], { INIT_CWD: workspace() });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      "cannot write missing/my-org.json: its directory does not exist; create it, or choose another --out.",
    );
    assert.equal(created(), 0);
  });

  it("refuses a directory as --out, even with --force, before any AWS call", async () => {
    const { clients, created } = aws();
    const directory = workspace();
    mkdirSync(join(directory, "orgs"));
    const result = await run(clients, ["--out", "orgs", "--force"], { INIT_CWD: directory });
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      "orgs is a directory: give --out a file's path, e.g. orgs/my-org.json",
    );
    assert.equal(created(), 0);
  });

  it("--force overwrites; the file is 2-space JSON with a final newline that plan reads, and stderr says what next", async () => {
    const directory = workspace();
    const path = join(directory, "my-org.json");
    writeFileSync(path, "old\n");
    const { clients } = aws();
    const result = await run(clients, ["--out", "my-org.json", "--force"], { INIT_CWD: directory });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "");
    const text = readFileSync(path, "utf8");
    assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    assert.deepEqual(readOrganizationFile(path), expectedExport(exampleOrg(), DEFAULT_TAGS));
    assert.deepEqual(result.stderr.trim().split("\n"), [
      "Exported 11 accounts and 6 OUs of o-exampleorg1 to my-org.json.",
      "Next: npm run plan -- --org my-org.json",
    ]);
  });

  it("prints clean JSON on stdout without --out, the summary on stderr", async () => {
    const { clients } = aws();
    const result = await run(clients, ["--tags", "owner"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      parseOrganizationFile(JSON.parse(result.stdout), "stdout"),
      expectedExport(exampleOrg(), ["owner"]),
    );
    assert.equal(result.stderr.trim(), "Exported 11 accounts and 6 OUs of o-exampleorg1.");
  });

  for (const args of [["--no-tags"], ["--tags", ""], ["--tags", " , "]]) {
    it(`${args.join(" ")}: no ListTagsForResource call, no tags`, async () => {
      const { clients, mocked } = aws();
      const result = await run(clients, args);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(mocked.mock.commandCalls(ListTagsForResourceCommand).length, 0);
      assert.deepEqual(JSON.parse(result.stdout), expectedExport(exampleOrg(), []));
    });
  }

  it("reads the tag keys of a --stack, and names a stack that does not exist before any AWS call", async () => {
    const { clients, mocked } = aws();
    const result = await run(clients, ["--stack", "prod"]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), expectedExport(exampleOrg(), DEFAULT_TAGS));
    assert.ok(mocked.tagCalls.length > 0);

    const missing = aws();
    const refused = await run(missing.clients, ["--stack", "nosuchstack"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Pulumi\.nosuchstack\.yaml does not exist/);
    assert.equal(missing.created(), 0);
  });

  it("refuses --concurrency outside 1-16", async () => {
    const result = await run(aws().clients, ["--concurrency", "17"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--concurrency.*Expected a whole number from 1 to 16/);
  });

  for (const [code, expected] of [
    [
      "AccessDeniedException",
      /may not read AWS Organizations .*management account or of an Organizations delegated administrator/,
    ],
    ["AWSOrganizationsNotInUseException", /is not in an AWS Organization/],
  ] as const) {
    it(`${code}: one clear message naming the caller, exit 1, no stack trace`, async () => {
      const delegated = { accountId: CENTRAL, arn: `arn:aws:sts::${CENTRAL}:assumed-role/ReadOnly/me` };
      const { clients, mocked } = aws(exampleOrg(), delegated);
      mocked.fail("DescribeOrganization", serviceError(code, "mocked"));
      const result = await run(clients, ["--out", join(workspace(), "org.json")]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      const lines = result.stderr.trim().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], expected);
      assert.ok(lines[0].includes(delegated.arn), "the message names the credentials");
      assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/);
    });
  }

  it("without credentials: one message saying how to sign in", async () => {
    const sts = new STSClient({ region: "us-east-1", maxAttempts: 1 });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(new Error("Could not load credentials from any providers"), {
          name: "CredentialsProviderError",
        }),
      );
    const { mocked } = aws();
    const result = await run(() => ({ sts, organizations: mocked.client }), [], { AWS_PROFILE: "" });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr.trim(),
      /^sts:GetCallerIdentity failed: no AWS credentials were found.*aws sso login/,
    );
    assert.equal(mocked.calls.length, 0);
  });
});

import { strict as assert } from "node:assert";
import {
  STSClient,
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSServiceException,
} from "@aws-sdk/client-sts";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { discoverAccounts } from "../../accounts/discover";
import { getCaller } from "../../accounts/identity";
import { FileOrganizationDirectory } from "../../accounts/org-file";
import { AwsOrganizationDirectory } from "../../accounts/organizations";
import { probeMemberRoles } from "../../accounts/probe";
import { withRetries } from "../../accounts/retry";
import { selectAccounts } from "../../accounts/select";
import { DiscoveryError } from "../../accounts/types";
import { validateConfig } from "../../config/schema";
import { CENTRAL, exampleOrg, managementCaller, minimalConfig } from "../helpers/example-org";
import { mockOrganizations, serviceError } from "../../sim/fake-organizations";

const config = (changes: Record<string, unknown> = {}) => validateConfig({ ...minimalConfig, ...changes });

async function discoverWith(changes: Record<string, unknown>, mocked = mockOrganizations(exampleOrg())) {
  const directory = new AwsOrganizationDirectory(mocked.client, { callerArn: managementCaller.arn });
  return discoverAccounts(config(changes), { caller: managementCaller, origin: "AWS", directory });
}

describe("account discovery over AWS Organizations", () => {
  it("lists the whole organization across pages, keeps ACTIVE accounts and says why the others are skipped", async () => {
    const mocked = mockOrganizations(exampleOrg(), { pageSize: 3 });
    const discovery = await discoverWith({ accounts: { exclude: ["333333333331"] } }, mocked);
    assert.deepEqual(
      discovery.covered.map((account) => `${account.id} ${account.name}`),
      [
        "100000000001 management",
        "111111111111 security-tooling",
        "111111111112 log-archive",
        "222222222221 shop-prod",
        "222222222222 payments-prod",
        "222222222223 shop-prod-eu",
        "333333333333 shop-dev",
      ],
    );
    assert.deepEqual(discovery.skipped, [
      { id: "333333333331", name: "sandbox-playground", reason: "excluded" },
      { id: "333333333332", name: "shop-dev-old", reason: "suspended" },
      { id: "444444444441", name: "acquired-2023", reason: "closed" },
      { id: "444444444442", name: "poc-2024", reason: "pending closure" },
    ]);
    assert.equal(discovery.organizationId, "o-exampleorg1");
    assert.equal(discovery.managementAccountId, "100000000001");
    // 11 accounts at 3 a page: 4 pages, each asking for the token the previous one returned.
    assert.deepEqual(
      mocked.calls.filter((call) => call.startsWith("ListAccounts ")),
      ["ListAccounts @0", "ListAccounts @3", "ListAccounts @6", "ListAccounts @9"],
    );
  });

  it("walks nested OUs three levels deep, every page of every parent, without duplicates", async () => {
    const mocked = mockOrganizations(exampleOrg(), { pageSize: 1 });
    // The parent OU and its grandchild are both listed: each account must still appear once.
    const discovery = await discoverWith(
      { accounts: { organizationalUnits: ["ou-ex12-workload1", "ou-ex12-prodeu01", "ou-ex12-security1"] } },
      mocked,
    );
    assert.deepEqual(
      discovery.covered.map((account) => account.id),
      [
        "111111111111",
        "111111111112",
        "222222222221",
        "222222222222",
        "222222222223",
        "333333333331",
        "333333333333",
      ],
    );
    assert.deepEqual(discovery.skipped, [{ id: "333333333332", name: "shop-dev-old", reason: "suspended" }]);
    const parents = mocked.calls.filter((call) => call.startsWith("ListAccountsForParent ")).sort();
    assert.deepEqual(
      parents.map((call) => call.replace("ListAccountsForParent ", "")),
      [
        "ou-ex12-dev00001@0",
        "ou-ex12-dev00001@1",
        "ou-ex12-dev00001@2",
        "ou-ex12-prod0001@0",
        "ou-ex12-prod0001@1",
        "ou-ex12-prodeu01@0",
        "ou-ex12-security1@0",
        "ou-ex12-security1@1",
        "ou-ex12-workload1@0",
      ],
    );
    assert.equal(
      mocked.mock.commandCalls(ListAccountsCommand).length,
      0,
      "an OU selection never lists the whole org",
    );
  });

  it("covers the central account even when it is outside the selected OUs, and says so", async () => {
    const discovery = await discoverWith({ accounts: { organizationalUnits: ["ou-ex12-prod0001"] } });
    assert.deepEqual(
      discovery.covered.map((account) => account.id),
      [CENTRAL, "222222222221", "222222222222", "222222222223"],
    );
    assert.match(
      discovery.warnings.join("\n"),
      /111111111111 is not under ou-ex12-prod0001; it is covered anyway/,
    );
  });

  it("names an OU that does not exist", async () => {
    await assert.rejects(
      discoverWith({ accounts: { organizationalUnits: ["ou-ex12-missing01"] } }),
      (error: Error) =>
        error instanceof DiscoveryError &&
        /abuse-alerts:accounts.organizationalUnits: ou-ex12-missing01 is not an OU of this organization/.test(
          error.message,
        ),
    );
  });

  it("fails when the selected OUs hold no account to cover", async () => {
    await assert.rejects(
      discoverWith({ accounts: { organizationalUnits: ["ou-ex12-closing1"] } }),
      /abuse-alerts:accounts.organizationalUnits \(ou-ex12-closing1\) holds no ACTIVE account that is not excluded \(2 found\)/,
    );
  });

  it("retries throttling with the SDK's backoff, then succeeds", async () => {
    const mocked = mockOrganizations(exampleOrg(), { pageSize: 20 });
    mocked.fail(
      "ListAccounts",
      serviceError("TooManyRequestsException", "AWS Organizations can't complete your request right now."),
      serviceError("ThrottlingException", "Rate exceeded"),
      serviceError(
        "ConcurrentModificationException",
        "The target of the operation is currently being modified",
      ),
    );
    const discovery = await discoverWith({}, mocked);
    assert.equal(discovery.covered.length, 8);
    assert.equal(mocked.mock.commandCalls(ListAccountsCommand).length, 4);
    assert.deepEqual(mocked.backoffs, [0, 1, 2], "one growing backoff per throttled attempt");
  });

  it("gives up after the attempts are used and reports the service's error", async () => {
    const mocked = mockOrganizations(exampleOrg());
    mocked.fail(
      "ListAccounts",
      ...Array.from({ length: 8 }, () => serviceError("TooManyRequestsException", "slow down")),
    );
    await assert.rejects(
      discoverWith({}, mocked),
      /organizations:ListAccounts failed .*TooManyRequestsException: slow down/,
    );
    assert.equal(mocked.mock.commandCalls(ListAccountsCommand).length, 8);
    assert.equal(mocked.backoffs.length, 7);
  });

  it("does not retry access denied, and says which credentials are needed", async () => {
    const mocked = mockOrganizations(exampleOrg());
    mocked.fail(
      "DescribeOrganization",
      serviceError("AccessDeniedException", "You don't have permissions to access this resource."),
    );
    await assert.rejects(discoverWith({}, mocked), (error: Error) => {
      assert.match(error.message, /organizations:DescribeOrganization failed/);
      assert.match(
        error.message,
        /arn:aws:sts::100000000001:assumed-role\/Admin\/me may not read AWS Organizations/,
      );
      assert.match(error.message, /management account or of an Organizations delegated administrator/);
      return true;
    });
    assert.equal(mocked.mock.commandCalls(DescribeOrganizationCommand).length, 1);
    assert.deepEqual(mocked.backoffs, []);
  });

  it("explains an account outside any organization", async () => {
    const mocked = mockOrganizations(exampleOrg());
    mocked.fail("DescribeOrganization", serviceError("AWSOrganizationsNotInUseException"));
    await assert.rejects(
      discoverWith({}, mocked),
      /is not in an AWS Organization .*abuse-alerts:accounts.explicit/s,
    );
  });

  it("rejects a configured organization ID that the credentials do not belong to", async () => {
    await assert.rejects(
      discoverWith({ organizationId: "o-otherorg123" }),
      /abuse-alerts:organizationId is o-otherorg123, but AWS reports organization o-exampleorg1; fix the key/,
    );
  });

  it("rejects a central account that is outside the organization or not ACTIVE", async () => {
    await assert.rejects(
      discoverWith({ centralAccountId: "999999999999" }),
      /abuse-alerts:centralAccountId 999999999999 is not an account of organization o-exampleorg1/,
    );
    await assert.rejects(
      discoverWith({ centralAccountId: "333333333332" }),
      /abuse-alerts:centralAccountId 333333333332 \(shop-dev-old\) is suspended, not ACTIVE/,
    );
  });

  it("makes no Organizations call at all for explicit accounts", async () => {
    const mocked = mockOrganizations(exampleOrg());
    const discovery = await discoverWith(
      {
        organizationId: "o-exampleorg1",
        accounts: {
          explicit: [
            { id: "222222222222", name: "payments-prod" },
            { id: CENTRAL, name: "security-tooling" },
          ],
          exclude: ["222222222222"],
        },
      },
      mocked,
    );
    assert.equal(mocked.mock.calls().length, 0);
    assert.deepEqual(discovery.covered, [{ id: CENTRAL, name: "security-tooling" }]);
    assert.deepEqual(discovery.skipped, [{ id: "222222222222", name: "payments-prod", reason: "excluded" }]);
    assert.equal(discovery.organizationId, "o-exampleorg1");
  });

  it("keeps OU requests within the concurrency bound", async () => {
    const mocked = mockOrganizations(exampleOrg(), { pageSize: 1, latency: 5 });
    const directory = new AwsOrganizationDirectory(mocked.client, { concurrency: 2 });
    const { accounts } = await directory.listAccountsUnder([
      "ou-ex12-security1",
      "ou-ex12-workload1",
      "ou-ex12-closing1",
    ]);
    assert.equal(accounts.length, 10);
    assert.ok(mocked.stats.maxInFlight <= 2, `at most 2 requests at once, saw ${mocked.stats.maxInFlight}`);
    assert.equal(mocked.stats.maxInFlight, 2, "the walk does use its two slots");
    assert.ok(mocked.mock.commandCalls(ListOrganizationalUnitsForParentCommand).length >= 6);
  });
});

describe("the sample organization file", () => {
  it("answers as Organizations does, so the plan selects exactly what AWS would", async () => {
    const changes = { accounts: { organizationalUnits: ["ou-ex12-workload1"], exclude: ["333333333331"] } };
    const fromFile = await discoverAccounts(config(changes), {
      caller: managementCaller,
      origin: "AWS",
      directory: new FileOrganizationDirectory(exampleOrg()),
    });
    assert.deepEqual(fromFile, await discoverWith(changes));
  });
});

describe("organization problems, all at once, over AWS and from a file alike", () => {
  /** The same config discovered over AWS Organizations (mocked) and from the organization file. */
  async function bothWays(changes: Record<string, unknown>) {
    const fromAws = discoverWith(changes);
    const fromFile = discoverAccounts(config(changes), {
      caller: managementCaller,
      origin: "AWS",
      directory: new FileOrganizationDirectory(exampleOrg()),
    });
    return Promise.allSettled([fromAws, fromFile]);
  }
  async function refusedBothWays(changes: Record<string, unknown>): Promise<string> {
    const [aws, file] = await bothWays(changes);
    assert.equal(aws.status, "rejected", "AWS refuses");
    assert.equal(file.status, "rejected", "the file refuses");
    const [awsError, fileError] = [aws, file].map((outcome) => outcome.reason as Error);
    assert.ok(awsError instanceof DiscoveryError, String(awsError));
    assert.equal(fileError.message, awsError.message, "the file answers as AWS does");
    return awsError.message;
  }

  it("names every unknown OU, the central account and a mistyped exclusion in one error, each with its near miss", async () => {
    const message = await refusedBothWays({
      centralAccountId: "111111111119",
      accounts: {
        organizationalUnits: [
          "ou-ex12-prod000l",
          "ou-ex12-workload1",
          "ou-ex12-nothere1",
          "ou-ex12-securityl",
        ],
        exclude: ["222222222229"],
      },
    });
    assert.equal(
      message,
      [
        "Choosing the accounts to cover in organization o-exampleorg1 (AWS) found 5 problems:",
        "  - abuse-alerts:accounts.organizationalUnits: ou-ex12-prod000l is not an OU of this organization (ParentNotFoundException); did you mean ou-ex12-prod0001 (Prod)?",
        "  - abuse-alerts:accounts.organizationalUnits: ou-ex12-nothere1 is not an OU of this organization (ParentNotFoundException); check the ID with `aws organizations describe-organizational-unit --organizational-unit-id ou-ex12-nothere1`",
        "  - abuse-alerts:accounts.organizationalUnits: ou-ex12-securityl is not an OU of this organization (ParentNotFoundException); did you mean ou-ex12-security1 (Security)?",
        "  - abuse-alerts:accounts.exclude lists 222222222229, which is not an account of organization o-exampleorg1 (AWS); did you mean 222222222221 (shop-prod)? As written, that account stays covered",
        "  - abuse-alerts:centralAccountId 111111111119 is not an account of organization o-exampleorg1 (AWS); did you mean 111111111111 (security-tooling)? Otherwise set it to the security account that should host the bus, topic and Chatbot",
      ].join("\n"),
    );
  });

  it("reports a mistyped exclusion across the whole organization too, and an exclusion far from any account only as a warning", async () => {
    const message = await refusedBothWays({ accounts: { exclude: ["333333333339", "999999999999"] } });
    assert.equal(
      message,
      "abuse-alerts:accounts.exclude lists 333333333339, which is not an account of organization o-exampleorg1 (AWS); did you mean 333333333331 (sandbox-playground)? As written, that account stays covered",
    );
    const [aws, file] = await bothWays({ accounts: { exclude: ["999999999999"] } });
    for (const outcome of [aws, file]) {
      assert.equal(outcome.status, "fulfilled");
      assert.deepEqual(outcome.value.warnings, [
        "abuse-alerts:accounts.exclude lists 999999999999, which is not among the 11 accounts found; nothing to exclude",
      ]);
    }
  });

  it("lets an exclusion of an account outside the selected OUs be, however near a covered one", async () => {
    // 222222222221 (shop-prod) is under ou-ex12-prod0001, not under ou-ex12-prodeu01 with 222222222223.
    const [aws, file] = await bothWays({
      accounts: { organizationalUnits: ["ou-ex12-prodeu01"], exclude: ["222222222221"] },
    });
    for (const outcome of [aws, file]) {
      assert.equal(outcome.status, "fulfilled", String((outcome as PromiseRejectedResult).reason));
      assert.deepEqual(
        outcome.value.covered.map((account) => account.id),
        [CENTRAL, "222222222223"],
      );
    }
  });

  const route = (name: string, selectors: Record<string, unknown>) => ({
    name,
    slack: { channelId: `C0${name.toUpperCase().padEnd(9, "0")}` },
    ...selectors,
  });

  it("names a route's unknown OU and unknown account with their near misses, with the other problems", async () => {
    const message = await refusedBothWays({
      centralAccountId: "111111111119",
      routes: [
        route("prod", { organizationalUnits: ["ou-ex12-prod0001", "ou-ex12-prodeu0l"] }),
        route("web", {
          accounts: ["222222222222", "222222222229"],
          organizationalUnits: ["ou-ex12-prodeu0l"],
        }),
      ],
    });
    assert.equal(
      message,
      [
        "Choosing the accounts to cover in organization o-exampleorg1 (AWS) found 4 problems:",
        "  - abuse-alerts:routes[0].organizationalUnits: ou-ex12-prodeu0l is not an OU of this organization (OrganizationalUnitNotFoundException); did you mean ou-ex12-prodeu01 (Prod-EU)?",
        "  - abuse-alerts:routes[1].organizationalUnits: ou-ex12-prodeu0l is not an OU of this organization (OrganizationalUnitNotFoundException); did you mean ou-ex12-prodeu01 (Prod-EU)?",
        "  - abuse-alerts:routes[1].accounts lists 222222222229, which is not an account of organization o-exampleorg1 (AWS); did you mean 222222222221 (shop-prod)?",
        "  - abuse-alerts:centralAccountId 111111111119 is not an account of organization o-exampleorg1 (AWS); did you mean 111111111111 (security-tooling)? Otherwise set it to the security account that should host the bus, topic and Chatbot",
      ].join("\n"),
    );
  });

  it("takes a route's account outside the selected OUs, warning that the stack does not cover it", async () => {
    const [aws, file] = await bothWays({
      accounts: { organizationalUnits: ["ou-ex12-prodeu01"], exclude: [] },
      routes: [route("shop", { accounts: ["222222222221", "222222222223"] })],
    });
    for (const outcome of [aws, file]) {
      assert.equal(outcome.status, "fulfilled", String((outcome as PromiseRejectedResult).reason));
      assert.deepEqual(outcome.value.warnings.slice(-1), [
        "abuse-alerts:routes[0].accounts lists 222222222221, which this stack does not cover (outside abuse-alerts:accounts.organizationalUnits): its alerts reach neither the central channel nor this route",
      ]);
    }
    const [suspended] = await bothWays({ routes: [route("old", { accounts: ["333333333332"] })] });
    assert.equal(suspended.status, "fulfilled");
    assert.match(
      suspended.value.warnings.join("\n"),
      /lists 333333333332, which this stack does not cover \(suspended\)/,
    );
  });

  it("asks Organizations about each route OU once, and lists the OUs only to find a near miss", async () => {
    const mocked = mockOrganizations(exampleOrg());
    await discoverWith(
      {
        routes: [
          route("prod", { organizationalUnits: ["ou-ex12-prod0001"] }),
          route("eu", { organizationalUnits: ["ou-ex12-prod0001", "ou-ex12-prodeu01"] }),
        ],
      },
      mocked,
    );
    const asked = mocked.calls.filter((call) =>
      /^(DescribeOrganizationalUnit|ListOrganizationalUnitsForParent) /.test(call),
    );
    assert.deepEqual(asked, ["DescribeOrganizationalUnit @0", "DescribeOrganizationalUnit @0"]);
    const plain = mockOrganizations(exampleOrg());
    await discoverWith({}, plain);
    assert.ok(
      !plain.calls.some((call) => call.startsWith("DescribeOrganizationalUnit")),
      "no routes, no calls",
    );
  });

  it("refuses, in stackset mode, an OU listed with one under it, naming both, the path and the fixes, with the other problems", async () => {
    const message = await refusedBothWays({
      deployment: "stackset",
      accounts: {
        organizationalUnits: [
          "ou-ex12-workload1",
          "ou-ex12-security1",
          "ou-ex12-prodeu01",
          "ou-ex12-nothere1",
        ],
      },
    });
    assert.equal(
      message,
      [
        "Choosing the accounts to cover in organization o-exampleorg1 (AWS) found 2 problems:",
        "  - abuse-alerts:accounts.organizationalUnits: ou-ex12-nothere1 is not an OU of this organization (ParentNotFoundException); check the ID with `aws organizations describe-organizational-unit --organizational-unit-id ou-ex12-nothere1`",
        "  - abuse-alerts:accounts.organizationalUnits lists ou-ex12-workload1 (Workloads) and ou-ex12-prodeu01 (Prod-EU), which lies under it: Workloads → Prod → Prod-EU. Each OU gets stack instances of its own, so removing one of the two later would delete the stacks of the accounts they share. Either keep only ou-ex12-workload1: it already covers the accounts of Prod-EU; or keep ou-ex12-prodeu01 and list, instead of ou-ex12-workload1, the other child OUs of Workloads and Prod (accounts directly in those are then no longer covered)",
      ].join("\n"),
    );
    // The nearest listed OU above is named: three nested OUs make two problems, not three.
    const chain = await refusedBothWays({
      deployment: "stackset",
      accounts: { organizationalUnits: ["ou-ex12-workload1", "ou-ex12-prod0001", "ou-ex12-prodeu01"] },
    });
    assert.match(chain, /found 2 problems/);
    assert.match(
      chain,
      /lists ou-ex12-workload1 \(Workloads\) and ou-ex12-prod0001 \(Prod\), which lies under it: Workloads → Prod\. /,
    );
    assert.match(
      chain,
      /lists ou-ex12-prod0001 \(Prod\) and ou-ex12-prodeu01 \(Prod-EU\), which lies under it: Prod → Prod-EU\. /,
    );
    assert.match(chain, /the other child OUs of Prod \(accounts directly in it are then no longer covered\)/);
  });

  it("only warns of an OU listed with one under it in direct mode, where each account is selected once", async () => {
    const [aws, file] = await bothWays({
      accounts: { organizationalUnits: ["ou-ex12-prod0001", "ou-ex12-prodeu01"] },
    });
    for (const outcome of [aws, file]) {
      assert.equal(outcome.status, "fulfilled", String((outcome as PromiseRejectedResult).reason));
      assert.deepEqual(
        outcome.value.covered.map((account) => account.id),
        ["111111111111", "222222222221", "222222222222", "222222222223"],
      );
      assert.ok(
        outcome.value.warnings.includes(
          "abuse-alerts:accounts.organizationalUnits lists ou-ex12-prod0001 (Prod) and ou-ex12-prodeu01 (Prod-EU), which lies under it: Prod → Prod-EU. Its accounts are covered once, so this changes nothing in direct mode, but stackset mode refuses it: keep only ou-ex12-prod0001: it already covers the accounts of Prod-EU",
        ),
        outcome.value.warnings.join("\n"),
      );
    }
  });

  it("asks Organizations for OUs' parents only when two or more OUs are listed", async () => {
    const one = mockOrganizations(exampleOrg());
    await discoverWith(
      { deployment: "stackset", accounts: { organizationalUnits: ["ou-ex12-prodeu01"] } },
      one,
    );
    assert.ok(!one.calls.some((call) => call.startsWith("ListParents")), one.calls.join(", "));
    const siblings = mockOrganizations(exampleOrg());
    const { warnings } = await discoverWith(
      { deployment: "stackset", accounts: { organizationalUnits: ["ou-ex12-prod0001", "ou-ex12-dev00001"] } },
      siblings,
    );
    assert.ok(siblings.calls.some((call) => call.startsWith("ListParents")));
    assert.ok(!warnings.some((warning) => warning.includes("which lies under it")), warnings.join("\n"));
  });

  it("walks every OU it can over AWS, naming the unknown ones instead of stopping at the first", async () => {
    const mocked = mockOrganizations(exampleOrg());
    const directory = new AwsOrganizationDirectory(mocked.client);
    const { accounts, unknownUnits } = await directory.listAccountsUnder([
      "ou-ex12-nothere1",
      "ou-ex12-prod0001",
      "ou-ex12-nothere2",
    ]);
    assert.deepEqual(unknownUnits, ["ou-ex12-nothere1", "ou-ex12-nothere2"]);
    assert.deepEqual(accounts.map((account) => account.id).sort(), [
      "222222222221",
      "222222222222",
      "222222222223",
    ]);
    assert.deepEqual((await directory.listOrganizationalUnits()).map((unit) => unit.id).sort(), [
      "ou-ex12-closing1",
      "ou-ex12-dev00001",
      "ou-ex12-prod0001",
      "ou-ex12-prodeu01",
      "ou-ex12-security1",
      "ou-ex12-workload1",
    ]);
  });
});

describe("account selection", () => {
  const rules = { centralAccountId: CENTRAL, exclude: [], scope: "organization o-test" };

  it("keeps each account once and sorts by ID", () => {
    const selection = selectAccounts(
      [
        { id: "222222222222", name: "b", state: "ACTIVE" },
        { id: CENTRAL, name: "a", state: "ACTIVE" },
        { id: "222222222222", name: "b", state: "ACTIVE" },
      ],
      rules,
    );
    assert.deepEqual(selection.covered, [
      { id: CENTRAL, name: "a" },
      { id: "222222222222", name: "b" },
    ]);
  });

  it("warns about an exclusion that matches nothing", () => {
    const selection = selectAccounts([{ id: CENTRAL, name: "a", state: "ACTIVE" }], {
      ...rules,
      exclude: ["555555555555"],
    });
    assert.deepEqual(selection.warnings, [
      "abuse-alerts:accounts.exclude lists 555555555555, which is not among the 1 accounts found; nothing to exclude",
    ]);
  });
});

describe("caller identity", () => {
  it("reads the account and ARN", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .resolves({ Account: "100000000001", Arn: "arn:aws:iam::100000000001:user/x" });
    assert.deepEqual(await getCaller(sts), {
      accountId: "100000000001",
      arn: "arn:aws:iam::100000000001:user/x",
    });
  });

  it("says how to sign in when there are no credentials", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    mockClient(sts)
      .on(GetCallerIdentityCommand)
      .rejects(new Error("Could not load credentials from any providers"));
    await assert.rejects(
      getCaller(sts),
      /sts:GetCallerIdentity failed .*Could not load credentials.*aws sso login/,
    );
  });
});

describe("member role probe", () => {
  const stsError = (name: string, message: string) =>
    new STSServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 403 } });

  it("reports each account ok or with its error, and skips the account it runs in", async () => {
    const sts = new STSClient({ region: "us-east-1", maxAttempts: 1 });
    const mock = mockClient(sts);
    const expires = new Date("2026-11-21T12:00:00Z");
    mock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIA",
        SecretAccessKey: "secret",
        SessionToken: "token",
        Expiration: expires,
      },
    });
    mock
      .on(AssumeRoleCommand, { RoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" })
      .rejects(stsError("AccessDenied", "User is not authorized to perform: sts:AssumeRole"));
    const settled: string[] = [];
    const outcomes = await probeMemberRoles(
      withRetries(sts),
      ["100000000001", "111111111111", "222222222222"],
      {
        roleName: "OrganizationAccountAccessRole",
        callerAccountId: "100000000001",
        onSettled: (outcome) => settled.push(outcome.accountId),
      },
    );
    assert.deepEqual(outcomes, [
      { accountId: "100000000001", status: "current" },
      {
        accountId: "111111111111",
        status: "ok",
        credentials: {
          accessKeyId: "ASIA",
          secretAccessKey: "secret",
          sessionToken: "token",
          expiration: expires,
        },
      },
      {
        accountId: "222222222222",
        status: "failed",
        errorCode: "AccessDenied",
        message: "User is not authorized to perform: sts:AssumeRole",
      },
    ]);
    assert.deepEqual(settled.sort(), ["100000000001", "111111111111", "222222222222"]);
    assert.deepEqual(
      mock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn),
      [
        "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
        "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
      ],
    );
  });

  it("never runs more AssumeRole calls at once than its bound", async () => {
    const sts = new STSClient({ region: "us-east-1" });
    let inFlight = 0;
    let maxInFlight = 0;
    mockClient(sts)
      .on(AssumeRoleCommand)
      .callsFake(async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return {
          Credentials: {
            AccessKeyId: "ASIA",
            SecretAccessKey: "secret",
            SessionToken: "t",
            Expiration: new Date(),
          },
        };
      });
    const accountIds = Array.from({ length: 40 }, (_, index) => String(200000000000 + index));
    const outcomes = await probeMemberRoles(sts, accountIds, {
      roleName: "R",
      callerAccountId: "1",
      concurrency: 3,
    });
    assert.equal(outcomes.length, 40);
    assert.ok(outcomes.every((outcome) => outcome.status === "ok"));
    assert.equal(maxInFlight, 3);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { strict as assert } from "node:assert";
import { ProbeOutcome } from "../../accounts/probe";
import { OfflineRunError } from "../../sim/pulumi-runner";
import { PROD_COVERED } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

describe("the Pulumi program", () => {
  it("runs with every default provider disabled, so nothing lands in the ambient account", () => {
    const project = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as {
      name: string;
      config: Record<string, unknown>;
    };
    assert.equal(project.name, "abuse-alerts");
    assert.deepEqual(project.config["pulumi:disable-default-providers"], ["*"]);
  });

  it("exports the covered accounts, sorted, and each skipped account with its reason", async () => {
    const { outputs } = await runProgram(prodConfigWith());
    assert.deepEqual(outputs.coveredAccountIds, PROD_COVERED);
    assert.deepEqual(outputs.skippedAccounts, [
      { id: "333333333331", reason: "excluded" },
      { id: "333333333332", reason: "suspended" },
      { id: "444444444441", reason: "closed" },
      { id: "444444444442", reason: "pending closure" },
    ]);
  });

  it("stops on bad config with every problem listed, before declaring any resource", async () => {
    await assert.rejects(
      runProgram(prodConfigWith({ centralAccountId: "1234", regions: ["us-west-2"], chanelId: "C1" })),
      (error: OfflineRunError) => {
        assert.deepEqual(error.resources, []);
        assert.match(error.message, /has 3 problems/);
        assert.match(
          error.message,
          /abuse-alerts:centralAccountId must be a 12-digit AWS account ID .*got "1234"/,
        );
        assert.match(error.message, /abuse-alerts:chanelId is not a known key/);
        assert.match(error.message, /abuse-alerts:regions must include us-east-1/);
        return true;
      },
    );
  });
});

describe("unreachable accounts (abuse-alerts:unreachableAccounts)", () => {
  const denied =
    "User: arn:aws:sts::100000000001:assumed-role/Admin/me is not authorized to perform: sts:AssumeRole";
  const probe = (unreachable: string[]) => (accountIds: readonly string[]) =>
    Promise.resolve(
      accountIds.map((accountId): ProbeOutcome =>
        unreachable.includes(accountId)
          ? { accountId, status: "failed", errorCode: "AccessDenied", message: denied }
          : accountId === "100000000001"
            ? { accountId, status: "current" }
            : { accountId, status: "ok", credentials: { accessKeyId: "ASIA", secretAccessKey: "secret" } },
      ),
    );

  it("fail (the default): stops before any resource, with a table of the accounts, errors and fixes", async () => {
    await assert.rejects(
      runProgram(prodConfigWith(), { probe: probe(["222222222222", "333333333333"]) }),
      (error: OfflineRunError) => {
        assert.deepEqual(error.resources, []);
        assert.match(
          error.message,
          /2 of 7 accounts cannot be reached through role OrganizationAccountAccessRole/,
        );
        assert.match(error.message, /│ 222222222222 │ payments-prod │ AccessDenied: User: +│ create role +│/);
        assert.match(error.message, /│ +│ +│ authorized to perform: +│ account 100000000001 +│/);
        assert.ok(
          error.message
            .split("\n")
            .filter((line) => /^[┌│├└]/.test(line))
            .every((line) => line.length <= 100),
          "the table fits 100 columns",
        );
        assert.match(error.message, /│ in 222222222222 trusting +│/);
        assert.match(error.message, /│ 333333333333 │ shop-dev /);
        assert.match(error.message, /set abuse-alerts:unreachableAccounts to skip/);
        return true;
      },
    );
  });

  it("skip: leaves them out, declares nothing for them, lists them in skippedAccounts", async () => {
    const { outputs, resources } = await runProgram(prodConfigWith({ unreachableAccounts: "skip" }), {
      probe: probe(["222222222222"]),
    });
    assert.deepEqual(outputs.coveredAccountIds, [
      "100000000001",
      "111111111111",
      "111111111112",
      "222222222221",
      "222222222223",
      "333333333333",
    ]);
    assert.deepEqual(
      (outputs.skippedAccounts as { id: string; reason: string }[]).find(
        (account) => account.id === "222222222222",
      ),
      {
        id: "222222222222",
        reason: "unreachable: AccessDenied",
      },
    );
    assert.deepEqual(
      resources.filter((resource) => resource.account === "222222222222").map((resource) => resource.name),
      [],
    );
  });

  it("always stops when the central account is unreachable", async () => {
    await assert.rejects(
      runProgram(prodConfigWith({ unreachableAccounts: "skip" }), { probe: probe(["111111111111"]) }),
      /The central account 111111111111 hosts the hub and must be reachable/,
    );
  });

  it("probes with the configured role name, and only the covered accounts", async () => {
    const asked: { ids: readonly string[]; role: string }[] = [];
    await runProgram(prodConfigWith({ memberRoleName: "AbuseAlertsDeployer" }), {
      probe: (ids, role) => {
        asked.push({ ids, role });
        return probe([])(ids);
      },
    });
    assert.deepEqual(asked, [
      {
        ids: PROD_COVERED,
        role: "AbuseAlertsDeployer",
      },
    ]);
  });
});

describe("accounts the last update covered", () => {
  it("stops, with the exact state commands, when they can no longer be reached (suspended, closed)", async () => {
    await assert.rejects(
      runProgram(prodConfigWith(), { previouslyCovered: [...PROD_COVERED, "333333333332", "444444444441"] }),
      (error: OfflineRunError) => {
        assert.deepEqual(error.resources, []);
        assert.match(
          error.message,
          /2 account\(s\) the last update covered can no longer be reached: 333333333332 \(shop-dev-old, suspended\), 444444444441 \(acquired-2023, closed\)/,
        );
        assert.match(
          error.message,
          /pulumi state delete --stack test 'urn:pulumi:test::abuse-alerts::pulumi:providers:aws::account-333333333332' --target-dependents --yes/,
        );
        assert.match(error.message, /account-444444444441' --target-dependents/);
        return true;
      },
    );
  });

  it("stops for an account skipped as unreachable that the last update covered", async () => {
    const unreachable = (ids: readonly string[]) =>
      Promise.resolve(
        ids.map((accountId): ProbeOutcome =>
          accountId === "222222222222"
            ? { accountId, status: "failed", errorCode: "AccessDenied", message: "denied" }
            : { accountId, status: "current" },
        ),
      );
    await assert.rejects(
      runProgram(prodConfigWith({ unreachableAccounts: "skip" }), {
        previouslyCovered: PROD_COVERED,
        probe: unreachable,
      }),
      /222222222222 \(payments-prod, unreachable: AccessDenied\)/,
    );
  });

  it("lets excluded accounts go: they are still reachable, so their forwarders are deleted normally", async () => {
    const { outputs } = await runProgram(prodConfigWith(), {
      previouslyCovered: [...PROD_COVERED, "333333333331"],
    });
    assert.deepEqual(outputs.coveredAccountIds, PROD_COVERED);
  });
});

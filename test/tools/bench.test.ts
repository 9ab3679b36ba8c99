import { strict as assert } from "node:assert";
import { measure } from "../../tools/bench/measure";
import { benchPlan, renderBench } from "../../tools/bench/run";
import { outputWidth } from "../../lib/tables";
import { syntheticOrganization } from "../../sim/synthetic-org";
import { accountsBelow } from "../../accounts/org-file";

describe("npm run bench (its logic; the figures are the script's to print)", () => {
  it("builds synthetic organizations of the size asked, in OUs of 50, one in a hundred suspended", () => {
    for (const size of [10, 1000]) {
      const accounts = accountsBelow(syntheticOrganization(size).root);
      assert.equal(accounts.length, size);
      assert.equal(new Set(accounts.map((account) => account.id)).size, size, "unique IDs");
    }
    const accounts = accountsBelow(syntheticOrganization(1000).root);
    assert.equal(accounts.filter((account) => account.state === "SUSPENDED").length, 9);
  });

  it("runs direct mode up to the given size, StackSet mode at every size", () => {
    assert.deepEqual(
      benchPlan([10, 1000, 10000], 1000).map(
        (run) => `${run.deployment}${run.securityContact ? " + contacts" : ""} ${run.size}`,
      ),
      [
        "direct 10",
        "direct 1000",
        "stackset 10",
        "stackset 1000",
        "stackset 10000",
        "stackset + contacts 10",
        "stackset + contacts 1000",
        "stackset + contacts 10000",
      ],
    );
  });

  it("counts what a run declares and the AWS calls it makes: direct grows per account, StackSet does not", async () => {
    const direct = await measure("direct", 60);
    assert.equal(direct.covered, 60);
    assert.equal(direct.providers, 60, "a provider per covered account");
    assert.equal(direct.perAccount, 9, "provider, component, role, and a rule, target and queue per region");
    assert.equal(direct.stsCalls, 59, "every account but the caller's is probed");
    assert.equal(direct.organizationsCalls, 1 + 3, "DescribeOrganization, then ListAccounts in pages of 20");

    const small = await measure("stackset", 60);
    const large = await measure("stackset", 600);
    assert.equal(small.providers, 2);
    assert.equal(large.resources, small.resources, "the same resources whatever the size");
    assert.equal(large.stsCalls, 1, "only the central account is probed");
    assert.equal(large.perAccount, 0);
    assert.equal(large.organizationsCalls, 1 + 1 + Math.ceil(600 / 20), "discovery's pages, and ListRoots");
    assert.ok(large.wallMs > 0 && large.peakRssMb > 0);

    const contacts = await measure("stackset", 3000, true);
    assert.equal(contacts.providers, 2);
    assert.equal(contacts.perAccount, 0, "contacts are set by the onboarding workflows, not declared");
    assert.equal(
      contacts.resources - large.resources,
      (await measure("stackset", 60, true)).resources - small.resources,
      "the contacts' reconcile is a fixed set of resources",
    );

    const text = renderBench([direct, small], new Date("2026-11-21T10:00:00Z"));
    assert.match(text, /abuse-alerts bench, 2026-11-21, on \d+ × /);
    assert.match(text, /│ direct +│ 60 +│/);
    assert.match(text, /│ 10\.2-25\.8 /, "60 providers at 170-430 MB");
    assert.match(text.replace(/\n/g, " "), /Provider memory: one plugin process per AWS provider/);
    const tooWide = text.split("\n").filter((line) => line.length > outputWidth());
    assert.deepEqual(tooWide, [], "the notes under the table wrap to the terminal, as the table does");
  });
});

import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { checkDirectCapacity } from "../../accounts/capacity";
import { ConfigError, validateConfig } from "../../config/schema";
import { asRunError } from "../../program/prepare";
import { OrganizationFile, OrganizationalUnitNode } from "../../accounts/org-file";
import { OfflineRunError } from "../../sim/pulumi-runner";
import { CENTRAL, exampleOrg, minimalConfig } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

/** The example organization with one account's state changed, or the account removed. */
function orgWith(accountId: string, change: "SUSPENDED" | "CLOSED" | "remove"): OrganizationFile {
  const org = exampleOrg();
  const visit = (unit: OrganizationalUnitNode) => {
    unit.accounts = (unit.accounts ?? [])
      .filter((account) => change !== "remove" || account.id !== accountId)
      .map((account) =>
        account.id === accountId && change !== "remove" ? { ...account, state: change } : account,
      );
    unit.organizationalUnits?.forEach(visit);
  };
  visit(org.root);
  return org;
}

const explicitAccounts = [
  { id: CENTRAL, name: "security-tooling" },
  { id: "222222222221", name: "shop-prod" },
];

/**
 * Bad configurations and organization states. Each must stop the program before it declares a
 * resource, with an error that names the key or the account to fix.
 */
const cases: { name: string; config?: Record<string, unknown>; org?: OrganizationFile; names: RegExp[] }[] = [
  {
    name: "a malformed central account ID",
    config: { centralAccountId: "1234" },
    names: [/abuse-alerts:centralAccountId must be a 12-digit/],
  },
  {
    name: "an unquoted ID that lost its leading zero",
    config: { centralAccountId: 12345678901 },
    names: [
      /abuse-alerts:centralAccountId .*got "12345678901" \(if this is an unquoted account ID, YAML dropped its leading zeros: quote it\)/,
    ],
  },
  {
    name: "a malformed organization ID",
    config: { organizationId: "o-EXAMPLE" },
    names: [/abuse-alerts:organizationId must be an organization ID/],
  },
  {
    name: "a Slack workspace ID of the wrong kind",
    config: { slack: { workspaceId: "W0123456789", channelId: "C0123456789" } },
    names: [/abuse-alerts:slack.workspaceId/],
  },
  {
    name: "a Slack channel name instead of its ID",
    config: { slack: { workspaceId: "T0123456789", channelId: "#security" } },
    names: [/abuse-alerts:slack.channelId .*got "#security"/],
  },
  { name: "no Slack settings", config: { slack: undefined }, names: [/abuse-alerts:slack is required/] },
  {
    name: "Slack settings as a string",
    config: { slack: "T0123456789/C0123456789" },
    names: [/abuse-alerts:slack must be an object with workspaceId and channelId/],
  },
  {
    name: "a typo in a key",
    config: { centralAcountId: CENTRAL },
    names: [
      /abuse-alerts:centralAcountId is not a known key \(did you mean abuse-alerts:centralAccountId\?\)/,
    ],
  },
  {
    name: "a typo in a nested key",
    config: { slack: { workspaceId: "T0123456789", channelID: "C0123456789" } },
    // The "did you mean" says what the "is required" would: one problem, not two.
    names: [
      /The stack configuration has 1 problem:/,
      /^ {2}- abuse-alerts:slack.channelID is not a known key \(did you mean abuse-alerts:slack.channelId\?\)$/m,
    ],
  },
  {
    name: "a malformed OU ID",
    config: { accounts: { organizationalUnits: ["ou-Prod"] } },
    names: [/abuse-alerts:accounts.organizationalUnits\[0\] must be an OU ID/],
  },
  {
    name: "an exclusion that is not an account ID",
    config: { accounts: { exclude: ["shop-dev"] } },
    names: [/abuse-alerts:accounts.exclude\[0\] must be a 12-digit/],
  },
  {
    name: "regions as a single string",
    config: { regions: "us-east-1" },
    names: [/abuse-alerts:regions must be a list of AWS region names/],
  },
  {
    name: "an unknown region",
    config: { regions: ["us-east-1", "eu-wets-1"] },
    names: [/abuse-alerts:regions\[1\] .*got "eu-wets-1" \(did you mean eu-west-1\?\)/],
  },
  {
    name: "regions without us-east-1",
    config: { regions: ["us-west-2"] },
    names: [/abuse-alerts:regions must include us-east-1/],
  },
  {
    name: "an unknown category",
    config: { categories: ["abuse", "phishing"] },
    names: [/abuse-alerts:categories\[1\] must be abuse or risk, got "phishing"/],
  },
  {
    name: "no category",
    config: { categories: [] },
    names: [/abuse-alerts:categories must be a non-empty list/],
  },
  {
    name: "an email without @",
    config: { notifyEmails: ["secops.example.com"] },
    names: [/abuse-alerts:notifyEmails\[0\] must be an email address/],
  },
  {
    name: "emails as a string",
    config: { notifyEmails: "secops@example.com" },
    names: [/abuse-alerts:notifyEmails must be a list of email addresses/],
  },
  {
    name: "an unknown deployment mode",
    config: { deployment: "lambda" },
    names: [/abuse-alerts:deployment must be direct or stackset/],
  },
  {
    name: "stackset mode with an explicit account list",
    config: {
      deployment: "stackset",
      organizationId: "o-exampleorg1",
      accounts: { explicit: explicitAccounts },
    },
    names: [/abuse-alerts:accounts.explicit cannot be used with abuse-alerts:deployment stackset/],
  },
  {
    name: "stackset mode with an OU the organization does not have",
    config: { deployment: "stackset", accounts: { organizationalUnits: ["ou-ex12-nothere1"] } },
    names: [
      /abuse-alerts:accounts.organizationalUnits: ou-ex12-nothere1 is not an OU of the organization file .*organization.json; check the ID, or pass --org with a file of your own organization \(npm run export-org writes one\)/,
    ],
  },
  {
    name: "stackset mode with an unknown key",
    config: { deployment: "stackset", stackSetName: "mine" },
    names: [/abuse-alerts:stackSetName is not a known key/],
  },
  {
    name: "a role path instead of a name",
    config: { memberRoleName: "admin/OrganizationAccountAccessRole" },
    names: [/abuse-alerts:memberRoleName must be an IAM role name/],
  },
  {
    name: "a negative archive retention",
    config: { archiveRetentionDays: -30 },
    names: [/abuse-alerts:archiveRetentionDays must be 0 or more days/],
  },
  {
    name: "an unknown unreachable-accounts mode",
    config: { unreachableAccounts: "ignore" },
    names: [/abuse-alerts:unreachableAccounts must be fail or skip/],
  },
  {
    name: "the central account excluded",
    config: { accounts: { exclude: [CENTRAL] } },
    names: [/abuse-alerts:accounts.exclude lists the central account 111111111111/],
  },
  {
    name: "explicit accounts and OUs together",
    config: { accounts: { explicit: explicitAccounts, organizationalUnits: ["ou-ex12-prod0001"] } },
    names: [/abuse-alerts:accounts sets both explicit and organizationalUnits/],
  },
  {
    name: "an account listed twice",
    config: { accounts: { explicit: [...explicitAccounts, { id: "222222222221", name: "again" }] } },
    names: [/abuse-alerts:accounts.explicit\[2\] must be listed only once \(222222222221 repeats\)/],
  },
  {
    name: "explicit accounts without an organization ID",
    config: { organizationId: undefined, accounts: { explicit: explicitAccounts } },
    names: [/abuse-alerts:organizationId is required when abuse-alerts:accounts.explicit is set/],
  },
  {
    name: "explicit accounts without the central account",
    config: { accounts: { explicit: [{ id: "222222222221", name: "shop-prod" }] } },
    names: [/abuse-alerts:accounts.explicit must include the central account 111111111111/],
  },
  {
    name: "an empty organization after filters",
    config: { accounts: { organizationalUnits: ["ou-ex12-closing1"] } },
    names: [/abuse-alerts:accounts.organizationalUnits \(ou-ex12-closing1\) holds no ACTIVE account/],
  },
  {
    name: "OUs whose only active account is excluded",
    config: { accounts: { organizationalUnits: ["ou-ex12-prodeu01"], exclude: ["222222222223"] } },
    names: [
      /abuse-alerts:accounts.organizationalUnits \(ou-ex12-prodeu01\) holds no ACTIVE account that is not excluded/,
    ],
  },
  {
    name: "stackset mode with an OU under another listed OU",
    config: {
      deployment: "stackset",
      accounts: { organizationalUnits: ["ou-ex12-workload1", "ou-ex12-prodeu01"] },
    },
    names: [
      /^abuse-alerts:accounts.organizationalUnits lists ou-ex12-workload1 \(Workloads\) and ou-ex12-prodeu01 \(Prod-EU\), which lies under it: Workloads → Prod → Prod-EU\./,
      /removing one of the two later would delete the stacks of the accounts they share/,
      /keep only ou-ex12-workload1: it already covers the accounts of Prod-EU; or keep ou-ex12-prodeu01 and list, instead of ou-ex12-workload1, the other child OUs of Workloads and Prod/,
    ],
  },
  {
    name: "an OU the organization does not have",
    config: { accounts: { organizationalUnits: ["ou-ex12-missing1"] } },
    names: [/ou-ex12-missing1 is not an OU of the organization file/],
  },
  {
    name: "a suspended central account",
    org: orgWith(CENTRAL, "SUSPENDED"),
    names: [/abuse-alerts:centralAccountId 111111111111 \(security-tooling\) is suspended, not ACTIVE/],
  },
  {
    name: "a closed central account",
    org: orgWith(CENTRAL, "CLOSED"),
    names: [/abuse-alerts:centralAccountId 111111111111 \(security-tooling\) is closed/],
  },
  {
    name: "a central account outside the organization",
    org: orgWith(CENTRAL, "remove"),
    names: [
      /abuse-alerts:centralAccountId 111111111111 is not an account of organization o-exampleorg1 \(the organization file .*\); did you mean 111111111112 \(log-archive\)\? Otherwise set it to the security account that should host the bus, topic and Chatbot, or pass --org with a file of your own organization/,
    ],
  },
  {
    name: "an organization ID that does not match the organization, named without invented credentials",
    config: { organizationId: "o-otherorg123" },
    names: [
      /^abuse-alerts:organizationId is o-otherorg123, but the organization file .*examples\/organization.json reports organization o-exampleorg1; pass --org with a file of your own organization \(npm run export-org writes one\), or fix the key$/,
    ],
  },
  {
    name: "a route without a selector",
    config: { routes: [{ name: "prod", slack: { channelId: "C0PRODTEAM1" } }] },
    names: [/abuse-alerts:routes\[0\] selects no account/],
  },
  {
    name: "a route with both a Slack and a Teams channel",
    config: {
      routes: [
        {
          name: "prod",
          slack: { channelId: "C0PRODTEAM1" },
          teams: {
            teamId: "0a1b2c3d-1111-2222-3333-444455556666",
            channelId: "19:0a1b@thread.tacv2",
            tenantId: "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
          },
          tags: { team: "shop" },
        },
      ],
    },
    names: [/abuse-alerts:routes\[0\] has both slack and teams/],
  },
  {
    name: "a route's Teams tenant that is not an ID",
    config: {
      routes: [
        {
          name: "data",
          teams: {
            teamId: "0a1b2c3d-1111-2222-3333-444455556666",
            channelId: "19:0a1b@thread.tacv2",
            tenantId: "contoso",
          },
          tags: { team: "data" },
        },
      ],
    },
    names: [/abuse-alerts:routes\[0\].teams.tenantId must be the Microsoft Entra tenant's ID/],
  },
  {
    name: "a route's OU the organization does not have",
    config: {
      routes: [
        { name: "prod", slack: { channelId: "C0PRODTEAM1" }, organizationalUnits: ["ou-ex12-prod0002"] },
      ],
    },
    names: [
      /abuse-alerts:routes\[0\].organizationalUnits: ou-ex12-prod0002 is not an OU of the organization file .*; did you mean ou-ex12-prod0001 \(Prod\)\?/,
    ],
  },
  {
    name: "a route's account the organization does not have, under selected OUs",
    config: {
      accounts: { organizationalUnits: ["ou-ex12-workload1"] },
      routes: [{ name: "web", slack: { channelId: "C0WEB00001" }, accounts: ["222222222229"] }],
    },
    names: [
      /abuse-alerts:routes\[0\].accounts lists 222222222229, which is not an account of organization o-exampleorg1 .*; did you mean 222222222221 \(shop-prod\)\?/,
    ],
  },
  {
    name: "a route's account outside explicit accounts",
    config: {
      accounts: { explicit: explicitAccounts },
      routes: [{ name: "web", slack: { channelId: "C0WEB00001" }, accounts: ["222222222222"] }],
    },
    names: [
      /abuse-alerts:routes\[0\].accounts lists 222222222222, which is not an account of abuse-alerts:accounts.explicit; did you mean 222222222221 \(shop-prod\)\?/,
    ],
  },
  {
    name: "route problems and other organization problems, all at once",
    org: orgWith(CENTRAL, "remove"),
    config: {
      routes: [
        { name: "prod", slack: { channelId: "C0PRODTEAM1" }, organizationalUnits: ["ou-ex12-prod0002"] },
        { name: "web", slack: { channelId: "C0WEB00001" }, accounts: ["999999999999"] },
      ],
    },
    names: [
      /found 3 problems:/,
      /^ {2}- abuse-alerts:routes\[0\].organizationalUnits: ou-ex12-prod0002 is not an OU/m,
      /^ {2}- abuse-alerts:routes\[1\].accounts lists 999999999999, which is not an account of organization o-exampleorg1 .*; check the ID$/m,
      /^ {2}- abuse-alerts:centralAccountId 111111111111 is not an account/m,
    ],
  },
];

describe("bad input: a clear error, and not a single resource", () => {
  it(`covers at least 25 cases (${cases.length})`, () => assert.ok(cases.length >= 25));

  for (const { name, config, org, names } of cases) {
    it(name, async () => {
      await assert.rejects(runProgram(prodConfigWith(config), { organization: org }), (error: unknown) => {
        assert.ok(error instanceof OfflineRunError, String(error));
        assert.deepEqual(
          error.resources.map((resource) => resource.name),
          [],
          "no resource may be declared",
        );
        for (const expected of names) assert.match(error.message, expected);
        return true;
      });
    });
  }
});

describe("bad input under pulumi up, and offline", () => {
  const configError = () => {
    try {
      validateConfig({ ...minimalConfig, centralAccountId: "1234" });
    } catch (error) {
      return error as ConfigError;
    }
    return assert.fail("the config must be refused");
  };
  const capacityError = () => {
    try {
      checkDirectCapacity(45, 30);
    } catch (error) {
      return error as Error;
    }
    return assert.fail("45 accounts must be refused");
  };

  it("names the stack's file, and says nothing was deployed only under pulumi up", () => {
    const up = asRunError(configError(), { stack: "mycorp", deploying: true }) as Error;
    assert.ok(pulumi.RunError.isInstance(up), "printed without a stack trace");
    assert.ok(
      up.message.endsWith(
        "\nFix it in Pulumi.mycorp.yaml (or with `pulumi config set --path`); nothing was deployed.",
      ),
      up.message,
    );
    const offline = asRunError(configError(), { stack: "mycorp", deploying: false }) as Error;
    assert.ok(
      offline.message.endsWith("\nFix it in Pulumi.mycorp.yaml (or with `pulumi config set --path`)."),
      offline.message,
    );
    const capacityUp = asRunError(capacityError(), { stack: "mycorp", deploying: true }) as Error;
    assert.ok(capacityUp.message.endsWith(" or more.\nNothing was deployed."), capacityUp.message);
    const capacityOffline = asRunError(capacityError(), { stack: "mycorp", deploying: false }) as Error;
    assert.doesNotMatch(capacityOffline.message, /nothing was deployed/i);
    const bug = new TypeError("a bug");
    assert.equal(asRunError(bug, { stack: "mycorp", deploying: true }), bug, "a bug keeps its stack trace");
  });

  it("an offline run (npm run plan) names the stack file and never says nothing was deployed", async () => {
    await assert.rejects(runProgram(prodConfigWith({ centralAccountId: "1234" })), (error: Error) => {
      assert.ok(
        error.message.endsWith("\nFix it in Pulumi.test.yaml (or with `pulumi config set --path`)."),
        error.message,
      );
      return true;
    });
    const big = prodConfigWith({ maxDirectAccounts: 2 });
    await assert.rejects(runProgram(big), (error: Error) => {
      assert.match(error.message, /abuse-alerts:deployment direct would cover 7 accounts/);
      assert.doesNotMatch(error.message, /nothing was deployed/i);
      return true;
    });
  });
});

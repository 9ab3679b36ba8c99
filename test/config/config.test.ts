import { strict as assert } from "node:assert";
import { configFromPulumi, projectConfigValues } from "../../config/read";
import { AbuseAlertsConfig, ConfigError, configWarnings, validateConfig } from "../../config/schema";
import { minimalConfig, SECURITY_CONTACT as CONTACT } from "../helpers/example-org";

/** The problems validation reports for the minimal config with `changes` applied (undefined removes a key). */
function problemsWith(changes: Record<string, unknown>): string[] {
  const raw: Record<string, unknown> = { ...minimalConfig, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete raw[key];
  try {
    validateConfig(raw);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
}

function assertOneProblem(changes: Record<string, unknown>, key: string, expected: RegExp) {
  const problems = problemsWith(changes);
  assert.equal(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
  assert.ok(problems[0].startsWith(key), `problem should start with ${key}: ${problems[0]}`);
  assert.match(problems[0], expected);
}

/** An escalation, so that warnings about it stay out of tests about other keys. */
const ESCALATION = { emails: ["oncall@example.com"] };

/** Explicit mode with just the central account: the smallest valid explicit selection. */
const explicitCentral = {
  organizationId: "o-exampleorg1",
  accounts: { explicit: [{ id: "111111111111", name: "security" }] },
};

describe("config validation", () => {
  it("applies the contract's defaults to a minimal config", () => {
    const config = validateConfig(minimalConfig);
    assert.deepEqual(config, {
      centralAccountId: "111111111111",
      organizationId: undefined,
      slack: { workspaceId: "T0123456789", channelId: "C0123456789" },
      accounts: { organizationalUnits: [], exclude: [], explicit: undefined },
      memberRoleName: "OrganizationAccountAccessRole",
      regions: ["us-east-1"],
      categories: ["abuse", "risk"],
      deployment: "direct",
      notifyEmails: [],
      unreachableAccounts: "fail",
      archiveRetentionDays: 365,
      maxDirectAccounts: 30,
      securityContact: undefined,
      accountTags: ["owner", "team", "environment"],
      reminders: [6, 1],
      escalation: { emails: [], pagerDuty: undefined },
      routes: [],
    } satisfies AbuseAlertsConfig);
  });

  it("keeps every key of a full config", () => {
    const config = validateConfig({
      ...minimalConfig,
      organizationId: "o-exampleorg1",
      accounts: { organizationalUnits: ["ou-abcd-12345678"], exclude: ["222222222222"] },
      memberRoleName: "AbuseAlertsDeployer",
      regions: ["us-east-1", "us-west-2"],
      categories: ["abuse"],
      deployment: "stackset",
      notifyEmails: ["secops@example.com"],
      unreachableAccounts: "skip",
      archiveRetentionDays: 0,
    });
    assert.equal(config.unreachableAccounts, "skip");
    assert.equal(config.archiveRetentionDays, 0);
    assert.equal(config.organizationId, "o-exampleorg1");
    assert.deepEqual(config.accounts, {
      organizationalUnits: ["ou-abcd-12345678"],
      exclude: ["222222222222"],
      explicit: undefined,
    });
    assert.equal(config.memberRoleName, "AbuseAlertsDeployer");
    assert.deepEqual(config.regions, ["us-east-1", "us-west-2"]);
    assert.deepEqual(config.categories, ["abuse"]);
    assert.equal(config.deployment, "stackset");
    assert.deepEqual(config.notifyEmails, ["secops@example.com"]);
  });

  // Each rule: a value that passes and one that fails, with the key the error must name.
  const rules: {
    key: string;
    changes: { good: Record<string, unknown>; bad: Record<string, unknown> };
    expected: RegExp;
  }[] = [
    {
      key: "abuse-alerts:centralAccountId",
      changes: { good: { centralAccountId: "012345678901" }, bad: { centralAccountId: "1234" } },
      expected: /must be a 12-digit AWS account ID.*got "1234"/,
    },
    {
      key: "abuse-alerts:centralAccountId",
      changes: { good: {}, bad: { centralAccountId: undefined } },
      expected: /is required/,
    },
    {
      key: "abuse-alerts:organizationId",
      changes: { good: { organizationId: "o-a1b2c3d4e5" }, bad: { organizationId: "o-ABC" } },
      expected: /o- and 10 to 32 lowercase letters or digits, got "o-ABC"/,
    },
    {
      key: "abuse-alerts:slack.workspaceId",
      changes: {
        good: { slack: { workspaceId: "T07EA123LEP", channelId: "C0123456789" } },
        bad: { slack: { workspaceId: "W0123456789", channelId: "C0123456789" } },
      },
      expected: /Slack workspace \(team\) ID.*got "W0123456789"/,
    },
    {
      key: "abuse-alerts:slack.channelId",
      changes: {
        good: { slack: { workspaceId: "T0123456789", channelId: "G0123456789" } },
        bad: { slack: { workspaceId: "T0123456789", channelId: "#security" } },
      },
      expected: /Slack channel ID: C or G.*got "#security"/,
    },
    {
      key: "abuse-alerts:slack",
      changes: { good: {}, bad: { slack: undefined } },
      expected: /is required/,
    },
    {
      key: "abuse-alerts:accounts.organizationalUnits[0]",
      changes: {
        good: { accounts: { organizationalUnits: ["ou-abcd-12345678"] } },
        bad: { accounts: { organizationalUnits: ["r-abcd"] } },
      },
      expected:
        /OU ID such as ou-abcd-12345678, not the root's ID \(leave organizationalUnits out to cover the whole organization\), got "r-abcd"/,
    },
    {
      key: "abuse-alerts:accounts.organizationalUnits[0]",
      changes: {
        good: { accounts: { organizationalUnits: ["ou-abcd-12345678"] } },
        bad: { accounts: { organizationalUnits: ["Workloads"] } },
      },
      expected:
        /OU ID such as ou-abcd-12345678, not an OU's name \(aws organizations list-organizational-units-for-parent .*got "Workloads"/,
    },
    {
      // It looks like an OU ID; only the rule says that the part after the second dash is too short.
      key: "abuse-alerts:accounts.organizationalUnits[0]",
      changes: {
        good: { accounts: { organizationalUnits: ["ou-ex12-prod0001"] } },
        bad: { accounts: { organizationalUnits: ["ou-ex12-prod1"] } },
      },
      expected:
        /must be an OU ID: ou-, then the root's part of 4 to 32 lowercase letters or digits, a dash, and 8 to 32 lowercase letters or digits \(e.g. ou-abcd-12345678\), got "ou-ex12-prod1"/,
    },
    {
      key: "abuse-alerts:notifyEmails",
      changes: {
        good: { notifyEmails: ["secops@example.com"] },
        bad: { notifyEmails: "secops@example.com" },
      },
      expected: /must be a list of email addresses, e.g. \[secops@example.com\], got "secops@example.com"/,
    },
    {
      key: "abuse-alerts:accounts.exclude[1]",
      changes: {
        good: { accounts: { exclude: ["222222222222", "333333333333"] } },
        bad: { accounts: { exclude: ["222222222222", 33333333333] } },
      },
      expected:
        /got 33333333333 \(a number: write account IDs in quotes, as YAML drops leading zeros; with pulumi config set --path, add --type string\)/,
    },
    {
      key: "abuse-alerts:accounts.explicit[1]",
      changes: {
        good: explicitCentral,
        bad: {
          organizationId: "o-exampleorg1",
          accounts: {
            explicit: [
              { id: "111111111111", name: "security" },
              { id: "111111111111", name: "again" },
            ],
          },
        },
      },
      expected: /listed only once \(111111111111 repeats\)/,
    },
    {
      key: "abuse-alerts:accounts",
      changes: {
        good: { accounts: { organizationalUnits: ["ou-abcd-12345678"], exclude: ["222222222222"] } },
        bad: {
          organizationId: "o-exampleorg1",
          accounts: {
            organizationalUnits: ["ou-abcd-12345678"],
            explicit: [{ id: "111111111111", name: "security" }],
          },
        },
      },
      expected: /sets both explicit and organizationalUnits/,
    },
    {
      key: "abuse-alerts:accounts.exclude",
      changes: {
        good: { accounts: { exclude: ["222222222222"] } },
        bad: { accounts: { exclude: ["111111111111"] } },
      },
      expected: /lists the central account 111111111111/,
    },
    {
      key: "abuse-alerts:organizationId",
      changes: {
        good: explicitCentral,
        bad: { accounts: { explicit: [{ id: "111111111111", name: "security" }] } },
      },
      expected: /is required when abuse-alerts:accounts.explicit is set/,
    },
    {
      key: "abuse-alerts:accounts.explicit",
      changes: {
        good: explicitCentral,
        bad: {
          organizationId: "o-exampleorg1",
          accounts: { explicit: [{ id: "222222222222", name: "workload" }] },
        },
      },
      expected: /must include the central account 111111111111/,
    },
    {
      key: "abuse-alerts:memberRoleName",
      changes: { good: { memberRoleName: "Abuse.Alerts-Deployer" }, bad: { memberRoleName: "path/Role" } },
      expected: /IAM role name.*got "path\/Role"/,
    },
    {
      key: "abuse-alerts:regions[1]",
      changes: {
        good: { regions: ["us-east-1", "us-west-2"] },
        bad: { regions: ["us-east-1", "us-wets-2"] },
      },
      expected: /AWS region name.*got "us-wets-2" \(did you mean us-west-2\?\)/,
    },
    {
      key: "abuse-alerts:regions[1]",
      changes: {
        good: { regions: ["us-east-1", "eu-west-1"] },
        bad: { regions: ["us-east-1", "cn-north-1"] },
      },
      expected: /got "cn-north-1"/,
    },
    {
      key: "abuse-alerts:regions",
      changes: { good: { regions: ["us-east-1"] }, bad: { regions: ["us-west-2"] } },
      expected: /must include us-east-1/,
    },
    {
      key: "abuse-alerts:regions",
      changes: { good: { regions: ["us-east-1"] }, bad: { regions: "us-east-1" } },
      expected: /must be a list of AWS region names.*got "us-east-1"/,
    },
    {
      key: "abuse-alerts:regions[1]",
      changes: {
        good: { regions: ["us-east-1", "us-west-2"] },
        bad: { regions: ["us-east-1", "us-east-1"] },
      },
      expected: /listed only once/,
    },
    {
      key: "abuse-alerts:categories[0]",
      changes: { good: { categories: ["risk"] }, bad: { categories: ["spam"] } },
      expected: /must be abuse or risk, got "spam"/,
    },
    {
      key: "abuse-alerts:categories",
      changes: { good: { categories: ["abuse", "risk"] }, bad: { categories: [] } },
      expected: /non-empty list of categories/,
    },
    {
      key: "abuse-alerts:deployment",
      changes: { good: { deployment: "stackset" }, bad: { deployment: "lambda" } },
      expected: /must be direct or stackset, got "lambda"/,
    },
    {
      key: "abuse-alerts:notifyEmails[0]",
      changes: {
        good: { notifyEmails: ["secops@example.com"] },
        bad: { notifyEmails: ["secops.example.com"] },
      },
      expected: /email address.*got "secops.example.com"/,
    },
    {
      key: "abuse-alerts:securityContact.phoneNumber",
      changes: {
        good: { securityContact: { ...CONTACT, phoneNumber: "+44 (0)20 7946 0958" } },
        bad: { securityContact: { ...CONTACT, phoneNumber: "ext. 4411" } },
      },
      expected: /a phone number of digits, spaces and \+ - \( \), e.g. "\+1-206-555-0100", got "ext. 4411"/,
    },
    {
      key: "abuse-alerts:securityContact.phoneNumber",
      changes: {
        good: { securityContact: { ...CONTACT, phoneNumber: "+1 206 555 0100 0100 0100" } },
        bad: { securityContact: { ...CONTACT, phoneNumber: "+1 206 555 0100 0100 0100 0" } },
      },
      expected: /a phone number of at most 25 characters/,
    },
    {
      key: "abuse-alerts:securityContact.phoneNumber",
      changes: { good: {}, bad: { securityContact: { ...CONTACT, phoneNumber: 2065550100 } } },
      expected: /a phone number in quotes, e.g. "\+1-206-555-0100", got 2065550100$/,
    },
    {
      key: "abuse-alerts:securityContact.emailAddress",
      changes: {
        good: { securityContact: { ...CONTACT, emailAddress: "abuse+aws@corp.example.co.uk" } },
        bad: { securityContact: { ...CONTACT, emailAddress: "secops at example.com" } },
      },
      expected: /an email address such as secops@example.com, got "secops at example.com"/,
    },
    {
      key: "abuse-alerts:securityContact.name",
      changes: {
        good: { securityContact: { ...CONTACT, name: "x".repeat(64) } },
        bad: { securityContact: { ...CONTACT, name: "x".repeat(65) } },
      },
      expected: /at most 64 characters/,
    },
    {
      key: "abuse-alerts:securityContact.title",
      changes: {
        good: { securityContact: { ...CONTACT, title: "t".repeat(50) } },
        bad: { securityContact: { ...CONTACT, title: "" } },
      },
      expected: /the contact's title, 1 to 50 characters/,
    },
    {
      key: "abuse-alerts:securityContact.title",
      changes: {
        good: {},
        bad: { securityContact: { name: "n", emailAddress: "a@b.co", phoneNumber: "1" } },
      },
      expected: /is required: the contact's title/,
    },
    {
      key: "abuse-alerts:securityContact.emailAdress",
      changes: {
        good: {},
        bad: { securityContact: { ...CONTACT, emailAdress: "a@b.co" } },
      },
      expected: /is not a known key \(did you mean abuse-alerts:securityContact.emailAddress\?\)/,
    },
    {
      key: "abuse-alerts:accountTags[1]",
      changes: {
        good: { accountTags: ["owner", "cost-center", "aws:createdBy"] },
        bad: { accountTags: ["owner", "owner"] },
      },
      expected: /listed only once \(owner repeats\)/,
    },
    {
      key: "abuse-alerts:accountTags[0]",
      changes: { good: { accountTags: [] }, bad: { accountTags: ["owner{x}"] } },
      expected: /a tag key: 1 to 128 letters, digits, spaces or _.:\/=\+@-, got "owner\{x\}"/,
    },
    {
      key: "abuse-alerts:accountTags",
      changes: {
        good: { accountTags: Array.from({ length: 10 }, (_, index) => `tag${index}`) },
        bad: { accountTags: Array.from({ length: 11 }, (_, index) => `tag${index}`) },
      },
      expected: /at most 10 tag keys/,
    },
    {
      key: "abuse-alerts:unreachableAccounts",
      changes: { good: { unreachableAccounts: "skip" }, bad: { unreachableAccounts: "ignore" } },
      expected: /must be fail or skip, got "ignore"/,
    },
    {
      key: "abuse-alerts:archiveRetentionDays",
      changes: { good: { archiveRetentionDays: 30 }, bad: { archiveRetentionDays: -1 } },
      expected: /0 or more days.*got -1/,
    },
    {
      key: "abuse-alerts:archiveRetentionDays",
      changes: { good: { archiveRetentionDays: 0 }, bad: { archiveRetentionDays: "a year" } },
      expected: /a whole number of days.*got "a year"/,
    },
    {
      key: "abuse-alerts:centralAcountId",
      changes: { good: {}, bad: { centralAcountId: "111111111111" } },
      expected: /is not a known key \(did you mean abuse-alerts:centralAccountId\?\)/,
    },
    {
      key: "abuse-alerts:slack.chanelId",
      changes: {
        good: {},
        bad: { slack: { workspaceId: "T0123456789", channelId: "C0123456789", chanelId: "C0123456789" } },
      },
      expected: /is not a known key \(did you mean abuse-alerts:slack.channelId\?\)/,
    },
    {
      key: "abuse-alerts:reminders[0]",
      changes: { good: { reminders: [12, 6, 1] }, bad: { reminders: [24, 1] } },
      expected: /must be a whole number of hours from 1 to 23, got 24/,
    },
    {
      key: "abuse-alerts:reminders[0]",
      changes: { good: { reminders: [] }, bad: { reminders: [1.5] } },
      expected: /whole number of hours from 1 to 23, got 1.5/,
    },
    {
      key: "abuse-alerts:reminders[1]",
      changes: { good: { reminders: [6, 1] }, bad: { reminders: [6, 6] } },
      expected: /listed only once \(6 repeats\)/,
    },
    {
      key: "abuse-alerts:reminders",
      changes: { good: { reminders: [1] }, bad: { reminders: 6 } },
      expected: /a list of hours before the reply-by, e.g. \[6, 1\] \(\[\] turns reminders off\), got 6/,
    },
    {
      key: "abuse-alerts:escalation.emails[0]",
      changes: {
        good: { escalation: { emails: ["oncall@example.com"] } },
        bad: { escalation: { emails: ["oncall"] } },
      },
      expected: /an email address such as secops@example.com, got "oncall"/,
    },
    {
      key: "abuse-alerts:escalation.email",
      changes: { good: { escalation: {} }, bad: { escalation: { email: ["oncall@example.com"] } } },
      expected: /is not a known key \(did you mean abuse-alerts:escalation.emails\?\)/,
    },
    {
      key: "abuse-alerts:escalation.pagerDuty.routingKey",
      changes: {
        good: { escalation: { pagerDuty: { routingKey: "R0ut1ngKeyOfTheOnCallService0032" } } },
        bad: { escalation: { pagerDuty: { routingKey: "R0ut1ngKeyOfTheOnCallService003" } } },
      },
      expected: /32 letters and digits, got a value of 31 characters \(not shown: it is a secret\)$/,
    },
    {
      key: "abuse-alerts:escalation.pagerDuty.routing_key",
      changes: {
        good: {},
        bad: { escalation: { pagerDuty: { routing_key: "R0ut1ngKeyOfTheOnCallService0032" } } },
      },
      expected: /is not a known key \(did you mean abuse-alerts:escalation.pagerDuty.routingKey\?\)/,
    },
  ];

  const show = (changes: Record<string, unknown>) =>
    Object.keys(changes).length === 0
      ? "the minimal config"
      : JSON.stringify(changes, (_, value: unknown) => (value === undefined ? "(absent)" : value));
  for (const { key, changes, expected } of rules) {
    it(`${key}: accepts ${show(changes.good)}, rejects ${show(changes.bad)}`, () => {
      assert.deepEqual(problemsWith(changes.good), []);
      assertOneProblem(changes.bad, key, expected);
    });
  }

  it("reports every problem at once, one line each, in a single error", () => {
    const problems = problemsWith({
      centralAccountId: "1234",
      slack: { workspaceId: "T0123456789" },
      regions: ["us-est-1"],
      categories: ["abuse", "spam"],
      notifyEmails: ["nobody"],
      centralAcountId: "x",
    });
    assert.deepEqual(
      problems.map((problem) => problem.split(" ")[0]),
      [
        "abuse-alerts:categories[1]",
        "abuse-alerts:centralAccountId",
        "abuse-alerts:centralAcountId",
        "abuse-alerts:notifyEmails[0]",
        "abuse-alerts:regions", // us-east-1 is missing too
        "abuse-alerts:regions[0]",
        "abuse-alerts:slack.channelId",
      ],
    );
    assert.throws(
      () => validateConfig({ centralAccountId: "1234" }),
      (error: Error) =>
        /has 2 problems:\n {2}- abuse-alerts:centralAccountId .*\n {2}- abuse-alerts:slack is required/.test(
          error.message,
        ),
    );
  });

  it("warns about regions that receive no abuse events and a missing backup region", () => {
    const config = validateConfig({
      ...minimalConfig,
      regions: ["us-east-1", "eu-west-1"],
      notifyEmails: ["a@example.com"],
      securityContact: CONTACT,
      escalation: ESCALATION,
    });
    const warnings = configWarnings(config);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /eu-west-1 receives no abuse or risk events/);
    assert.match(warnings[1], /add us-west-2/);
    const quiet = {
      ...minimalConfig,
      regions: ["us-east-1", "us-west-2"],
      notifyEmails: ["a@example.com"],
      securityContact: CONTACT,
      escalation: ESCALATION,
    };
    assert.deepEqual(configWarnings(validateConfig(quiet)), []);
  });

  it("warns when no security contact is set, naming where AWS's abuse team would write instead", () => {
    const warnings = configWarnings(
      validateConfig({
        ...minimalConfig,
        regions: ["us-east-1", "us-west-2"],
        notifyEmails: ["a@example.com"],
        escalation: ESCALATION,
      }),
    );
    assert.deepEqual(warnings, [
      "abuse-alerts:securityContact is not set: AWS sends abuse reports to each account's SECURITY contact, else to its root address, which in many accounts nobody reads; set it so the 24-hour reply reaches the security team",
    ]);
  });

  it("warns when no email backs up the Slack channel for alarms", () => {
    const warnings = configWarnings(
      validateConfig({
        ...minimalConfig,
        regions: ["us-east-1", "us-west-2"],
        securityContact: CONTACT,
        escalation: ESCALATION,
      }),
    );
    assert.deepEqual(warnings, [
      "abuse-alerts:notifyEmails is empty: alarms about the alert path reach only the Slack channel, so if Chatbot fails nobody hears of it; add an address",
    ]);
  });

  it("warns when no one outside the channel hears of an overdue abuse report", () => {
    const warnings = configWarnings(
      validateConfig({
        ...minimalConfig,
        regions: ["us-east-1", "us-west-2"],
        notifyEmails: ["a@example.com"],
        securityContact: CONTACT,
      }),
    );
    assert.deepEqual(warnings, [
      "abuse-alerts:escalation is not set: an abuse report still unanswered at its reply-by is only posted as overdue in the channel; add emails or pagerDuty to reach someone outside it",
    ]);
  });

  it("sorts reminders from the earliest, and keeps the escalation", () => {
    const config = validateConfig({
      ...minimalConfig,
      reminders: [1, 12, 6],
      escalation: {
        emails: ["oncall@example.com"],
        pagerDuty: { routingKey: "R0ut1ngKeyOfTheOnCallService0032" },
      },
    });
    assert.deepEqual(config.reminders, [12, 6, 1]);
    assert.deepEqual(config.escalation, {
      emails: ["oncall@example.com"],
      pagerDuty: { routingKey: "R0ut1ngKeyOfTheOnCallService0032" },
    });
  });

  it("never shows a routing key in an error, wherever it was put by mistake", () => {
    const key = "R0ut1ngKeyOfTheOnCallService0032";
    for (const escalation of [key, { pagerDuty: key }, { pagerDuty: { routingKey: [key] } }, [key]]) {
      const problems = problemsWith({ escalation });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.ok(!problems[0].includes(key), problems[0]);
      assert.match(problems[0], /not shown/);
    }
  });
});

describe("reading Pulumi config", () => {
  it("refuses a PagerDuty routing key kept in plain text in the stack file, telling how to make it a secret", () => {
    const flat = {
      "abuse-alerts:centralAccountId": "111111111111",
      "abuse-alerts:slack": '{"workspaceId":"T0123456789","channelId":"C0123456789"}',
      "abuse-alerts:escalation": '{"pagerDuty":{"routingKey":"R0ut1ngKeyOfTheOnCallService0032"}}',
    };
    assert.throws(
      () => configFromPulumi(flat, () => false),
      (error: ConfigError) => {
        assert.deepEqual(error.problems, [
          "abuse-alerts:escalation.pagerDuty.routingKey is in plain text in the stack file: whoever reads the file can page your on-call. Set it as a secret: pulumi config set --secret --path 'abuse-alerts:escalation.pagerDuty.routingKey' <routing key>",
        ]);
        assert.ok(!error.message.includes("R0ut1ngKey"));
        return true;
      },
    );
    const secret = configFromPulumi(flat, (key) => key === "abuse-alerts:escalation");
    assert.equal(secret.escalation.pagerDuty?.routingKey, "R0ut1ngKeyOfTheOnCallService0032");
    assert.doesNotThrow(() => configFromPulumi(flat), "tools that deploy nothing do not ask");
  });

  it("takes only the project's keys, parses structured values and keeps scalars as text", () => {
    const values = projectConfigValues({
      "aws:region": "us-east-1",
      "abuse-alerts:centralAccountId": "012345678901",
      "abuse-alerts:slack": '{"workspaceId":"T0123456789","channelId":"C0123456789"}',
      "abuse-alerts:regions": '["us-east-1","us-west-2"]',
      "abuse-alerts:archiveRetentionDays": "90",
      "abuse-alerts:centralAcountId": "typo",
    });
    assert.deepEqual(values, {
      centralAccountId: "012345678901",
      slack: { workspaceId: "T0123456789", channelId: "C0123456789" },
      regions: ["us-east-1", "us-west-2"],
      archiveRetentionDays: 90,
      centralAcountId: "typo",
    });
  });

  it("leaves a bare word where a list belongs for validation to name", () => {
    assert.deepEqual(projectConfigValues({ "abuse-alerts:regions": "us-east-1" }), { regions: "us-east-1" });
  });
});

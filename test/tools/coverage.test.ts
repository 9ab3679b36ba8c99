import { strict as assert } from "node:assert";
import {
  CloudFormationClient,
  CloudFormationServiceException,
  ListStackInstancesCommand,
  ListStackSetOperationResultsCommand,
  ListStackSetOperationsCommand,
  StackInstanceSummary,
  StackSetOperationResultSummary,
  StackSetOperationSummary,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  EventBridgeServiceException,
  ListTargetsByRuleCommand,
} from "@aws-sdk/client-eventbridge";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { withRetries } from "../../accounts/retry";
import { forwarderPattern } from "../../model/patterns";
import { configFromPulumi } from "../../config/read";
import { hasGaps, renderCoverage } from "../../tools/coverage/report";
import { runCoverage } from "../../tools/coverage/run";
import { CoverageRow } from "../../tools/coverage/types";
import { CENTRAL, exampleOrg, MANAGEMENT, PROD_COVERED, SECURITY_CONTACT } from "../helpers/example-org";
import { AccountClient, AccountServiceException, GetAlternateContactCommand } from "@aws-sdk/client-account";
import { prodConfigWith } from "../helpers/offline";
import { mockOrganizations } from "../../sim/fake-organizations";

const REGIONS = ["us-east-1", "us-west-2"];
const STACKSET_ACCOUNTS = PROD_COVERED.filter((id) => id !== MANAGEMENT);

interface Scenario {
  deployment?: "direct" | "stackset";
  caller?: string;
  /** Stack instances by "account region"; CURRENT and SUCCEEDED for every StackSet account when absent. */
  instances?: Record<string, Partial<StackInstanceSummary> | "absent">;
  stackSetMissing?: boolean;
  /** The StackSet's operations, oldest first, each with its results; none when absent. */
  operations?: { summary: StackSetOperationSummary; results: StackSetOperationResultSummary[] }[];
  /** Rules by "account region": absent, disabled, old pattern, other target, unreadable. */
  rules?: Record<string, "absent" | "disabled" | "old" | "elsewhere" | "denied" | "throttled-once">;
  deniedRoles?: string[];
  /** SECURITY contacts by account: the configured one unless said otherwise. */
  contacts?: Record<string, "missing" | "other" | "denied">;
  /** The stack without abuse-alerts:securityContact. */
  noContact?: boolean;
}

const serviceError = <T extends new (options: never) => Error>(type: T, name: string, message = name) =>
  new type({ name, message, $fault: "client", $metadata: {} } as never);

function audit(scenario: Scenario = {}) {
  const caller = scenario.caller ?? MANAGEMENT;
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: caller, Arn: `arn:aws:sts::${caller}:assumed-role/Admin/me` });
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(":")[4];
    if (scenario.deniedRoles?.includes(accountId))
      throw serviceError(STSServiceException, "AccessDenied", "not authorized");
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: "s",
        SessionToken: "t",
        Expiration: new Date(),
      },
    };
  });

  const cloudformation = new CloudFormationClient({ region: "us-east-1" });
  const cfnMock = mockClient(cloudformation);
  const summaries: StackInstanceSummary[] = STACKSET_ACCOUNTS.flatMap((account) =>
    REGIONS.flatMap((region): StackInstanceSummary[] => {
      const override = scenario.instances?.[`${account} ${region}`];
      if (override === "absent") return [];
      return [
        {
          Account: account,
          Region: region,
          Status: "CURRENT",
          StackInstanceStatus: { DetailedStatus: "SUCCEEDED" },
          ...override,
        },
      ];
    }),
  );
  cfnMock
    .on(ListStackInstancesCommand)
    .callsFake((input: { NextToken?: string; MaxResults?: number; CallAs?: string }) => {
      if (scenario.stackSetMissing)
        throw serviceError(CloudFormationServiceException, "StackSetNotFoundException");
      const start = Number(input.NextToken ?? 0);
      const end = start + (input.MaxResults ?? 100) / 20; // five per page: every list spans pages
      return {
        Summaries: summaries.slice(start, end),
        NextToken: end < summaries.length ? String(end) : undefined,
      };
    });

  // Both lists a page of two at a time: every list spans pages.
  const paged = <T>(items: T[], token?: string) => {
    const start = Number(token ?? 0);
    return {
      Summaries: items.slice(start, start + 2),
      NextToken: start + 2 < items.length ? String(start + 2) : undefined,
    };
  };
  cfnMock.on(ListStackSetOperationsCommand).callsFake((input: { NextToken?: string }) => {
    if (scenario.stackSetMissing)
      throw serviceError(CloudFormationServiceException, "StackSetNotFoundException");
    return paged(
      (scenario.operations ?? []).map((operation) => operation.summary),
      input.NextToken,
    );
  });
  cfnMock
    .on(ListStackSetOperationResultsCommand)
    .callsFake((input: { OperationId: string; NextToken?: string }) =>
      paged(
        scenario.operations?.find((operation) => operation.summary.OperationId === input.OperationId)
          ?.results ?? [],
        input.NextToken,
      ),
    );

  const stats = { inFlight: 0, maxInFlight: 0, describeCalls: 0 };
  const eventBridge = (region: string, credentials?: AwsCredentialIdentity) => {
    const accountId = credentials ? credentials.accessKeyId.replace("ASIA", "") : caller;
    const client = new EventBridgeClient({ region });
    const mock = mockClient(client);
    const kind = scenario.rules?.[`${accountId} ${region}`];
    let throttled = false;
    mock.on(DescribeRuleCommand).callsFake(async () => {
      stats.describeCalls += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      stats.inFlight -= 1;
      if (kind === "absent") throw serviceError(EventBridgeServiceException, "ResourceNotFoundException");
      if (kind === "denied")
        throw serviceError(
          EventBridgeServiceException,
          "AccessDeniedException",
          "not authorized to perform: events:DescribeRule",
        );
      if (kind === "throttled-once" && !throttled) {
        throttled = true;
        throw serviceError(EventBridgeServiceException, "ThrottlingException", "Rate exceeded");
      }
      const pattern = kind === "old" ? { source: ["aws.health"] } : forwarderPattern(["abuse", "risk"]);
      return {
        Name: "abuse-alerts-forward",
        State: kind === "disabled" ? "DISABLED" : "ENABLED",
        EventPattern: JSON.stringify(pattern),
      };
    });
    mock.on(ListTargetsByRuleCommand).callsFake((input: { NextToken?: string }) =>
      input.NextToken
        ? {
            Targets: [
              {
                Id: "central-bus",
                Arn:
                  kind === "elsewhere"
                    ? `arn:aws:events:${region}:999999999999:event-bus/x`
                    : `arn:aws:events:${region}:${CENTRAL}:event-bus/abuse-alerts`,
              },
            ],
          }
        : { Targets: [], NextToken: "page-2" },
    );
    return withRetries(client, {
      backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined },
    });
  };

  const contactReads: { client: string; accountId?: string }[] = [];
  const account = (credentials?: AwsCredentialIdentity) => {
    const client = new AccountClient({ region: "us-east-1" });
    const self = credentials ? credentials.accessKeyId.replace("ASIA", "") : caller;
    mockClient(client)
      .on(GetAlternateContactCommand)
      .callsFake((input: { AccountId?: string }) => {
        contactReads.push({ client: self, accountId: input.AccountId });
        if (input.AccountId === self && self === MANAGEMENT) {
          throw serviceError(
            AccountServiceException,
            "ValidationException",
            "the management account can't name itself",
          );
        }
        const kind = scenario.contacts?.[input.AccountId ?? self];
        if (kind === "missing") throw serviceError(AccountServiceException, "ResourceNotFoundException");
        if (kind === "denied") {
          throw serviceError(
            AccountServiceException,
            "AccessDeniedException",
            "trusted access is not enabled for account.amazonaws.com",
          );
        }
        return {
          AlternateContact: {
            Name: SECURITY_CONTACT.name,
            Title: SECURITY_CONTACT.title,
            // AWS may keep another case and spacing than the config: the same contact.
            EmailAddress:
              kind === "other" ? "root@old.example.com" : SECURITY_CONTACT.emailAddress.toUpperCase(),
            PhoneNumber: "+1 206 555 0100",
            AlternateContactType: "SECURITY",
          },
        };
      });
    return client;
  };

  const organization = {
    ...exampleOrg(),
    caller: { accountId: caller, arn: `arn:aws:sts::${caller}:assumed-role/Admin/me` },
  };
  const config = configFromPulumi(
    prodConfigWith({
      deployment: scenario.deployment ?? "stackset",
      ...(scenario.noContact ? { securityContact: undefined } : {}),
    }),
  );
  const run = (concurrency?: number) =>
    runCoverage(
      { sts, organizations: mockOrganizations(organization).client, cloudformation, eventBridge, account },
      config,
      { concurrency },
    );
  return { run, cfnMock, stats, contactReads };
}

const gaps = (rows: CoverageRow[]) =>
  rows
    .filter((row) => row.status !== "ok")
    .map((row) => `${row.accountId} ${row.region} ${row.item}: ${row.status}`);
const forwarders = (rows: CoverageRow[]) => rows.filter((row) => row.item !== "security contact");

describe("npm run coverage", () => {
  it("stackset mode: every instance CURRENT and SUCCEEDED, the management account's rule in place: no gap", async () => {
    const { run, cfnMock } = audit();
    const report = await run();
    assert.equal(forwarders(report.rows).length, PROD_COVERED.length * 2);
    assert.equal(report.rows.length, PROD_COVERED.length * 3, "and a security contact per account");
    assert.deepEqual(gaps(report.rows), []);
    assert.equal(hasGaps(report), false);
    assert.ok(cfnMock.commandCalls(ListStackInstancesCommand).length > 2, "every page is read");
    for (const call of cfnMock.commandCalls(ListStackInstancesCommand)) {
      assert.equal(call.args[0].input.CallAs, "SELF");
      assert.equal(call.args[0].input.StackSetName, "abuse-alerts-forwarder");
    }
    assert.match(renderCoverage(report), /Every account in scope is covered in every region/);
  });

  it("names each missing, outdated and failed instance with AWS's reason and the fix", async () => {
    const { run } = audit({
      instances: {
        "222222222222 us-west-2": {
          OrganizationalUnitId: "ou-ex12-prod0001",
          Status: "OUTDATED",
          StatusReason: "Account 222222222222 failed: explicit deny in a service control policy",
          StackInstanceStatus: { DetailedStatus: "FAILED" },
        },
        "222222222223 us-east-1": { Status: "OUTDATED", StackInstanceStatus: { DetailedStatus: "RUNNING" } },
        "333333333333 us-east-1": "absent",
      },
    });
    const report = await run();
    assert.deepEqual(gaps(report.rows), [
      "222222222222 us-west-2 forwarder (StackSet): failed",
      "222222222223 us-east-1 forwarder (StackSet): outdated",
      "333333333333 us-east-1 forwarder (StackSet): missing",
    ]);
    const failed = report.rows.find((row) => row.status === "failed");
    assert.match(failed?.detail ?? "", /OUTDATED \/ FAILED: Account 222222222222 failed: explicit deny/);
    assert.match(failed?.fix ?? "", /exempt arn:aws:iam::\*:role\/stacksets-exec-\*/);
    // pulumi up would not retry it: the StackSetInstance it declares has not changed.
    assert.match(
      failed?.fix ?? "",
      / then retry: aws cloudformation update-stack-instances --stack-set-name abuse-alerts-forwarder --region us-east-1 --regions us-west-2 --deployment-targets OrganizationalUnitIds=ou-ex12-prod0001,Accounts=222222222222,AccountFilterType=INTERSECTION$/,
    );
    const missing = report.rows.find((row) => row.status === "missing");
    assert.match(
      missing?.fix ?? "",
      /create it: aws cloudformation create-stack-instances .* --regions us-east-1 --deployment-targets OrganizationalUnitIds=<the account's OU ID>,Accounts=333333333333,AccountFilterType=INTERSECTION$/,
    );
    const text = renderCoverage(report);
    assert.match(text, /│ forwarder \(StackSet\) +│ 9 +│ 1 +│ 1 +│ 1 +│ 0 +│/);
    assert.match(text, /3 gap\(s\)/);
    assert.equal(hasGaps(report), true);
  });

  it("shows the running and last operations with their results, failures by reason, and the suspended accounts", async () => {
    const minutes = (n: number) => new Date(Date.parse("2026-11-19T09:00:00Z") + n * 60_000);
    const operation = (id: string, status: string, start: number, end?: number, action = "UPDATE") =>
      ({
        OperationId: id,
        Action: action,
        Status: status,
        CreationTimestamp: minutes(start),
        ...(end === undefined ? {} : { EndTimestamp: minutes(end) }),
      }) as StackSetOperationSummary;
    const result = (account: string, status: string, reason?: string) =>
      ({
        Account: account,
        Region: "us-east-1",
        Status: status,
        StatusReason: reason,
      }) as StackSetOperationResultSummary;
    const scp = (account: string) =>
      `User: arn:aws:sts::${account}:assumed-role/x is not authorized: explicit deny in a service control policy`;
    const { run, cfnMock } = audit({
      instances: {
        "333333333333 us-east-1": {
          Status: "OUTDATED",
          StackInstanceStatus: { DetailedStatus: "SKIPPED_SUSPENDED_ACCOUNT" },
        },
      },
      operations: [
        { summary: operation("op-oldest", "SUCCEEDED", 0, 30, "CREATE"), results: [] },
        {
          summary: operation("op-old", "SUCCEEDED", 100, 130),
          results: [result("222222222221", "SUCCEEDED")],
        },
        { summary: operation("op-older", "SUCCEEDED", 50, 60), results: [] },
        {
          summary: operation("op-failed", "FAILED", 200, 240),
          results: [
            result("222222222221", "FAILED", scp("222222222221")),
            result("222222222222", "FAILED", scp("222222222222")),
            result("222222222223", "FAILED", "abuse-alerts-stackset-dlq already exists"),
            result("333333333331", "CANCELLED", "Cancelled since failure tolerance has exceeded"),
            result("333333333333", "SUCCEEDED"),
          ],
        },
        {
          summary: operation("op-running", "RUNNING", 300),
          results: [result("222222222221", "RUNNING"), result("222222222222", "PENDING")],
        },
      ],
    });
    const report = await run();
    assert.deepEqual(
      report.operations?.map((found) => `${found.id} ${found.status}`),
      ["op-running RUNNING", "op-failed FAILED", "op-old SUCCEEDED", "op-older SUCCEEDED"],
    );
    const failed = report.operations?.[1];
    assert.deepEqual(failed?.results, { FAILED: 3, CANCELLED: 1, SUCCEEDED: 1 });
    assert.deepEqual(failed?.failures, [
      {
        reason: "A service control policy denies the StackSet",
        accounts: ["222222222221 us-east-1", "222222222222 us-east-1"],
      },
      { reason: "A resource of the same name already exists", accounts: ["222222222223 us-east-1"] },
    ]);
    assert.deepEqual(report.suspended, ["333333333333 us-east-1"]);
    // Every page of the operations (five, two a page) and of each shown operation's results.
    assert.equal(cfnMock.commandCalls(ListStackSetOperationsCommand).length, 3);
    assert.equal(
      cfnMock
        .commandCalls(ListStackSetOperationResultsCommand)
        .filter((call) => call.args[0].input.OperationId === "op-failed").length,
      3,
    );
    const text = renderCoverage(report);
    assert.match(text, /StackSet operations \(running, then the last ones\)/);
    assert.match(text, /op-failed/);
    assert.match(text.replace(/[│\s]+/g, " "), /FAILED 2026-11-19 .*3 failed, 1 .*cancelled, 1 .*succeeded/);
    assert.match(
      text,
      /Suspended, skipped by the StackSet until reinstated \(not posted in the channel\): 333333333333 us-east-1/,
    );
  });

  it("says the StackSet does not exist, for every account it should reach", async () => {
    const report = await audit({ stackSetMissing: true }).run();
    const missing = report.rows.filter((row) => row.status === "missing");
    assert.equal(missing.length, STACKSET_ACCOUNTS.length * 2);
    assert.match(missing[0].detail, /StackSet abuse-alerts-forwarder does not exist/);
  });

  it("asks as the delegated administrator when run from one, and its fixes say so", async () => {
    const { run, cfnMock } = audit({
      caller: "111111111112",
      instances: {
        "222222222222 us-west-2": {
          Status: "OUTDATED",
          StatusReason:
            "ResourceLogicalId:ForwarderRule, ResourceStatusReason:abuse-alerts-forward already exists.",
          StackInstanceStatus: { DetailedStatus: "FAILED" },
        },
      },
    });
    const report = await run();
    assert.match(
      report.rows.find((row) => row.status === "failed")?.fix ?? "",
      /^read the reason; .* then retry: aws cloudformation update-stack-instances .* --call-as DELEGATED_ADMIN$/,
    );
    assert.ok(
      cfnMock
        .commandCalls(ListStackInstancesCommand)
        .every((call) => call.args[0].input.CallAs === "DELEGATED_ADMIN"),
    );
  });

  it("direct mode: reads every account's rule through its role, retries throttling, and reports each gap", async () => {
    const { run, stats } = audit({
      deployment: "direct",
      rules: {
        "222222222221 us-east-1": "absent",
        "222222222222 us-west-2": "disabled",
        "222222222223 us-east-1": "old",
        "333333333333 us-west-2": "elsewhere",
        "111111111112 us-east-1": "throttled-once",
        "111111111111 us-west-2": "denied",
      },
      deniedRoles: ["111111111112"],
    });
    const report = await run(3);
    assert.deepEqual(gaps(report.rows), [
      "111111111111 us-west-2 forwarder (direct): unknown",
      "111111111112 us-east-1 forwarder (direct): unknown",
      "111111111112 us-west-2 forwarder (direct): unknown",
      "222222222221 us-east-1 forwarder (direct): missing",
      "222222222222 us-west-2 forwarder (direct): failed",
      "222222222223 us-east-1 forwarder (direct): outdated",
      "333333333333 us-west-2 forwarder (direct): failed",
    ]);
    const byKey = (account: string, region: string) =>
      report.rows.find((row) => row.accountId === account && row.region === region);
    assert.match(
      byKey("111111111112", "us-east-1")?.fix ?? "",
      /create role OrganizationAccountAccessRole in 111111111112/,
    );
    assert.match(
      byKey("333333333333", "us-west-2")?.detail ?? "",
      /does not target arn:aws:events:us-west-2:111111111111:event-bus\/abuse-alerts/,
    );
    assert.match(byKey("222222222223", "us-east-1")?.fix ?? "", /run pulumi up/);
    assert.ok(stats.maxInFlight <= 3 * 2, `at most 3 accounts at once, ${stats.maxInFlight} calls in flight`);
  });

  it("retries a throttled rule read instead of reporting it", async () => {
    const { run, stats } = audit({
      deployment: "direct",
      rules: { "222222222221 us-east-1": "throttled-once" },
    });
    const report = await run();
    assert.deepEqual(gaps(report.rows), []);
    assert.equal(stats.describeCalls, PROD_COVERED.length * 2 + 1);
  });

  it("reads every covered account's SECURITY contact, and names those missing, different or unreadable", async () => {
    const { run, contactReads } = audit({
      contacts: { "222222222221": "missing", "222222222222": "other", "333333333333": "denied" },
    });
    const contacts = (await run()).rows.filter((row) => row.item === "security contact");
    assert.deepEqual(
      contacts.map((row) => row.accountId),
      PROD_COVERED,
    );
    assert.deepEqual(gaps(contacts), [
      "222222222221 global security contact: missing",
      "222222222222 global security contact: outdated",
      "333333333333 global security contact: unknown",
    ]);
    const [missing, other, denied] = contacts.filter((row) => row.status !== "ok");
    assert.match(missing.detail, /no SECURITY contact: AWS writes abuse reports to the root address/);
    assert.match(
      other.detail,
      /differs from abuse-alerts:securityContact in emailAddress \(set to root@old.example.com\)/,
    );
    assert.match(
      denied.fix ?? "",
      /aws organizations enable-aws-service-access --service-principal account.amazonaws.com/,
    );
    assert.deepEqual(
      contactReads.filter((read) => read.accountId === undefined),
      [{ client: MANAGEMENT, accountId: undefined }],
      "the management account reads its own without naming itself, every other account by its ID",
    );
  });

  it("from a delegated administrator, reads the management account's contact through its member role", async () => {
    const delegated = "111111111112";
    const { run, contactReads } = audit({ caller: delegated });
    const report = await run();
    assert.deepEqual(gaps(report.rows.filter((row) => row.item === "security contact")), []);
    assert.ok(contactReads.some((read) => read.client === MANAGEMENT && read.accountId === undefined));
    assert.ok(contactReads.some((read) => read.client === delegated && read.accountId === undefined));
    assert.ok(contactReads.some((read) => read.client === delegated && read.accountId === "222222222221"));
  });

  it("checks no contact when the stack sets none", async () => {
    const report = await audit({ noContact: true }).run();
    assert.deepEqual(
      report.rows.filter((row) => row.item === "security contact"),
      [],
    );
  });
});

import { strict as assert } from "node:assert";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { validateConfig } from "../../config/schema";
import { describeSent, sendTestEvent, TestEventError, unreachableTarget } from "../../tools/test-event";
import { minimalConfig } from "../helpers/example-org";

const CALLER = "arn:aws:sts::100000000001:assumed-role/Admin/me";
const options = {
  accountId: "222222222221",
  region: "us-west-2",
  category: "abuse" as const,
  roleName: "OrganizationAccountAccessRole",
};

function setup() {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock.on(GetCallerIdentityCommand).resolves({ Account: "100000000001", Arn: CALLER });
  stsMock.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: "ASIAMEMBER",
      SecretAccessKey: "secret",
      SessionToken: "token",
      Expiration: new Date(),
    },
  });
  const eventBridge = new EventBridgeClient({ region: "us-west-2" });
  const eventsMock = mockClient(eventBridge);
  const factoryCalls: { region: string; credentials?: AwsCredentialIdentity }[] = [];
  const clients = {
    sts,
    eventBridge: (region: string, credentials?: AwsCredentialIdentity) => {
      factoryCalls.push({ region, credentials });
      return eventBridge;
    },
    now: () => new Date("2026-11-21T10:00:00Z"),
  };
  return { clients, stsMock, eventsMock, factoryCalls };
}

describe("npm run send-test-event", () => {
  it("assumes the member role and puts a Health-shaped test event on the account's default bus", async () => {
    const { clients, stsMock, eventsMock, factoryCalls } = setup();
    eventsMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: "11111111-2222-3333-4444-555555555555" }] });
    const sent = await sendTestEvent(clients, options);

    assert.equal(sent.eventId, "11111111-2222-3333-4444-555555555555");
    assert.deepEqual(
      stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn),
      ["arn:aws:iam::222222222221:role/OrganizationAccountAccessRole"],
    );
    assert.equal(factoryCalls.length, 1);
    assert.equal(factoryCalls[0].region, "us-west-2");
    assert.equal(
      factoryCalls[0].credentials?.accessKeyId,
      "ASIAMEMBER",
      "PutEvents runs as the member account",
    );

    const [entry] = eventsMock.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    assert.equal(entry.Source, "abuse-alerts.test");
    assert.equal(entry.DetailType, "AWS Health Abuse Event");
    assert.equal(entry.EventBusName, "default");
    const detail = JSON.parse(entry.Detail ?? "{}") as Record<string, unknown>;
    assert.equal(detail.service, "ABUSE");
    assert.equal(detail.affectedAccount, "222222222221");
    assert.match(
      String(detail.eventArn),
      /^arn:aws:health:global::event\/ABUSE\/AWS_ABUSE_DOS_REPORT\/abuse-alerts-test-/,
    );

    const text = await describeSent(sent, {
      ...options,
      centralAccountId: "111111111111",
      channelId: "C0123456789",
    });
    assert.match(
      text,
      /Sent test abuse event 11111111-2222-3333-4444-555555555555 to the default bus of account 222222222221 in us-west-2, as arn:aws:sts::100000000001/,
    );
    assert.match(
      text,
      /Slack channel C0123456789 should show this, with the account's name, OU path, owner tags and security contact where the preview says context is missing:/,
    );
    assert.match(text, /TEST 🧪 🚨 AWS abuse report AWS_ABUSE_DOS_REPORT in 222222222221\*/);
    assert.match(text, /If it does not arrive/);
    assert.match(
      text,
      /Account 222222222221, us-west-2: rule abuse-alerts-forward .* dead-letter queue abuse-alerts-forwarder-dlq/,
    );
    assert.match(
      text,
      /Account 111111111111, us-west-2: bus abuse-alerts, rule abuse-alerts-abuse-test, its dead-letter queue abuse-alerts-abuse-test-dlq and its alarms on the topic abuse-alerts-ops/,
    );
    assert.doesNotMatch(text, /Routed to/, "no word of routes without routes");
    const routed = await describeSent(sent, { ...options, routeCount: 3 });
    assert.match(
      routed.replace(/\n/g, " "),
      /The channel of each of the stack's 3 routes that matches account 222222222221 gets it too, opening with "Routed to <route>"; .*npm run preview-message -- --account 222222222221 <event> shows which/,
    );
    const stackSetText = await describeSent(sent, { ...options, deployment: "stackset" });
    assert.match(
      stackSetText,
      /rule abuse-alerts-stackset-forward on the default bus and its dead-letter queue abuse-alerts-stackset-dlq, deployed by the StackSet/,
    );
  });

  it("uses the ambient credentials in the account it runs in", async () => {
    const { clients, stsMock, eventsMock, factoryCalls } = setup();
    eventsMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    await sendTestEvent(clients, { ...options, accountId: "100000000001", category: "risk" });
    assert.equal(stsMock.commandCalls(AssumeRoleCommand).length, 0);
    assert.equal(factoryCalls[0].credentials, undefined);
    const [entry] = eventsMock.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    assert.equal(entry.DetailType, "AWS Health Event");
  });

  it("explains an assume-role denial and sends nothing", async () => {
    const { clients, stsMock, eventsMock } = setup();
    stsMock.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: "AccessDenied",
        message: "not authorized to perform: sts:AssumeRole",
        $fault: "client",
        $metadata: {},
      }),
    );
    await assert.rejects(sendTestEvent(clients, options), (error: Error) => {
      assert.ok(error instanceof TestEventError);
      assert.match(
        error.message,
        /cannot assume arn:aws:iam::222222222221:role\/OrganizationAccountAccessRole as arn:aws:sts::100000000001/,
      );
      assert.match(error.message, /AccessDenied: not authorized/);
      assert.match(error.message, /pass --role/);
      return true;
    });
    assert.equal(eventsMock.commandCalls(PutEventsCommand).length, 0);
  });

  it("reports a PutEvents partial failure as a failure", async () => {
    const { clients, eventsMock } = setup();
    eventsMock.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "Service encountered an internal error" }],
    });
    await assert.rejects(
      sendTestEvent(clients, options),
      /events:PutEvents rejected the test event on the default bus of 222222222221 in us-west-2: InternalFailure: Service encountered an internal error/,
    );
  });

  it("reports a PutEvents error", async () => {
    const { clients, eventsMock } = setup();
    eventsMock.on(PutEventsCommand).rejects(
      Object.assign(new Error("User is not authorized to perform: events:PutEvents"), {
        name: "AccessDeniedException",
      }),
    );
    await assert.rejects(
      sendTestEvent(clients, options),
      /events:PutEvents on the default bus of 222222222221 in us-west-2 failed: AccessDeniedException/,
    );
  });

  it("refuses a target the stack does not cover, before sending anything", () => {
    const config = validateConfig({
      ...minimalConfig,
      regions: ["us-east-1"],
      accounts: { exclude: ["333333333331"] },
    });
    assert.deepEqual(unreachableTarget(config, "222222222221", "us-east-1"), []);
    assert.deepEqual(unreachableTarget(config, "333333333331", "us-west-2"), [
      "the stack forwards only in us-east-1 (abuse-alerts:regions), not in us-west-2",
      "account 333333333331 is excluded (abuse-alerts:accounts.exclude)",
    ]);
    const explicit = validateConfig({
      ...minimalConfig,
      organizationId: "o-exampleorg1",
      accounts: { explicit: [{ id: "111111111111", name: "security" }] },
    });
    assert.deepEqual(unreachableTarget(explicit, "222222222221", "us-east-1"), [
      "account 222222222221 is not in abuse-alerts:accounts.explicit",
    ]);
  });
});

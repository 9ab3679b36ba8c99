import { strict as assert } from "node:assert";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { validateConfig } from "../../config/schema";
import { sendTestEventAndDescribe, TestEventError } from "../../tools/test-event";
import { renderTrace, traceProbe, TraceClients } from "../../tools/trace-probe";
import { minimalConfig } from "../helpers/example-org";

const SENT_AT = new Date("2026-11-21T10:00:00Z");
const EVENT_ID = "11111111-2222-3333-4444-555555555555";
const MACHINE = "arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-notify";
const EXECUTION = "arn:aws:states:us-east-1:111111111111:execution:abuse-alerts-notify:a1";
const sent = { eventId: EVENT_ID, sentBy: "me", event: {}, at: SENT_AT };
const options = {
  centralAccountId: "111111111111",
  region: "us-east-1",
  roleName: "OrganizationAccountAccessRole",
};
const later = (seconds: number) => new Date(SENT_AT.getTime() + seconds * 1000);

/** Mocked STS and Step Functions, on a clock that moves only when the trace sleeps. */
function setup(callerAccount = "111111111111") {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: callerAccount, Arn: `arn:aws:sts::${callerAccount}:assumed-role/Admin/me` });
  const sfn = new SFNClient({ region: "us-east-1" });
  const sfnMock = mockClient(sfn);
  let now = SENT_AT.getTime();
  const slept: number[] = [];
  const clients: TraceClients = {
    sts,
    sfn: () => sfn,
    now: () => new Date(now),
    sleep: (seconds) => {
      slept.push(seconds);
      now += seconds * 1000;
      return Promise.resolve();
    },
  };
  return { clients, stsMock, sfnMock, slept };
}

/** The notify execution of the event, found on the second page of ListExecutions, published once. */
function arrived(
  sfnMock: ReturnType<typeof setup>["sfnMock"],
  status: "SUCCEEDED" | "FAILED" | "RUNNING" = "SUCCEEDED",
) {
  sfnMock
    .on(ListExecutionsCommand, { stateMachineArn: MACHINE, nextToken: undefined })
    .resolves({
      executions: [
        {
          executionArn: `${EXECUTION}-other`,
          stateMachineArn: MACHINE,
          name: "other",
          status: "SUCCEEDED",
          startDate: later(3),
        },
      ],
      nextToken: "page-2",
    })
    .on(ListExecutionsCommand, { stateMachineArn: MACHINE, nextToken: "page-2" })
    .resolves({
      executions: [
        { executionArn: EXECUTION, stateMachineArn: MACHINE, name: "a1", status, startDate: later(2) },
      ],
    });
  sfnMock
    .on(DescribeExecutionCommand, { executionArn: `${EXECUTION}-other` })
    .resolves({
      executionArn: `${EXECUTION}-other`,
      input: '{"id":"another"}',
      status: "SUCCEEDED",
      startDate: later(3),
      stateMachineArn: MACHINE,
    })
    .on(DescribeExecutionCommand, { executionArn: EXECUTION })
    .resolves({
      executionArn: EXECUTION,
      input: `{"id":"${EVENT_ID}"}`,
      status,
      startDate: later(2),
      stopDate: later(4),
      stateMachineArn: MACHINE,
      ...(status === "FAILED" ? { error: "States.Runtime", cause: "bad message" } : {}),
    });
  sfnMock.on(GetExecutionHistoryCommand).resolves({
    events: [
      {
        id: 1,
        type: "TaskSucceeded",
        timestamp: later(4),
        taskSucceededEventDetails: {
          resourceType: "sns",
          resource: "publish",
          output: '{"MessageId":"5f1c0000-sns"}',
        },
      },
    ],
  });
}

describe("npm run send-test-event -- --wait: the probe followed hop by hop", () => {
  it("each hop with its time and the latency from the put, the SNS message ID, the last hop's metric named", async () => {
    const { clients, sfnMock } = setup();
    arrived(sfnMock);
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped, undefined);
    assert.deepEqual(
      trace.hops.map((hop) => hop.name),
      ["put on the member bus", "arrival on the central bus", "message published", "delivered to Chatbot"],
    );
    const text = renderTrace(trace);
    assert.match(text, /2\. arrival on the central bus +2026-11-21T10:00:02\.000Z {2}\+2\.0 s/);
    assert.match(text, /SNS message 5f1c0000-sns/);
    assert.match(text, /NumberOfNotificationsDelivered/);
    assert.match(text, /End to end \(put to message published\): 4\.0 s/);
  });

  it("stops at the central bus when no execution takes the event, after its limit on the trace's clock", async () => {
    const { clients, sfnMock, slept } = setup();
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped?.hop, "arrival on the central bus");
    assert.match(trace.stopped?.check ?? "", /FailedInvocations and its dead-letter queue/);
    assert.equal(
      slept.reduce((sum, seconds) => sum + seconds, 0),
      120,
    );
    assert.match(renderTrace(trace), /Stopped at: arrival on the central bus/);
  });

  it("stops at the central bus when Step Functions cannot be read, or the central account not reached", async () => {
    const denied = setup();
    denied.sfnMock
      .on(ListExecutionsCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    const trace = await traceProbe(denied.clients, sent, options);
    assert.match(trace.stopped?.check ?? "", /states:ListExecutions .* failed \(AccessDeniedException/);

    const elsewhere = setup("100000000001");
    elsewhere.stsMock.on(AssumeRoleCommand).rejects(Object.assign(new Error("no"), { name: "AccessDenied" }));
    const unreachable = await traceProbe(elsewhere.clients, sent, options);
    assert.match(
      unreachable.stopped?.check ?? "",
      /cannot read the central account 111111111111 \(AccessDenied/,
    );
  });

  it("stops at publishing when the execution failed, naming its error", async () => {
    const { clients, sfnMock } = setup();
    arrived(sfnMock, "FAILED");
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped?.hop, "message published");
    assert.match(trace.stopped?.check ?? "", /FAILED: States\.Runtime: bad message/);
  });

  it("stops at publishing when the execution still runs past its limit", async () => {
    const { clients, sfnMock } = setup();
    arrived(sfnMock, "RUNNING");
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped?.hop, "message published");
    assert.match(trace.stopped?.check ?? "", /still runs after 300 s/);
  });

  it("a new user's mistakes: --wait without the stack's config, a bad account ID", async () => {
    const eventBridge = new EventBridgeClient({ region: "us-east-1" });
    mockClient(eventBridge)
      .on(PutEventsCommand)
      .resolves({ Entries: [{ EventId: EVENT_ID }] });
    const { clients } = setup();
    const send = { sts: clients.sts, eventBridge: () => eventBridge, trace: clients };
    await assert.rejects(
      sendTestEventAndDescribe(
        { account: "222222222221", region: "us-east-1", category: "abuse", wait: true },
        undefined,
        send,
      ),
      (error: Error) =>
        error instanceof TestEventError && /--wait .* pass --stack <name>/.test(error.message),
    );
    await assert.rejects(
      sendTestEventAndDescribe(
        { account: "2222", region: "us-east-1", category: "abuse", wait: true },
        validateConfig(minimalConfig),
        send,
      ),
      /--account 2222: Expected a 12-digit AWS account ID such as 222222222221 \(this one has 4 digits\)/,
    );
  });
});

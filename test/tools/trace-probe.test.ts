import { strict as assert } from "node:assert";
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataInput } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { withRetries } from "../../accounts/retry";
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

/** Mocked STS, Step Functions and CloudWatch (retried, instantly), on a clock that moves only when the trace sleeps. */
function setup(callerAccount = "111111111111") {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: callerAccount, Arn: `arn:aws:sts::${callerAccount}:assumed-role/Admin/me` });
  const sfn = new SFNClient({ region: "us-east-1" });
  const sfnMock = mockClient(sfn);
  const cloudWatch = new CloudWatchClient({ region: "us-east-1" });
  const cloudWatchMock = mockClient(cloudWatch);
  const retried = withRetries(cloudWatch, {
    backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined },
  });
  const cloudWatchReads: { region: string; accessKeyId?: string }[] = [];
  const progress: string[] = [];
  let now = SENT_AT.getTime();
  const slept: number[] = [];
  const clients: TraceClients = {
    sts,
    sfn: () => sfn,
    cloudWatch: (region, credentials) => {
      cloudWatchReads.push({ region, accessKeyId: credentials?.accessKeyId });
      return retried;
    },
    progress: (label, total) => {
      progress.push(`${label} 0/${total}`);
      return {
        tick: () => progress.push("tick"),
        update: (done) => progress.push(`update ${done}`),
        stop: () => progress.push("stop"),
      };
    },
    now: () => new Date(now),
    sleep: (seconds) => {
      slept.push(seconds);
      now += seconds * 1000;
      return Promise.resolve();
    },
  };
  return { clients, stsMock, sfnMock, cloudWatchMock, cloudWatchReads, progress, slept, now: () => now };
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

const PUBLISH_MINUTE = new Date("2026-11-21T10:00:00Z");

/**
 * The alert topic's metrics: nothing until `from` seconds after the put, then a minute of deliveries
 * (the topic's: Chatbot's and an email's) over two pages, Delivered on the first and Failed on the second;
 * the first call fails with `firstCallFails` when given.
 */
function metrics(
  mock: ReturnType<typeof setup>["cloudWatchMock"],
  clock: () => number,
  counts: { delivered: number; failed: number; from: number },
  firstCallFails?: Error,
) {
  const inputs: GetMetricDataInput[] = [];
  const calls = mock.on(GetMetricDataCommand);
  (firstCallFails ? calls.rejectsOnce(firstCallFails) : calls).callsFake((input: GetMetricDataInput) => {
    inputs.push(input);
    const ready = clock() >= SENT_AT.getTime() + counts.from * 1000;
    const result = (id: string, value: number) => ({
      Id: id,
      Timestamps: ready ? [PUBLISH_MINUTE] : [],
      Values: ready ? [value] : [],
      StatusCode: "Complete" as const,
    });
    return input.NextToken === undefined
      ? { MetricDataResults: [result("delivered", counts.delivered)], NextToken: "page-2" }
      : { MetricDataResults: [result("failed", counts.failed)] };
  });
  return inputs;
}

describe("npm run send-test-event -- --wait: the probe followed hop by hop", () => {
  it("each hop with its time and the latency from the put, the SNS message ID, the topic's deliveries by the minute", async () => {
    const { clients, sfnMock, cloudWatchMock, cloudWatchReads, progress, slept, now } = setup();
    arrived(sfnMock);
    const inputs = metrics(cloudWatchMock, now, { delivered: 2, failed: 0, from: 60 });
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped, undefined);
    assert.deepEqual(
      trace.hops.map((hop) => hop.name),
      ["put on the member bus", "arrival on the central bus", "message published", "delivered to Chatbot"],
    );
    const text = renderTrace(trace);
    assert.match(text, /2\. arrival on the central bus +2026-11-21T10:00:02\.000Z {2}\+2\.0 s/);
    assert.match(
      text,
      /3\. message published +2026-11-21T10:00:04\.000Z {2}\+4\.0 s {2}SNS message 5f1c0000-sns/,
    );
    assert.match(text, /4\. delivered to Chatbot +by 2026-11-21T10:01:00\.000Z {2}by \+60\.0 s/);
    assert.match(text, /2 delivered, 0 failed in the minute from 2026-11-21T10:00:00\.000Z/);
    assert.match(text, /all its subscribers in that minute, not this message alone/);
    assert.match(text, /End to end \(put to delivered to Chatbot\): at most 60\.0 s/);
    // read in the event's region, from the publish's minute, each minute until a datapoint came
    assert.deepEqual(
      cloudWatchReads,
      [{ region: "us-east-1", accessKeyId: undefined }],
      "the caller is central",
    );
    assert.deepEqual(slept, [60]);
    assert.deepEqual(progress, [
      "waiting for the arrival on the central bus, seconds 0/120",
      "stop",
      "waiting for the notify workflow to publish, seconds 0/300",
      "stop",
      "waiting for the delivery metrics of abuse-alerts, seconds 0/600",
      "update 60",
      "stop",
    ]);
    assert.equal(inputs.length, 4, "two reads of two pages each");
    assert.deepEqual(inputs[0].StartTime, PUBLISH_MINUTE);
    assert.deepEqual(inputs[0].EndTime, new Date("2026-11-21T10:01:00Z"));
    assert.deepEqual(inputs[2].EndTime, new Date("2026-11-21T10:02:00Z"));
    assert.deepEqual(
      inputs[0].MetricDataQueries?.map((query) => [
        query.MetricStat?.Metric?.Namespace,
        query.MetricStat?.Metric?.MetricName,
        query.MetricStat?.Metric?.Dimensions,
        query.MetricStat?.Period,
        query.MetricStat?.Stat,
      ]),
      ["NumberOfNotificationsDelivered", "NumberOfNotificationsFailed"].map((name) => [
        "AWS/SNS",
        name,
        [{ Name: "TopicName", Value: "abuse-alerts" }],
        60,
        "Sum",
      ]),
    );
  });

  it("stops at Chatbot when the topic's minute counts a failed delivery, naming what to check", async () => {
    const { clients, sfnMock, cloudWatchMock, now } = setup();
    arrived(sfnMock);
    metrics(cloudWatchMock, now, { delivered: 1, failed: 1, from: 0 });
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped?.hop, "delivered to Chatbot");
    const check = trace.stopped?.check ?? "";
    assert.match(
      check,
      /^delivery to Chatbot failed \(NumberOfNotificationsFailed 1, the topic's deliveries/,
    );
    assert.match(check, /subscription to topic abuse-alerts in us-east-1/);
    assert.match(check, /alert key's policy/);
    assert.match(check, /\/aws\/chatbot\/abuse-alerts in us-east-1 of account 111111111111/);
    const text = renderTrace(trace);
    assert.match(text, /1 delivered, 1 failed/);
    assert.match(text, /Stopped at: delivered to Chatbot/);
    assert.doesNotMatch(text, /End to end/);
  });

  it("says the message was published but its delivery not confirmed when no datapoint comes in ten minutes", async () => {
    const { clients, sfnMock, cloudWatchMock, progress, slept, now } = setup();
    arrived(sfnMock);
    const inputs = metrics(cloudWatchMock, now, { delivered: 1, failed: 0, from: 3600 });
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped?.hop, "delivered to Chatbot");
    assert.match(
      trace.stopped?.check ?? "",
      /^message 5f1c0000-sns was published, but its delivery was not confirmed within 10 minutes: no AWS\/SNS NumberOfNotificationsDelivered or NumberOfNotificationsFailed datapoint for topic abuse-alerts in us-east-1 since 2026-11-21T10:00:00\.000Z/,
    );
    assert.match(trace.stopped?.check ?? "", /Chatbot's log group/);
    assert.deepEqual(
      slept,
      Array<number>(10).fill(60),
      "read each minute for ten minutes, on the trace's clock",
    );
    assert.equal(inputs.length, 22, "eleven reads of two pages");
    assert.deepEqual(
      progress.slice(-12),
      [
        "waiting for the delivery metrics of abuse-alerts, seconds 0/600",
        ...Array.from({ length: 10 }, (_, minute) => `update ${(minute + 1) * 60}`),
        "stop",
      ],
      "the bar moves a minute per read, to the ten minutes",
    );
  });

  it("names cloudwatch:GetMetricData when it is denied, and retries throttling before reading", async () => {
    const denied = setup();
    arrived(denied.sfnMock);
    denied.cloudWatchMock
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDenied" }));
    const trace = await traceProbe(denied.clients, sent, options);
    assert.equal(trace.stopped?.hop, "delivered to Chatbot");
    assert.match(
      trace.stopped?.check ?? "",
      /^cloudwatch:GetMetricData was denied in account 111111111111 \(AccessDenied: User is not authorized\): allow it/,
    );
    assert.equal(
      denied.cloudWatchMock.commandCalls(GetMetricDataCommand).length,
      1,
      "a denial is not retried",
    );

    const throttled = setup();
    arrived(throttled.sfnMock);
    const throttling = Object.assign(new Error("Rate exceeded"), {
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });
    const inputs = metrics(
      throttled.cloudWatchMock,
      throttled.now,
      { delivered: 1, failed: 0, from: 0 },
      throttling,
    );
    const delivered = await traceProbe(throttled.clients, sent, options);
    assert.equal(delivered.stopped, undefined);
    assert.match(renderTrace(delivered), /1 delivered, 0 failed/);
    assert.equal(
      throttled.cloudWatchMock.commandCalls(GetMetricDataCommand).length,
      3,
      "throttled, then two pages",
    );
    assert.equal(inputs.length, 2);
    assert.deepEqual(throttled.slept, [], "retried by the client's backoff, not the trace's minute");
  });

  it("reads the metrics in the central account with the role it assumed there, in the event's region", async () => {
    const { clients, stsMock, sfnMock, cloudWatchMock, cloudWatchReads, now } = setup("100000000001");
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIACENTRAL",
        SecretAccessKey: "secret",
        SessionToken: "token",
        Expiration: later(3600),
      },
    });
    arrived(sfnMock);
    metrics(cloudWatchMock, now, { delivered: 1, failed: 0, from: 0 });
    const trace = await traceProbe(clients, sent, options);
    assert.equal(trace.stopped, undefined);
    assert.equal(
      stsMock.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn,
      "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
    );
    assert.deepEqual(cloudWatchReads, [{ region: "us-east-1", accessKeyId: "ASIACENTRAL" }]);
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

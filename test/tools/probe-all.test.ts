import { strict as assert } from "node:assert";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { mockClient } from "aws-sdk-client-mock";
import { configOfStackFile, readStackConfig } from "../../config/stack-file";
import { mockOrganizations } from "../../sim/fake-organizations";
import { probeAllAndDescribe, ProbeAllClients } from "../../tools/probe-all";
import { TestEventError } from "../../tools/test-event";
import { exampleOrg, MANAGEMENT, PROD_COVERED } from "../helpers/example-org";
import { PROD_STACK } from "../helpers/offline";

const START = new Date("2026-11-21T10:00:00Z");
const config = () => configOfStackFile(PROD_STACK, readStackConfig(PROD_STACK));

/** Every covered account reachable; account 222222222222's forwarder drops its probes; puts at most `inFlight` at once. */
function world() {
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: MANAGEMENT, Arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/Admin/me` });
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => ({
    Credentials: {
      AccessKeyId: `ASIA${input.RoleArn.split(":")[4]}`,
      SecretAccessKey: "s",
      SessionToken: "t",
      Expiration: new Date(),
    },
  }));
  let now = START.getTime();
  const arrived: { id: string; region: string; at: number }[] = [];
  const stats = { puts: 0, inFlight: 0, maxInFlight: 0 };
  const eventBridge = (region: string, credentials?: AwsCredentialIdentity) => {
    const client = new EventBridgeClient({ region });
    const account = credentials?.accessKeyId.replace("ASIA", "") ?? MANAGEMENT;
    mockClient(client)
      .on(PutEventsCommand)
      .callsFake(async () => {
        stats.inFlight += 1;
        stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        stats.inFlight -= 1;
        const id = `ev-${account}-${region}-${++stats.puts}`;
        if (account !== "222222222222") arrived.push({ id, region, at: now });
        return { Entries: [{ EventId: id }] };
      });
    return client;
  };
  const sfn = (region: string) => {
    const client = new SFNClient({ region });
    const mock = mockClient(client);
    const arn = (id: string) => `arn:aws:states:${region}:111111111111:execution:abuse-alerts-notify:${id}`;
    mock.on(ListExecutionsCommand).callsFake(() => ({
      // Newest first, as Step Functions lists them.
      executions: [...arrived]
        .reverse()
        .filter((event) => event.region === region)
        .map((event) => ({
          executionArn: arn(event.id),
          stateMachineArn: "m",
          name: event.id,
          status: "SUCCEEDED",
          startDate: new Date(event.at + 2000),
        })),
    }));
    mock.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
      const id = input.executionArn.split(":").pop() ?? "";
      const at = arrived.find((event) => event.id === id)?.at ?? 0;
      return {
        executionArn: input.executionArn,
        stateMachineArn: "m",
        input: `{"id":"${id}"}`,
        status: "SUCCEEDED",
        startDate: new Date(at + 2000),
        stopDate: new Date(at + 3000),
      };
    });
    return client;
  };
  const clients: ProbeAllClients = {
    sts,
    eventBridge,
    organizations: mockOrganizations(exampleOrg()).client,
    now: () => new Date(now),
    trace: {
      sts,
      sfn,
      // probes stop at the central record: no delivery metrics are read
      cloudWatch: () => assert.fail("a probe reads no delivery metrics"),
      now: () => new Date(now),
      sleep: (seconds) => Promise.resolve(void (now += seconds * 1000)),
    },
  };
  return { clients, stats };
}

describe("npm run send-test-event -- --all: a live coverage audit", () => {
  it("probes every covered account in every region, a bounded number at once, and tables what arrived", async () => {
    const { clients, stats } = world();
    const ticks: number[] = [];
    const progress = (_label: string, total: number) => ({
      tick: () => void ticks.push(total),
      update: () => undefined,
      stop: () => undefined,
    });
    const text = await probeAllAndDescribe(
      { regionGiven: false, concurrency: 3 },
      config(),
      clients,
      progress,
    );
    assert.equal(stats.puts, PROD_COVERED.length * 2);
    assert.ok(stats.maxInFlight <= 3, `${stats.maxInFlight} at once`);
    assert.equal(ticks.length, PROD_COVERED.length * 2);
    assert.match(text, /│ 222222222221 │ shop-prod +│ us-east-1 │ 3\.0 s +│ recorded centrally/);
    assert.match(
      text,
      /│ 222222222222 │ payments-prod +│ us-west-2 │ no +│ stopped at arrival on the central bus/,
    );
    assert.match(
      text,
      new RegExp(`${(PROD_COVERED.length - 1) * 2} of ${PROD_COVERED.length * 2} probes arrived`),
    );
  });

  it("a new user's mistakes: --all with --account, with --region, without the stack's config", async () => {
    const { clients } = world();
    await assert.rejects(
      probeAllAndDescribe({ account: "222222222221", regionGiven: false, concurrency: 8 }, config(), clients),
      (error: Error) =>
        error instanceof TestEventError &&
        /--all probes every covered account: leave out --account 222222222221/.test(error.message),
    );
    await assert.rejects(
      probeAllAndDescribe({ regionGiven: true, concurrency: 8 }, config(), clients),
      /leave out --region/,
    );
    await assert.rejects(
      probeAllAndDescribe({ regionGiven: false, concurrency: 8 }, undefined, clients),
      /pass --stack <name>/,
    );
  });
});

import { strict as assert } from "node:assert";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { VirtualClock } from "../../sim/clock";
import { GlobalTableSim } from "../../sim/dynamodb";
import { TaskCall, TaskFailure } from "../../sim/step-functions";

const START = new Date("2026-11-21T10:00:00Z");
const execution = (region: string) => `arn:aws:states:${region}:111111111111:execution:abuse-alerts-notify:x`;

/** A claim, as a workflow makes it: put the item unless it is there. */
const claim = (region: string, by: string, time: Date): TaskCall => ({
  state: "Claim",
  resource: "arn:aws:states:::dynamodb:putItem",
  arguments: {
    Item: { pk: { S: "case#1" }, sk: { S: "update#1" }, by: { S: by } },
    ConditionExpression: "attribute_not_exists(pk)",
  },
  time,
  executionArn: execution(region),
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "won",
    (error: unknown) => (error instanceof TaskFailure ? error.error : String(error)),
  );

describe("a DynamoDB global table offline (dynalite per region, replication on the virtual clock)", () => {
  let clock: VirtualClock;
  let table: GlobalTableSim;
  beforeEach(async () => {
    clock = new VirtualClock(START);
    table = await GlobalTableSim.start({ clock, regions: ["us-east-1", "us-west-2"] });
  });
  afterEach(() => table.stop());

  it("lets two regions win the same conditional claim at the same moment, then converges on the last writer", async () => {
    const east = outcome(table.answer(claim("us-east-1", "east", clock.now())));
    const west = outcome(table.answer(claim("us-west-2", "west", clock.now())));
    assert.deepEqual(await Promise.all([east, west]), ["won", "won"]);
    await clock.run();
    const byOf = async (region: string) => (await table.items(region)).map((item) => item.by.S);
    assert.deepEqual(await byOf("us-east-1"), await byOf("us-west-2"));
    assert.equal((await byOf("us-east-1")).length, 1);
  });

  it("refuses the second claim once the first has replicated, with the optimized integration's error name", async () => {
    assert.equal(await outcome(table.answer(claim("us-east-1", "east", clock.now()))), "won");
    const later = new Date(START.getTime() + 20_000);
    let west: string | undefined;
    clock.at(later, async () => void (west = await outcome(table.answer(claim("us-west-2", "west", later)))));
    await clock.run();
    assert.equal(west, "DynamoDB.ConditionalCheckFailedException");
  });

  it("names errors DynamoDb.* for the AWS SDK integration, and fails every call during an outage", async () => {
    await table.answer(claim("us-east-1", "east", clock.now()));
    const sdk = {
      ...claim("us-east-1", "again", clock.now()),
      resource: "arn:aws:states:::aws-sdk:dynamodb:putItem",
    };
    assert.equal(await outcome(table.answer(sdk)), "DynamoDb.ConditionalCheckFailedException");
    table.outage("us-east-1");
    const read = {
      ...claim("us-east-1", "x", clock.now()),
      resource: "arn:aws:states:::dynamodb:getItem",
      arguments: { Key: { pk: { S: "case#1" }, sk: { S: "update#1" } } },
    };
    assert.equal(await outcome(table.answer(read)), "DynamoDB.InternalServerError");
    table.restore("us-east-1");
    assert.deepEqual(((await table.answer(read)) as { Item: { by: { S: string } } }).Item.by, { S: "east" });
  });

  it("replicates deletions too", async () => {
    await table.answer(claim("us-east-1", "east", clock.now()));
    await clock.run();
    assert.equal((await table.items("us-west-2")).length, 1);
    await clock.spawn(() =>
      table.answer({
        ...claim("us-east-1", "x", clock.now()),
        resource: "arn:aws:states:::dynamodb:deleteItem",
        arguments: { Key: { pk: { S: "case#1" }, sk: { S: "update#1" } } },
      }),
    );
    await clock.run();
    assert.equal((await table.items("us-west-2")).length, 0);
  });

  it("replicates what a command writes through client(region), as the workflows' writes", async () => {
    await table
      .client("us-east-1")
      .send(
        new PutItemCommand({ TableName: table.tableName, Item: { pk: { S: "case#1" }, sk: { S: "ack" } } }),
      );
    assert.equal((await table.items("us-west-2")).length, 0, "not yet: replication takes a second");
    await clock.run();
    assert.deepEqual(
      (await table.items("us-west-2")).map((item) => item.sk.S),
      ["ack"],
    );
  });
});

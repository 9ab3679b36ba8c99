import { strict as assert } from "node:assert";
import {
  applyTransformer,
  evaluatePath,
  InvalidTransformerError,
  validateTransformer,
} from "../eventbridge/transformer";

// The worked example of the EventBridge user guide ("Amazon EventBridge input transformation").
const event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING" },
};
const inputPaths = {
  timestamp: "$.time",
  instance: "$.detail.instance-id",
  state: "$.detail.state",
  resource: "$.resources[0]",
};
const context = {
  ruleArn: "arn:aws:events:us-east-2:123456789012:rule/example",
  ruleName: "example",
  ingestionTime: "2015-11-11T21:29:55Z",
};
const transform = (
  inputTemplate: string,
  paths: Record<string, string> = inputPaths,
  input: object = event,
) => applyTransformer({ inputPaths: paths, inputTemplate }, input as never, context);

describe("EventBridge input transformer", () => {
  it("reproduces the documented template → output table", () => {
    assert.equal(transform('"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
    assert.equal(
      transform('"instance \\"<instance>\\" is in <state>"'),
      '"instance \\"i-0123456789\\" is in RUNNING"',
    );
    assert.equal(
      transform('{"instance" : <instance>, "state": <state>}'),
      '{"instance" : "i-0123456789", "state": "RUNNING"}',
    );
    assert.equal(
      transform(
        '{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}',
      ),
      '{"instance" : "i-0123456789", "state": "RUNNING", "instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"}',
    );
    assert.equal(
      transform('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}'),
      '{"instance" : "i-0123456789", "state": [ 9, "RUNNING", true ], "Transformed" : "Yes"}',
    );
    assert.equal(transform('"<aws.events.rule-name> triggered"'), '"example triggered"');
  });

  it("fills the reserved variables", () => {
    const output = JSON.parse(
      transform(
        '{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "originalEvent" : <aws.events.event>, "json": <aws.events.event.json>}',
      ),
    ) as Record<string, Record<string, unknown>>;
    assert.equal(output.ruleArn, context.ruleArn);
    assert.equal(output.ruleName, "example");
    assert.equal(output.originalEvent.detailType, "EC2 Instance State-change Notification");
    assert.equal("detail" in output.originalEvent, false, "aws.events.event has no detail");
    assert.deepEqual(output.json, event);
  });

  it("inserts arrays as JSON outside quotes and without their quotes inside", () => {
    assert.equal(
      transform('{"ids": <all>}', { all: "$.resources" }),
      '{"ids": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}',
    );
    assert.equal(
      transform('{"text": "ids <all>"}', { all: "$.resources" }),
      '{"text": "ids [arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111]"}',
    );
  });

  it("gives an empty string for a path that matches nothing", () => {
    assert.equal(
      transform('{"c": <missing>, "t": "x<missing>y"}', { missing: "$.detail.nothing" }),
      '{"c": "", "t": "xy"}',
    );
  });

  it("escapes a string that stands alone, but not one inside quotes: that is how a free-text field breaks the JSON", () => {
    const input = { detail: { text: 'He said "stop"\nthen left' } };
    const standalone = transform('{"d": <text>}', { text: "$.detail.text" }, input);
    assert.deepEqual(JSON.parse(standalone), { d: 'He said "stop"\nthen left' });
    const quoted = transform('{"d": "<text>"}', { text: "$.detail.text" }, input);
    assert.throws(() => JSON.parse(quoted) as unknown, SyntaxError);
  });

  it("evaluates the JSONPath subset: names with dashes, indices, wildcards", () => {
    const data = { a: { "b-c": [{ d: 1 }, { d: 2 }] } };
    assert.equal(evaluatePath("$.a.b-c[1].d", data), 2);
    assert.deepEqual(evaluatePath("$.a.b-c[*].d", data), [1, 2]);
    assert.equal(evaluatePath("$.a.x", data), undefined);
    assert.throws(() => evaluatePath("a.b", data), InvalidTransformerError);
  });

  it("refuses what PutTargets refuses", () => {
    assert.throws(
      () => validateTransformer({ inputPaths: {}, inputTemplate: '{"a": <undefinedKey>}' }),
      /invalid placeholder undefinedKey/,
    );
    assert.throws(
      () => validateTransformer({ inputPaths: { AWSthing: "$.id" }, inputTemplate: "{}" }),
      /may not start with AWS/,
    );
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`v${index}`, "$.id"]));
    assert.throws(() => validateTransformer({ inputPaths: many, inputTemplate: "{}" }), /at most 100/);
    assert.throws(
      () => validateTransformer({ inputPaths: {}, inputTemplate: `"${"x".repeat(8200)}"` }),
      /at most 8192/,
    );
  });
});

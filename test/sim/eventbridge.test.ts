import { strict as assert } from "node:assert";
import { InvalidEventPatternError, matchesPattern } from "../../sim/eventbridge";

// Examples from the EventBridge user guide ("Event patterns", "Content filtering", "Comparison
// operators", "Arrays", "Null values") and the aws/event-ruler README.
const ec2Event = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-abcd1111", state: "pending" },
};

const rulerEvent = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    state: "running",
  },
};

function check(pattern: Record<string, unknown>, event: object, expected: boolean) {
  assert.equal(
    matchesPattern(pattern, event as never),
    expected,
    `${JSON.stringify(pattern)} should ${expected ? "" : "not "}match`,
  );
}

describe("EventBridge pattern matcher", () => {
  it("matches exact values, AND across fields, OR within a list", () => {
    check({ source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] }, ec2Event, true);
    check({ source: ["aws.ec2"], detail: { state: ["running", "pending"] } }, ec2Event, true);
    check({ source: ["aws.ec2"], detail: { state: ["running"] } }, ec2Event, false);
    check({ source: ["aws.s3"], detail: { state: ["pending"] } }, ec2Event, false);
  });

  it("is case-sensitive and never equates a string with a number", () => {
    check({ source: ["AWS.EC2"] }, ec2Event, false);
    check({ detail: { "c-count": ["5"] } }, rulerEvent, false);
    check({ detail: { "c-count": [5] } }, rulerEvent, true);
  });

  it("matches an event array when any element matches", () => {
    const event = {
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      ],
    };
    check(
      {
        resources: [
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
          "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
          "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
        ],
      },
      event,
      true,
    );
    check({ resources: ["arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f"] }, event, false);
    check({ resources: [null] }, { resources: [] }, false);
  });

  it("matches nested patterns against arrays of objects", () => {
    const event = {
      employees: [
        { firstName: "John", lastName: "Doe" },
        { firstName: "Anna", lastName: "Smith" },
      ],
    };
    check({ employees: { firstName: ["Anna"] } }, event, true);
    check({ employees: { firstName: ["Peter"] } }, event, false);
  });

  it("tells null from the empty string", () => {
    const event = { detail: { eventVersion: "", responseElements: null } };
    check({ detail: { eventVersion: [""] } }, event, true);
    check({ detail: { responseElements: [null] } }, event, true);
    check({ detail: { eventVersion: [null] } }, event, false);
    check({ detail: { responseElements: [""] } }, event, false);
  });

  it("prefix, suffix and their ignore-case forms", () => {
    check({ time: [{ prefix: "2017-10-02" }] }, rulerEvent, true);
    check({ time: [{ prefix: "2017-10-03" }] }, rulerEvent, false);
    check({ detail: { "instance-id": [{ suffix: "00000" }] } }, rulerEvent, true);
    check({ source: [{ prefix: { "equals-ignore-case": "AWS.E" } }] }, rulerEvent, true);
    check({ source: [{ suffix: { "equals-ignore-case": "EC2" } }] }, rulerEvent, true);
    check({ detail: { "c-count": [{ prefix: "5" }] } }, rulerEvent, false);
  });

  it("equals-ignore-case and wildcard", () => {
    check(
      { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] },
      rulerEvent,
      true,
    );
    check({ source: [{ wildcard: "aws.*" }] }, rulerEvent, true);
    check({ source: [{ wildcard: "Simple*Service" }] }, { source: "SimpleQueueService" }, true);
    check({ source: [{ wildcard: "Simple*Service" }] }, { source: "SimpleQueue" }, false);
    check({ path: [{ wildcard: "a\\*b" }] }, { path: "a*b" }, true);
    check({ path: [{ wildcard: "a\\*b" }] }, { path: "axb" }, false);
  });

  it("anything-but: values, lists, prefix; needs the field present, passes null", () => {
    check({ detail: { state: [{ "anything-but": "initializing" }] } }, rulerEvent, true);
    check({ detail: { state: [{ "anything-but": ["stopped", "running"] }] } }, rulerEvent, false);
    check({ detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } }, rulerEvent, true);
    check({ detail: { "x-limit": [{ "anything-but": 301.8 }] } }, rulerEvent, false);
    check({ detail: { state: [{ "anything-but": { prefix: "run" } }] } }, rulerEvent, false);
    check({ detail: { state: [{ "anything-but": { prefix: "init" } }] } }, rulerEvent, true);
    check({ detail: { state: [{ "anything-but": "initializing" }] } }, { detail: { state: null } }, true);
    check({ detail: { state: [{ "anything-but": "initializing" }] } }, { detail: {} }, false);
  });

  it("numeric comparisons and ranges, on numbers only", () => {
    check(
      {
        detail: {
          "c-count": [{ numeric: [">", 0, "<=", 5] }],
          "d-count": [{ numeric: ["<", 10] }],
          "x-limit": [{ numeric: ["=", 3.018e2] }],
        },
      },
      rulerEvent,
      true,
    );
    check({ detail: { "c-count": [{ numeric: [">", 5] }] } }, rulerEvent, false);
    check({ page: [{ numeric: ["=", 1] }] }, { page: "1" }, false);
  });

  it("the documented complex example", () => {
    check(
      {
        time: [{ prefix: "2017-10-02" }],
        detail: {
          state: [{ "anything-but": "initializing" }],
          "c-count": [{ numeric: [">", 0, "<=", 5] }],
          "d-count": [{ numeric: ["<", 10] }],
          "x-limit": [{ "anything-but": [100, 200, 300] }],
        },
      },
      rulerEvent,
      true,
    );
  });

  it("exists on leaves; exists:false also when the parent is missing", () => {
    check({ detail: { state: [{ exists: true }] } }, ec2Event, true);
    check({ detail: { state: [{ exists: true }] } }, { detail: { "c-count": { c1: 100 } } }, false);
    check({ detail: { state: [{ exists: false }] } }, { detail: { "c-count": { c1: 100 } } }, true);
    check({ detail: { "c-count": [{ exists: false }] } }, { detail: { "c-count": { c1: 100 } } }, true);
    check({ detail: { level1: { level2: [{ exists: false }] } } }, { detail: {} }, true);
    check(
      { detail: { level1: { level2: [{ exists: false }] } } },
      { detail: { level1: { level2: "x" } } },
      false,
    );
  });

  it("$or: any of two or more sub-patterns", () => {
    const pattern = {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    };
    check(pattern, { source: "aws.cloudwatch", metricName: "ReadLatency" }, true);
    check(pattern, { source: "aws.cloudwatch", namespace: "AWS/ES" }, true);
    check(pattern, { source: "aws.cloudwatch", namespace: "AWS/RDS" }, false);
    check(pattern, { source: "aws.ec2", metricName: "ReadLatency" }, false);
  });

  it("rejects malformed patterns instead of answering", () => {
    assert.throws(() => matchesPattern({ source: [] }, ec2Event), InvalidEventPatternError);
    assert.throws(() => matchesPattern({ source: "aws.ec2" }, ec2Event), InvalidEventPatternError);
    assert.throws(
      () => matchesPattern({ ip: [{ cidr: "10.0.0.0/24" }] }, { ip: "10.0.0.1" }),
      InvalidEventPatternError,
    );
    assert.throws(
      () => matchesPattern({ x: [{ "anything-but": ["a", 1] }] }, { x: "b" }),
      InvalidEventPatternError,
    );
  });
});

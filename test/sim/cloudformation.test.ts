import { strict as assert } from "node:assert";
import { resolveTemplate, TemplateError } from "../../sim/cloudformation";
import { specProblems } from "../helpers/cfnspec";

const stack = { accountId: "222222222221", region: "eu-west-1", stackName: "StackSet-x-1234" };

describe("offline CloudFormation: a template resolved for one stack", () => {
  it("resolves parameters, conditions, pseudo parameters and the intrinsic functions", () => {
    const resources = resolveTemplate(
      {
        Parameters: { Env: { Type: "String", Default: "prod" }, Team: { Type: "String" } },
        Conditions: {
          IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
          NotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
          Both: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Or": [{ Condition: "NotProd" }, true] }] },
        },
        Resources: {
          Queue: {
            Type: "AWS::SQS::Queue",
            Properties: {
              QueueName: { "Fn::Sub": "${Team}-${AWS::Region}" },
              DelaySeconds: { "Fn::If": ["IsProd", 0, 5] },
              Tags: [
                { Key: "joined", Value: { "Fn::Join": ["/", ["a", { Ref: "AWS::AccountId" }]] } },
                { "Fn::If": ["NotProd", { Key: "dev", Value: "yes" }, { Ref: "AWS::NoValue" }] },
              ],
            },
          },
          DevOnly: { Type: "AWS::SQS::Queue", Condition: "NotProd", Properties: {} },
          Role: {
            Type: "AWS::IAM::Role",
            Condition: "Both",
            Properties: {
              RoleName: { "Fn::Select": [1, { "Fn::Split": [":", { "Fn::GetAtt": ["Queue", "Arn"] }] }] },
              Description: { "Fn::Sub": ["queue ${Url}", { Url: { Ref: "Queue" } }] },
            },
          },
        },
      },
      { ...stack, parameters: { Team: "secops" } },
    );
    assert.deepEqual(Object.keys(resources).sort(), ["Queue", "Role"], "DevOnly's condition is false");
    assert.equal(resources.Queue.ref, "https://sqs.eu-west-1.amazonaws.com/222222222221/secops-eu-west-1");
    assert.equal(resources.Queue.attributes.Arn, "arn:aws:sqs:eu-west-1:222222222221:secops-eu-west-1");
    assert.deepEqual(resources.Queue.properties, {
      QueueName: "secops-eu-west-1",
      DelaySeconds: 0,
      Tags: [{ Key: "joined", Value: "a/222222222221" }],
    });
    assert.equal(resources.Role.ref, "aws");
    assert.equal(resources.Role.attributes.Arn, "arn:aws:iam::222222222221:role/aws");
    assert.equal(
      resources.Role.properties.Description,
      "queue https://sqs.eu-west-1.amazonaws.com/222222222221/secops-eu-west-1",
    );
  });

  it("names a rule on the default bus and on a custom bus as EventBridge does", () => {
    const resources = resolveTemplate(
      {
        Resources: {
          Default: { Type: "AWS::Events::Rule", Properties: { Name: "r1" } },
          Custom: { Type: "AWS::Events::Rule", Properties: { Name: "r2", EventBusName: "bus" } },
          Unnamed: { Type: "AWS::Events::Rule", Properties: {} },
        },
      },
      stack,
    );
    assert.equal(resources.Default.attributes.Arn, "arn:aws:events:eu-west-1:222222222221:rule/r1");
    assert.equal(resources.Custom.attributes.Arn, "arn:aws:events:eu-west-1:222222222221:rule/bus/r2");
    assert.match(resources.Unnamed.ref, /^StackSet-x-1234-Unnamed-/);
  });

  it("refuses what CloudFormation would refuse, and what it does not model", () => {
    const cases: [object, RegExp][] = [
      [{ Resources: { A: { Type: "AWS::SQS::Queue", Properties: { QueueName: { Ref: "Nope" } } } } }, /Nope/],
      [{ Parameters: { P: { Type: "String" } }, Resources: {} }, /parameter P has no value/],
      [{ Resources: { A: { Type: "AWS::Lambda::Function", Properties: {} } } }, /not modelled/],
      [
        { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::Base64": "x" } } } } },
        /Fn::Base64 is not modelled/,
      ],
      [
        {
          Resources: {
            A: { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::GetAtt": ["B", "QueueName"] } } },
            B: { Type: "AWS::SQS::Queue", Properties: { QueueName: { "Fn::GetAtt": ["A", "QueueName"] } } },
          },
        },
        /refer to each other or to nothing \(A: Fn::GetAtt B.QueueName: no such attribute; B: Fn::GetAtt A.QueueName: no such attribute\)/,
      ],
      [
        { Resources: { A: { Type: "AWS::SQS::Queue", Properties: { DelaySeconds: { Condition: "C" } } } } },
        /C/,
      ],
    ];
    for (const [template, message] of cases) {
      assert.throws(
        () => resolveTemplate(template as never, stack),
        (error: Error) => {
          assert.ok(error instanceof TemplateError, error.message);
          assert.match(error.message, message);
          return true;
        },
      );
    }
    assert.throws(
      () => resolveTemplate({ Resources: {} }, { ...stack, parameters: { Extra: "x" } }),
      /parameter Extra is not declared/,
    );
  });
});

describe("the CloudFormation resource specification check", () => {
  it("accepts a valid template and names every unknown type, unknown property, missing or mistyped one", () => {
    assert.deepEqual(
      specProblems({
        Resources: {
          Q: { Type: "AWS::SQS::Queue", Properties: { QueueName: "q", SqsManagedSseEnabled: true } },
          R: {
            Type: "AWS::Events::Rule",
            Properties: { Targets: [{ Id: "t", Arn: { "Fn::GetAtt": ["Q", "Arn"] } }], EventPattern: {} },
          },
        },
      }),
      [],
    );
    assert.deepEqual(
      specProblems({
        Resources: {
          A: { Type: "AWS::SQS::Queueue", Properties: {} },
          B: { Type: "AWS::SQS::Queue", Properties: { QueueNmae: "q", DelaySeconds: "5" } },
          C: { Type: "AWS::SQS::QueuePolicy", Properties: { Queues: ["u"] } },
          D: {
            Type: "AWS::Events::Rule",
            Properties: { Targets: [{ Id: "t", Arn: "a", RetryPolicyy: {} }] },
          },
        },
      }).sort(),
      [
        "A: resource type AWS::SQS::Queueue is not in the specification",
        'B.DelaySeconds: expected Integer, got "5"',
        "B: unknown property QueueNmae",
        "C: missing required PolicyDocument",
        "D.Targets[0]: unknown property RetryPolicyy",
      ],
    );
  });
});

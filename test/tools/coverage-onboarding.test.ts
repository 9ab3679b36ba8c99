import { strict as assert } from "node:assert";
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { lastOnboardings, renderOnboardings } from "../../tools/coverage/onboarding";

const MACHINE = "arn:aws:states:us-east-1:100000000001:stateMachine:abuse-alerts-onboarding";
const arn = (name: string) =>
  `arn:aws:states:us-east-1:100000000001:execution:abuse-alerts-onboarding:${name}`;

describe("npm run coverage: each account's last onboarding", () => {
  it("the newest execution per account, across pages; ignored and failed executions left out", async () => {
    const sfn = new SFNClient({ region: "us-east-1" });
    const mock = mockClient(sfn);
    mock
      .on(ListExecutionsCommand, { stateMachineArn: MACHINE, nextToken: undefined })
      .resolves({
        executions: [
          {
            executionArn: arn("e4"),
            stateMachineArn: MACHINE,
            name: "e4",
            status: "SUCCEEDED",
            startDate: new Date("2026-11-22T09:00:00Z"),
          },
          {
            executionArn: arn("e3"),
            stateMachineArn: MACHINE,
            name: "e3",
            status: "FAILED",
            startDate: new Date("2026-11-21T09:00:00Z"),
          },
        ],
        nextToken: "2",
      })
      .on(ListExecutionsCommand, { stateMachineArn: MACHINE, nextToken: "2" })
      .resolves({
        executions: [
          {
            executionArn: arn("e2"),
            stateMachineArn: MACHINE,
            name: "e2",
            status: "SUCCEEDED",
            startDate: new Date("2026-11-20T09:00:00Z"),
          },
          {
            executionArn: arn("e1"),
            stateMachineArn: MACHINE,
            name: "e1",
            status: "SUCCEEDED",
            startDate: new Date("2026-11-19T09:00:00Z"),
          },
        ],
      });
    const output = (value: object) => JSON.stringify(value);
    mock
      .on(DescribeExecutionCommand, { executionArn: arn("e4") })
      .resolves({
        executionArn: arn("e4"),
        stateMachineArn: MACHINE,
        status: "SUCCEEDED",
        startDate: new Date("2026-11-22T09:00:00Z"),
        output: output({
          accountId: "222222222224",
          accountName: "payments-sandbox",
          outcome: "covered",
          reason: "",
          contactSet: true,
        }),
      })
      .on(DescribeExecutionCommand, { executionArn: arn("e3") })
      .resolves({
        executionArn: arn("e3"),
        stateMachineArn: MACHINE,
        status: "FAILED",
        startDate: new Date("2026-11-21T09:00:00Z"),
      })
      .on(DescribeExecutionCommand, { executionArn: arn("e2") })
      .resolves({
        executionArn: arn("e2"),
        stateMachineArn: MACHINE,
        status: "SUCCEEDED",
        startDate: new Date("2026-11-20T09:00:00Z"),
        output: output({
          accountId: "222222222224",
          accountName: "payments-sandbox",
          outcome: "stacks",
          reason: "us-west-2: FAILED",
          contactSet: false,
        }),
      })
      .on(DescribeExecutionCommand, { executionArn: arn("e1") })
      .resolves({
        executionArn: arn("e1"),
        stateMachineArn: MACHINE,
        status: "SUCCEEDED",
        startDate: new Date("2026-11-19T09:00:00Z"),
        output: output({ accountId: "333333333331", outcome: "ignored" }),
      });
    const result = await lastOnboardings(sfn, "100000000001", 2);
    assert.deepEqual(
      result.onboardings.map((onboarding) => [onboarding.accountId, onboarding.outcome]),
      [["222222222224", "covered"]],
    );
    assert.match(
      renderOnboardings(result),
      /222222222224 .* payments-sandbox .* 2026-11-22 09:00 .* covered/,
    );
  });

  it("says how to read them when the caller cannot", async () => {
    const sfn = new SFNClient({ region: "us-east-1" });
    mockClient(sfn)
      .on(ListExecutionsCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const text = renderOnboardings(await lastOnboardings(sfn, "111111111111"));
    assert.match(
      text,
      /cannot read the onboarding executions .* \(AccessDeniedException: denied\): run with the management account's credentials/,
    );
  });
});

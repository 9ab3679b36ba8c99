import { strict as assert } from "node:assert";
import { jsonata, StateMachineDefinition } from "../../notify/definition";
import { runStateMachine, TaskFailure } from "../../sim/step-functions";

const machine = (
  States: StateMachineDefinition["States"],
  StartAt = Object.keys(States)[0],
): StateMachineDefinition => ({
  Comment: "test",
  QueryLanguage: "JSONata",
  TimeoutSeconds: 60,
  StartAt,
  States,
});
const options = { now: new Date("2026-11-21T10:00:00Z"), handler: () => Promise.resolve({}) };

describe("the offline Step Functions interpreter (JSONata mode)", () => {
  it("evaluates Assign and Output together, from the variables as they were on entering the state", async () => {
    const result = await runStateMachine(
      machine({
        Start: { Type: "Pass", Assign: { x: 1, y: 2 }, Next: "Swap" },
        Swap: {
          Type: "Pass",
          Assign: { x: jsonata("$y"), y: jsonata("$x") },
          Output: jsonata(
            "{ 'x': $x, 'y': $y, 'at': $states.context.State.EnteredTime, 'in': $states.input }",
          ),
          Next: "End",
        },
        End: { Type: "Succeed", Output: jsonata("{ 'before': $states.input, 'x': $x, 'y': $y }") },
      }),
      "input",
      options,
    );
    assert.deepEqual(result.output, {
      before: { x: 1, y: 2, at: "2026-11-21T10:00:00.000Z", in: "input" },
      x: 2,
      y: 1,
    });
  });

  it("has Step Functions' own functions, and not $eval", async () => {
    const run = (expression: string) =>
      runStateMachine(
        machine({ Only: { Type: "Pass", Output: jsonata(expression), End: true } }),
        {},
        options,
      );
    assert.deepEqual((await run("$partition([1,2,3,4,5], 2)")).output, [[1, 2], [3, 4], [5]]);
    assert.deepEqual((await run("$range(0, 10, 5)")).output, [0, 5, 10]);
    assert.equal(
      (await run("$hash('abc', 'SHA-256')")).output,
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assert.deepEqual((await run("$parse('{\"a\": 1}')")).output, { a: 1 });
    assert.match(String((await run("$uuid()")).output), /^[0-9a-f-]{36}$/);
    const evaluated = await run("$eval('1 + 1')");
    assert.equal(evaluated.status, "FAILED");
    assert.equal(evaluated.error?.Error, "States.QueryEvaluationError");
  });

  it("fails with States.QueryEvaluationError when a field's expression returns nothing", async () => {
    const result = await runStateMachine(
      machine({ Only: { Type: "Pass", Output: jsonata("$nothing"), End: true } }),
      {},
      options,
    );
    assert.deepEqual(result.error?.Error, "States.QueryEvaluationError");
  });

  it("is as strict with an Assign value, or a field of an object, that returns nothing", async () => {
    for (const state of [
      { Type: "Pass", Assign: { found: jsonata("$nothing") }, End: true },
      { Type: "Pass", Output: { found: jsonata("$nothing"), kept: 1 }, End: true },
    ]) {
      const result = await runStateMachine(machine({ Only: state }), {}, options);
      assert.equal(result.status, "FAILED", JSON.stringify(state));
      assert.equal(result.error?.Error, "States.QueryEvaluationError");
    }
  });

  it("retries per the matching retrier, then catches into the catcher's Output", async () => {
    let attempts = 0;
    const result = await runStateMachine(
      machine({
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:organizations:describeAccount",
          Arguments: { AccountId: "1" },
          Retry: [{ ErrorEquals: ["Organizations.TooManyRequestsException"], MaxAttempts: 2 }],
          Catch: [
            { ErrorEquals: ["States.TaskFailed"], Output: jsonata("$states.errorOutput"), Next: "Caught" },
          ],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      }),
      {},
      {
        ...options,
        handler: () => {
          attempts += 1;
          return Promise.reject(new TaskFailure("Organizations.TooManyRequestsException", "Rate exceeded"));
        },
      },
    );
    assert.equal(attempts, 3, "one try and two retries");
    assert.deepEqual(result.output, {
      Error: "Organizations.TooManyRequestsException",
      Cause: "Rate exceeded",
    });
    assert.deepEqual(result.path, ["Call", "Caught"]);
  });

  it("gives Parallel branches their own variables: they read the outer ones and may not reassign them", async () => {
    const branch = (Assign: Record<string, unknown>) => ({
      StartAt: "Inner",
      States: { Inner: { Type: "Pass", Assign, Output: jsonata("$outer & '+' & $inner"), End: true } },
    });
    const parallel = (Assign: Record<string, unknown>) =>
      machine({
        Outer: { Type: "Pass", Assign: { outer: "o" }, Next: "Both" },
        Both: { Type: "Parallel", Branches: [branch(Assign)], Output: jsonata("$states.result"), End: true },
      });
    const ok = await runStateMachine(parallel({ inner: "i" }), {}, { ...options });
    // The branch reads the outer variable; its own is set only once the state is left.
    assert.deepEqual(ok.output, ["o+"]);
    const reassigned = await runStateMachine(parallel({ outer: "x" }), {}, options);
    assert.equal(reassigned.status, "FAILED");
    assert.match(reassigned.error?.Cause ?? "", /variable outer belongs to an outer scope/);
  });

  it("ends in a Fail state's error, and refuses a Choice that matches nothing without a Default", async () => {
    const failed = await runStateMachine(
      machine({ Stop: { Type: "Fail", Error: "Custom.Error", Cause: "because" } }),
      {},
      options,
    );
    assert.deepEqual(failed.error, { Error: "Custom.Error", Cause: "because" });
    const unmatched = await runStateMachine(
      machine({ Pick: { Type: "Choice", Choices: [{ Condition: jsonata("false"), Next: "Pick" }] } }),
      {},
      options,
    );
    assert.equal(unmatched.error?.Error, "States.NoChoiceMatched");
  });
});

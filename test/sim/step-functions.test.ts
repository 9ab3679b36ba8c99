import { strict as assert } from "node:assert";
import { jsonata, StateMachineDefinition } from "../../notify/asl";
import { VirtualClock } from "../../sim/clock";
import { runStateMachine, StepFunctionsSim, TaskFailure } from "../../sim/step-functions";

const machine = (
  States: StateMachineDefinition["States"],
  StartAt = Object.keys(States)[0],
): StateMachineDefinition => ({
  Comment: "test",
  QueryLanguage: "JSONata",
  TimeoutSeconds: 86400,
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

describe("the offline Step Functions interpreter, on a virtual clock", () => {
  const start = new Date("2026-11-21T10:00:00Z");

  it("waits for Seconds or until a Timestamp, both JSONata, and each state sees the time it was entered", async () => {
    const result = await runStateMachine(
      machine({
        Pause: { Type: "Wait", Seconds: jsonata("60 * 15"), Next: "Until" },
        Until: { Type: "Wait", Timestamp: jsonata("'2026-11-21T16:00:00Z'"), Next: "Done" },
        Done: { Type: "Pass", Output: jsonata("$states.context.State.EnteredTime"), End: true },
      }),
      {},
      { ...options, now: start },
    );
    assert.equal(result.output, "2026-11-21T16:00:00.000Z");
    assert.equal(result.stopDate.toISOString(), "2026-11-21T16:00:00.000Z");
  });

  it("times the execution out at its TimeoutSeconds, which no Catch takes", async () => {
    const result = await runStateMachine(
      {
        ...machine({ Long: { Type: "Wait", Seconds: 3600, End: true } }),
        TimeoutSeconds: 600,
      },
      {},
      { ...options, now: start },
    );
    assert.equal(result.status, "TIMED_OUT");
    assert.equal(result.stopDate.toISOString(), "2026-11-21T10:10:00.000Z");
  });

  it("waits between retries as the retrier says: interval, backoff, cap", async () => {
    const times: string[] = [];
    const result = await runStateMachine(
      machine({
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::sns:publish",
          Arguments: {},
          Retry: [
            {
              ErrorEquals: ["States.ALL"],
              IntervalSeconds: 10,
              BackoffRate: 3,
              MaxDelaySeconds: 60,
              MaxAttempts: 4,
            },
          ],
          End: true,
        },
      }),
      {},
      {
        now: start,
        handler: (call) => {
          times.push(call.time.toISOString().slice(11, 19));
          return times.length < 5
            ? Promise.reject(new TaskFailure("SNS.Throttled", "slow down"))
            : Promise.resolve({});
        },
      },
    );
    assert.equal(result.status, "SUCCEEDED");
    // 10 s, 30 s, then 90 s capped at 60 s, twice.
    assert.deepEqual(times, ["10:00:00", "10:00:10", "10:00:40", "10:01:40", "10:02:40"]);
  });

  it("maps items through the item processor, MaxConcurrency at a time, each iteration with its own variables", async () => {
    const entered: string[] = [];
    const result = await runStateMachine(
      machine({
        Setup: { Type: "Pass", Assign: { base: 100 }, Next: "Each" },
        Each: {
          Type: "Map",
          Items: jsonata("[1, 2, 3]"),
          ItemSelector: jsonata(
            "{ 'n': $states.context.Map.Item.Value, 'i': $states.context.Map.Item.Index }",
          ),
          MaxConcurrency: 2,
          ItemProcessor: {
            ProcessorConfig: { Mode: "INLINE" },
            StartAt: "Sleep",
            States: {
              Sleep: { Type: "Wait", Seconds: jsonata("$states.input.n * 60"), Next: "Add" },
              Add: {
                Type: "Task",
                Resource: "arn:aws:states:::aws-sdk:sts:getCallerIdentity",
                Arguments: {},
                Assign: { mine: jsonata("$states.input.n") },
                Output: jsonata("$base + $states.input.n * 10 + $states.input.i"),
                End: true,
              },
            },
          },
          Output: jsonata("$states.result"),
          End: true,
        },
      }),
      {},
      {
        now: start,
        handler: (call) => {
          entered.push(call.time.toISOString().slice(11, 16));
          return Promise.resolve({});
        },
      },
    );
    assert.deepEqual(result.output, [110, 121, 132]);
    // Two at a time: items 1 and 2 start at 10:00, item 3 when item 1 is done at 10:01.
    assert.deepEqual(entered, ["10:01", "10:02", "10:04"]);
  });

  it("refuses a Map whose items are not a list, and an iteration that reassigns an outer variable", async () => {
    const notList = await runStateMachine(
      machine({
        Each: {
          Type: "Map",
          Items: jsonata("'one'"),
          ItemProcessor: { StartAt: "X", States: { X: { Type: "Pass", End: true } } },
          End: true,
        },
      }),
      {},
      options,
    );
    assert.equal(notList.error?.Error, "States.QueryEvaluationError");
    const reassigned = await runStateMachine(
      machine({
        Setup: { Type: "Pass", Assign: { base: 1 }, Next: "Each" },
        Each: {
          Type: "Map",
          Items: [1],
          ItemProcessor: { StartAt: "X", States: { X: { Type: "Pass", Assign: { base: 2 }, End: true } } },
          End: true,
        },
      }),
      {},
      options,
    );
    assert.match(reassigned.error?.Cause ?? "", /variable base belongs to an outer scope/);
  });
});

describe("the offline Step Functions service: many executions, one clock", () => {
  const start = new Date("2026-11-21T10:00:00Z");
  const waiter = machine({
    Wait: { Type: "Wait", Seconds: jsonata("$states.input.seconds"), Next: "Say" },
    Say: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Arguments: { Message: jsonata("$states.input.text") },
      End: true,
    },
  });
  const arn = "arn:aws:states:us-east-1:111111111111:stateMachine:waiter";

  it("interleaves executions by virtual time, whenever each was started", async () => {
    const clock = new VirtualClock(start);
    const said: string[] = [];
    const service = new StepFunctionsSim(clock, (call) => {
      said.push(
        `${call.time.toISOString().slice(11, 19)} ${String((call.arguments as { Message: string }).Message)}`,
      );
      return Promise.resolve({ MessageId: "m" });
    });
    service.register(arn, waiter);
    service.startExecution(arn, { seconds: 3600, text: "first, an hour later" });
    clock.at(new Date("2026-11-21T10:20:00Z"), () => {
      service.startExecution(arn, { seconds: 60, text: "second, started at 10:20" });
    });
    await clock.run();
    assert.deepEqual(said, ["10:21:00 second, started at 10:20", "11:00:00 first, an hour later"]);
  });

  it("gives a running execution back for its name and input; any other reuse of a name is refused", async () => {
    const clock = new VirtualClock(start);
    const service = new StepFunctionsSim(clock, () => Promise.resolve({}));
    service.register(arn, waiter);
    const input = { seconds: 60, text: "x" };
    const first = service.startExecution(arn, input, "case-1");
    assert.equal(service.startExecution(arn, input, "case-1"), first);
    assert.throws(
      () => service.startExecution(arn, { ...input, text: "y" }, "case-1"),
      /ExecutionAlreadyExists/,
    );
    await clock.run();
    assert.throws(() => service.startExecution(arn, input, "case-1"), /ExecutionAlreadyExists/);
    assert.equal(service.all().length, 1);
  });

  it("answers the states:startExecution integration itself, so one workflow can start another", async () => {
    const clock = new VirtualClock(start);
    const said: string[] = [];
    const service = new StepFunctionsSim(clock, (call) => {
      said.push(String((call.arguments as { Message: string }).Message));
      return Promise.resolve({});
    });
    service.register(arn, waiter);
    const starter = "arn:aws:states:us-east-1:111111111111:stateMachine:starter";
    service.register(
      starter,
      machine({
        Start: {
          Type: "Task",
          Resource: "arn:aws:states:::states:startExecution",
          Arguments: { StateMachineArn: arn, Name: "child", Input: { seconds: 5, text: "from the child" } },
          Output: jsonata("$states.result.ExecutionArn"),
          End: true,
        },
      }),
    );
    const parent = service.startExecution(starter, {});
    await clock.run();
    assert.equal((await parent.done).output, "arn:aws:states:us-east-1:111111111111:execution:waiter:child");
    assert.deepEqual(said, ["from the child"]);
  });
});

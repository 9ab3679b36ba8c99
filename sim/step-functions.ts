import { createHash, randomUUID } from "node:crypto";
import jsonata from "jsonata";
import { executionArn } from "../model/arns";
import { Catcher, Retrier, State, StateGraph, StateMachineDefinition } from "../notify/asl";
import { VirtualClock } from "./clock";

/**
 * Step Functions run offline, as it runs a Standard state machine in JSONata mode: Pass, Task,
 * Choice, Wait, Parallel, Map (inline), Succeed and Fail states; Arguments, Output and Assign (all
 * of a state's expressions see the variables as they were when it was entered); Retry (its
 * backoff in virtual time) and Catch; variables scoped to Parallel branches and Map iterations,
 * which read the outer ones and may not reassign them; the execution's TimeoutSeconds. JSONata is
 * the `jsonata` library at Step Functions' version (2.0.6), with Step Functions' own functions.
 * Time is a VirtualClock. Tasks are answered by a handler: sample account context for previews,
 * DynamoDB (dynalite) and recorders in tests.
 */

/** A task's failure, named as Step Functions names it, e.g. "Organizations.AccessDeniedException". */
export class TaskFailure extends Error {
  constructor(
    readonly error: string,
    readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = "TaskFailure";
  }
}

export interface TaskCall {
  state: string;
  resource: string;
  arguments: unknown;
  credentials?: unknown;
  /** The virtual time of the attempt. */
  time: Date;
  /** The execution making it. */
  executionArn: string;
}

export type TaskHandler = (call: TaskCall) => Promise<unknown>;

export interface ExecutionResult {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  output?: unknown;
  error?: { Error: string; Cause: string };
  /** Every state entered, in order ("Branch/State" inside a Parallel, "Map[i]/State" in a Map). */
  path: string[];
  /** Every task attempt, retries included. */
  calls: TaskCall[];
  startDate: Date;
  stopDate: Date;
}

class ExecutionFailure extends Error {
  constructor(readonly failure: { Error: string; Cause: string }) {
    super(`${failure.Error}: ${failure.Cause}`);
  }
}

/** The execution itself ran out of time: no Catch takes it, unlike a task's States.Timeout. */
class ExecutionTimeout extends ExecutionFailure {
  constructor() {
    super({ Error: "States.Timeout", Cause: "the execution ran past its TimeoutSeconds" });
  }
}

const EXPRESSION = /^\{%\s(.+)\s%\}$/s;

/** Step Functions' additions to JSONata; $eval is not available there. */
function withStepFunctionsFunctions(expression: jsonata.Expression): jsonata.Expression {
  expression.registerFunction("partition", (array: unknown[], size: number) => {
    const parts: unknown[][] = [];
    for (let index = 0; index < array.length; index += size) parts.push(array.slice(index, index + size));
    return parts;
  });
  expression.registerFunction("range", (start: number, end: number, step: number) => {
    const values: number[] = [];
    for (let value = start; step > 0 ? value <= end : value >= end; value += step) values.push(value);
    return values;
  });
  expression.registerFunction("hash", (text: string, algorithm: string) =>
    createHash(algorithm.replace("-", "").toLowerCase()).update(text).digest("hex"),
  );
  expression.registerFunction("uuid", () => randomUUID());
  expression.registerFunction("parse", (text: string) => JSON.parse(text) as unknown);
  expression.registerFunction("eval", () => {
    throw new Error("$eval is not available in Step Functions");
  });
  return expression;
}

// A definition's expressions are few and run on every execution: compile each once. An
// evaluation's bindings live in its own frame, so one compiled expression serves them all.
const compiledExpressions = new Map<string, jsonata.Expression>();

function compiled(text: string): jsonata.Expression {
  let expression = compiledExpressions.get(text);
  if (!expression) {
    expression = withStepFunctionsFunctions(jsonata(text));
    compiledExpressions.set(text, expression);
  }
  return expression;
}

/** Variables: a scope per Parallel branch and Map iteration, reading the outer ones. */
class Scope {
  private readonly values = new Map<string, unknown>();
  constructor(private readonly outer?: Scope) {}

  all(): Record<string, unknown> {
    return { ...(this.outer?.all() ?? {}), ...Object.fromEntries(this.values) };
  }

  assign(name: string, value: unknown) {
    if (this.outer && name in this.outer.all()) {
      throw new ExecutionFailure({
        Error: "States.Runtime",
        Cause: `variable ${name} belongs to an outer scope`,
      });
    }
    this.values.set(name, value);
  }
}

const matches = (names: string[], error: string) =>
  names.includes(error) ||
  names.includes("States.ALL") ||
  (names.includes("States.TaskFailed") && !error.startsWith("States."));

/**
 * The wait before retry number `attempt` (1 for the first): the interval grown by the backoff
 * rate, capped; with full jitter, the longest wait it can pick, so a test sees the worst case.
 */
export function retryDelaySeconds(retrier: Retrier, attempt: number): number {
  const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** (attempt - 1);
  return Math.min(delay, retrier.MaxDelaySeconds ?? Infinity);
}

/** What an execution runs in: the clock, the task handler, its identity. */
export interface ExecutionEnvironment {
  clock: VirtualClock;
  handler: TaskHandler;
  stateMachineArn: string;
  name: string;
  roleArn?: string;
}

/** Where a state runs: its variables, the path prefix, and the input and context it sees. */
interface Frame {
  scope: Scope;
  prefix: string;
}

/** One execution of a state machine. */
export class Execution {
  readonly arn: string;
  readonly startDate: Date;
  private readonly path: string[] = [];
  private readonly calls: TaskCall[] = [];
  private readonly deadline: number;
  private readonly context: Record<string, unknown>;

  constructor(
    private readonly definition: StateMachineDefinition,
    readonly input: unknown,
    private readonly env: ExecutionEnvironment,
  ) {
    this.arn = executionArn(env.stateMachineArn, env.name);
    this.startDate = env.clock.now();
    this.deadline = this.startDate.getTime() + definition.TimeoutSeconds * 1000;
    this.context = {
      Execution: {
        Id: this.arn,
        Input: input,
        Name: env.name,
        StartTime: this.startDate.toISOString(),
        RoleArn: env.roleArn ?? "arn:aws:iam::111111111111:role/abuse-alerts-notify",
        RedriveCount: 0,
      },
      StateMachine: { Id: env.stateMachineArn, Name: env.stateMachineArn.split(":").pop() },
    };
  }

  /** Runs to the end, holding the clock while it works. */
  run(): Promise<ExecutionResult> {
    return this.env.clock.spawn(async () => {
      try {
        const output = await this.runGraph(this.definition, this.input, { scope: new Scope(), prefix: "" });
        return this.result("SUCCEEDED", { output });
      } catch (error) {
        if (!(error instanceof ExecutionFailure)) throw error;
        const status = error instanceof ExecutionTimeout ? "TIMED_OUT" : "FAILED";
        return this.result(status, { error: error.failure });
      }
    });
  }

  private result(status: ExecutionResult["status"], end: Partial<ExecutionResult>): ExecutionResult {
    const { path, calls, startDate } = this;
    return { status, path, calls, startDate, stopDate: this.env.clock.now(), ...end };
  }

  private async evaluate(template: unknown, scope: Scope, states: Record<string, unknown>): Promise<unknown> {
    if (typeof template === "string") {
      const match = EXPRESSION.exec(template);
      if (!match) return template;
      let value: unknown;
      try {
        value = (await compiled(match[1]).evaluate(undefined, { ...scope.all(), states })) as unknown;
      } catch (error) {
        throw new ExecutionFailure({ Error: "States.QueryEvaluationError", Cause: (error as Error).message });
      }
      // Strict everywhere, Assign values and fields of objects too: a definition that passes here
      // never leans on how Step Functions treats a nested undefined.
      if (value === undefined) {
        throw new ExecutionFailure({
          Error: "States.QueryEvaluationError",
          Cause: `the expression ${match[1].slice(0, 80)}… returned nothing`,
        });
      }
      return value;
    }
    if (Array.isArray(template))
      return Promise.all(template.map((item) => this.evaluate(item, scope, states)));
    if (typeof template === "object" && template !== null) {
      const entries = await Promise.all(
        Object.entries(template).map(
          async ([key, inner]) => [key, await this.evaluate(inner, scope, states)] as const,
        ),
      );
      return Object.fromEntries(entries);
    }
    return template;
  }

  /** Assign and Output together, from the variables as they were when the state was entered. */
  private async leave(
    holder: { Assign?: Record<string, unknown>; Output?: unknown },
    scope: Scope,
    states: Record<string, unknown>,
    fallback: unknown,
  ): Promise<unknown> {
    const assigned = holder.Assign
      ? ((await this.evaluate(holder.Assign, scope, states)) as Record<string, unknown>)
      : {};
    const output = holder.Output === undefined ? fallback : await this.evaluate(holder.Output, scope, states);
    for (const [name, value] of Object.entries(assigned)) scope.assign(name, value);
    return output;
  }

  /** $states for a state entered now. */
  private statesOf(
    name: string,
    input: unknown,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    const State = { Name: name, EnteredTime: this.env.clock.now().toISOString(), RetryCount: 0 };
    return { input, context: { ...this.context, State, ...extra } };
  }

  private async runGraph(graph: StateGraph, input: unknown, frame: Frame): Promise<unknown> {
    let name = graph.StartAt;
    let data = input;
    for (;;) {
      const state = graph.States[name];
      if (!state) throw new ExecutionFailure({ Error: "States.Runtime", Cause: `no state ${name}` });
      this.path.push(`${frame.prefix}${name}`);
      const step = await this.runState(name, state, data, frame);
      data = step.output;
      if (step.end) return data;
      name = step.next;
    }
  }

  private async runState(
    name: string,
    state: State,
    input: unknown,
    frame: Frame,
  ): Promise<{ output: unknown; end: true } | { output: unknown; end?: false; next: string }> {
    const states = this.statesOf(name, input);
    const then = (output: unknown) =>
      state.End === true ? { output, end: true as const } : { output, next: String(state.Next) };
    switch (state.Type) {
      case "Pass":
        return then(await this.leave(state as never, frame.scope, states, input));
      case "Succeed":
        return { output: await this.leave(state as never, frame.scope, states, input), end: true };
      case "Fail":
        throw new ExecutionFailure({
          Error: (state.Error as string | undefined) ?? "States.Fail",
          Cause: (state.Cause as string | undefined) ?? "",
        });
      case "Choice":
        return this.choose(name, state, input, frame.scope, states);
      case "Wait":
        await this.wait(state, frame.scope, states);
        return then(await this.leave(state as never, frame.scope, states, input));
      case "Task":
      case "Parallel":
      case "Map":
        return this.runWork(name, state, input, frame, states, then);
      default:
        throw new ExecutionFailure({
          Error: "States.Runtime",
          Cause: `state type ${state.Type} is not modelled`,
        });
    }
  }

  private async choose(
    name: string,
    state: State,
    input: unknown,
    scope: Scope,
    states: Record<string, unknown>,
  ) {
    const rules = (state.Choices ?? []) as {
      Condition: string;
      Next: string;
      Assign?: Record<string, unknown>;
    }[];
    let chosen: (typeof rules)[number] | undefined;
    for (const rule of rules) {
      if ((await this.evaluate(rule.Condition, scope, states)) === true) {
        chosen = rule;
        break;
      }
    }
    if (!chosen && !state.Default)
      throw new ExecutionFailure({ Error: "States.NoChoiceMatched", Cause: name });
    const output = await this.leave({ Assign: chosen?.Assign, Output: state.Output }, scope, states, input);
    return { output, next: chosen ? chosen.Next : String(state.Default) };
  }

  /** Sleeps until the state's Timestamp, or for its Seconds; past the execution's timeout, it times out. */
  private async wait(state: State, scope: Scope, states: Record<string, unknown>): Promise<void> {
    const now = this.env.clock.now().getTime();
    let until: number;
    if (state.Timestamp !== undefined) {
      const timestamp = await this.evaluate(state.Timestamp, scope, states);
      until = new Date(String(timestamp)).getTime();
      if (Number.isNaN(until)) {
        throw new ExecutionFailure({
          Error: "States.Runtime",
          Cause: `Timestamp ${String(timestamp)} is not a time`,
        });
      }
    } else {
      const seconds = Number(await this.evaluate(state.Seconds, scope, states));
      if (!Number.isInteger(seconds) || seconds < 0) {
        throw new ExecutionFailure({
          Error: "States.Runtime",
          Cause: `Seconds ${seconds} is not a whole number`,
        });
      }
      until = now + seconds * 1000;
    }
    await this.sleepUntil(until);
  }

  private async sleepUntil(until: number): Promise<void> {
    if (until <= this.env.clock.now().getTime()) return;
    await this.env.clock.sleepUntil(new Date(Math.min(until, this.deadline)));
    if (until > this.deadline) throw new ExecutionTimeout();
  }

  /** A Task, Parallel or Map: its result, or its error caught. */
  private async runWork(
    name: string,
    state: State,
    input: unknown,
    frame: Frame,
    states: Record<string, unknown>,
    then: (output: unknown) => { output: unknown; end: true } | { output: unknown; next: string },
  ) {
    let result: unknown;
    try {
      if (state.Type === "Task") result = await this.runTask(name, state, frame.scope, states);
      else if (state.Type === "Parallel") result = await this.runParallel(name, state, input, frame);
      else result = await this.runMap(name, state, frame, states);
    } catch (error) {
      if (!(error instanceof ExecutionFailure) || error instanceof ExecutionTimeout) throw error;
      const catcher = ((state.Catch ?? []) as Catcher[]).find((candidate) =>
        matches(candidate.ErrorEquals, error.failure.Error),
      );
      if (!catcher) throw error;
      const output = await this.leave(
        catcher,
        frame.scope,
        { ...states, errorOutput: error.failure },
        error.failure,
      );
      return { output, next: catcher.Next };
    }
    return then(await this.leave(state as never, frame.scope, { ...states, result }, result));
  }

  private async runTask(
    name: string,
    state: State,
    scope: Scope,
    states: Record<string, unknown>,
  ): Promise<unknown> {
    const retriers = (state.Retry ?? []) as Retrier[];
    const attempts = new Map<Retrier, number>();
    const args =
      state.Arguments === undefined ? states.input : await this.evaluate(state.Arguments, scope, states);
    const credentials =
      state.Credentials === undefined ? undefined : await this.evaluate(state.Credentials, scope, states);
    for (;;) {
      const call = {
        state: name,
        resource: String(state.Resource),
        arguments: args,
        credentials,
        time: this.env.clock.now(),
        executionArn: this.arn,
      };
      this.calls.push(call);
      try {
        return await this.env.handler(call);
      } catch (error) {
        const failure =
          error instanceof TaskFailure
            ? { Error: error.error, Cause: error.cause }
            : { Error: "States.TaskFailed", Cause: (error as Error).message };
        const retrier = retriers.find((candidate) => matches(candidate.ErrorEquals, failure.Error));
        const used = retrier ? (attempts.get(retrier) ?? 0) : 0;
        if (!retrier || used >= (retrier.MaxAttempts ?? 3)) throw new ExecutionFailure(failure);
        attempts.set(retrier, used + 1);
        await this.sleepUntil(this.env.clock.now().getTime() + retryDelaySeconds(retrier, used + 1) * 1000);
      }
    }
  }

  private async runParallel(name: string, state: State, input: unknown, frame: Frame): Promise<unknown[]> {
    const branches = state.Branches as StateGraph[];
    // Branches run one after the other here, so the record of calls reads in a fixed order.
    const results: unknown[] = [];
    for (const [index, branch] of branches.entries()) {
      const inner = { scope: new Scope(frame.scope), prefix: `${frame.prefix}${name}[${index}]/` };
      results.push(await this.runGraph(branch, input, inner));
    }
    return results;
  }

  /** An inline Map: each item through the item processor, MaxConcurrency at once (0: all). */
  private async runMap(
    name: string,
    state: State,
    frame: Frame,
    states: Record<string, unknown>,
  ): Promise<unknown[]> {
    const items =
      state.Items === undefined ? states.input : await this.evaluate(state.Items, frame.scope, states);
    if (!Array.isArray(items)) {
      throw new ExecutionFailure({
        Error: "States.QueryEvaluationError",
        Cause: `the Map's items are not an array`,
      });
    }
    const processor = state.ItemProcessor as StateGraph;
    const limit = Number(state.MaxConcurrency ?? 0) || items.length || 1;
    const results: unknown[] = new Array(items.length);
    let next = 0;
    let failed = false;
    // Each worker takes the next item until none is left; after a failure, no new item starts.
    const worker = async () => {
      while (next < items.length && !failed) {
        const index = next++;
        const item: unknown = items[index];
        const Map = { Item: { Index: index, Value: item } };
        const itemStates = { ...states, context: { ...(states.context as object), Map } };
        const input =
          state.ItemSelector === undefined
            ? item
            : await this.evaluate(state.ItemSelector, frame.scope, itemStates);
        const inner = { scope: new Scope(frame.scope), prefix: `${frame.prefix}${name}[${index}]/` };
        try {
          results[index] = await this.runGraph(processor, input, inner);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    const workers = Array.from({ length: Math.min(limit, items.length) }, () => worker);
    const settled = await this.env.clock.all(workers);
    const rejected = settled.find((outcome) => outcome.status === "rejected");
    if (rejected) throw rejected.reason;
    return results;
  }
}

export interface ExecutionOptions {
  handler: TaskHandler;
  /** When the execution starts, on a clock of its own. */
  now: Date;
  stateMachineArn?: string;
  name?: string;
}

const DEFAULT_STATE_MACHINE = "arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-notify";

/** One execution, alone on its own virtual clock, run to its end however long it waits. */
export async function runStateMachine(
  definition: StateMachineDefinition,
  input: unknown,
  options: ExecutionOptions,
): Promise<ExecutionResult> {
  const clock = new VirtualClock(options.now);
  const execution = new Execution(definition, input, {
    clock,
    handler: options.handler,
    stateMachineArn: options.stateMachineArn ?? DEFAULT_STATE_MACHINE,
    name: options.name ?? "offline",
  });
  const done = execution.run();
  await clock.run();
  return done;
}

/** A started execution, as StartExecution answers, and its end. */
export interface StartedExecution {
  executionArn: string;
  startDate: Date;
  done: Promise<ExecutionResult>;
}

/**
 * Step Functions in one account and region, offline: state machines by ARN, executions started
 * by events, by schedules or by other executions (the optimized states:startExecution
 * integration), all on one virtual clock. Names are unique: starting a running execution again
 * with the same input returns it; any other reuse of a name is ExecutionAlreadyExists.
 */
export class StepFunctionsSim {
  private readonly machines = new Map<string, StateMachineDefinition>();
  private readonly executions = new Map<
    string,
    { execution: Execution; started: StartedExecution; closed: boolean }
  >();
  private sequence = 0;

  constructor(
    readonly clock: VirtualClock,
    private readonly handler: TaskHandler,
  ) {}

  register(stateMachineArn: string, definition: StateMachineDefinition): void {
    this.machines.set(stateMachineArn, definition);
  }

  startExecution(stateMachineArn: string, input: unknown, name?: string): StartedExecution {
    const definition = this.machines.get(stateMachineArn);
    if (!definition)
      throw new TaskFailure("StepFunctions.StateMachineDoesNotExistException", stateMachineArn);
    const executionName = name ?? `offline-${String(++this.sequence).padStart(6, "0")}`;
    const arn = executionArn(stateMachineArn, executionName);
    const existing = this.executions.get(arn);
    if (existing) {
      if (!existing.closed && JSON.stringify(existing.execution.input) === JSON.stringify(input))
        return existing.started;
      throw new TaskFailure(
        "StepFunctions.ExecutionAlreadyExistsException",
        `Execution Already Exists: '${arn}'`,
      );
    }
    const execution = new Execution(definition, input, {
      clock: this.clock,
      handler: (call) => this.answer(call),
      stateMachineArn,
      name: executionName,
    });
    const entry = {
      execution,
      started: { executionArn: arn, startDate: execution.startDate, done: execution.run() },
      closed: false,
    };
    void entry.started.done.then(() => (entry.closed = true));
    this.executions.set(arn, entry);
    return entry.started;
  }

  /** Every execution started so far, in order. */
  all(): StartedExecution[] {
    return [...this.executions.values()].map((entry) => entry.started);
  }

  /** Step Functions answers its own integration; the handler answers the rest. */
  private answer(call: TaskCall): Promise<unknown> {
    if (call.resource !== "arn:aws:states:::states:startExecution") return this.handler(call);
    const args = call.arguments as { StateMachineArn: string; Input?: unknown; Name?: string };
    const input = typeof args.Input === "string" ? (JSON.parse(args.Input) as unknown) : args.Input;
    try {
      const started = this.startExecution(args.StateMachineArn, input ?? {}, args.Name);
      return Promise.resolve({
        ExecutionArn: started.executionArn,
        StartDate: started.startDate.toISOString(),
      });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

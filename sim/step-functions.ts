import { createHash, randomUUID } from "node:crypto";
import jsonata from "jsonata";
import { State, StateMachineDefinition } from "../notify/definition";

/**
 * The notify workflow run offline, as Step Functions runs a JSONata state machine: Pass, Task,
 * Choice, Parallel, Succeed and Fail states; Arguments, Output and Assign (all of a state's
 * expressions see the variables as they were when it was entered); Retry and Catch; variables
 * scoped to Parallel branches, which read the outer ones and may not reassign them. JSONata is
 * the `jsonata` library at Step Functions' version (2.0.6), with Step Functions' own functions.
 * Tasks are answered by a handler: sample account context for previews, stubs in tests.
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
}

export type TaskHandler = (call: TaskCall) => Promise<unknown>;

export interface ExecutionResult {
  status: "SUCCEEDED" | "FAILED";
  output?: unknown;
  error?: { Error: string; Cause: string };
  /** Every state entered, in order ("Branch/State" inside a Parallel). */
  path: string[];
  /** Every task attempt, retries included. */
  calls: TaskCall[];
}

export interface ExecutionOptions {
  handler: TaskHandler;
  /** When the execution runs: $states.context's times. */
  now: Date;
  stateMachineArn?: string;
}

class ExecutionFailure extends Error {
  constructor(readonly failure: { Error: string; Cause: string }) {
    super(`${failure.Error}: ${failure.Cause}`);
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

/** Variables: a scope per Parallel branch, reading the outer ones. */
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

export async function runStateMachine(
  definition: StateMachineDefinition,
  input: unknown,
  options: ExecutionOptions,
): Promise<ExecutionResult> {
  const path: string[] = [];
  const calls: TaskCall[] = [];
  const stateMachineArn =
    options.stateMachineArn ?? "arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-notify";
  const execution = {
    Id: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:offline`,
    Input: input,
    Name: "offline",
    StartTime: options.now.toISOString(),
    RoleArn: "arn:aws:iam::111111111111:role/abuse-alerts-notify",
  };

  async function evaluate(
    template: unknown,
    scope: Scope,
    states: Record<string, unknown>,
  ): Promise<unknown> {
    if (typeof template === "string") {
      const match = EXPRESSION.exec(template);
      if (!match) return template;
      let value: unknown;
      try {
        value = (await compiled(match[1]).evaluate(undefined, {
          ...scope.all(),
          states,
        })) as unknown;
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
    if (Array.isArray(template)) return Promise.all(template.map((item) => evaluate(item, scope, states)));
    if (typeof template === "object" && template !== null) {
      const entries = await Promise.all(
        Object.entries(template).map(
          async ([key, inner]) => [key, await evaluate(inner, scope, states)] as const,
        ),
      );
      return Object.fromEntries(entries);
    }
    return template;
  }

  /** Assign and Output together, from the variables as they were when the state was entered. */
  async function leave(
    holder: { Assign?: Record<string, unknown>; Output?: unknown },
    scope: Scope,
    states: Record<string, unknown>,
    fallback: unknown,
  ): Promise<unknown> {
    const assigned = holder.Assign
      ? ((await evaluate(holder.Assign, scope, states)) as Record<string, unknown>)
      : {};
    const output = holder.Output === undefined ? fallback : await evaluate(holder.Output, scope, states);
    for (const [name, value] of Object.entries(assigned)) scope.assign(name, value);
    return output;
  }

  const matches = (names: string[], error: string) =>
    names.includes(error) ||
    names.includes("States.ALL") ||
    (names.includes("States.TaskFailed") && !error.startsWith("States."));

  async function runStates(
    machine: { StartAt: string; States: Record<string, State> },
    stateInput: unknown,
    scope: Scope,
    prefix: string,
  ): Promise<unknown> {
    let name = machine.StartAt;
    let data = stateInput;
    for (;;) {
      const state = machine.States[name];
      if (!state) throw new ExecutionFailure({ Error: "States.Runtime", Cause: `no state ${name}` });
      path.push(`${prefix}${name}`);
      const context = {
        Execution: execution,
        State: { Name: name, EnteredTime: options.now.toISOString(), RetryCount: 0 },
        StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(":").pop() },
      };
      const base = { input: data, context };
      let next: string | undefined;
      switch (state.Type) {
        case "Pass":
          data = await leave(state as never, scope, base, data);
          break;
        case "Succeed":
          return leave(state as never, scope, base, data);
        case "Fail":
          throw new ExecutionFailure({
            Error: (state.Error as string | undefined) ?? "States.Fail",
            Cause: (state.Cause as string | undefined) ?? "",
          });
        case "Choice": {
          const rules = (state.Choices ?? []) as {
            Condition: string;
            Next: string;
            Assign?: Record<string, unknown>;
          }[];
          let chosen: (typeof rules)[number] | undefined;
          for (const rule of rules) {
            if ((await evaluate(rule.Condition, scope, base)) === true) {
              chosen = rule;
              break;
            }
          }
          if (!chosen && !state.Default)
            throw new ExecutionFailure({ Error: "States.NoChoiceMatched", Cause: name });
          data = await leave({ Assign: chosen?.Assign, Output: state.Output }, scope, base, data);
          next = chosen ? chosen.Next : String(state.Default);
          break;
        }
        case "Task":
        case "Parallel": {
          let result: unknown;
          try {
            result =
              state.Type === "Task"
                ? await runTask(name, state, scope, base)
                : await runParallel(name, state, scope, data);
          } catch (error) {
            if (!(error instanceof ExecutionFailure)) throw error;
            const catcher = ((state.Catch ?? []) as { ErrorEquals: string[]; Next: string }[]).find(
              (candidate) => matches(candidate.ErrorEquals, error.failure.Error),
            );
            if (!catcher) throw error;
            data = await leave(
              catcher as never,
              scope,
              { ...base, errorOutput: error.failure },
              error.failure,
            );
            next = catcher.Next;
            break;
          }
          data = await leave(state as never, scope, { ...base, result }, result);
          break;
        }
        default:
          throw new ExecutionFailure({
            Error: "States.Runtime",
            Cause: `state type ${state.Type} is not modelled`,
          });
      }
      if (!next) {
        if (state.End === true) return data;
        next = String(state.Next);
      }
      name = next;
    }
  }

  async function runTask(
    name: string,
    state: State,
    scope: Scope,
    states: Record<string, unknown>,
  ): Promise<unknown> {
    const retriers = (state.Retry ?? []) as { ErrorEquals: string[]; MaxAttempts?: number }[];
    const attempts = new Map<(typeof retriers)[number], number>();
    const args =
      state.Arguments === undefined ? states.input : await evaluate(state.Arguments, scope, states);
    const credentials =
      state.Credentials === undefined ? undefined : await evaluate(state.Credentials, scope, states);
    for (;;) {
      const call = { state: name, resource: String(state.Resource), arguments: args, credentials };
      calls.push(call);
      try {
        return await options.handler(call);
      } catch (error) {
        const failure =
          error instanceof TaskFailure
            ? { Error: error.error, Cause: error.cause }
            : { Error: "States.TaskFailed", Cause: (error as Error).message };
        const retrier = retriers.find((candidate) => matches(candidate.ErrorEquals, failure.Error));
        const used = retrier ? (attempts.get(retrier) ?? 0) : 0;
        if (!retrier || used >= (retrier.MaxAttempts ?? 3)) throw new ExecutionFailure(failure);
        attempts.set(retrier, used + 1);
      }
    }
  }

  async function runParallel(name: string, state: State, scope: Scope, data: unknown): Promise<unknown[]> {
    const branches = state.Branches as { StartAt: string; States: Record<string, State> }[];
    // Branches run one after the other here, so the record of calls reads in a fixed order.
    const results: unknown[] = [];
    for (const [index, branch] of branches.entries()) {
      results.push(await runStates(branch, data, new Scope(scope), `${name}[${index}]/`));
    }
    return results;
  }

  try {
    const output = await runStates(definition, input, new Scope(), "");
    return { status: "SUCCEEDED", output, path, calls };
  } catch (error) {
    if (error instanceof ExecutionFailure) return { status: "FAILED", error: error.failure, path, calls };
    throw error;
  }
}

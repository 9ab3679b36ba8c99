/** Amazon States Language, as the workflows here write it: JSONata query language throughout. */

/** A state: its Type and the fields of that type. */
export type State = Record<string, unknown> & { Type: string };

/** The states of a machine, a Parallel branch or a Map's item processor. */
export interface StateGraph {
  StartAt: string;
  States: Record<string, State>;
}

/** A state machine definition, as JSON. */
export interface StateMachineDefinition extends StateGraph {
  Comment: string;
  QueryLanguage: "JSONata";
  TimeoutSeconds: number;
}

/** `{% expr %}`, one line: Step Functions' JSONata fields, and asl-validator, take single-line expressions. */
export const jsonata = (expression: string) => `{% ${expression.replace(/\s*\n\s*/g, " ").trim()} %}`;

/** A JSONata string literal of a text (single-quoted, as Step Functions' JSONata expects inside `{% %}`). */
export const literal = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\u0027")}'`;

/** A JSONata array literal of texts. */
export const list = (items: readonly string[]) => `[${items.map(literal).join(", ")}]`;

/** An AWS SDK integration's resource, e.g. arn:aws:states:::aws-sdk:organizations:describeAccount. */
export const sdk = (service: string, action: string) => `arn:aws:states:::aws-sdk:${service}:${action}`;

/** A retrier. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

/** A catcher: where an error goes, with what it makes of it. */
export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

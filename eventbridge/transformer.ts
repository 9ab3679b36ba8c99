/**
 * EventBridge input transformation, offline, as documented
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html):
 * - up to 100 input paths; names may not start with "AWS"; a template placeholder must name a
 *   path or a predefined variable, or PutTargets rejects the target;
 * - outside quotes, a string value is inserted quoted and escaped, an object, array, number or
 *   boolean as JSON;
 * - inside quotes, EventBridge does not escape the value: a string goes in as it is (a quote or a
 *   newline in it breaks the JSON), an object or array loses its inner quotes;
 * - a path that matches nothing yields an empty string;
 * - `aws.events.event` is the event without `detail` (with `detailType`), `aws.events.event.json`
 *   the whole event; both only as JSON values.
 * Behaviour the docs leave open follows AWS-recorded tests (LocalStack's AWS-validated snapshots).
 */

export interface InputTransformer {
  inputPaths: Record<string, string>;
  inputTemplate: string;
}

export interface TransformContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class InvalidTransformerError extends Error {}

export const MAX_INPUT_PATHS = 100;
export const MAX_TEMPLATE_LENGTH = 8192;

/** Evaluates the JSONPath subset EventBridge accepts: `$`, `.name`, `[n]`, `[*]`, `.*`. */
export function evaluatePath(path: string, event: Json): Json | undefined {
  if (!path.startsWith("$")) throw new InvalidTransformerError(`input path ${path} must start with $`);
  const steps = path.slice(1).match(/\.[A-Za-z0-9_\-/]+|\.\*|\[\d+\]|\[\*\]/g) ?? [];
  if (steps.join("") !== path.slice(1))
    throw new InvalidTransformerError(`input path ${path} is not supported`);
  let current: Json[] = [event];
  let many = false;
  for (const step of steps) {
    const next: Json[] = [];
    for (const value of current) {
      if (step === ".*" || step === "[*]") {
        many = true;
        if (Array.isArray(value)) next.push(...value);
        else if (value !== null && typeof value === "object") next.push(...Object.values(value));
      } else if (step.startsWith("[")) {
        const item = Array.isArray(value) ? value[Number(step.slice(1, -1))] : undefined;
        if (item !== undefined) next.push(item);
      } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const item = value[step.slice(1)];
        if (item !== undefined) next.push(item);
      }
    }
    current = next;
  }
  if (many) return current;
  return current[0];
}

const PREDEFINED = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event.ingestion-time",
  "aws.events.event",
  "aws.events.event.json",
];
const PLACEHOLDER = /<([^<>]*)>/g;

/** What PutTargets would refuse. */
export function validateTransformer(transformer: InputTransformer): void {
  const names = Object.keys(transformer.inputPaths);
  if (names.length > MAX_INPUT_PATHS)
    throw new InvalidTransformerError(`${names.length} input paths; at most ${MAX_INPUT_PATHS}`);
  for (const name of names) {
    if (/^aws/i.test(name))
      throw new InvalidTransformerError(`input path name ${name} may not start with AWS`);
  }
  if (transformer.inputTemplate.length > MAX_TEMPLATE_LENGTH) {
    throw new InvalidTransformerError(
      `template is ${transformer.inputTemplate.length} characters; at most ${MAX_TEMPLATE_LENGTH}`,
    );
  }
  for (const [, name] of transformer.inputTemplate.matchAll(PLACEHOLDER)) {
    if (!(name in transformer.inputPaths) && !PREDEFINED.includes(name)) {
      throw new InvalidTransformerError(`InputTemplate contains invalid placeholder ${name}`);
    }
  }
}

function predefined(name: string, event: Record<string, Json>, context: TransformContext): Json {
  switch (name) {
    case "aws.events.rule-arn":
      return context.ruleArn;
    case "aws.events.rule-name":
      return context.ruleName;
    case "aws.events.event.ingestion-time":
      return context.ingestionTime;
    case "aws.events.event.json":
      return event;
    default: {
      const envelope: Record<string, Json> = { ...event, detailType: event["detail-type"] };
      delete envelope.detail;
      delete envelope["detail-type"];
      return envelope;
    }
  }
}

/** The exact text EventBridge would deliver to the target for this event. */
export function applyTransformer(
  transformer: InputTransformer,
  event: Record<string, Json>,
  context: TransformContext,
): string {
  validateTransformer(transformer);
  const value = (name: string): Json | undefined =>
    name in transformer.inputPaths
      ? evaluatePath(transformer.inputPaths[name], event)
      : predefined(name, event, context);

  let output = "";
  let inString = false;
  const template = transformer.inputTemplate;
  for (let index = 0; index < template.length; index++) {
    const char = template[index];
    if (char === "<") {
      const end = template.indexOf(">", index);
      const name = template.slice(index + 1, end);
      const found = value(name);
      output += inString ? insideQuotes(found) : outsideQuotes(found);
      index = end;
      continue;
    }
    if (char === "\\" && inString) {
      output += template.slice(index, index + 2);
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    output += char;
  }
  return output;
}

function insideQuotes(value: Json | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value; // not escaped: AWS inserts it as it is
  if (value !== null && typeof value === "object") return JSON.stringify(value).replace(/"/g, "");
  return String(value);
}

function outsideQuotes(value: Json | undefined): string {
  return value === undefined ? '""' : JSON.stringify(value);
}

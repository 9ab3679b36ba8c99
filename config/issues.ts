import { closestCandidate, suggestion } from "../lib/suggest";
import { z } from "zod";

/**
 * Validation issues as sentences a person can act on: the full key as they wrote it, what was
 * expected, the value received, and a hint where one can be the cause. Shared by the stack config
 * and the organization file, so both read alike.
 */
export interface IssueContext {
  schema: z.ZodType;
  /** How a path is written where the user edits it, e.g. abuse-alerts:regions[1] or root.accounts[0].id. */
  keyName: (path: readonly PropertyKey[]) => string;
  /** Schemas of account IDs: only there can a number be an ID that YAML or JSON read without its quotes. */
  accountIdSchemas: ReadonlySet<z.ZodType>;
  /** How to keep an account ID text where the user writes it; quotes by default. */
  quoteAccountIds?: string;
  /** Paths whose values are secrets: an error tells their length, never the value. */
  secretPaths?: readonly (readonly string[])[];
}

const QUOTE_ACCOUNT_IDS = "write account IDs in quotes, as YAML and JSON drop leading zeros";

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodLazy) current = current.unwrap() as z.ZodType;
    else return current;
  }
}

/** The schema that validates the value at a path, or undefined where the path leaves the schema. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const part of path) {
    if (!current) return undefined;
    const shape = unwrap(current);
    if (shape instanceof z.ZodArray) current = shape.element as z.ZodType;
    else if (shape instanceof z.ZodObject) current = shape.shape[String(part)] as z.ZodType | undefined;
    else if (shape instanceof z.ZodRecord) current = shape.valueType as z.ZodType;
    else return undefined;
  }
  return current && unwrap(current);
}

/** The keys an object at this path may have. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const shape = schemaAt(schema, path);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape) : [];
}

/** The value received, as a person recognizes it, with the quoting hint only where it can be the cause. */
export function describeValue(
  value: unknown,
  accountIdExpected = false,
  quoting = QUOTE_ACCOUNT_IDS,
): string {
  if (Array.isArray(value)) return `a list ${JSON.stringify(value)}`;
  if (value === null) return "nothing (null)";
  if (accountIdExpected && typeof value === "number") return `${value} (a number: ${quoting})`;
  // Pulumi hands top-level scalars over as text, so an unquoted ID arrives as digits a zero or
  // three short; "1234" is a typo, not a lost zero.
  if (accountIdExpected && typeof value === "string" && /^[1-9]\d{8,10}$/.test(value)) {
    return `"${value}" (if this is an unquoted account ID, YAML dropped its leading zeros: quote it)`;
  }
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

/** A secret's value as an error may show it: its kind and length, not its text. */
function describeSecret(value: unknown): string {
  if (typeof value === "string")
    return `a value of ${[...value].length} characters (not shown: it is a secret)`;
  if (Array.isArray(value)) return "a list (not shown: it holds a secret)";
  return `${value === null ? "nothing" : `a ${typeof value}`} (not shown: it holds a secret)`;
}

/** Whether a value at `path` is, or holds, a secret at `secret`: the secret itself, inside it, or above it. */
const holdsSecret = (path: readonly PropertyKey[], secret: readonly string[]) =>
  path.length >= secret.length
    ? secret.every((part, index) => String(path[index]) === part)
    : path.every((part, index) => String(part) === secret[index]);

/** One issue as one or more sentences (an unknown-keys issue names each key). */
function formatIssue(issue: z.core.$ZodIssue, context: IssueContext): string[] {
  const key = context.keyName(issue.path);
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(context.schema, issue.path);
    return issue.keys.map((unknownKey) => {
      const meant = closestCandidate(known, unknownKey);
      const unknown = `${context.keyName([...issue.path, unknownKey])} is not a known key`;
      return meant === undefined
        ? `${unknown}; known keys here: ${known.join(", ")}`
        : `${unknown} (did you mean ${context.keyName([...issue.path, meant])}?)`;
    });
  }
  if (!("input" in issue) || issue.input === undefined) return [`${key} is required: ${issue.message}`];
  // A record's key: the key's own schema says what was expected.
  if (issue.code === "invalid_key") {
    return [`${key} must be ${issue.issues[0]?.message ?? "a valid key"}, got ${describeValue(issue.input)}`];
  }
  if ((context.secretPaths ?? []).some((secret) => holdsSecret(issue.path, secret))) {
    return [`${key} must be ${issue.message}, got ${describeSecret(issue.input)}`];
  }
  const leaf = schemaAt(context.schema, issue.path);
  const accountId = leaf !== undefined && context.accountIdSchemas.has(leaf);
  const hint = issue.code === "invalid_value" ? suggestion(issue.values.map(String), issue.input) : "";
  return [
    `${key} must be ${issue.message}, got ${describeValue(issue.input, accountId, context.quoteAccountIds)}${hint}`,
  ];
}

const pathKey = (path: readonly PropertyKey[]) => path.map(String).join(".");

/**
 * Every issue of a failed parse, sorted, each once. A missing key that an unknown key's "did you
 * mean" (or a problem in `explained`, by path) already names is not reported again as required.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  context: IssueContext,
  explained: readonly string[] = [],
): string[] {
  const named = new Set(explained);
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const known = knownKeys(context.schema, issue.path);
    for (const unknownKey of issue.keys) {
      const meant = closestCandidate(known, unknownKey);
      if (meant !== undefined) named.add(pathKey([...issue.path, meant]));
    }
  }
  const missingButNamed = (issue: z.core.$ZodIssue) =>
    issue.code !== "unrecognized_keys" &&
    (!("input" in issue) || issue.input === undefined) &&
    named.has(pathKey(issue.path));
  return [
    ...new Set(
      issues.filter((issue) => !missingButNamed(issue)).flatMap((issue) => formatIssue(issue, context)),
    ),
  ].sort();
}

/** A list whose items must not repeat: a repeat is always a copy-paste slip. */
export function uniqueList<T extends z.ZodType>(
  item: T,
  what: string,
  keyOf: (value: z.output<T>) => string,
) {
  return z.array(item, { error: what }).superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((value, index) => {
      const key = keyOf(value);
      if (seen.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          input: key,
          message: `listed only once (${key} repeats)`,
        });
      }
      seen.add(key);
    });
  });
}

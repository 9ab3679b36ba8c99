/**
 * EventBridge event-pattern matching, offline, following the documented rules
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html and
 * eb-create-pattern-operators.html; aws/event-ruler for what the docs leave out):
 * - fields of a pattern are AND-ed, the values of a field's list OR-ed;
 * - strings match exactly and case-sensitively; a string never matches a number ("1" ≠ 1);
 * - an array in the event matches when any element matches;
 * - prefix, suffix, equals-ignore-case, wildcard apply to strings only; numeric to numbers only;
 * - anything-but needs the field present (null passes); exists tests presence of a leaf;
 * - $or holds two or more sub-patterns, any of which may match.
 * Operators outside this list (cidr) throw instead of answering wrongly.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Pattern = { [key: string]: unknown };

export class InvalidEventPatternError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The leaf values a field holds: none when absent or an empty array, each element of an array. */
function leafValues(value: Json | undefined): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function strings(operand: unknown, operator: string): string[] {
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0 || !list.every((item) => typeof item === "string" && item.length > 0)) {
    throw new InvalidEventPatternError(`${operator} takes a non-empty string or list of strings`);
  }
  return list as string[];
}

/** `prefix`/`suffix` take a string or `{ "equals-ignore-case": string }`. */
function affixMatcher(operand: unknown, operator: "prefix" | "suffix"): (value: string) => boolean {
  const ignoreCase = isObject(operand);
  const affixes = strings(ignoreCase ? operand["equals-ignore-case"] : operand, operator);
  return (value) => {
    const subject = ignoreCase ? value.toLowerCase() : value;
    return affixes.some((affix) => {
      const wanted = ignoreCase ? affix.toLowerCase() : affix;
      return operator === "prefix" ? subject.startsWith(wanted) : subject.endsWith(wanted);
    });
  };
}

/** `*` matches any run of characters, `\*` a literal star. */
function wildcardMatcher(operand: unknown): (value: string) => boolean {
  const expressions = strings(operand, "wildcard").map((wildcard) => {
    if (wildcard.includes("**"))
      throw new InvalidEventPatternError("wildcard may not contain consecutive stars");
    const source = wildcard
      .split(/(?<!\\)\*/)
      .map((part) => part.replace(/\\([*\\])/g, "$1").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${source}$`, "s");
  });
  return (value) => expressions.some((expression) => expression.test(value));
}

function numericMatcher(operand: unknown): (value: number) => boolean {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidEventPatternError('numeric takes one or two comparisons, e.g. [">", 0, "<=", 5]');
  }
  const comparisons: ((value: number) => boolean)[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const [operator, bound] = [operand[index] as unknown, operand[index + 1] as unknown];
    if (typeof bound !== "number") throw new InvalidEventPatternError("numeric bounds must be numbers");
    const compare: Record<string, (value: number) => boolean> = {
      "=": (value) => value === bound,
      "<": (value) => value < bound,
      "<=": (value) => value <= bound,
      ">": (value) => value > bound,
      ">=": (value) => value >= bound,
    };
    if (!(String(operator) in compare))
      throw new InvalidEventPatternError(`unknown numeric operator ${String(operator)}`);
    comparisons.push(compare[String(operator)]);
  }
  return (value) => comparisons.every((comparison) => comparison(value));
}

/** Does one leaf value satisfy one element of a pattern's list (a literal or an operator object)? */
function leafMatches(condition: unknown, value: Json): boolean {
  if (!isObject(condition)) {
    if (Array.isArray(condition)) throw new InvalidEventPatternError("a pattern list may not nest lists");
    return condition === value; // strings, numbers, booleans and null: same type and value
  }
  const operators = Object.keys(condition);
  if (operators.length !== 1)
    throw new InvalidEventPatternError(`one operator per object, got ${operators.join(", ")}`);
  const [operator] = operators;
  const operand = condition[operator];
  switch (operator) {
    case "prefix":
    case "suffix":
      return typeof value === "string" && affixMatcher(operand, operator)(value);
    case "equals-ignore-case":
      return (
        typeof value === "string" &&
        strings(operand, operator).some((s) => s.toLowerCase() === value.toLowerCase())
      );
    case "wildcard":
      return typeof value === "string" && wildcardMatcher(operand)(value);
    case "numeric":
      return typeof value === "number" && numericMatcher(operand)(value);
    case "anything-but":
      return anythingBut(operand, value);
    default:
      throw new InvalidEventPatternError(`operator ${operator} is not supported by this matcher`);
  }
}

function anythingBut(operand: unknown, value: Json): boolean {
  if (isObject(operand)) {
    const [operator] = Object.keys(operand);
    if (typeof value !== "string") return true;
    const inner = operand[operator];
    if (operator === "prefix" || operator === "suffix") return !affixMatcher(inner, operator)(value);
    if (operator === "equals-ignore-case")
      return !strings(inner, operator).some((s) => s.toLowerCase() === value.toLowerCase());
    if (operator === "wildcard") return !wildcardMatcher(inner)(value);
    throw new InvalidEventPatternError(`anything-but does not take ${operator}`);
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  const kinds = new Set(excluded.map((item) => typeof item));
  if (excluded.length === 0 || kinds.size !== 1 || !(kinds.has("string") || kinds.has("number"))) {
    throw new InvalidEventPatternError(
      "anything-but takes a string, a number, or a list of only strings or only numbers",
    );
  }
  return !excluded.includes(value);
}

/** A field whose pattern is a list: present leaves (or absence, for exists/anything-but rules). */
function fieldMatches(conditions: unknown[], value: Json | undefined): boolean {
  if (conditions.length === 0)
    throw new InvalidEventPatternError("empty arrays are not allowed in a pattern");
  const leaves = isObject(value) ? [] : leafValues(value);
  const present = value !== undefined && !isObject(value) && !(Array.isArray(value) && value.length === 0);
  return conditions.some((condition) => {
    if (isObject(condition) && "exists" in condition) {
      if (typeof condition.exists !== "boolean")
        throw new InvalidEventPatternError("exists takes true or false");
      return condition.exists === present;
    }
    return leaves.some((leaf) => leafMatches(condition, leaf));
  });
}

/** Does the event (or a part of it) match the pattern (or the matching part of it)? */
export function matchesPattern(pattern: Pattern, event: Json | undefined): boolean {
  if (Object.keys(pattern).length === 0)
    throw new InvalidEventPatternError("empty objects are not allowed in a pattern");
  return Object.entries(pattern).every(([field, rule]) => {
    if (field === "$or" && Array.isArray(rule) && rule.length >= 2 && rule.every(isObject)) {
      return rule.some((alternative) => matchesPattern(alternative, event));
    }
    const value = isObject(event) ? event[field] : undefined;
    if (Array.isArray(rule)) return fieldMatches(rule, value);
    if (!isObject(rule))
      throw new InvalidEventPatternError(`the pattern for ${field} must be a list or an object`);
    // Nested pattern: an object in the event, or any object of an array of them.
    if (Array.isArray(value)) return value.some((item) => isObject(item) && matchesPattern(rule, item));
    return isObject(value) ? matchesPattern(rule, value) : matchesWhenAbsent(rule);
  });
}

/** A nested pattern over a missing object still matches when every leaf only asks for absence. */
function matchesWhenAbsent(rule: Pattern): boolean {
  return Object.entries(rule).every(([field, inner]) => {
    if (field === "$or" && Array.isArray(inner))
      return inner.some((alternative) => matchesWhenAbsent(alternative as Pattern));
    if (Array.isArray(inner)) return fieldMatches(inner, undefined);
    return isObject(inner) && matchesWhenAbsent(inner);
  });
}

/**
 * Service control policy evaluation for one request, offline: enough to tell whether the SCPs
 * along an account's OU path let the forwarder be deployed and run. Follows IAM's rules for SCPs:
 * every level (root, each OU, the account) must allow the action, and any matching Deny wins.
 * Conditions on the keys the doctor knows (the principal, the region, the account) are
 * evaluated; a statement on any other key makes the answer "conditional", never a guess.
 */

export interface ScpStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface ScpDocument {
  Version?: string;
  Statement: ScpStatement | ScpStatement[];
}

export interface AttachedScp {
  id: string;
  name: string;
  document: ScpDocument;
}

/** One level of the OU path: the root, an OU, or the account itself. */
export interface ScpLevel {
  target: string;
  policies: AttachedScp[];
}

export interface ScpRequest {
  action: string;
  resource: string;
  /** Values of the condition keys the evaluator knows, e.g. aws:PrincipalArn, aws:RequestedRegion. */
  context: Record<string, string>;
}

export type ScpVerdict =
  | { status: "allowed" }
  | { status: "denied"; target: string; policy?: string; statement?: string; reason: string }
  | { status: "conditional"; target: string; policy: string; statement?: string; reason: string };

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcards: `*` any run of characters, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "si" : "s").test(value);
}

function matchesAction(statement: ScpStatement, action: string): boolean {
  if (statement.NotAction !== undefined)
    return !list(statement.NotAction).some((pattern) => wildcard(pattern, action, true));
  return list(statement.Action).some((pattern) => wildcard(pattern, action, true));
}

function matchesResource(statement: ScpStatement, resource: string): boolean {
  if (statement.NotResource !== undefined)
    return !list(statement.NotResource).some((pattern) => wildcard(pattern, resource, false));
  return (
    statement.Resource === undefined ||
    list(statement.Resource).some((pattern) => wildcard(pattern, resource, false))
  );
}

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringEqualsIgnoreCase: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
  StringLike: (pattern, value) => wildcard(pattern, value, false),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => wildcard(pattern, value, false),
};

/** true, false, or undefined when the condition names a key or operator this evaluator does not know. */
function conditionHolds(
  condition: ScpStatement["Condition"],
  context: Record<string, string>,
): boolean | undefined {
  let unknown = false;
  for (const [rawOperator, entries] of Object.entries(condition ?? {})) {
    const ifExists = rawOperator.endsWith("IfExists");
    const operator = ifExists ? rawOperator.slice(0, -"IfExists".length) : rawOperator;
    for (const [rawKey, expected] of Object.entries(entries)) {
      const key = Object.keys(context).find((known) => known.toLowerCase() === rawKey.toLowerCase());
      if (operator === "Null") {
        if (!key) return undefined; // presence of an unknown key cannot be told
        if (String(expected) === "true") return false; // the key is present
        continue;
      }
      const negated = operator.includes("Not");
      const compare = OPERATORS[operator.replace("Not", "")];
      if (!compare || !key) {
        unknown = true;
        continue;
      }
      const matched = list(expected as string | string[]).some((pattern) =>
        compare(String(pattern), context[key]),
      );
      if (negated ? matched : !matched) return false;
    }
  }
  return unknown ? undefined : true;
}

const statementsOf = (document: ScpDocument) =>
  Array.isArray(document.Statement) ? document.Statement : [document.Statement];

/** Whether the SCPs of every level, root first, let the request through. */
export function evaluateScps(levels: readonly ScpLevel[], request: ScpRequest): ScpVerdict {
  let conditional: ScpVerdict | undefined;
  for (const level of levels) {
    let allowed = false;
    let conditionalAllow: ScpVerdict | undefined;
    for (const policy of level.policies) {
      for (const statement of statementsOf(policy.document)) {
        if (!matchesAction(statement, request.action) || !matchesResource(statement, request.resource))
          continue;
        const holds = conditionHolds(statement.Condition, request.context);
        const where = { target: level.target, policy: policy.name, statement: statement.Sid };
        if (statement.Effect === "Deny") {
          if (holds === true)
            return { status: "denied", ...where, reason: `explicit Deny of ${request.action}` };
          if (holds === undefined) {
            conditional ??= {
              status: "conditional",
              ...where,
              reason: `a Deny of ${request.action} under conditions the doctor cannot evaluate`,
            };
          }
        } else if (holds === true) {
          allowed = true;
        } else if (holds === undefined) {
          conditionalAllow ??= {
            status: "conditional",
            ...where,
            reason: `only an Allow of ${request.action} under conditions the doctor cannot evaluate`,
          };
        }
      }
    }
    if (!allowed) {
      if (!conditionalAllow) {
        return {
          status: "denied",
          target: level.target,
          reason: `no SCP attached to ${level.target} allows ${request.action}`,
        };
      }
      conditional ??= conditionalAllow;
    }
  }
  return conditional ?? { status: "allowed" };
}

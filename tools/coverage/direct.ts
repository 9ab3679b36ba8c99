import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  Target,
} from "@aws-sdk/client-eventbridge";
import { describeError, errorCode } from "../../accounts/errors";
import { centralBusArn, FORWARDER_RULE_NAME } from "../../model/names";
import { EventPattern } from "../../model/patterns";
import { CoverageRow } from "./types";

/** Every target of a rule, page by page (EventBridge's SDK has no paginator for it). */
async function ruleTargets(client: EventBridgeClient, rule: string): Promise<Target[]> {
  const targets: Target[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListTargetsByRuleCommand({ Rule: rule, NextToken: token }));
    targets.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return targets;
}

/** The same pattern, whatever the key order and spacing of its JSON. */
function samePattern(deployed: string | undefined, expected: EventPattern): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, inner]) => [key, canonical(inner)]),
          )
        : value;
  try {
    return JSON.stringify(canonical(JSON.parse(deployed ?? "null"))) === JSON.stringify(canonical(expected));
  } catch {
    return false;
  }
}

/**
 * Whether the direct forwarder is in place in one account and region: the rule exists, is
 * enabled, has the pattern this version deploys, and targets the central bus of that region.
 */
export async function directForwarderRow(
  client: EventBridgeClient,
  account: { id: string; name: string },
  region: string,
  expected: { pattern: EventPattern; centralAccountId: string },
): Promise<CoverageRow> {
  const base = { accountId: account.id, name: account.name, region, item: "forwarder (direct)" };
  const rerun = "run pulumi up: it declares this account's forwarder";
  try {
    const rule = await client.send(new DescribeRuleCommand({ Name: FORWARDER_RULE_NAME }));
    if (rule.State !== "ENABLED") {
      return {
        ...base,
        status: "failed",
        detail: `rule ${FORWARDER_RULE_NAME} is ${rule.State ?? "?"}`,
        fix: `enable it, or ${rerun}`,
      };
    }
    const bus = centralBusArn(region, expected.centralAccountId);
    const targets = await ruleTargets(client, FORWARDER_RULE_NAME);
    if (!targets.some((target) => target.Arn === bus)) {
      return {
        ...base,
        status: "failed",
        detail: `rule ${FORWARDER_RULE_NAME} does not target ${bus} (targets: ${targets.map((target) => target.Arn).join(", ") || "none"})`,
        fix: rerun,
      };
    }
    if (!samePattern(rule.EventPattern, expected.pattern)) {
      return {
        ...base,
        status: "outdated",
        detail: `rule ${FORWARDER_RULE_NAME} has another pattern than this version deploys`,
        fix: rerun,
      };
    }
    return { ...base, status: "ok", detail: `rule ${FORWARDER_RULE_NAME} enabled, targets the central bus` };
  } catch (error) {
    if (errorCode(error) === "ResourceNotFoundException") {
      return {
        ...base,
        status: "missing",
        detail: `no rule ${FORWARDER_RULE_NAME} on the default bus`,
        fix: rerun,
      };
    }
    return {
      ...base,
      status: "unknown",
      detail: `cannot read rule ${FORWARDER_RULE_NAME}: ${describeError(error)}`,
      fix: "allow events:DescribeRule and events:ListTargetsByRule to the member role, then run npm run coverage again",
    };
  }
}

import { Category } from "../config/schema";
import { queueArn } from "./arns";
import { centralBusArn, STACKSET_DLQ_NAME, STACKSET_RULE_NAME, stackSetRoleName } from "./names";
import { forwarderPattern } from "./patterns";
import { deadLetterQueuePolicy, forwarderRolePolicy, serviceTrustPolicy } from "./policies";
import { DEAD_LETTER_RETENTION_SECONDS } from "./delivery";

/** CloudFormation's limit on a StackSet's TemplateBody, in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
}

/** The condition every forwarder resource carries when some accounts are excluded. */
export const FORWARD_CONDITION = "Forward";

/** CloudFormation's Fn::Or and Fn::And take between 2 and 10 conditions. */
const MAX_CONDITIONS = 10;

/**
 * Conditions true in the excluded accounts: CloudFormation has no Fn::Contains, so one Fn::Equals
 * on AWS::AccountId per account, gathered by Fn::Or ten at a time, and those by further Fn::Or
 * conditions until one, `Excluded`, remains; `Forward` is its negation.
 */
export function exclusionConditions(excludedAccounts: readonly string[]): Record<string, unknown> {
  const conditions: Record<string, unknown> = {};
  let level: unknown[] = [...new Set(excludedAccounts)]
    .sort()
    .map((id) => ({ "Fn::Equals": [{ Ref: "AWS::AccountId" }, id] }));
  for (let depth = 0; level.length > 1; depth++) {
    const groups: unknown[] = [];
    for (let start = 0; start < level.length; start += MAX_CONDITIONS) {
      const chunk = level.slice(start, start + MAX_CONDITIONS);
      if (chunk.length === 1) {
        groups.push(chunk[0]);
        continue;
      }
      const name = `Excluded${depth}x${start / MAX_CONDITIONS}`;
      conditions[name] = { "Fn::Or": chunk };
      groups.push({ Condition: name });
    }
    level = groups;
  }
  conditions.Excluded = level[0];
  conditions[FORWARD_CONDITION] = { "Fn::Not": [{ Condition: "Excluded" }] };
  return conditions;
}

/**
 * Strings that name `${AWS::Region}`, `${AWS::AccountId}` or `${Resource.Attribute}` become
 * Fn::Sub, so the template is written with the same policy functions as the direct forwarder.
 */
function substitute(value: unknown): unknown {
  if (typeof value === "string") return /\$\{[A-Za-z:.]+\}/.test(value) ? { "Fn::Sub": value } : value;
  if (Array.isArray(value)) return value.map(substitute);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, substitute(inner)]));
  }
  return value;
}

export interface ForwarderTemplateArgs {
  centralAccountId: string;
  categories: readonly Category[];
  /** Accounts under the target OUs whose stack holds no forwarder (`accounts.exclude`). */
  excludedAccounts?: readonly string[];
}

/**
 * What a member account needs in one region, as the StackSet deploys it: the rule on the default
 * bus, its target (the central bus of the same region, through a role of this region's stack),
 * and a dead-letter queue whose policy admits only that rule. Built from the same pattern and
 * policy functions as the direct forwarder.
 *
 * Excluded accounts are left out here, by a condition on AWS::AccountId, and not by the
 * instances' account filter, which auto-deployment ignores: an excluded account that joins or
 * moves between target OUs gets a stack without a forwarder. A wait condition handle (no
 * properties, nothing deployed, free) keeps that stack from being empty, which CloudFormation refuses.
 */
export function forwarderTemplate(args: ForwarderTemplateArgs): CloudFormationTemplate {
  const excluded = args.excludedAccounts ?? [];
  const resources = forwarderResources(args);
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "abuse-alerts: forwards AWS Health abuse and risk events of this account to the security account's event bus",
    ...(excluded.length > 0 ? { Conditions: exclusionConditions(excluded) } : {}),
    Resources: {
      Placeholder: { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} },
      ...Object.fromEntries(
        Object.entries(resources).map(([id, resource]) => [
          id,
          excluded.length > 0 ? { ...resource, Condition: FORWARD_CONDITION } : resource,
        ]),
      ),
    },
  };
}

/** The forwarder itself: role, dead-letter queue and its policy, rule. */
function forwarderResources(args: ForwarderTemplateArgs): CloudFormationTemplate["Resources"] {
  const busArn = centralBusArn("${AWS::Region}", args.centralAccountId);
  const dlqArn = queueArn("${AWS::Region}", "${AWS::AccountId}", STACKSET_DLQ_NAME);
  return substitute({
    ForwarderRole: {
      Type: "AWS::IAM::Role",
      Properties: {
        RoleName: stackSetRoleName("${AWS::Region}"),
        Description:
          "abuse-alerts: lets this region's EventBridge rule put AWS Health events on the central bus",
        AssumeRolePolicyDocument: serviceTrustPolicy("events.amazonaws.com"),
        Policies: [
          { PolicyName: "put-events-on-central-bus", PolicyDocument: forwarderRolePolicy([busArn]) },
        ],
      },
    },
    DeadLetterQueue: {
      Type: "AWS::SQS::Queue",
      Properties: {
        QueueName: STACKSET_DLQ_NAME,
        MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS,
        SqsManagedSseEnabled: true,
      },
    },
    DeadLetterQueuePolicy: {
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [{ Ref: "DeadLetterQueue" }],
        PolicyDocument: deadLetterQueuePolicy(dlqArn, "${ForwardRule.Arn}"),
      },
    },
    ForwardRule: {
      Type: "AWS::Events::Rule",
      Properties: {
        Name: STACKSET_RULE_NAME,
        Description: "abuse-alerts: forwards AWS Health abuse and risk events to the security account",
        EventBusName: "default",
        State: "ENABLED",
        EventPattern: forwarderPattern(args.categories),
        // A bus in another account admits this one through the organization: the target carries a
        // role. No RetryPolicy: AWS CDK documents it as unsupported on bus targets; EventBridge's
        // 24 hours and 185 attempts apply, then the dead-letter queue.
        Targets: [
          {
            Id: "central-bus",
            Arn: busArn,
            RoleArn: "${ForwarderRole.Arn}",
            DeadLetterConfig: { Arn: "${DeadLetterQueue.Arn}" },
          },
        ],
      },
    },
  }) as CloudFormationTemplate["Resources"];
}

/** The accounts a template's conditions leave without a forwarder, read back from its Conditions. */
export function templateExclusions(template: Pick<CloudFormationTemplate, "Conditions">): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    const equals = (value as Record<string, unknown>)["Fn::Equals"];
    if (Array.isArray(equals) && typeof equals[1] === "string") found.push(equals[1]);
    else Object.values(value).forEach(visit);
  };
  visit(template.Conditions ?? {});
  return found.sort();
}

/** The template as the StackSet's TemplateBody; throws if CloudFormation would refuse its size. */
export function forwarderTemplateBody(args: ForwarderTemplateArgs): string {
  const body = JSON.stringify(forwarderTemplate(args));
  const bytes = Buffer.byteLength(body, "utf8");
  if (bytes > TEMPLATE_BODY_LIMIT) {
    throw new Error(
      `the forwarder template is ${bytes} bytes, above CloudFormation's ${TEMPLATE_BODY_LIMIT}`,
    );
  }
  return body;
}

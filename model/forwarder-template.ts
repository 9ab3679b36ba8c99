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
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
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
}

/**
 * What a member account needs in one region, as the StackSet deploys it: the rule on the default
 * bus, its target (the central bus of the same region, through a role of this region's stack),
 * and a dead-letter queue whose policy admits only that rule. Built from the same pattern and
 * policy functions as the direct forwarder.
 */
export function forwarderTemplate(args: ForwarderTemplateArgs): CloudFormationTemplate {
  const busArn = centralBusArn("${AWS::Region}", args.centralAccountId);
  const dlqArn = queueArn("${AWS::Region}", "${AWS::AccountId}", STACKSET_DLQ_NAME);
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description:
      "abuse-alerts: forwards AWS Health abuse and risk events of this account to the security account's event bus",
    Resources: substitute({
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
    }) as CloudFormationTemplate["Resources"],
  };
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

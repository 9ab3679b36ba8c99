import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEAD_LETTER_RETENTION_SECONDS } from "../model/delivery";
import { queueArn } from "../model/arns";
import { EventPattern } from "../model/patterns";
import { deadLetterQueuePolicy, forwarderRolePolicy, serviceTrustPolicy } from "../model/policies";
import { RouteChannel } from "../config/routes";
import { CHATBOT_API_REGION } from "../model/names";

/** CloudWatch Logs' retention closest above a year: every workflow's path stays readable that long. */
const LOG_RETENTION_DAYS = 400;

export interface LoggedStateMachineArgs {
  region: string;
  /** The state machine's name, and its log group's. */
  stateMachineName: string;
  roleArn: pulumi.Input<string>;
  definition: pulumi.Input<string>;
}

/**
 * `${name}-state-machine`, a Standard state machine, and `${name}-logs`, the log group keeping
 * every execution's states and data for 400 days (Step Functions keeps the history 90 days).
 */
export function loggedStateMachine(
  name: string,
  args: LoggedStateMachineArgs,
  opts: pulumi.CustomResourceOptions,
): aws.sfn.StateMachine {
  const { region } = args;
  const logs = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { region, name: `/aws/vendedlogs/states/${args.stateMachineName}`, retentionInDays: LOG_RETENTION_DAYS },
    opts,
  );
  return new aws.sfn.StateMachine(
    `${name}-state-machine`,
    {
      region,
      name: args.stateMachineName,
      type: "STANDARD",
      roleArn: args.roleArn,
      definition: args.definition,
      loggingConfiguration: {
        logDestination: pulumi.interpolate`${logs.arn}:*`,
        includeExecutionData: true,
        level: "ALL",
      },
    },
    opts,
  );
}

/**
 * The resource helpers the components share: not components of their own, so the resources
 * they declare keep the names and parents they always had.
 */

export interface DeadLetterQueueArgs {
  region: string;
  accountId: string;
  queueName: string;
  /** The one rule whose failed deliveries the queue takes. */
  ruleArn: pulumi.Input<string>;
}

/**
 * A standard queue in the rule's region (EventBridge takes no FIFO queue and none elsewhere),
 * encrypted with SQS-managed keys, which need no key grant, with its policy inline.
 */
export function deadLetterQueue(
  name: string,
  args: DeadLetterQueueArgs,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  const arn = queueArn(args.region, args.accountId, args.queueName);
  return new aws.sqs.Queue(
    name,
    {
      region: args.region,
      name: args.queueName,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      policy: pulumi
        .output(args.ruleArn)
        .apply((ruleArn) => JSON.stringify(deadLetterQueuePolicy(arn, ruleArn))),
    },
    opts,
  );
}

/** `${name}-role`: the role a forwarding rule puts events on the central buses with (IAM is global). */
export function busForwarderRole(
  name: string,
  args: { roleName: string; description: string; busArns: pulumi.Input<string>[] },
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  return new aws.iam.Role(
    `${name}-role`,
    {
      name: args.roleName,
      description: args.description,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
      inlinePolicies: [
        {
          name: "put-events-on-central-bus",
          policy: pulumi.all(args.busArns).apply((arns) => JSON.stringify(forwarderRolePolicy(arns))),
        },
      ],
    },
    opts,
  );
}

export interface ForwardToBusArgs {
  region: string;
  accountId: string;
  ruleName: string;
  description: string;
  pattern: EventPattern;
  queueName: string;
  /** The central bus of the rule's region. */
  busArn: pulumi.Input<string>;
  roleArn: pulumi.Input<string>;
}

/**
 * `${name}-rule`, `-dlq` and `-target`: a rule on the account's default bus forwarding what matches
 * to the central bus, with a dead-letter queue. A bus in another account admits this one through
 * the organization: the target carries a role. No retry policy: AWS CDK documents it as
 * unsupported on bus targets; EventBridge's own 24 hours and 185 attempts apply, then the queue.
 */
export function forwardToBus(name: string, args: ForwardToBusArgs, opts: pulumi.CustomResourceOptions): void {
  const { region } = args;
  const rule = new aws.cloudwatch.EventRule(
    `${name}-rule`,
    {
      region,
      name: args.ruleName,
      description: args.description,
      eventPattern: JSON.stringify(args.pattern),
    },
    opts,
  );
  const deadLetters = deadLetterQueue(
    `${name}-dlq`,
    { region, accountId: args.accountId, queueName: args.queueName, ruleArn: rule.arn },
    opts,
  );
  new aws.cloudwatch.EventTarget(
    `${name}-target`,
    {
      region,
      rule: rule.name,
      targetId: "central-bus",
      arn: args.busArn,
      roleArn: args.roleArn,
      deadLetterConfig: { arn: deadLetters.arn },
    },
    opts,
  );
}

/**
 * `${name}-role` and its policy attachment: the role Chatbot assumes for one channel, whose only
 * permissions are the notifications-only policy (also the channel's guardrail).
 */
export function chatbotRole(
  name: string,
  args: { roleName: string; description: string; policyArn: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      name: args.roleName,
      description: args.description,
      assumeRolePolicy: JSON.stringify(serviceTrustPolicy("chatbot.amazonaws.com")),
    },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-role-policy`,
    { role: role.name, policyArn: args.policyArn },
    opts,
  );
  return role;
}

export interface ChatbotConfigurationArgs {
  configurationName: string;
  channel: RouteChannel;
  roleArn: pulumi.Input<string>;
  /** Topics whose messages the channel posts, from any region. */
  topicArns: pulumi.Input<pulumi.Input<string>[]>;
  /** The most the channel may do, whatever its role: Chatbot's default is AdministratorAccess. */
  guardrailPolicyArn: pulumi.Input<string>;
}

/**
 * `${name}-configuration`: a Chatbot channel configuration, Slack or Microsoft Teams, declared
 * where Chatbot's API is served (not us-east-1), logging its delivery errors.
 */
export function chatbotConfiguration(
  name: string,
  args: ChatbotConfigurationArgs,
  opts: pulumi.CustomResourceOptions,
): { chatConfigurationArn: pulumi.Output<string> } {
  const common = {
    region: CHATBOT_API_REGION,
    configurationName: args.configurationName,
    iamRoleArn: args.roleArn,
    snsTopicArns: args.topicArns,
    guardrailPolicyArns: [args.guardrailPolicyArn],
    loggingLevel: "ERROR",
  };
  const { channel } = args;
  return channel.kind === "slack"
    ? new aws.chatbot.SlackChannelConfiguration(
        `${name}-configuration`,
        { ...common, slackTeamId: channel.workspaceId, slackChannelId: channel.channelId },
        opts,
      )
    : new aws.chatbot.TeamsChannelConfiguration(
        `${name}-configuration`,
        { ...common, teamId: channel.teamId, channelId: channel.channelId, tenantId: channel.tenantId },
        opts,
      );
}

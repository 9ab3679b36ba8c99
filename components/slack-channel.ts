import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CHATBOT_API_REGION, CHATBOT_CONFIGURATION_NAME } from "../model/names";
import { chatbotNotificationsOnlyPolicy, serviceTrustPolicy } from "../model/policies";

/** Arguments of the Chatbot (Amazon Q Developer in chat applications) Slack channel. */
export interface SlackChannelArgs {
  /** Slack workspace (team) ID, authorized once in the Chatbot console. */
  workspaceId: string;
  channelId: string;
  /** Topics whose messages the channel posts, from any region. */
  topicArns: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * One Slack channel configuration for every region's topics, with its own notifications-only
 * role and an explicit guardrail (Chatbot's default guardrail is AdministratorAccess).
 */
export class SlackChannel extends pulumi.ComponentResource {
  /** ARN of the Chatbot channel configuration. */
  public readonly configurationArn: pulumi.Output<string>;

  constructor(name: string, args: SlackChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:SlackChannel", name, {}, opts);
    const child = { parent: this };

    const notificationsOnly = new aws.iam.Policy(
      `${name}-notifications-only`,
      {
        name: "abuse-alerts-chatbot-notifications-only",
        description:
          "abuse-alerts: what the Slack channel may do, as role and guardrail: read CloudWatch, nothing else",
        policy: JSON.stringify(chatbotNotificationsOnlyPolicy()),
      },
      child,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: "abuse-alerts-chatbot",
        description: "abuse-alerts: assumed by AWS Chatbot for the Slack channel",
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("chatbot.amazonaws.com")),
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-role-policy`,
      { role: role.name, policyArn: notificationsOnly.arn },
      child,
    );

    const configuration = new aws.chatbot.SlackChannelConfiguration(
      `${name}-configuration`,
      {
        region: CHATBOT_API_REGION,
        configurationName: CHATBOT_CONFIGURATION_NAME,
        slackTeamId: args.workspaceId,
        slackChannelId: args.channelId,
        iamRoleArn: role.arn,
        snsTopicArns: args.topicArns,
        guardrailPolicyArns: [notificationsOnly.arn],
        loggingLevel: "ERROR",
      },
      child,
    );

    this.configurationArn = configuration.chatConfigurationArn;
    this.registerOutputs({ configurationArn: this.configurationArn });
  }
}

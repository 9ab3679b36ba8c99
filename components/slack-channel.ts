import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CHATBOT_CONFIGURATION_NAME } from "../model/names";
import { chatbotNotificationsOnlyPolicy } from "../model/policies";
import { chatbotConfiguration, chatbotRole } from "./delivery";

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
  /** The notifications-only policy: the routes' channels take it as role policy and guardrail too. */
  public readonly guardrailPolicyArn: pulumi.Output<string>;

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
    const role = chatbotRole(
      name,
      {
        roleName: "abuse-alerts-chatbot",
        description: "abuse-alerts: assumed by AWS Chatbot for the Slack channel",
        policyArn: notificationsOnly.arn,
      },
      child,
    );
    const configuration = chatbotConfiguration(
      name,
      {
        configurationName: CHATBOT_CONFIGURATION_NAME,
        channel: { kind: "slack", workspaceId: args.workspaceId, channelId: args.channelId },
        roleArn: role.arn,
        topicArns: args.topicArns,
        guardrailPolicyArn: notificationsOnly.arn,
      },
      child,
    );

    this.configurationArn = configuration.chatConfigurationArn;
    this.guardrailPolicyArn = notificationsOnly.arn;
    this.registerOutputs({
      configurationArn: this.configurationArn,
      guardrailPolicyArn: this.guardrailPolicyArn,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { acknowledgeAction } from "../model/chatbot";
import { ACKNOWLEDGE_POLICY_NAME, CHATBOT_API_REGION, CHATBOT_CONFIGURATION_NAME } from "../model/names";
import { chatbotAcknowledgePolicy, chatbotNotificationsOnlyPolicy } from "../model/policies";
import { chatbotRole } from "./delivery";

/** Arguments of the Chatbot (Amazon Q Developer in chat applications) Slack channel. */
export interface SlackChannelArgs {
  /** Slack workspace (team) ID, authorized once in the Chatbot console. */
  workspaceId: string;
  channelId: string;
  /** Topics whose messages the channel posts, from any region. */
  topicArns: pulumi.Input<pulumi.Input<string>[]>;
  /** The case workflows the Acknowledge button may start, one per hub region. */
  caseStateMachineArns: pulumi.Input<string>[];
}

/** A Cloud Control resource's property, from the JSON of its `properties`. */
const property = (resource: aws.cloudcontrol.Resource, name: string) =>
  resource.properties.apply((text) => String((JSON.parse(text) as Record<string, unknown>)[name]));

/**
 * The channel's role, with exactly the policies that are its guardrails: reading CloudWatch, and
 * starting the case workflows (the Acknowledge button's command).
 */
function channelRole(name: string, args: SlackChannelArgs, parent: pulumi.Resource) {
  const child = { parent };
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
  const acknowledge = new aws.iam.Policy(
    `${name}-acknowledge`,
    {
      name: ACKNOWLEDGE_POLICY_NAME,
      description:
        "abuse-alerts: the Acknowledge button's command, as role policy and guardrail: start the case workflows",
      policy: pulumi
        .all(args.caseStateMachineArns)
        .apply((arns) => JSON.stringify(chatbotAcknowledgePolicy(arns))),
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
  new aws.iam.RolePolicyAttachment(
    `${name}-role-acknowledge`,
    { role: role.name, policyArn: acknowledge.arn },
    child,
  );

  return { role, notificationsOnly, guardrails: pulumi.all([notificationsOnly.arn, acknowledge.arn]) };
}

/**
 * One Slack channel configuration for every region's topics, with the Acknowledge button: its
 * own role and explicit guardrails (Chatbot's default guardrail is AdministratorAccess): read
 * CloudWatch, and start the case workflows, which is all the button's command does.
 *
 * pulumi-aws 7 has no resource for a Chatbot custom action, and its SlackChannelConfiguration
 * cannot attach one (it has no customizationResourceArns): both are declared through Cloud
 * Control, with the types CloudFormation documents (AWS::Chatbot::CustomAction and
 * AWS::Chatbot::SlackChannelConfiguration), by the same AWS provider. A stack deployed before
 * has the channel as aws.chatbot.SlackChannelConfiguration: see docs/deployment.md, "Upgrading
 * to the Acknowledge button", for the one-time switch.
 */
export class SlackChannel extends pulumi.ComponentResource {
  /** ARN of the Chatbot channel configuration. */
  public readonly configurationArn: pulumi.Output<string>;
  /** ARN of the Acknowledge button's custom action. */
  public readonly acknowledgeActionArn: pulumi.Output<string>;
  /** The notifications-only policy: the routes' channels take it as role policy and guardrail too. */
  public readonly guardrailPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: SlackChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:SlackChannel", name, {}, opts);
    const child = { parent: this };

    const { role, notificationsOnly, guardrails } = channelRole(name, args, this);
    // Chatbot's resources are account-wide; its API answers in a few regions, not us-east-1.
    const action = new aws.cloudcontrol.Resource(
      `${name}-acknowledge-action`,
      {
        region: CHATBOT_API_REGION,
        typeName: "AWS::Chatbot::CustomAction",
        desiredState: JSON.stringify(acknowledgeAction()),
      },
      child,
    );
    const actionArn = property(action, "CustomActionArn");
    const configuration = new aws.cloudcontrol.Resource(
      `${name}-channel`,
      {
        region: CHATBOT_API_REGION,
        typeName: "AWS::Chatbot::SlackChannelConfiguration",
        desiredState: pulumi
          .all([role.arn, args.topicArns, guardrails, actionArn])
          .apply(([iamRoleArn, topicArns, guardrailArns, customAction]) =>
            JSON.stringify({
              ConfigurationName: CHATBOT_CONFIGURATION_NAME,
              SlackWorkspaceId: args.workspaceId,
              SlackChannelId: args.channelId,
              IamRoleArn: iamRoleArn,
              SnsTopicArns: topicArns,
              GuardrailPolicies: guardrailArns,
              CustomizationResourceArns: [customAction],
              LoggingLevel: "ERROR",
              UserRoleRequired: false,
            }),
          ),
      },
      child,
    );

    this.configurationArn = property(configuration, "Arn");
    this.acknowledgeActionArn = actionArn;
    this.guardrailPolicyArn = notificationsOnly.arn;
    this.registerOutputs({
      configurationArn: this.configurationArn,
      acknowledgeActionArn: this.acknowledgeActionArn,
      guardrailPolicyArn: this.guardrailPolicyArn,
    });
  }
}

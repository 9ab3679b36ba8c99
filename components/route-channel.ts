import * as pulumi from "@pulumi/pulumi";
import { RouteChannel as Channel } from "../config/routes";
import { routeResourceName } from "../model/names";
import { chatbotConfiguration, chatbotRole } from "./delivery";

/** Arguments of an owning team's channel. */
export interface RouteChannelArgs {
  /** The route's name, which names its role and channel configuration. */
  route: string;
  /** The team's Slack channel (its workspace authorized in Chatbot) or Teams channel (its team onboarded). */
  channel: Channel;
  /** The route's topics, one per hub region: the channel posts what they carry, and nothing else. */
  topicArns: pulumi.Input<pulumi.Input<string>[]>;
  /** The notifications-only policy, the channel's role policy and its guardrail. */
  guardrailPolicyArn: pulumi.Input<string>;
}

/**
 * The Chatbot configuration of one route's channel, Slack or Microsoft Teams, with a role of its
 * own: it subscribes to the route's topics only, so a team sees its own accounts' alerts and no
 * other team's, and it may do no more than the central channel (notifications only).
 */
export class RouteChannel extends pulumi.ComponentResource {
  /** ARN of the Chatbot channel configuration. */
  public readonly configurationArn: pulumi.Output<string>;

  constructor(name: string, args: RouteChannelArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:RouteChannel", name, {}, opts);
    const child = { parent: this };
    const physical = routeResourceName(args.route);
    const app = args.channel.kind === "slack" ? "Slack" : "Microsoft Teams";
    const role = chatbotRole(
      name,
      {
        roleName: physical,
        description: `abuse-alerts: assumed by AWS Chatbot for the ${app} channel of route ${args.route}`,
        policyArn: args.guardrailPolicyArn,
      },
      child,
    );
    const configuration = chatbotConfiguration(
      name,
      {
        configurationName: physical,
        channel: args.channel,
        roleArn: role.arn,
        topicArns: args.topicArns,
        guardrailPolicyArn: args.guardrailPolicyArn,
      },
      child,
    );

    this.configurationArn = configuration.chatConfigurationArn;
    this.registerOutputs({ configurationArn: this.configurationArn });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { Category, GLOBAL_EVENTS_REGION } from "../config/schema";
import { RouteConfig } from "../config/routes";
import { MessageOptions } from "../notify/message";
import { RegionalHub } from "./regional-hub";
import { RouteChannel } from "./route-channel";
import { SlackChannel } from "./slack-channel";
import { StateTable } from "./state-table";

/** Arguments of the central (security) account's hub. */
export interface CentralHubArgs {
  centralAccountId: string;
  organizationId: string;
  regions: readonly string[];
  categories: readonly Category[];
  slack: { workspaceId: string; channelId: string };
  notifyEmails: readonly string[];
  archiveRetentionDays: number;
  /** The forwarder StackSet's region, whose hub posts its failed stack instances; none in direct mode. */
  stackSetRegion?: string;
  /** The account whose directory role the workflows' lookups run as: the management account. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages, the reminders and who is escalated to among them. */
  message: MessageOptions;
  /** Who hears of an overdue abuse case besides the channel: emails, and PagerDuty's routing key (a secret). */
  escalation: { emails: readonly string[]; pagerDutyRoutingKey?: pulumi.Input<string> };
  /** Owning teams' channels: each gets the alerts of the accounts its route selects. */
  routes: readonly RouteConfig[];
}

/**
 * Everything in the central account: a RegionalHub (bus, rules, topic, key) per region and one
 * Slack channel for all of them. Member accounts forward to `busArns`.
 */
export class CentralHub extends pulumi.ComponentResource {
  /** Central event bus ARN per region. */
  public readonly busArns: Record<string, pulumi.Output<string>>;
  /** Alert topic ARN per region. */
  public readonly topicArns: Record<string, pulumi.Output<string>>;
  /** ARN of the Chatbot Slack channel configuration. */
  public readonly chatbotConfigurationArn: pulumi.Output<string>;
  /** The notify workflows' roles, one per region, which the directory role trusts. */
  public readonly workflowRoleArns: pulumi.Output<string>[];
  /** Name of the workflows' state table, the same in every region. */
  public readonly stateTableName: pulumi.Output<string>;
  /** Case workflow ARN per region. */
  public readonly caseStateMachineArns: Record<string, pulumi.Output<string>>;
  /** ARN of each route's Chatbot channel configuration, by route name. */
  public readonly routeChannelArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: CentralHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:CentralHub", name, {}, opts);
    const regional = args.regions.map(
      (region) =>
        [
          region,
          new RegionalHub(
            `${name}-${region}`,
            {
              region,
              centralAccountId: args.centralAccountId,
              organizationId: args.organizationId,
              categories: args.categories,
              notifyEmails: args.notifyEmails,
              archiveRetentionDays: args.archiveRetentionDays,
              coverageAlerts: region === args.stackSetRegion,
              directoryAccountId: args.directoryAccountId,
              message: args.message,
              escalation: args.escalation,
              routes: args.routes,
            },
            { parent: this },
          ),
        ] as const,
    );
    // Cases, probes and gathered failures: one global table, a replica in every hub region.
    const state = new StateTable(
      `${name}-state`,
      { primaryRegion: GLOBAL_EVENTS_REGION, regions: args.regions },
      { parent: this },
    );
    const channel = new SlackChannel(
      `${name}-slack`,
      {
        ...args.slack,
        // Chatbot posts the alerts and, formatted natively, the alarms about the alert path.
        topicArns: regional.flatMap(([, hub]) => [hub.topicArn, hub.opsTopicArn]),
        // The Acknowledge button starts the case workflow of the region that posted.
        caseStateMachineArns: regional.map(([, hub]) => hub.caseStateMachineArn),
      },
      { parent: this },
    );
    // A channel per route, on the route's topic of every region: no team sees another's alerts.
    this.routeChannelArns = Object.fromEntries(
      args.routes.map((route) => {
        const routeChannel = new RouteChannel(
          `${name}-route-${route.name}`,
          {
            route: route.name,
            channel: route.channel,
            topicArns: regional.map(([, hub]) => hub.routeTopicArns[route.name]),
            guardrailPolicyArn: channel.guardrailPolicyArn,
          },
          { parent: this },
        );
        return [route.name, routeChannel.configurationArn];
      }),
    );

    this.busArns = Object.fromEntries(regional.map(([region, hub]) => [region, hub.busArn]));
    this.topicArns = Object.fromEntries(regional.map(([region, hub]) => [region, hub.topicArn]));
    this.chatbotConfigurationArn = channel.configurationArn;
    this.workflowRoleArns = regional.map(([, hub]) => hub.workflowRoleArn);
    this.stateTableName = state.tableName;
    this.caseStateMachineArns = Object.fromEntries(
      regional.map(([region, hub]) => [region, hub.caseStateMachineArn]),
    );
    this.registerOutputs({
      stateTableName: this.stateTableName,
      caseStateMachineArns: this.caseStateMachineArns,
      busArns: this.busArns,
      topicArns: this.topicArns,
      chatbotConfigurationArn: this.chatbotConfigurationArn,
      workflowRoleArns: this.workflowRoleArns,
      routeChannelArns: this.routeChannelArns,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Category } from "../config/schema";
import { CENTRAL_BUS_NAME } from "./names";
import { alertTopicPolicy, centralBusPolicy, topicKeyPolicy } from "./policies";
import { centralRules } from "./rules";

/** Arguments of the central account's pieces in one region. */
export interface RegionalHubArgs {
  /** The region these pieces live in; every child sets it on the account's provider. */
  region: string;
  centralAccountId: string;
  /** Principals of this organization may put events on the bus. */
  organizationId: string;
  categories: readonly Category[];
  /** Email addresses subscribed to the alert topic. */
  notifyEmails: readonly string[];
}

/**
 * The central account's pieces in one region: the custom event bus that every member account
 * forwards to, its organization-wide policy, a rule per category for real and for test events,
 * each formatting a Chatbot message, and the KMS-encrypted SNS topic those rules publish to.
 */
export class RegionalHub extends pulumi.ComponentResource {
  /** ARN of the central event bus in this region. */
  public readonly busArn: pulumi.Output<string>;
  /** ARN of the alert topic in this region. */
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:RegionalHub", name, {}, opts);
    const region = args.region;
    const child = { parent: this };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        region,
        description: `abuse-alerts: encrypts the alert topic in ${region}`,
        enableKeyRotation: true,
        policy: JSON.stringify(topicKeyPolicy(args.centralAccountId, ["events.amazonaws.com"])),
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { region, name: "alias/abuse-alerts", targetKeyId: key.keyId },
      child,
    );

    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { region, name: CENTRAL_BUS_NAME }, child);
    new aws.cloudwatch.EventBusPolicy(
      `${name}-bus-policy`,
      {
        region,
        eventBusName: bus.name,
        policy: bus.arn.apply((arn) => JSON.stringify(centralBusPolicy(arn, args.organizationId))),
      },
      child,
    );

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { region, name: "abuse-alerts", displayName: "AWS abuse alerts", kmsMasterKeyId: key.arn },
      child,
    );
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        region,
        arn: topic.arn,
        policy: topic.arn.apply((arn) => JSON.stringify(alertTopicPolicy(arn, args.centralAccountId))),
      },
      child,
    );
    // Named by address, so removing one subscriber leaves the others untouched.
    for (const email of args.notifyEmails) {
      new aws.sns.TopicSubscription(
        `${name}-email-${email}`,
        { region, topic: topic.arn, protocol: "email", endpoint: email },
        child,
      );
    }

    for (const definition of centralRules(args.categories)) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${definition.key}-rule`,
        {
          region,
          name: definition.name,
          eventBusName: bus.name,
          description: definition.description,
          eventPattern: JSON.stringify(definition.pattern),
        },
        child,
      );
      // SNS takes the resource policy above; a RoleArn on an SNS target can break delivery with KMS.
      new aws.cloudwatch.EventTarget(
        `${name}-${definition.key}-target`,
        {
          region,
          rule: rule.name,
          eventBusName: bus.name,
          targetId: "alert-topic",
          arn: topic.arn,
          inputTransformer: definition.transformer,
        },
        child,
      );
    }

    this.busArn = bus.arn;
    this.topicArn = topic.arn;
    this.registerOutputs({ busArn: this.busArn, topicArn: this.topicArn });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Category } from "../config/schema";
import { MessageOptions } from "../notify/message";
import { deadLetterQueue, RETRY_POLICY } from "./delivery";
import { CENTRAL_BUS_NAME, centralDlqName, eventsRoleName, OPS_TOPIC_NAME } from "../model/names";
import { NotifyWorkflow } from "./notify-workflow";
import {
  centralBusPolicy,
  serviceTrustPolicy,
  startExecutionPolicy,
  topicKeyPolicy,
  topicPublishedBy,
  topicPublishedByRoles,
} from "../model/policies";
import { centralRules } from "../model/rules";

/** Arguments of the central account's pieces in one region. */
export interface RegionalHubArgs {
  /** The region these pieces live in; every child sets it on the account's provider. */
  region: string;
  centralAccountId: string;
  /** Principals of this organization may put events on the bus. */
  organizationId: string;
  categories: readonly Category[];
  /** Email addresses subscribed to the alert and operations topics. */
  notifyEmails: readonly string[];
  /** Days the bus archive keeps events for replay; 0 keeps them forever. */
  archiveRetentionDays: number;
  /** Post the forwarder StackSet's failed stack instances, which arrive in the StackSet's region. */
  coverageAlerts: boolean;
  /** The management account's directory role the workflow's lookups run as, and its account. */
  directoryRoleArn: string;
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
}

/**
 * The central account's pieces in one region: the custom event bus that every member account
 * forwards to, its organization-wide policy and archive, a rule per category for real and for
 * test events (and coverage notices), each starting the notify workflow with retries and its own
 * dead-letter queue; the workflow, which looks the account up and publishes to the KMS-encrypted
 * alert topic; and an operations topic, under its own key, with alarms on every way delivery can fail.
 */
export class RegionalHub extends pulumi.ComponentResource {
  /** ARN of the central event bus in this region. */
  public readonly busArn: pulumi.Output<string>;
  /** ARN of the alert topic in this region. */
  public readonly topicArn: pulumi.Output<string>;
  /** ARN of the topic that carries alarms about the alert path. */
  public readonly opsTopicArn: pulumi.Output<string>;
  /** ARN of the notify workflow's role, which the directory role trusts. */
  public readonly workflowRoleArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:RegionalHub", name, {}, opts);
    const { region, centralAccountId } = args;
    const child = { parent: this };
    // Losing these loses alerts or their history: `pulumi destroy` must be a deliberate act.
    const kept = { parent: this, protect: true };

    // One key per topic: a key that breaks must not silence the alarms that report the breakage.
    const topicKey = (suffix: string, publishers: string[], topicName: string) => {
      const key = new aws.kms.Key(
        `${name}-${suffix}`,
        {
          region,
          description: `abuse-alerts: encrypts the ${topicName} topic in ${region}`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
          policy: JSON.stringify(topicKeyPolicy(centralAccountId, publishers)),
        },
        kept,
      );
      new aws.kms.Alias(
        `${name}-${suffix}-alias`,
        { region, name: `alias/${topicName}`, targetKeyId: key.keyId },
        child,
      );
      return key;
    };
    // The workflow's role uses the alert key through IAM: the key policy delegates to the account.
    const key = topicKey("key", [], "abuse-alerts");
    const opsKey = topicKey("ops-key", ["cloudwatch.amazonaws.com"], OPS_TOPIC_NAME);

    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { region, name: CENTRAL_BUS_NAME }, kept);
    new aws.cloudwatch.EventBusPolicy(
      `${name}-bus-policy`,
      {
        region,
        eventBusName: bus.name,
        policy: bus.arn.apply((arn) => JSON.stringify(centralBusPolicy(arn, args.organizationId))),
      },
      child,
    );
    new aws.cloudwatch.EventArchive(
      `${name}-archive`,
      {
        region,
        name: CENTRAL_BUS_NAME,
        eventSourceArn: bus.arn,
        retentionDays: args.archiveRetentionDays,
        description: "abuse-alerts: every event that reached the central bus, for replay after an outage",
      },
      child,
    );

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { region, name: "abuse-alerts", displayName: "AWS abuse alerts", kmsMasterKeyId: key.arn },
      kept,
    );
    const opsTopic = new aws.sns.Topic(
      `${name}-ops-topic`,
      { region, name: OPS_TOPIC_NAME, displayName: "abuse-alerts operations", kmsMasterKeyId: opsKey.arn },
      child,
    );
    new aws.sns.TopicPolicy(
      `${name}-ops-topic-policy`,
      {
        region,
        arn: opsTopic.arn,
        policy: opsTopic.arn.apply((arn) =>
          JSON.stringify(topicPublishedBy("cloudwatch.amazonaws.com", arn, centralAccountId)),
        ),
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
      new aws.sns.TopicSubscription(
        `${name}-ops-email-${email}`,
        { region, topic: opsTopic.arn, protocol: "email", endpoint: email },
        child,
      );
    }

    const alarm = (
      alarmName: string,
      description: string,
      metric: Omit<aws.cloudwatch.MetricAlarmArgs, "comparisonOperator">,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${alarmName}-alarm`,
        {
          region,
          name: `abuse-alerts-${alarmName}`,
          alarmDescription: `abuse-alerts: ${description}. See README, "When alerts do not arrive".`,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          evaluationPeriods: 1,
          period: 300,
          // The failure metrics are only sent when not zero.
          treatMissingData: "notBreaching",
          alarmActions: [opsTopic.arn],
          okActions: [opsTopic.arn],
          ...metric,
        },
        child,
      );

    alarm("notifications-failed", "SNS could not deliver alerts to a subscriber (Chatbot or email)", {
      namespace: "AWS/SNS",
      metricName: "NumberOfNotificationsFailed",
      statistic: "Sum",
      dimensions: { TopicName: topic.name },
    });

    const workflow = new NotifyWorkflow(
      `${name}-notify`,
      {
        region,
        centralAccountId,
        topicArn: topic.arn,
        topicKeyArn: key.arn,
        directoryRoleArn: args.directoryRoleArn,
        directoryAccountId: args.directoryAccountId,
        message: args.message,
      },
      child,
    );
    // The policy names the role by its output: SNS refuses a principal that does not exist yet.
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        region,
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, workflow.roleArn])
          .apply(([arn, role]) => JSON.stringify(topicPublishedByRoles(arn, [role]))),
      },
      child,
    );
    // A workflow target takes a role allowed to start it (Step Functions has no resource policy).
    const eventsRole = new aws.iam.Role(
      `${name}-events-role`,
      {
        name: eventsRoleName(region),
        description: `abuse-alerts: lets the central rules in ${region} start the notify workflow`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
        inlinePolicies: [
          {
            name: "start-notify-workflow",
            policy: workflow.stateMachineArn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))),
          },
        ],
      },
      child,
    );
    const executionDimensions = { StateMachineArn: workflow.stateMachineArn };
    alarm("notify-failed", "the notify workflow failed: a message was not published after hours of retries", {
      namespace: "AWS/States",
      metricName: "ExecutionsFailed",
      statistic: "Sum",
      dimensions: executionDimensions,
    });
    alarm("notify-timed-out", "the notify workflow ran out of its 24 hours: a message was not published", {
      namespace: "AWS/States",
      metricName: "ExecutionsTimedOut",
      statistic: "Sum",
      dimensions: executionDimensions,
    });

    for (const definition of centralRules(args.categories, { coverage: args.coverageAlerts })) {
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
      const queueName = centralDlqName(definition.key);
      const deadLetters = deadLetterQueue(
        `${name}-${definition.key}-dlq`,
        { region, accountId: centralAccountId, queueName, ruleArn: rule.arn },
        child,
      );
      // The raw event: the workflow reads it whole and formats it.
      new aws.cloudwatch.EventTarget(
        `${name}-${definition.key}-target`,
        {
          region,
          rule: rule.name,
          eventBusName: bus.name,
          targetId: "notify-workflow",
          arn: workflow.stateMachineArn,
          roleArn: eventsRole.arn,
          retryPolicy: RETRY_POLICY,
          deadLetterConfig: { arn: deadLetters.arn },
        },
        child,
      );
      // Custom-bus rule metrics carry both dimensions.
      const dimensions = { EventBusName: bus.name, RuleName: rule.name };
      alarm(
        `${definition.key}-failed-invocations`,
        `rule ${definition.name} could not start the notify workflow`,
        {
          namespace: "AWS/Events",
          metricName: "FailedInvocations",
          statistic: "Sum",
          dimensions,
        },
      );
      alarm(
        `${definition.key}-dlq-send-failures`,
        `rule ${definition.name} could not even dead-letter an event: it is lost`,
        {
          namespace: "AWS/Events",
          metricName: "InvocationsFailedToBeSentToDlq",
          statistic: "Sum",
          dimensions,
        },
      );
      alarm(
        `${definition.key}-dlq-depth`,
        `events of rule ${definition.name} wait in dead-letter queue ${queueName}`,
        {
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          statistic: "Maximum",
          dimensions: { QueueName: deadLetters.name },
        },
      );
      // Throttling and 5xx are retried for up to 24 hours, the whole reply deadline, before
      // anything above fires: say so after 15 minutes of retrying.
      alarm(
        `${definition.key}-retrying`,
        `rule ${definition.name} has been retrying deliveries for 15 minutes`,
        {
          namespace: "AWS/Events",
          metricName: "RetryInvocationAttempts",
          statistic: "Sum",
          dimensions,
          evaluationPeriods: 3,
        },
      );
    }

    this.busArn = bus.arn;
    this.topicArn = topic.arn;
    this.opsTopicArn = opsTopic.arn;
    this.workflowRoleArn = workflow.roleArn;
    this.registerOutputs({
      busArn: this.busArn,
      topicArn: this.topicArn,
      opsTopicArn: this.opsTopicArn,
      workflowRoleArn: this.workflowRoleArn,
    });
  }
}

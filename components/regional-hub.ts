import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Category } from "../config/schema";
import { RETRY_POLICY } from "../model/delivery";
import {
  ALERT_TOPIC_NAME,
  CENTRAL_BUS_NAME,
  centralDlqName,
  eventsRoleName,
  OPS_TOPIC_NAME,
  routeResourceName,
} from "../model/names";
import {
  centralBusPolicy,
  serviceTrustPolicy,
  startExecutionPolicy,
  topicKeyPolicy,
  topicPublishedBy,
  topicPublishedByRoles,
} from "../model/policies";
import { CentralRule, centralRules } from "../model/rules";
import { RouteSelectors, routeTargetsIn } from "../model/routes";
import { MessageOptions } from "../notify/message";
import { CaseWorkflow } from "./case-workflow";
import { deadLetterQueue } from "./delivery";
import { NotifyWorkflow } from "./notify-workflow";

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
  /** The management account, whose directory role the workflow's lookups run as. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages, the reminders and who is escalated to among them. */
  message: MessageOptions;
  /** Who hears of an overdue abuse case besides the channel: emails, and PagerDuty's routing key (a secret). */
  escalation: { emails: readonly string[]; pagerDutyRoutingKey?: pulumi.Input<string> };
  /** Owning teams' routes: a topic each, which the workflow publishes the alerts they match to. */
  routes: readonly RouteSelectors[];
}

/** Where the hub's children go and how they are named: `${name}-…`, in `region`, under the hub. */
interface Scope {
  name: string;
  region: string;
  parent: pulumi.Resource;
}

/** Losing these loses alerts or their history: `pulumi destroy` must be a deliberate act. */
const kept = (scope: Scope) => ({ parent: scope.parent, protect: true });

/**
 * A key for one topic, and its alias: a key that breaks must not silence the alarms that report
 * the breakage, so each topic has its own.
 */
function topicKey(
  scope: Scope,
  suffix: string,
  topicName: string,
  args: { centralAccountId: string; publishers: string[] },
) {
  const { name, region, parent } = scope;
  const key = new aws.kms.Key(
    `${name}-${suffix}`,
    {
      region,
      description: `abuse-alerts: encrypts the ${topicName} topic in ${region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(topicKeyPolicy(args.centralAccountId, args.publishers)),
    },
    kept(scope),
  );
  new aws.kms.Alias(
    `${name}-${suffix}-alias`,
    { region, name: `alias/${topicName}`, targetKeyId: key.keyId },
    { parent },
  );
  return key;
}

/** The custom bus every member account forwards to, its organization-wide policy and its archive. */
function centralBus(scope: Scope, args: RegionalHubArgs): aws.cloudwatch.EventBus {
  const { name, region, parent } = scope;
  const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { region, name: CENTRAL_BUS_NAME }, kept(scope));
  new aws.cloudwatch.EventBusPolicy(
    `${name}-bus-policy`,
    {
      region,
      eventBusName: bus.name,
      policy: bus.arn.apply((arn) => JSON.stringify(centralBusPolicy(arn, args.organizationId))),
    },
    { parent },
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
    { parent },
  );
  return bus;
}

/**
 * The alert topic (its policy waits for the workflow's role) and the operations topic, each under
 * its own key, with the email subscribers of both.
 */
function topics(scope: Scope, args: RegionalHubArgs) {
  const { name, region, parent } = scope;
  // The workflow's role uses the alert key through IAM: the key policy delegates to the account.
  const key = topicKey(scope, "key", ALERT_TOPIC_NAME, {
    centralAccountId: args.centralAccountId,
    publishers: [],
  });
  const opsKey = topicKey(scope, "ops-key", OPS_TOPIC_NAME, {
    centralAccountId: args.centralAccountId,
    publishers: ["cloudwatch.amazonaws.com"],
  });
  const topic = new aws.sns.Topic(
    `${name}-topic`,
    { region, name: ALERT_TOPIC_NAME, displayName: "AWS abuse alerts", kmsMasterKeyId: key.arn },
    kept(scope),
  );
  const opsTopic = new aws.sns.Topic(
    `${name}-ops-topic`,
    { region, name: OPS_TOPIC_NAME, displayName: "abuse-alerts operations", kmsMasterKeyId: opsKey.arn },
    { parent },
  );
  new aws.sns.TopicPolicy(
    `${name}-ops-topic-policy`,
    {
      region,
      arn: opsTopic.arn,
      policy: opsTopic.arn.apply((arn) =>
        JSON.stringify(topicPublishedBy("cloudwatch.amazonaws.com", arn, args.centralAccountId)),
      ),
    },
    { parent },
  );
  // Named by address, so removing one subscriber leaves the others untouched.
  for (const email of args.notifyEmails) {
    new aws.sns.TopicSubscription(
      `${name}-email-${email}`,
      { region, topic: topic.arn, protocol: "email", endpoint: email },
      { parent },
    );
    new aws.sns.TopicSubscription(
      `${name}-ops-email-${email}`,
      { region, topic: opsTopic.arn, protocol: "email", endpoint: email },
      { parent },
    );
  }
  return { key, opsKey, topic, opsTopic };
}

type MetricArgs = Omit<aws.cloudwatch.MetricAlarmArgs, "comparisonOperator">;

/** `${name}-${alarmName}-alarm`: fires on one or more of a failure metric, to the operations topic. */
function alarm(
  scope: Scope,
  opsTopicArn: pulumi.Input<string>,
  alarmName: string,
  description: string,
  metric: MetricArgs,
) {
  const { name, region, parent } = scope;
  return new aws.cloudwatch.MetricAlarm(
    `${name}-${alarmName}-alarm`,
    {
      region,
      name: `abuse-alerts-${alarmName}`,
      alarmDescription: `abuse-alerts: ${description}. See docs/runbook.md, "When alerts do not arrive".`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      period: 300,
      // The failure metrics are only sent when not zero.
      treatMissingData: "notBreaching",
      alarmActions: [opsTopicArn],
      okActions: [opsTopicArn],
      ...metric,
    },
    { parent },
  );
}

/** The topics the workflows publish to, and their keys. */
interface HubTopics {
  topic: aws.sns.Topic;
  key: aws.kms.Key;
  opsTopic: aws.sns.Topic;
  opsKey: aws.kms.Key;
}

/** Alarms on a workflow's executions: one that failed, or ran past its TimeoutSeconds. */
function executionAlarms(
  scope: Scope,
  opsTopicArn: pulumi.Output<string>,
  workflow: { key: string; arn: pulumi.Output<string>; failed: string; timedOut: string },
) {
  const dimensions = { StateMachineArn: workflow.arn };
  alarm(scope, opsTopicArn, `${workflow.key}-failed`, workflow.failed, {
    namespace: "AWS/States",
    metricName: "ExecutionsFailed",
    statistic: "Sum",
    dimensions,
  });
  alarm(scope, opsTopicArn, `${workflow.key}-timed-out`, workflow.timedOut, {
    namespace: "AWS/States",
    metricName: "ExecutionsTimedOut",
    statistic: "Sum",
    dimensions,
  });
}

/**
 * The notify workflow and the case workflow, the alert topic's policy (which names their roles:
 * SNS refuses a principal that does not exist yet), the role the central rules start the notify
 * workflow with (Step Functions has no resource policy), and the alarms on their executions.
 */
function notifyPath(scope: Scope, args: RegionalHubArgs, topics: HubTopics) {
  const { name, region, parent } = scope;
  const shared = {
    region,
    centralAccountId: args.centralAccountId,
    topicArn: topics.topic.arn,
    topicKeyArn: topics.key.arn,
    opsTopicArn: topics.opsTopic.arn,
    opsKeyArn: topics.opsKey.arn,
  };
  const routes = routeTargetsIn(region, args.centralAccountId, args.routes);
  const workflow = new NotifyWorkflow(
    `${name}-notify`,
    { ...shared, directoryAccountId: args.directoryAccountId, message: args.message, routes },
    { parent },
  );
  const cases = new CaseWorkflow(
    `${name}-case`,
    {
      ...shared,
      reminders: args.message.reminders,
      escalation: { ...args.escalation, to: args.message.escalatedTo },
      routeTopicArns: routes.map((route) => route.topicArn),
    },
    { parent },
  );
  new aws.sns.TopicPolicy(
    `${name}-topic-policy`,
    {
      region,
      arn: topics.topic.arn,
      policy: pulumi
        .all([topics.topic.arn, workflow.roleArn, cases.roleArn])
        .apply(([arn, ...roles]) => JSON.stringify(topicPublishedByRoles(arn, roles))),
    },
    { parent },
  );
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
    { parent },
  );
  executionAlarms(scope, topics.opsTopic.arn, {
    key: "notify",
    arn: workflow.stateMachineArn,
    failed: "the notify workflow failed: a message was not published after hours of retries",
    timedOut: "the notify workflow ran out of its 24 hours: a message was not published",
  });
  executionAlarms(scope, topics.opsTopic.arn, {
    key: "case",
    arn: cases.stateMachineArn,
    failed: "the case workflow failed: a case may get no more reminders, escalation or acknowledgement post",
    timedOut: "the case workflow ran out of its 40 days: a case was not followed to its end",
  });
  return { workflow, cases, eventsRole };
}

/**
 * Each route's topic, under the alert topic's key, which only the workflow's role may publish to
 * (the workflow names these topics by their ARNs, so they follow it), and an alarm when SNS cannot
 * deliver to the route's channel. Not protected: a route removed from the config goes.
 */
function routeTopics(
  scope: Scope,
  args: RegionalHubArgs,
  publisher: {
    keyArn: pulumi.Output<string>;
    /** The notify and case workflows' roles: a case's later posts follow its routes. */
    publisherRoleArns: pulumi.Output<string>[];
    opsTopicArn: pulumi.Output<string>;
  },
): Record<string, pulumi.Output<string>> {
  const { name, region, parent } = scope;
  return Object.fromEntries(
    args.routes.map(({ name: route }) => {
      const topic = new aws.sns.Topic(
        `${name}-route-${route}-topic`,
        {
          region,
          name: routeResourceName(route),
          displayName: `AWS abuse alerts: route ${route}`,
          kmsMasterKeyId: publisher.keyArn,
        },
        { parent },
      );
      new aws.sns.TopicPolicy(
        `${name}-route-${route}-topic-policy`,
        {
          region,
          arn: topic.arn,
          policy: pulumi
            .all([topic.arn, ...publisher.publisherRoleArns])
            .apply(([arn, ...roles]) => JSON.stringify(topicPublishedByRoles(arn, roles))),
        },
        { parent },
      );
      alarm(
        scope,
        publisher.opsTopicArn,
        `route-${route}-notifications-failed`,
        `SNS could not deliver alerts to the channel of route ${route}`,
        {
          namespace: "AWS/SNS",
          metricName: "NumberOfNotificationsFailed",
          statistic: "Sum",
          dimensions: { TopicName: topic.name },
        },
      );
      return [route, topic.arn];
    }),
  );
}

/**
 * One central rule's path: the rule on the bus, its target (the workflow, with retries and its
 * own dead-letter queue), and the alarms on every way its delivery can fail.
 */
function rulePath(
  scope: Scope,
  definition: CentralRule,
  args: {
    centralAccountId: string;
    busName: pulumi.Output<string>;
    stateMachineArn: pulumi.Output<string>;
    eventsRoleArn: pulumi.Output<string>;
    opsTopicArn: pulumi.Output<string>;
  },
) {
  const { name, region, parent } = scope;
  const prefix = `${name}-${definition.key}`;
  const rule = new aws.cloudwatch.EventRule(
    `${prefix}-rule`,
    {
      region,
      name: definition.name,
      eventBusName: args.busName,
      description: definition.description,
      eventPattern: JSON.stringify(definition.pattern),
    },
    { parent },
  );
  const queueName = centralDlqName(definition.key);
  const deadLetters = deadLetterQueue(
    `${prefix}-dlq`,
    { region, accountId: args.centralAccountId, queueName, ruleArn: rule.arn },
    { parent },
  );
  // The raw event: the workflow reads it whole and formats it.
  new aws.cloudwatch.EventTarget(
    `${prefix}-target`,
    {
      region,
      rule: rule.name,
      eventBusName: args.busName,
      targetId: "notify-workflow",
      arn: args.stateMachineArn,
      roleArn: args.eventsRoleArn,
      retryPolicy: RETRY_POLICY,
      deadLetterConfig: { arn: deadLetters.arn },
    },
    { parent },
  );
  // Custom-bus rule metrics carry both dimensions.
  const dimensions = { EventBusName: args.busName, RuleName: rule.name };
  const ruleAlarm = (suffix: string, description: string, metric: MetricArgs) =>
    alarm(scope, args.opsTopicArn, `${definition.key}-${suffix}`, description, metric);
  ruleAlarm("failed-invocations", `rule ${definition.name} could not start the notify workflow`, {
    namespace: "AWS/Events",
    metricName: "FailedInvocations",
    statistic: "Sum",
    dimensions,
  });
  ruleAlarm("dlq-send-failures", `rule ${definition.name} could not even dead-letter an event: it is lost`, {
    namespace: "AWS/Events",
    metricName: "InvocationsFailedToBeSentToDlq",
    statistic: "Sum",
    dimensions,
  });
  ruleAlarm("dlq-depth", `events of rule ${definition.name} wait in dead-letter queue ${queueName}`, {
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    statistic: "Maximum",
    dimensions: { QueueName: deadLetters.name },
  });
  // Throttling and 5xx are retried for up to 24 hours, the whole reply deadline, before anything
  // above fires: say so after 15 minutes of retrying.
  ruleAlarm("retrying", `rule ${definition.name} has been retrying deliveries for 15 minutes`, {
    namespace: "AWS/Events",
    metricName: "RetryInvocationAttempts",
    statistic: "Sum",
    dimensions,
    evaluationPeriods: 3,
  });
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
  /** ARN of the case workflow, which the Acknowledge button starts. */
  public readonly caseStateMachineArn: pulumi.Output<string>;
  /** ARN of each route's topic in this region, by route name. */
  public readonly routeTopicArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RegionalHubArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:RegionalHub", name, {}, opts);
    const scope: Scope = { name, region: args.region, parent: this };

    const bus = centralBus(scope, args);
    const hubTopics = topics(scope, args);
    const { topic, opsTopic } = hubTopics;
    alarm(
      scope,
      opsTopic.arn,
      "notifications-failed",
      "SNS could not deliver alerts to a subscriber (Chatbot or email)",
      {
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        statistic: "Sum",
        dimensions: { TopicName: topic.name },
      },
    );
    const { workflow, cases, eventsRole } = notifyPath(scope, args, hubTopics);
    this.routeTopicArns = routeTopics(scope, args, {
      keyArn: hubTopics.key.arn,
      publisherRoleArns: [workflow.roleArn, cases.roleArn],
      opsTopicArn: opsTopic.arn,
    });
    for (const definition of centralRules(args.categories, { coverage: args.coverageAlerts })) {
      rulePath(scope, definition, {
        centralAccountId: args.centralAccountId,
        busName: bus.name,
        stateMachineArn: workflow.stateMachineArn,
        eventsRoleArn: eventsRole.arn,
        opsTopicArn: opsTopic.arn,
      });
    }

    this.busArn = bus.arn;
    this.topicArn = topic.arn;
    this.opsTopicArn = opsTopic.arn;
    this.workflowRoleArn = workflow.roleArn;
    this.caseStateMachineArn = cases.stateMachineArn;
    this.registerOutputs({
      busArn: this.busArn,
      topicArn: this.topicArn,
      opsTopicArn: this.opsTopicArn,
      workflowRoleArn: this.workflowRoleArn,
      caseStateMachineArn: this.caseStateMachineArn,
      routeTopicArns: this.routeTopicArns,
    });
  }
}

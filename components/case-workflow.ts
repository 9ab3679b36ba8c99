import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tableArn } from "../model/arns";
import {
  CASE_STATE_MACHINE_NAME,
  caseRoleName,
  caseStateMachineArn,
  ESCALATION_TOPIC_NAME,
  PAGERDUTY_CONNECTION_NAME,
} from "../model/names";
import { caseRolePolicy, stepFunctionsTrustPolicy } from "../model/policies";
import { STATE_TABLE_NAME } from "../model/state-table";
import { caseDefinition } from "../notify/case-definition";
import { loggedStateMachine } from "./delivery";

/** Arguments of one region's case workflow. */
export interface CaseWorkflowArgs {
  region: string;
  centralAccountId: string;
  /** The alert topic the case's posts go to (its stored targets), and its key. */
  topicArn: pulumi.Input<string>;
  topicKeyArn: pulumi.Input<string>;
  /** The operations topic, told when an escalation fails, and its key. */
  opsTopicArn: pulumi.Input<string>;
  opsKeyArn: pulumi.Input<string>;
  /** The owning teams' route topics in this region (under the alert topic's key): a case's posts follow its routes. */
  routeTopicArns: readonly string[];
  /** Hours before the reply-by at which to remind, largest first. */
  reminders: readonly number[];
  escalation: {
    /** Subscribed to the escalation topic; none: no topic. */
    emails: readonly string[];
    /** PagerDuty's routing key, a secret; none: no connection. */
    pagerDutyRoutingKey?: pulumi.Input<string>;
    /** Who hears of an overdue case, in words. */
    to: readonly string[];
  };
}

/** The escalation topic, under the alert topic's key, with its email subscribers. */
function escalationTopic(name: string, args: CaseWorkflowArgs, parent: pulumi.Resource) {
  const { region } = args;
  const topic = new aws.sns.Topic(
    `${name}-escalation-topic`,
    {
      region,
      name: ESCALATION_TOPIC_NAME,
      displayName: "AWS abuse report overdue",
      kmsMasterKeyId: args.topicKeyArn,
    },
    { parent },
  );
  // Named by address, so removing one subscriber leaves the others untouched.
  for (const email of args.escalation.emails) {
    new aws.sns.TopicSubscription(
      `${name}-escalation-${email}`,
      { region, topic: topic.arn, protocol: "email", endpoint: email },
      { parent },
    );
  }
  return topic;
}

/**
 * The connection PagerDuty's Events API is called through. PagerDuty wants the routing key in the
 * body: a secret body parameter that Step Functions merges into each request, so the key is in
 * neither the definition nor, unencrypted, the Pulumi state. EventBridge connections need an
 * authorization: an API key header PagerDuty ignores.
 */
function pagerDutyConnection(
  name: string,
  region: string,
  routingKey: pulumi.Input<string>,
  parent: pulumi.Resource,
) {
  return new aws.cloudwatch.EventConnection(
    `${name}-pagerduty`,
    {
      region,
      name: PAGERDUTY_CONNECTION_NAME,
      description: "abuse-alerts: PagerDuty Events API v2, its routing key a secret body parameter",
      authorizationType: "API_KEY",
      authParameters: {
        apiKey: { key: "X-Abuse-Alerts", value: "pagerduty" },
        invocationHttpParameters: {
          bodies: [{ key: "routing_key", value: pulumi.secret(routingKey), isValueSecret: true }],
        },
      },
    },
    { parent },
  );
}

/** The case workflow's role: see caseRolePolicy. */
function caseRole(
  name: string,
  args: CaseWorkflowArgs,
  escalation: { topic?: aws.sns.Topic; connection?: aws.cloudwatch.EventConnection },
  parent: pulumi.Resource,
): aws.iam.Role {
  const { region } = args;
  const { topic, connection } = escalation;
  return new aws.iam.Role(
    `${name}-role`,
    {
      name: caseRoleName(region),
      description: `abuse-alerts: the case workflow in ${region}: reminds, escalates, settles abuse cases`,
      assumeRolePolicy: JSON.stringify(stepFunctionsTrustPolicy(args.centralAccountId)),
      inlinePolicies: [
        {
          name: "case",
          policy: pulumi
            .all([
              args.topicArn,
              args.topicKeyArn,
              args.opsTopicArn,
              args.opsKeyArn,
              topic?.arn,
              connection?.arn,
              connection?.secretArn,
            ])
            .apply(([topicArn, keyArn, opsTopicArn, opsKeyArn, escalationArn, connectionArn, secretArn]) =>
              JSON.stringify(
                caseRolePolicy({
                  alert: { topicArn, keyArn },
                  ops: { topicArn: opsTopicArn, keyArn: opsKeyArn },
                  routeTopicArns: args.routeTopicArns,
                  escalation: escalationArn ? { topicArn: escalationArn, keyArn } : undefined,
                  tableArn: tableArn(region, args.centralAccountId, STATE_TABLE_NAME),
                  pagerDuty: connectionArn && secretArn ? { connectionArn, secretArn } : undefined,
                }),
              ),
            ),
        },
      ],
    },
    { parent },
  );
}

/**
 * A Standard state machine that follows each abuse case to its reply-by (reminders, overdue,
 * escalation by email and PagerDuty) and settles acknowledged or closed cases; its role; its log
 * group; the escalation topic and the PagerDuty connection when the stack escalates that way.
 */
export class CaseWorkflow extends pulumi.ComponentResource {
  /** ARN of the state machine, which the notify workflow and the Acknowledge button start. */
  public readonly stateMachineArn: pulumi.Output<string>;
  /** ARN of its role, which may publish to the alert topic. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: CaseWorkflowArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:CaseWorkflow", name, {}, opts);
    const child = { parent: this };
    const { region } = args;
    const arn = caseStateMachineArn(region, args.centralAccountId);
    const topic = args.escalation.emails.length > 0 ? escalationTopic(name, args, this) : undefined;
    const { pagerDutyRoutingKey } = args.escalation;
    const connection = pagerDutyRoutingKey
      ? pagerDutyConnection(name, region, pagerDutyRoutingKey, this)
      : undefined;

    const role = caseRole(name, args, { topic, connection }, this);
    const stateMachine = loggedStateMachine(
      name,
      {
        region,
        stateMachineName: CASE_STATE_MACHINE_NAME,
        roleArn: role.arn,
        definition: pulumi
          .all([args.opsTopicArn, topic?.arn, connection?.arn])
          .apply(([opsTopicArn, escalationArn, connectionArn]) =>
            JSON.stringify(
              caseDefinition({
                stateMachineArn: arn,
                opsTopicArn,
                reminders: args.reminders,
                escalation: {
                  topicArn: escalationArn,
                  pagerDutyConnectionArn: connectionArn,
                  to: args.escalation.to,
                },
              }),
            ),
          ),
      },
      child,
    );

    this.stateMachineArn = stateMachine.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn, roleArn: this.roleArn });
  }
}

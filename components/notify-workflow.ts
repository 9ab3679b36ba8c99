import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { notifyDefinition } from "../notify/definition";
import { MessageOptions } from "../notify/message";
import { NOTIFY_STATE_MACHINE_NAME, notifyRoleName } from "../model/names";
import { RouteTarget } from "../model/routes";
import { notifyRolePolicy, stepFunctionsTrustPolicy } from "../model/policies";

/** Arguments of one region's notify workflow. */
export interface NotifyWorkflowArgs {
  region: string;
  centralAccountId: string;
  /** The alert topic the messages are published to, and its key. */
  topicArn: pulumi.Input<string>;
  topicKeyArn: pulumi.Input<string>;
  /** The management account, whose directory role the lookups run as. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
  /** Owning teams' routes, each with its topic in this region (under the alert topic's key). */
  routes?: readonly RouteTarget[];
}

/** CloudWatch Logs' retention closest above a year: every alert's path stays readable that long. */
const LOG_RETENTION_DAYS = 400;

/**
 * A Standard state machine (JSONata, AWS SDK integrations, no Lambda) that looks up the account
 * of each event and publishes the Slack message; its role; and a log group keeping every
 * execution's states and data for 400 days (Step Functions keeps the history 90 days).
 */
export class NotifyWorkflow extends pulumi.ComponentResource {
  /** ARN of the state machine, the central rules' target. */
  public readonly stateMachineArn: pulumi.Output<string>;
  /** ARN of its role, which the directory role trusts. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: NotifyWorkflowArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:NotifyWorkflow", name, {}, opts);
    const child = { parent: this };
    const { region } = args;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: notifyRoleName(region),
        description: `abuse-alerts: the notify workflow in ${region}: looks accounts up, publishes alerts`,
        assumeRolePolicy: JSON.stringify(stepFunctionsTrustPolicy(args.centralAccountId)),
        inlinePolicies: [
          {
            name: "notify",
            policy: pulumi.all([args.topicArn, args.topicKeyArn]).apply(([topicArn, keyArn]) =>
              JSON.stringify(
                notifyRolePolicy({
                  topicArn,
                  keyArn,
                  directoryAccountId: args.directoryAccountId,
                  routeTopicArns: args.routes?.map((route) => route.topicArn),
                }),
              ),
            ),
          },
        ],
      },
      child,
    );
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        region,
        name: `/aws/vendedlogs/states/${NOTIFY_STATE_MACHINE_NAME}`,
        retentionInDays: LOG_RETENTION_DAYS,
      },
      child,
    );
    const stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        region,
        name: NOTIFY_STATE_MACHINE_NAME,
        type: "STANDARD",
        roleArn: role.arn,
        definition: pulumi.output(args.topicArn).apply((topicArn) =>
          JSON.stringify(
            notifyDefinition({
              topicArn,
              directoryAccountId: args.directoryAccountId,
              message: args.message,
              routes: args.routes,
            }),
          ),
        ),
        loggingConfiguration: {
          logDestination: pulumi.interpolate`${logs.arn}:*`,
          includeExecutionData: true,
          level: "ALL",
        },
      },
      child,
    );

    this.stateMachineArn = stateMachine.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn, roleArn: this.roleArn });
  }
}

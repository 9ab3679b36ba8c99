import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { notifyDefinition } from "../notify/definition";
import { MessageOptions } from "../notify/message";
import { tableArn } from "../model/arns";
import { caseStateMachineArn, NOTIFY_STATE_MACHINE_NAME, notifyRoleName } from "../model/names";
import { RouteTarget } from "../model/routes";
import { notifyRolePolicy, stepFunctionsTrustPolicy } from "../model/policies";
import { STATE_TABLE_NAME } from "../model/state-table";
import { loggedStateMachine } from "./delivery";

/** Arguments of one region's notify workflow. */
export interface NotifyWorkflowArgs {
  region: string;
  centralAccountId: string;
  /** The alert topic the messages are published to, and its key. */
  topicArn: pulumi.Input<string>;
  topicKeyArn: pulumi.Input<string>;
  /** The operations topic, told when a case cannot be followed, and its key. */
  opsTopicArn: pulumi.Input<string>;
  opsKeyArn: pulumi.Input<string>;
  /** The management account, whose directory role the lookups run as. */
  directoryAccountId: string;
  /** What the stack's config changes in the messages. */
  message: MessageOptions;
  /** Owning teams' routes, each with its topic in this region (under the alert topic's key). */
  routes?: readonly RouteTarget[];
}

/**
 * A Standard state machine (JSONata, AWS SDK integrations, no Lambda) that looks up the account
 * of each event, keeps its case in the state table and publishes the Slack message, starting the
 * case workflow of the region for a new abuse case; its role; and a log group keeping every
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
    const caseMachine = caseStateMachineArn(region, args.centralAccountId);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: notifyRoleName(region),
        description: `abuse-alerts: the notify workflow in ${region}: looks accounts up, keeps cases, publishes alerts`,
        assumeRolePolicy: JSON.stringify(stepFunctionsTrustPolicy(args.centralAccountId)),
        inlinePolicies: [
          {
            name: "notify",
            policy: pulumi
              .all([args.topicArn, args.topicKeyArn, args.opsTopicArn, args.opsKeyArn])
              .apply(([topicArn, keyArn, opsTopicArn, opsKeyArn]) =>
                JSON.stringify(
                  notifyRolePolicy({
                    alert: { topicArn, keyArn },
                    ops: { topicArn: opsTopicArn, keyArn: opsKeyArn },
                    directoryAccountId: args.directoryAccountId,
                    tableArn: tableArn(region, args.centralAccountId, STATE_TABLE_NAME),
                    caseStateMachineArn: caseMachine,
                    routeTopicArns: args.routes?.map((route) => route.topicArn),
                  }),
                ),
              ),
          },
        ],
      },
      child,
    );
    const stateMachine = loggedStateMachine(
      name,
      {
        region,
        stateMachineName: NOTIFY_STATE_MACHINE_NAME,
        roleArn: role.arn,
        definition: pulumi.all([args.topicArn, args.opsTopicArn]).apply(([topicArn, opsTopicArn]) =>
          JSON.stringify(
            notifyDefinition({
              topicArn,
              opsTopicArn,
              caseStateMachineArn: caseMachine,
              directoryAccountId: args.directoryAccountId,
              message: args.message,
              routes: args.routes,
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

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deadLetterQueue } from "./delivery";
import {
  STACKSET_FAILURES_DLQ_NAME,
  STACKSET_FAILURES_ROLE_NAME,
  STACKSET_FAILURES_RULE_NAME,
} from "../model/names";
import { stackInstanceFailurePattern } from "../model/patterns";
import { forwarderRolePolicy, serviceTrustPolicy } from "../model/policies";

/** Arguments of the forwarding of StackSet failures from the StackSet's account. */
export interface StackSetFailureForwarderArgs {
  /** The account that administers the StackSet, where CloudFormation emits its events. */
  accountId: string;
  /** The StackSet's region, where its events are emitted. */
  region: string;
  /** The central bus of that region. */
  centralBusArn: pulumi.Input<string>;
}

/**
 * In the StackSet's account and region: a rule for the StackSet's failed stack instances,
 * forwarding them to the central bus (through a role, with a dead-letter queue), where they are
 * posted as coverage alerts. A new account that cannot get the forwarder is heard of.
 */
export class StackSetFailureForwarder extends pulumi.ComponentResource {
  constructor(name: string, args: StackSetFailureForwarderArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:StackSetFailureForwarder", name, {}, opts);
    const child = { parent: this };
    const { region } = args;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: STACKSET_FAILURES_ROLE_NAME,
        description: "abuse-alerts: lets the StackSet failure rule put events on the central bus",
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
        inlinePolicies: [
          {
            name: "put-events-on-central-bus",
            policy: pulumi
              .output(args.centralBusArn)
              .apply((arn) => JSON.stringify(forwarderRolePolicy([arn]))),
          },
        ],
      },
      child,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        region,
        name: STACKSET_FAILURES_RULE_NAME,
        description:
          "abuse-alerts: forwards failed stack instances of the forwarder StackSet to the security account",
        eventPattern: JSON.stringify(stackInstanceFailurePattern()),
      },
      child,
    );
    const deadLetters = deadLetterQueue(
      `${name}-dlq`,
      { region, accountId: args.accountId, queueName: STACKSET_FAILURES_DLQ_NAME, ruleArn: rule.arn },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        region,
        rule: rule.name,
        targetId: "central-bus",
        arn: args.centralBusArn,
        roleArn: role.arn,
        deadLetterConfig: { arn: deadLetters.arn },
      },
      child,
    );
    this.registerOutputs({});
  }
}

import * as pulumi from "@pulumi/pulumi";
import {
  STACKSET_FAILURES_DLQ_NAME,
  STACKSET_FAILURES_ROLE_NAME,
  STACKSET_FAILURES_RULE_NAME,
} from "../model/names";
import { stackSetCoveragePattern } from "../model/patterns";
import { busForwarderRole, forwardToBus } from "./delivery";

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

    const role = busForwarderRole(
      name,
      {
        roleName: STACKSET_FAILURES_ROLE_NAME,
        description: "abuse-alerts: lets the StackSet failure rule put events on the central bus",
        busArns: [args.centralBusArn],
      },
      child,
    );
    forwardToBus(
      name,
      {
        region: args.region,
        accountId: args.accountId,
        ruleName: STACKSET_FAILURES_RULE_NAME,
        description:
          "abuse-alerts: forwards failed stack instances of the forwarder StackSet to the security account",
        pattern: stackSetCoveragePattern(),
        queueName: STACKSET_FAILURES_DLQ_NAME,
        busArn: args.centralBusArn,
        roleArn: role.arn,
      },
      child,
    );
    this.registerOutputs({});
  }
}

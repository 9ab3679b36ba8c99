import * as pulumi from "@pulumi/pulumi";
import { Category } from "../config/schema";
import { FORWARDER_DLQ_NAME, FORWARDER_ROLE_NAME, FORWARDER_RULE_NAME } from "../model/names";
import { forwarderPattern } from "../model/patterns";
import { busForwarderRole, forwardToBus } from "./delivery";

/** Arguments of one member account's forwarding. */
export interface AccountForwarderArgs {
  accountId: string;
  categories: readonly Category[];
  /** The central event bus per region; the account forwards in each of these regions. */
  centralBusArns: Record<string, pulumi.Input<string>>;
}

/**
 * One account's forwarding: in each region, a rule on the default bus for AWS Health abuse and
 * risk events, targeting the central bus of the same region through one role of the account,
 * with a dead-letter queue. Kept this small on purpose: it is repeated in every
 * account, and watched centrally (npm run doctor reads the queues), not with alarms per account.
 */
export class AccountForwarder extends pulumi.ComponentResource {
  /** ARN of the role the rules use to put events on the central buses. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AccountForwarderArgs, opts: pulumi.ComponentResourceOptions) {
    if (!opts?.provider) {
      // Without it the forwarder would land wherever the ambient credentials point.
      throw new Error(
        `AccountForwarder ${name} needs the provider of account ${args.accountId} (opts.provider)`,
      );
    }
    super("abuse-alerts:index:AccountForwarder", name, {}, opts);
    const child = { parent: this };

    const role = busForwarderRole(
      name,
      {
        roleName: FORWARDER_ROLE_NAME,
        description:
          "abuse-alerts: lets this account's EventBridge rule put AWS Health events on the central bus",
        busArns: Object.values(args.centralBusArns),
      },
      child,
    );
    for (const [region, busArn] of Object.entries(args.centralBusArns)) {
      forwardToBus(
        `${name}-${region}`,
        {
          region,
          accountId: args.accountId,
          ruleName: FORWARDER_RULE_NAME,
          description: "abuse-alerts: forwards AWS Health abuse and risk events to the security account",
          pattern: forwarderPattern(args.categories),
          queueName: FORWARDER_DLQ_NAME,
          busArn,
          roleArn: role.arn,
        },
        child,
      );
    }

    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

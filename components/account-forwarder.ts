import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Category } from "../config/schema";
import { deadLetterQueue } from "./delivery";
import { FORWARDER_DLQ_NAME, FORWARDER_ROLE_NAME, FORWARDER_RULE_NAME } from "../model/names";
import { forwarderPattern } from "../model/patterns";
import { forwarderRolePolicy, serviceTrustPolicy } from "../model/policies";

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
    const busArns = Object.values(args.centralBusArns);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: FORWARDER_ROLE_NAME,
        description:
          "abuse-alerts: lets this account's EventBridge rule put AWS Health events on the central bus",
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
        inlinePolicies: [
          {
            name: "put-events-on-central-bus",
            policy: pulumi.all(busArns).apply((arns) => JSON.stringify(forwarderRolePolicy(arns))),
          },
        ],
      },
      child,
    );

    for (const [region, busArn] of Object.entries(args.centralBusArns)) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${region}-rule`,
        {
          region,
          name: FORWARDER_RULE_NAME,
          description: "abuse-alerts: forwards AWS Health abuse and risk events to the security account",
          eventPattern: JSON.stringify(forwarderPattern(args.categories)),
        },
        child,
      );
      const deadLetters = deadLetterQueue(
        `${name}-${region}-dlq`,
        { region, accountId: args.accountId, queueName: FORWARDER_DLQ_NAME, ruleArn: rule.arn },
        child,
      );
      // A bus in another account admits this one through the organization: the target must carry a
      // role. No retry policy: AWS CDK documents it as unsupported on bus targets; EventBridge's
      // own 24 hours and 185 attempts apply, then the dead-letter queue.
      new aws.cloudwatch.EventTarget(
        `${name}-${region}-target`,
        {
          region,
          rule: rule.name,
          targetId: "central-bus",
          arn: busArn,
          roleArn: role.arn,
          deadLetterConfig: { arn: deadLetters.arn },
        },
        child,
      );
    }

    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ONBOARDING_RELAY_ROLE_NAME } from "../model/onboarding";
import { OnboardingScope, relayRolePolicy, relayTrustPolicy } from "../model/onboarding-policies";

/** Arguments of the central account's side of onboarding. */
export interface OnboardingRelayArgs {
  scope: OnboardingScope;
  /** The onboarding and reconcile workflows' roles, in the management account. */
  workflowRoleArns: pulumi.Input<string>[];
}

/**
 * In the central account: the role the management account's onboarding workflows read probe
 * arrivals (the state table's probe items) and post to the operations topic through. Nothing else.
 */
export class OnboardingRelay extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: OnboardingRelayArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:OnboardingRelay", name, {}, opts);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: ONBOARDING_RELAY_ROLE_NAME,
        description: "abuse-alerts: lets onboarding read probe arrivals and post to the operations topic",
        assumeRolePolicy: pulumi
          .all(args.workflowRoleArns)
          .apply((arns) => JSON.stringify(relayTrustPolicy(arns))),
        inlinePolicies: [
          {
            name: "read-probes-and-post",
            policy: JSON.stringify(relayRolePolicy(args.scope)),
          },
        ],
      },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

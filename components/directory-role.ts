import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DIRECTORY_ROLE_NAME } from "../model/names";
import { directoryRolePolicy, directoryTrustPolicy } from "../model/policies";
import { stackSetOperationsReadPolicy } from "../model/stackset-failures";

/** Arguments of the role the notify workflows look accounts up with. */
export interface DirectoryRoleArgs {
  /** The notify workflows' roles, one per hub region: IAM checks a trusted role exists, so these are outputs. */
  workflowRoleArns: pulumi.Input<string>[];
  /** Their state machines, which Step Functions names as the external ID when it assumes the role. */
  stateMachineArns: string[];
}

/**
 * In the management account, which Organizations and Account Management answer: a role the notify
 * workflows assume for their lookups, allowed exactly the read calls they make, trusted by nothing else.
 */
export class DirectoryRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: DirectoryRoleArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:DirectoryRole", name, {}, opts);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: DIRECTORY_ROLE_NAME,
        description:
          "abuse-alerts: lets the notify workflows read an account's name, OU path, tags and security contact",
        assumeRolePolicy: pulumi
          .all(args.workflowRoleArns)
          .apply((arns) => JSON.stringify(directoryTrustPolicy(arns, args.stateMachineArns))),
        inlinePolicies: [
          { name: "read-account-context", policy: JSON.stringify(directoryRolePolicy()) },
          // The coverage summaries: the StackSet's operations and their results.
          { name: "read-stackset-operations", policy: JSON.stringify(stackSetOperationsReadPolicy()) },
        ],
      },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackSetTargets } from "../model/stackset-targets";
import { Category } from "../config/schema";
import { forwarderTemplateBody } from "../model/forwarder-template";
import { STACKSET_NAME } from "../model/names";

/** Arguments of the StackSet that deploys the forwarder to the member accounts. */
export interface StackSetForwarderArgs {
  centralAccountId: string;
  categories: readonly Category[];
  /** Regions whose stacks each target account gets: the hub's regions. */
  regions: readonly string[];
  targets: StackSetTargets;
}

/**
 * How a rollout proceeds, in every region in parallel, past a failing 10% of the accounts (an OU
 * whose SCP blocks the forwarder must not hold up the rest; `npm run coverage` and the coverage
 * alerts name them). None of this applies to auto-deployments (new accounts), which CloudFormation
 * runs on its own.
 *
 * Creating the stack instances (the first `pulumi up`, a new region or OU) acts on 25% of the
 * accounts at once: 10,000 accounts in four waves, within CloudFormation's 3,500 concurrent
 * operations per region. Soft failure tolerance, or the concurrency would be capped at the
 * tolerance plus one.
 */
const INSTANCE_PREFERENCES = {
  regionConcurrencyType: "PARALLEL",
  concurrencyMode: "SOFT_FAILURE_TOLERANCE",
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
};

/**
 * A template change updates every stack through the StackSet, whose operation preferences have no
 * concurrency mode in pulumi-aws 7: CloudFormation's default, strict failure tolerance, caps the
 * concurrency at the tolerance plus one account, so said here as it runs: 10% at once, ten waves.
 */
const TEMPLATE_UPDATE_PREFERENCES = {
  regionConcurrencyType: "PARALLEL",
  maxConcurrentPercentage: 10,
  failureTolerancePercentage: 10,
};

/**
 * One service-managed StackSet with auto-deployment, and its stack instances in every region,
 * targeting the selected OUs or the root. Accounts that join a target OU get the forwarder without
 * a `pulumi up`; accounts that leave lose it. Declared through the provider of the account that
 * administers StackSets: the management account, or a delegated administrator (callAs).
 */
export class StackSetForwarder extends pulumi.ComponentResource {
  /** Name of the StackSet, for the coverage audit. */
  public readonly stackSetName: pulumi.Output<string>;

  constructor(name: string, args: StackSetForwarderArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:StackSetForwarder", name, {}, opts);
    const { targets } = args;

    const stackSet = new aws.cloudformation.StackSet(
      `${name}-stackset`,
      {
        name: STACKSET_NAME,
        description:
          "abuse-alerts: forwards AWS Health abuse and risk events of every account to the security account",
        permissionModel: "SERVICE_MANAGED",
        // Accounts leaving a target OU lose their stacks: nothing of abuse-alerts stays behind.
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        callAs: targets.callAs,
        capabilities: ["CAPABILITY_NAMED_IAM"],
        templateBody: forwarderTemplateBody(args),
        // An update queues behind a running auto-deployment instead of failing.
        managedExecution: { active: true },
        operationPreferences: TEMPLATE_UPDATE_PREFERENCES,
      },
      {
        parent: this,
        // Unused with SERVICE_MANAGED; the provider showed a diff on it at every run (fixed 2026-01).
        ignoreChanges: ["administrationRoleArn"],
      },
    );

    for (const region of args.regions) {
      new aws.cloudformation.StackSetInstance(
        `${name}-${region}`,
        {
          stackSetName: stackSet.name,
          stackSetInstanceRegion: region,
          callAs: targets.callAs,
          deploymentTargets: {
            organizationalUnitIds: targets.organizationalUnitIds,
            accountFilterType: targets.accountFilterType,
            accounts: targets.accounts.length > 0 ? targets.accounts : undefined,
          },
          operationPreferences: INSTANCE_PREFERENCES,
          retainStack: false,
        },
        {
          parent: this,
          // The provider replaces an instance whose targets change. Created first, the new one would
          // collide with the old, whose deletion then removes the stacks of OUs kept in both.
          deleteBeforeReplace: true,
          // The provider waits for the whole operation; a large organization takes longer than 30 minutes.
          customTimeouts: { create: "3h", update: "3h", delete: "3h" },
        },
      );
    }

    this.stackSetName = stackSet.name;
    this.registerOutputs({ stackSetName: this.stackSetName });
  }
}

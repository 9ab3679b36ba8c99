import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackSetTargets } from "../accounts/stackset-targets";
import { Category } from "../config/schema";
import { forwarderTemplateBody } from "./forwarderTemplate";
import { STACKSET_NAME } from "./names";

/** Arguments of the StackSet that deploys the forwarder to the member accounts. */
export interface StackSetForwarderArgs {
  centralAccountId: string;
  categories: readonly Category[];
  /** Regions whose stacks each target account gets: the hub's regions. */
  regions: readonly string[];
  targets: StackSetTargets;
}

/**
 * How a rollout proceeds. A first rollout or a template change updates every account: 25% of
 * the accounts at once (10,000 accounts in four waves, within CloudFormation's 3,500 concurrent
 * operations per region), all regions in parallel, and past a failing 10% (an OU whose SCP blocks
 * the forwarder must not hold up the rest; `npm run coverage` and the coverage alerts name them).
 * Soft failure tolerance, or concurrency would be capped at the tolerance plus one. These do not
 * apply to auto-deployments (new accounts), which CloudFormation runs on its own.
 */
const OPERATION_PREFERENCES = {
  regionConcurrencyType: "PARALLEL",
  maxConcurrentPercentage: 25,
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
        operationPreferences: OPERATION_PREFERENCES,
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
          operationPreferences: { ...OPERATION_PREFERENCES, concurrencyMode: "SOFT_FAILURE_TOLERANCE" },
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

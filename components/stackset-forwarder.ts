import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackSetTargets } from "../model/stackset-targets";
import { Category } from "../config/schema";
import { forwarderTemplateBody } from "../model/forwarder-template";
import { STACKSET_NAME } from "../model/names";
import { stackSetInstanceDeclarations } from "../model/stackset-instances";
import { rolloutTimeout } from "../model/stackset-rollout";

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
  regionConcurrencyType: "PARALLEL" as const,
  maxConcurrentPercentage: 10,
  failureTolerancePercentage: 10,
};

/**
 * What `pulumi up` waits for a StackSet or instance operation, instead of the provider's 30
 * minutes: a template update at 10% a wave is ten waves (the regions in parallel), at most 20
 * minutes each, and may queue behind another rollout: 6h40m (model/stackset-rollout.ts). Instance
 * operations (25% a wave) are shorter, but may queue behind a template update: the same wait.
 */
export const ROLLOUT_TIMEOUT = rolloutTimeout({ ...TEMPLATE_UPDATE_PREFERENCES, regions: 1 });
const ROLLOUT_TIMEOUTS = { create: ROLLOUT_TIMEOUT, update: ROLLOUT_TIMEOUT, delete: ROLLOUT_TIMEOUT };

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
        templateBody: forwarderTemplateBody({ ...args, excludedAccounts: targets.excludedAccounts }),
        // An update queues behind a running auto-deployment instead of failing.
        managedExecution: { active: true },
        operationPreferences: TEMPLATE_UPDATE_PREFERENCES,
      },
      {
        parent: this,
        // Unused with SERVICE_MANAGED; the provider showed a diff on it at every run (fixed 2026-01).
        ignoreChanges: ["administrationRoleArn"],
        customTimeouts: ROLLOUT_TIMEOUTS,
      },
    );

    // One instance per target OU and region: adding or removing an OU adds or removes its own,
    // and the others stay as they are. None is replaced in place, so none is deleteBeforeReplace.
    for (const declaration of stackSetInstanceDeclarations(
      name,
      targets.organizationalUnitIds,
      args.regions,
    )) {
      new aws.cloudformation.StackSetInstance(
        declaration.name,
        {
          stackSetName: stackSet.name,
          stackSetInstanceRegion: declaration.region,
          callAs: targets.callAs,
          deploymentTargets: {
            organizationalUnitIds: [declaration.organizationalUnitId],
            accountFilterType: "NONE",
          },
          operationPreferences: INSTANCE_PREFERENCES,
          retainStack: false,
        },
        {
          parent: this,
          aliases: declaration.legacyName ? [{ name: declaration.legacyName }] : [],
          // Exclusions live in the template now. An instance carried over from the one-per-region
          // declaration keeps its old DIFFERENCE filter: the provider would replace the instance for
          // it, and the replacement's delete would remove every stack of the OU.
          ignoreChanges: ["deploymentTargets.accountFilterType", "deploymentTargets.accounts"],
          customTimeouts: ROLLOUT_TIMEOUTS,
        },
      );
    }

    this.stackSetName = stackSet.name;
    this.registerOutputs({ stackSetName: this.stackSetName });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkDirectCapacity } from "../accounts/capacity";
import { discoverAccounts, Discovery, DiscoverySources, SourcesFactory } from "../accounts/discover";
import { createStsClient, getCaller } from "../accounts/identity";
import { AwsOrganizationDirectory, createOrganizationsClient } from "../accounts/organizations";
import { probeMemberRoles } from "../accounts/probe";
import { applyReachability } from "../accounts/reachability";
import { StackSetTargets, stackSetTargets } from "../model/stackset-targets";
import { strandedAccounts, strandedMessage } from "../accounts/stranded";
import { AccountForwarder } from "../components/account-forwarder";
import { CentralHub } from "../components/central-hub";
import { DirectoryRole } from "../components/directory-role";
import { roleArn, stateMachineArn } from "../model/names";
import { SecurityContacts } from "../components/security-contacts";
import { StackSetFailureForwarder } from "../components/stackset-failure-forwarder";
import { StackSetForwarder } from "../components/stackset-forwarder";
import { configFromPulumi, unreadKeyWarnings } from "../config/read";
import { AbuseAlertsConfig, configWarnings, GLOBAL_EVENTS_REGION } from "../config/schema";
import { isUserError } from "../lib/errors";

async function awsSources(): Promise<DiscoverySources> {
  const sts = createStsClient();
  const caller = await getCaller(sts);
  return {
    caller,
    origin: `AWS Organizations (credentials ${caller.arn})`,
    directory: new AwsOrganizationDirectory(createOrganizationsClient(), { callerArn: caller.arn }),
    probe: (accountIds, roleName) =>
      probeMemberRoles(sts, accountIds, { roleName, callerAccountId: caller.accountId }),
  };
}

/** Errors a person fixes in config or credentials print as plain messages, without a stack trace. */
const asRunError = (error: unknown): unknown =>
  isUserError(error) ? new pulumi.RunError(error.message) : error;

interface Prepared {
  config: AbuseAlertsConfig;
  discovery: Discovery;
  /** StackSet mode only: where the StackSet's instances go. */
  targets?: StackSetTargets;
  /** Accounts whose forwarder Pulumi declares itself, each through its own provider. */
  directAccounts: string[];
}

/** Config, accounts and targets, or a clear error before any resource is declared. */
async function prepare(sources: SourcesFactory): Promise<Prepared> {
  try {
    // Every key of the stack, whatever its namespace, so unknown and misplaced ones are reported.
    const allConfig = pulumi.runtime.allConfig();
    const config = configFromPulumi(allConfig);
    [...configWarnings(config), ...unreadKeyWarnings(Object.keys(allConfig))].forEach(
      (warning) => void pulumi.log.warn(warning),
    );
    const source = await sources();
    let discovery = await discoverAccounts(config, source);
    let targets: StackSetTargets | undefined;
    if (config.deployment === "direct") {
      checkDirectCapacity(discovery.covered.length, config.maxDirectAccounts);
    } else {
      const rootId = config.accounts.organizationalUnits.length > 0 ? "" : await source.directory.rootId();
      targets = stackSetTargets(config.accounts.organizationalUnits, discovery, rootId);
      if (targets.callAs === "DELEGATED_ADMIN") {
        void pulumi.log.info(
          `running in account ${discovery.caller.accountId}, not the management account ${discovery.managementAccountId ?? "?"}: ` +
            "the StackSet is managed as a StackSets delegated administrator (callAs DELEGATED_ADMIN)",
        );
      }
    }
    // The management account holds the directory role the alerts look accounts up with.
    const directoryAccountId = discovery.managementAccountId ?? discovery.caller.accountId;
    const providerAccounts = [
      ...new Set([
        ...(targets
          ? [config.centralAccountId, ...targets.direct]
          : discovery.covered.map((account) => account.id)),
        directoryAccountId,
      ]),
    ];
    if (source.probe) {
      // Before any resource is declared: a provider that cannot assume its role fails mid-deployment.
      void pulumi.log.info(`checking role ${config.memberRoleName} in ${providerAccounts.length} accounts`);
      const outcomes = await source.probe(providerAccounts, config.memberRoleName);
      discovery = applyReachability(discovery, outcomes, {
        mode: config.unreachableAccounts,
        roleName: config.memberRoleName,
        required: {
          [config.centralAccountId]: `The central account ${config.centralAccountId} hosts the hub and must be reachable.`,
          [directoryAccountId]: `The management account ${directoryAccountId} holds the role the alerts look accounts up with and must be reachable: run from it, or create role ${config.memberRoleName} there.`,
        },
      });
    }
    discovery.warnings.forEach((warning) => void pulumi.log.warn(warning));
    const covered = new Set(discovery.covered.map((account) => account.id));
    const directAccounts = (targets ? targets.direct : [...covered]).filter((id) => covered.has(id));
    return { config, discovery, targets, directAccounts };
  } catch (error) {
    throw asRunError(error);
  }
}

/**
 * The provider of one account, pinned to it with allowedAccountIds. The account the program runs
 * in uses the ambient credentials; every other one is reached through the member role.
 */
function accountProvider(
  accountId: string,
  config: AbuseAlertsConfig,
  callerAccountId: string,
): aws.Provider {
  return new aws.Provider(`account-${accountId}`, {
    region: GLOBAL_EVENTS_REGION,
    allowedAccountIds: [accountId],
    assumeRoles:
      accountId === callerAccountId
        ? undefined
        : [{ roleArn: roleArn(accountId, config.memberRoleName), sessionName: "abuse-alerts" }],
    defaultTags: { tags: { "managed-by": "abuse-alerts" } },
  });
}

/** The accounts whose forwarders this stack's last update declared, read back from its own outputs. */
async function previouslyDirect(): Promise<string[] | undefined> {
  const self = new pulumi.StackReference(
    `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  );
  // Stacks deployed before StackSet mode existed had only coveredAccountIds, all of them direct.
  for (const name of ["directForwarderAccountIds", "coveredAccountIds"]) {
    const value: unknown = (await self.getOutputDetails(name)).value;
    if (Array.isArray(value)) return value.map(String);
  }
  return undefined;
}

/**
 * The Pulumi program: validate config, discover accounts, declare the hub in the central account
 * and the forwarders (one per account in direct mode; a StackSet, plus the accounts it cannot
 * reach, in stackset mode), export outputs. `pulumi up` calls it without arguments; `npm run plan`
 * and the tests pass an offline organization.
 */
export async function abuseAlerts(sources: SourcesFactory = awsSources) {
  const { config, discovery, targets, directAccounts } = await prepare(sources);
  const stranded = strandedAccounts(await previouslyDirect(), discovery.skipped);
  if (stranded.length > 0)
    throw new pulumi.RunError(strandedMessage(stranded, pulumi.getStack(), pulumi.getProject()));

  const callerAccountId = discovery.caller.accountId;
  // Organizations and Account Management answer the management account: the workflows' lookups
  // run there (the caller's account when explicit mode leaves the management account unknown).
  const directoryAccountId = discovery.managementAccountId ?? callerAccountId;
  // The caller's own provider administers the StackSet and sets the member accounts' contacts.
  const providerAccounts = [
    ...(targets || config.securityContact ? [callerAccountId] : []),
    config.centralAccountId,
    directoryAccountId,
    ...directAccounts,
  ];
  const providers = new Map(
    [...new Set(providerAccounts)].map((id) => [id, accountProvider(id, config, callerAccountId)]),
  );

  const hub = new CentralHub(
    "central",
    {
      centralAccountId: config.centralAccountId,
      organizationId: discovery.organizationId,
      regions: config.regions,
      categories: config.categories,
      slack: config.slack,
      notifyEmails: config.notifyEmails,
      archiveRetentionDays: config.archiveRetentionDays,
      stackSetRegion: targets ? GLOBAL_EVENTS_REGION : undefined,
      directoryAccountId,
      message: {
        accountTags: config.accountTags,
        securityContactConfigured: config.securityContact !== undefined,
        stackSetCallAs: targets?.callAs ?? "SELF",
      },
    },
    { provider: providers.get(config.centralAccountId) },
  );
  new DirectoryRole(
    "directory",
    {
      workflowRoleArns: hub.workflowRoleArns,
      stateMachineArns: config.regions.map((region) => stateMachineArn(region, config.centralAccountId)),
    },
    { provider: providers.get(directoryAccountId) },
  );
  for (const accountId of directAccounts) {
    new AccountForwarder(
      `forwarder-${accountId}`,
      { accountId, categories: config.categories, centralBusArns: hub.busArns },
      { provider: providers.get(accountId) },
    );
  }
  if (targets) {
    // StackSets are administered, and emit their events, in the caller's account and region.
    const administrator = { provider: providers.get(callerAccountId) };
    new StackSetForwarder(
      "stackset",
      {
        centralAccountId: config.centralAccountId,
        categories: config.categories,
        regions: config.regions,
        targets,
      },
      administrator,
    );
    new StackSetFailureForwarder(
      "stackset-failures",
      {
        accountId: callerAccountId,
        region: GLOBAL_EVENTS_REGION,
        centralBusArn: hub.busArns[GLOBAL_EVENTS_REGION],
      },
      administrator,
    );
  }

  if (config.securityContact) {
    const management = discovery.managementAccountId;
    const managementProvider = management === undefined ? undefined : providers.get(management);
    new SecurityContacts(
      "security-contacts",
      {
        contact: config.securityContact,
        accountIds: discovery.covered.map((account) => account.id),
        callerAccountId,
        management:
          management !== undefined && management !== callerAccountId && managementProvider
            ? { accountId: management, provider: managementProvider }
            : undefined,
      },
      { provider: providers.get(callerAccountId) },
    );
  }

  return {
    centralEventBusArns: hub.busArns,
    snsTopicArns: hub.topicArns,
    chatbotConfigurationArn: hub.chatbotConfigurationArn,
    coveredAccountIds: discovery.covered.map((account) => account.id),
    skippedAccounts: discovery.skipped.map(({ id, reason }) => ({ id, reason })),
    directForwarderAccountIds: [...directAccounts].sort(),
  };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { discoverAccounts, Discovery, DiscoverySources, SourcesFactory } from "./accounts/discover";
import { createStsClient, getCaller } from "./accounts/identity";
import { AwsOrganizationDirectory, createOrganizationsClient } from "./accounts/organizations";
import { memberRoleArn } from "./accounts/assume";
import { checkDirectCapacity } from "./accounts/capacity";
import { probeMemberRoles } from "./accounts/probe";
import { applyReachability } from "./accounts/reachability";
import { strandedAccounts, strandedMessage } from "./accounts/stranded";
import { AccountForwarder } from "./components/accountForwarder";
import { CentralHub } from "./components/centralHub";
import { loadConfig } from "./config/read";
import { isUserError } from "./lib/cli";
import { AbuseAlertsConfig, ConfigError, configWarnings, GLOBAL_EVENTS_REGION } from "./config/schema";

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

/** Config and accounts, or a clear error before any resource is declared. */
async function prepare(
  sources: SourcesFactory,
): Promise<{ config: AbuseAlertsConfig; discovery: Discovery }> {
  try {
    const config = loadConfig();
    if (config.deployment === "stackset") {
      throw new ConfigError([
        "abuse-alerts:deployment stackset is not available in this version; use direct (a provider per account)",
      ]);
    }
    configWarnings(config).forEach((warning) => void pulumi.log.warn(warning));
    const source = await sources();
    let discovery = await discoverAccounts(config, source);
    if (config.deployment === "direct")
      checkDirectCapacity(discovery.covered.length, config.maxDirectAccounts);
    if (source.probe) {
      // Before any resource is declared: a provider that cannot assume its role fails mid-deployment.
      const accountIds = discovery.covered.map((account) => account.id);
      void pulumi.log.info(`checking role ${config.memberRoleName} in ${accountIds.length} accounts`);
      const outcomes = await source.probe(accountIds, config.memberRoleName);
      discovery = applyReachability(discovery, outcomes, {
        mode: config.unreachableAccounts,
        roleName: config.memberRoleName,
        centralAccountId: config.centralAccountId,
      });
    }
    discovery.warnings.forEach((warning) => void pulumi.log.warn(warning));
    return { config, discovery };
  } catch (error) {
    throw asRunError(error);
  }
}

/**
 * One provider per covered account, pinned to it with allowedAccountIds. The account the program
 * runs in uses the ambient credentials; every other one is reached through the member role.
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
        : [{ roleArn: memberRoleArn(accountId, config.memberRoleName), sessionName: "abuse-alerts" }],
    defaultTags: { tags: { "managed-by": "abuse-alerts" } },
  });
}

/** The accounts this stack's last update covered, read back from its own outputs. */
async function previouslyCovered(): Promise<string[] | undefined> {
  const self = new pulumi.StackReference(
    `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  );
  const details = await self.getOutputDetails("coveredAccountIds");
  const value: unknown = details.value;
  return Array.isArray(value) ? value.map(String) : undefined;
}

/**
 * The Pulumi program: validate config, discover accounts, declare the hub in the central account
 * and a forwarder in every covered account, export outputs. `pulumi up` calls it without
 * arguments; `npm run plan` and the tests pass an offline organization.
 */
async function abuseAlerts(sources: SourcesFactory = awsSources) {
  const { config, discovery } = await prepare(sources);
  const stranded = strandedAccounts(await previouslyCovered(), discovery.skipped);
  if (stranded.length > 0)
    throw new pulumi.RunError(strandedMessage(stranded, pulumi.getStack(), pulumi.getProject()));
  const providers = new Map(
    discovery.covered.map((account) => [
      account.id,
      accountProvider(account.id, config, discovery.caller.accountId),
    ]),
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
    },
    { provider: providers.get(config.centralAccountId) },
  );
  for (const account of discovery.covered) {
    new AccountForwarder(
      `forwarder-${account.id}`,
      { accountId: account.id, categories: config.categories, centralBusArns: hub.busArns },
      { provider: providers.get(account.id) },
    );
  }

  return {
    centralEventBusArns: hub.busArns,
    snsTopicArns: hub.topicArns,
    chatbotConfigurationArn: hub.chatbotConfigurationArn,
    coveredAccountIds: discovery.covered.map((account) => account.id),
    skippedAccounts: discovery.skipped.map(({ id, reason }) => ({ id, reason })),
  };
}

export = abuseAlerts;

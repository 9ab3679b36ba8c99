import * as pulumi from "@pulumi/pulumi";
import { awsOrganizationSources, DiscoverySources, SourcesFactory } from "../accounts/discover";
import { createStsClient } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { probeMemberRoles } from "../accounts/probe";
import { strandedAccounts, strandedMessage } from "../accounts/stranded";
import { declareForwarders, declareHub } from "./declare";
import { declareOnboarding } from "./onboarding";
import { prepare } from "./prepare";
import { AccountProviders } from "./providers";

async function awsSources(): Promise<DiscoverySources> {
  const sts = createStsClient();
  const sources = await awsOrganizationSources(sts, createOrganizationsClient());
  return {
    ...sources,
    probe: (accountIds, roleName) =>
      probeMemberRoles(sts, accountIds, { roleName, callerAccountId: sources.caller.accountId }),
  };
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
export async function abuseAlerts(sources?: SourcesFactory) {
  // Without sources, this is pulumi up (or preview) against AWS.
  const prepared = await prepare(sources ?? awsSources, sources === undefined);
  const { discovery, directAccounts, config } = prepared;
  const stranded = strandedAccounts(await previouslyDirect(), discovery.skipped);
  if (stranded.length > 0)
    throw new pulumi.RunError(strandedMessage(stranded, pulumi.getStack(), pulumi.getProject()));

  const providers = new AccountProviders(
    prepared.providerAccounts,
    config.memberRoleName,
    discovery.caller.accountId,
  );
  const hub = declareHub(prepared, providers);
  declareForwarders(prepared, providers, hub);
  declareOnboarding(prepared, providers);

  return {
    centralEventBusArns: hub.busArns,
    snsTopicArns: hub.topicArns,
    chatbotConfigurationArn: hub.chatbotConfigurationArn,
    caseStateMachineArns: hub.caseStateMachineArns,
    coveredAccountIds: discovery.covered.map((account) => account.id),
    skippedAccounts: discovery.skipped.map(({ id, reason }) => ({ id, reason })),
    directForwarderAccountIds: [...directAccounts].sort(),
  };
}

import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import { AbuseAlertsConfig } from "../config/schema";
import { getCaller } from "./identity";
import { AwsOrganizationDirectory } from "./organizations";
import { ProbeOutcome } from "./probe";
import { Selection, selectAccounts } from "./select";
import { Caller, DiscoveryError, OrganizationDirectory } from "./types";

export interface Discovery extends Selection {
  caller: Caller;
  organizationId: string;
  /** Unknown in explicit mode, which never calls Organizations. */
  managementAccountId?: string;
  /** Covered accounts outside the selected OUs: the central account, covered as it hosts the hub. */
  outsideUnits: string[];
}

export interface DiscoverySources {
  caller: Caller;
  /** Where the organization is read, for messages: AWS with these credentials, or an offline file. */
  origin: string;
  /** How to read another organization instead, when the config names one this is not. */
  elsewhere?: string;
  /** Not called at all when the config lists accounts explicitly. */
  directory: OrganizationDirectory;
  /** Tries the member role in each account; absent offline, where nothing can be assumed. */
  probe?: (accountIds: readonly string[], roleName: string) => Promise<ProbeOutcome[]>;
}

/** Where the program learns about the organization: AWS itself, or a sample organization offline. */
export type SourcesFactory = () => Promise<DiscoverySources>;

/** The organization as these credentials see it: who they are, and Organizations read through them. */
export async function awsOrganizationSources(
  sts: STSClient,
  organizations: OrganizationsClient,
  options: { concurrency?: number } = {},
): Promise<DiscoverySources & { directory: AwsOrganizationDirectory }> {
  const caller = await getCaller(sts);
  return {
    caller,
    origin: `AWS Organizations (credentials ${caller.arn})`,
    directory: new AwsOrganizationDirectory(organizations, {
      callerArn: caller.arn,
      concurrency: options.concurrency,
    }),
  };
}

/** Which accounts the stack covers, from the config and the organization. */
export async function discoverAccounts(
  config: AbuseAlertsConfig,
  sources: DiscoverySources,
): Promise<Discovery> {
  const { caller, directory, origin, elsewhere } = sources;
  const { explicit, organizationalUnits, exclude } = config.accounts;
  const rules = { centralAccountId: config.centralAccountId, exclude, elsewhere };

  if (explicit) {
    // Validation guarantees organizationId in explicit mode.
    const organizationId = config.organizationId ?? "";
    const candidates = explicit.map((account) => ({ ...account, state: "ACTIVE" }));
    const scope = "abuse-alerts:accounts.explicit";
    return { caller, organizationId, outsideUnits: [], ...selectAccounts(candidates, { ...rules, scope }) };
  }

  const organization = await directory.describeOrganization();
  if (config.organizationId && config.organizationId !== organization.id) {
    throw new DiscoveryError(
      `abuse-alerts:organizationId is ${config.organizationId}, but ${origin} reports organization ${organization.id}; ` +
        // Offline, the file is the likelier mistake: the key usually holds the real organization.
        (elsewhere
          ? `${elsewhere}, or fix the key`
          : `fix the key, or run with credentials of organization ${config.organizationId}`),
    );
  }
  const base = {
    caller,
    organizationId: organization.id,
    managementAccountId: organization.managementAccountId,
    outsideUnits: [] as string[],
  };
  const orgScope = `organization ${organization.id} (${origin})`;

  if (organizationalUnits.length === 0) {
    const candidates = await directory.listAccounts();
    return { ...base, ...selectAccounts(candidates, { ...rules, scope: orgScope }) };
  }

  const underUnits = await directory.listAccountsUnder(organizationalUnits);
  const units = organizationalUnits.join(", ");
  if (!underUnits.some((account) => account.state === "ACTIVE" && !exclude.includes(account.id))) {
    throw new DiscoveryError(
      `abuse-alerts:accounts.organizationalUnits (${units}) holds no ACTIVE account that is not excluded ` +
        `(${underUnits.length} found); check the OU IDs, or leave the key out to cover the whole organization`,
    );
  }
  const warnings: string[] = [];
  const outsideUnits: string[] = [];
  if (!underUnits.some((account) => account.id === config.centralAccountId)) {
    // The hub's own account is covered even outside the selected OUs: an abuse report there matters too.
    const central = await directory.describeAccount(config.centralAccountId);
    if (central) {
      underUnits.push(central);
      outsideUnits.push(central.id);
      warnings.push(
        `abuse-alerts:centralAccountId ${central.id} is not under ${units}; it is covered anyway, as it hosts the hub`,
      );
    }
  }
  const selection = selectAccounts(underUnits, { ...rules, scope: orgScope });
  return { ...base, outsideUnits, ...selection, warnings: [...warnings, ...selection.warnings] };
}

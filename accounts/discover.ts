import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import { AbuseAlertsConfig } from "../config/schema";
import { getCaller } from "./identity";
import { nestedUnitMessages } from "./nesting";
import { AwsOrganizationDirectory } from "./organizations";
import { ProbeOutcome } from "./probe";
import {
  uncoveredRouteAccounts,
  unknownRouteAccounts,
  unknownRouteUnits,
  unknownUnitProblems,
} from "./routes";
import { nearAccount, Selection, selectAccounts } from "./select";
import { Caller, DiscoveryError, OrganizationDirectory, OrgAccount } from "./types";

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

/**
 * Exclusions one or two characters off an account that would be covered, and in no account of the
 * organization: a typo, which as written leaves the account meant covered. `directory` answers
 * whether an ID outside the candidates is an account elsewhere in the organization (OU mode).
 */
async function mistypedExclusions(
  candidates: readonly OrgAccount[],
  exclude: readonly string[],
  scope: string,
  directory?: OrganizationDirectory,
): Promise<string[]> {
  const known = new Set(candidates.map((account) => account.id));
  const coverable = candidates.filter(
    (account) => account.state === "ACTIVE" && !exclude.includes(account.id),
  );
  const problems: string[] = [];
  for (const id of exclude.filter((excluded) => !known.has(excluded))) {
    const near = nearAccount(coverable, id);
    if (!near || (directory && (await directory.describeAccount(id)))) continue;
    problems.push(
      `abuse-alerts:accounts.exclude lists ${id}, which is not an account of ${scope}${near} As written, that account stays covered`,
    );
  }
  return problems;
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
    // Explicit mode calls no Organizations API: route OUs go unchecked, route accounts must be listed.
    const earlier = [
      ...(await mistypedExclusions(candidates, exclude, scope)),
      ...(await unknownRouteAccounts(config.routes, candidates, scope)),
    ];
    const selection = selectAccounts(candidates, { ...rules, scope, earlier });
    return { caller, organizationId, outsideUnits: [], ...withRouteWarnings(config, selection) };
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

  const routeUnits = await unknownRouteUnits(config.routes, directory);
  if (organizationalUnits.length === 0) {
    const candidates = await directory.listAccounts();
    const earlier = [
      ...routeUnits,
      ...(await mistypedExclusions(candidates, exclude, orgScope)),
      ...(await unknownRouteAccounts(config.routes, candidates, orgScope)),
    ];
    const selection = selectAccounts(candidates, { ...rules, scope: orgScope, earlier });
    return { ...base, ...withRouteWarnings(config, selection) };
  }
  const selection = await selectUnderUnits(config, directory, orgScope, { ...rules, earlier: routeUnits });
  return { ...base, ...withRouteWarnings(config, selection) };
}

/** The selection, with a warning for each route account it leaves out. */
function withRouteWarnings<S extends Selection>(config: AbuseAlertsConfig, selection: S): S {
  return {
    ...selection,
    warnings: [...selection.warnings, ...uncoveredRouteAccounts(config.routes, selection)],
  };
}

/**
 * The accounts under the selected OUs, plus the central account wherever it is. Every problem is
 * reported at once: each unknown OU, an OU under another (in stackset mode), the central account,
 * mistyped exclusions.
 */
async function selectUnderUnits(
  config: AbuseAlertsConfig,
  directory: OrganizationDirectory,
  scope: string,
  rules: {
    centralAccountId: string;
    exclude: readonly string[];
    elsewhere?: string;
    /** Problems found before, reported with these. */
    earlier: readonly string[];
  },
): Promise<Selection & { outsideUnits: string[] }> {
  const { organizationalUnits, exclude } = config.accounts;
  const { accounts: underUnits, unknownUnits } = await directory.listAccountsUnder(organizationalUnits);
  const units = organizationalUnits.join(", ");
  const earlier = [
    ...rules.earlier,
    ...(await unknownUnitProblems(
      directory,
      unknownUnits.map((id) => ({ id })),
    )),
  ];
  const warnings: string[] = [];
  const known = organizationalUnits.filter((id) => !unknownUnits.includes(id));
  // Only a StackSet is harmed: its OUs' instances share stacks. Direct mode selects each account once.
  const nesting = await nestedUnitMessages(directory, known, config.deployment);
  (config.deployment === "stackset" ? earlier : warnings).push(...nesting);
  if (
    unknownUnits.length === 0 &&
    !underUnits.some((account) => account.state === "ACTIVE" && !exclude.includes(account.id))
  ) {
    earlier.push(
      `abuse-alerts:accounts.organizationalUnits (${units}) holds no ACTIVE account that is not excluded ` +
        `(${underUnits.length} found); check the OU IDs, or leave the key out to cover the whole organization`,
    );
  }
  const outsideUnits: string[] = [];
  let others: OrgAccount[] = [];
  if (!underUnits.some((account) => account.id === config.centralAccountId)) {
    // The hub's own account is covered even outside the selected OUs: an abuse report there matters too.
    const central = await directory.describeAccount(config.centralAccountId);
    if (central) {
      underUnits.push(central);
      outsideUnits.push(central.id);
      warnings.push(
        `abuse-alerts:centralAccountId ${central.id} is not under ${units}; it is covered anyway, as it hosts the hub`,
      );
    } else others = await directory.listAccounts(); // where its near miss may be
  }
  earlier.push(...(await mistypedExclusions(underUnits, exclude, scope, directory)));
  // A route account outside the selected OUs is in the organization: a warning, after selection.
  earlier.push(...(await unknownRouteAccounts(config.routes, underUnits, scope, directory)));
  const selection = selectAccounts(underUnits, { ...rules, scope, earlier, others });
  return { outsideUnits, ...selection, warnings: [...warnings, ...selection.warnings] };
}

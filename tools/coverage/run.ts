import type { AwsCredentialIdentity } from "@smithy/types";
import pLimit from "p-limit";
import { assumeMemberRole } from "../../accounts/assume";
import { discoverAccounts } from "../../accounts/discover";
import { errorCode, errorMessage } from "../../accounts/errors";
import { getCaller } from "../../accounts/identity";
import { AwsOrganizationDirectory } from "../../accounts/organizations";
import { probeFix } from "../../accounts/probe";
import { stackSetAdministration } from "../../model/stackset-targets";
import { CoveredAccount } from "../../accounts/types";
import { STACKSET_NAME } from "../../model/names";
import { forwarderPattern } from "../../model/patterns";
import { AbuseAlertsConfig, SecurityContact } from "../../config/schema";
import { Discovery } from "../../accounts/discover";
import { noProgress, ProgressFactory } from "../../lib/progress";
import { securityContactRow } from "./contact";
import { directForwarderRow } from "./direct";
import { stackInstances, stackSetRows } from "./stackset";
import { CoverageClients, CoverageRow } from "./types";

export interface CoverageOptions {
  /** Parallel per-account calls (default 8). */
  concurrency?: number;
  progress?: ProgressFactory;
}

export interface CoverageReport {
  deployment: AbuseAlertsConfig["deployment"];
  accounts: number;
  regions: readonly string[];
  rows: CoverageRow[];
}

/**
 * For every account in scope and every configured region, whether a forwarder is in place: the
 * StackSet's instance in stackset mode, the direct forwarder's rule for the accounts Pulumi
 * deploys itself. Read with the credentials of the management account or the StackSets
 * delegated administrator; the direct accounts through the member role.
 */
export async function runCoverage(
  clients: CoverageClients,
  config: AbuseAlertsConfig,
  options: CoverageOptions = {},
): Promise<CoverageReport> {
  const progress = options.progress ?? noProgress;
  const limit = pLimit(options.concurrency ?? 8);
  const caller = await getCaller(clients.sts);
  const discovery = await discoverAccounts(config, {
    caller,
    origin: `AWS Organizations (credentials ${caller.arn})`,
    directory: new AwsOrganizationDirectory(clients.organizations, { callerArn: caller.arn }),
  });
  const rows: CoverageRow[] = [];
  let direct: CoveredAccount[] = discovery.covered;
  if (config.deployment === "stackset") {
    const targets = stackSetAdministration(discovery);
    const reachedDirectly = new Set(targets.direct);
    const listing = progress(
      "listing stack instances",
      (discovery.covered.length - reachedDirectly.size) * config.regions.length,
    );
    const instances = await stackInstances(clients.cloudformation, STACKSET_NAME, targets.callAs, (read) =>
      listing.update(read, read),
    ).finally(() => listing.stop());
    direct = discovery.covered.filter((account) => reachedDirectly.has(account.id));
    rows.push(
      ...stackSetRows(
        discovery.covered.filter((account) => !reachedDirectly.has(account.id)),
        config.regions,
        instances,
        { name: STACKSET_NAME, callAs: targets.callAs },
      ),
    );
  }

  const bar = progress("reading direct forwarders", direct.length);
  const expected = {
    pattern: forwarderPattern(config.categories),
    centralAccountId: config.centralAccountId,
  };
  const perAccount = await Promise.all(
    direct.map((account) =>
      limit(async (): Promise<CoverageRow[]> => {
        try {
          let credentials: AwsCredentialIdentity | undefined;
          try {
            if (account.id !== caller.accountId) {
              credentials = await assumeMemberRole(
                clients.sts,
                account.id,
                config.memberRoleName,
                "abuse-alerts-coverage",
              );
            }
          } catch (error) {
            return config.regions.map((region) => ({
              accountId: account.id,
              name: account.name,
              region,
              item: "forwarder (direct)",
              status: "unknown",
              detail: `cannot assume ${config.memberRoleName}: ${errorCode(error)}: ${errorMessage(error)}`,
              fix: probeFix(errorCode(error), account.id, config.memberRoleName, caller.accountId),
            }));
          }
          return await Promise.all(
            config.regions.map((region) =>
              directForwarderRow(clients.eventBridge(region, credentials), account, region, expected),
            ),
          );
        } finally {
          bar.tick();
        }
      }),
    ),
  );
  bar.stop();
  rows.push(...perAccount.flat());
  if (config.securityContact) {
    rows.push(
      ...(await contactRows(clients, config, config.securityContact, discovery, {
        limit,
        progress,
        caller: caller.accountId,
      })),
    );
  }
  rows.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  return { deployment: config.deployment, accounts: discovery.covered.length, regions: config.regions, rows };
}

/**
 * Every covered account's SECURITY contact, read as the program sets it: member accounts by
 * AccountId with the caller's credentials; the caller's own and the management account's (which
 * may not name itself) without it, the latter through the member role when the caller is a
 * delegated administrator.
 */
async function contactRows(
  clients: CoverageClients,
  config: AbuseAlertsConfig,
  contact: SecurityContact,
  discovery: Discovery,
  options: { limit: ReturnType<typeof pLimit>; progress: ProgressFactory; caller: string },
): Promise<CoverageRow[]> {
  const bar = options.progress("reading security contacts", discovery.covered.length);
  const rows = await Promise.all(
    discovery.covered.map((account) =>
      options.limit(async (): Promise<CoverageRow> => {
        try {
          const own = account.id === options.caller;
          if (own || account.id !== discovery.managementAccountId) {
            return await securityContactRow(clients.account(), account, contact, { nameAccount: !own });
          }
          const credentials = await assumeMemberRole(
            clients.sts,
            account.id,
            config.memberRoleName,
            "abuse-alerts-coverage",
          ).catch((error: unknown) => error as Error);
          if (credentials instanceof Error) {
            return {
              accountId: account.id,
              name: account.name,
              region: "global",
              item: "security contact",
              status: "unknown",
              detail: `the management account's own contact needs its credentials: cannot assume ${config.memberRoleName}: ${errorCode(credentials)}: ${errorMessage(credentials)}`,
              fix: "run npm run coverage from the management account",
            };
          }
          return await securityContactRow(clients.account(credentials), account, contact, {
            nameAccount: false,
          });
        } finally {
          bar.tick();
        }
      }),
    ),
  );
  bar.stop();
  return rows;
}

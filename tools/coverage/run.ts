import pLimit from "p-limit";
import { awsOrganizationSources, discoverAccounts, Discovery } from "../../accounts/discover";
import { credentialsOf, ProbeOutcome, probeFix, reachAccount } from "../../accounts/probe";
import { stackSetAdministration } from "../../model/stackset-targets";
import { CoveredAccount } from "../../accounts/types";
import { STACKSET_NAME } from "../../model/names";
import { forwarderPattern } from "../../model/patterns";
import { AbuseAlertsConfig, SecurityContact } from "../../config/schema";
import { noProgress, ProgressFactory } from "../../lib/progress";
import { securityContactRow } from "./contact";
import { directForwarderRow } from "./direct";
import { OperationReport, stackSetOperations } from "./operations";
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
  /** stackset mode: the StackSet's running and last operations, with their results. */
  operations?: OperationReport[];
  /** stackset mode: accounts (and regions) the StackSet skipped as suspended; never posted in the channel. */
  suspended?: string[];
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
  const sources = await awsOrganizationSources(clients.sts, clients.organizations);
  const discovery = await discoverAccounts(config, sources);
  const reached = new Map<string, Promise<ProbeOutcome>>();
  const reach = (accountId: string) => {
    if (!reached.has(accountId)) {
      reached.set(
        accountId,
        reachAccount(clients.sts, accountId, {
          roleName: config.memberRoleName,
          callerAccountId: discovery.caller.accountId,
          sessionName: "abuse-alerts-coverage",
        }),
      );
    }
    return reached.get(accountId) as Promise<ProbeOutcome>;
  };
  const run = { clients, config, discovery, limit, progress, reach };
  const rows: CoverageRow[] = [];
  let direct: CoveredAccount[] = discovery.covered;
  let stackSet: Pick<CoverageReport, "operations" | "suspended"> = {};
  if (config.deployment === "stackset") {
    const reachedDirectly = new Set(stackSetAdministration(discovery).direct);
    direct = discovery.covered.filter((account) => reachedDirectly.has(account.id));
    const found = await stackSetCoverage(run, reachedDirectly);
    rows.push(...found.rows);
    stackSet = { operations: found.operations, suspended: found.suspended };
  }
  rows.push(...(await directCoverage(run, direct)));
  if (config.securityContact) rows.push(...(await contactRows(run, config.securityContact)));
  rows.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
  return {
    deployment: config.deployment,
    accounts: discovery.covered.length,
    regions: config.regions,
    rows,
    ...stackSet,
  };
}

/** What one audit works with. */
interface CoverageRun {
  clients: CoverageClients;
  config: AbuseAlertsConfig;
  discovery: Discovery;
  limit: ReturnType<typeof pLimit>;
  progress: ProgressFactory;
  /** The account's credentials, each account reached once whatever reads it. */
  reach: (accountId: string) => Promise<ProbeOutcome>;
}

/** The StackSet's instance of every account and region it should reach, its operations, the suspended accounts it skips. */
async function stackSetCoverage(
  run: CoverageRun,
  reachedDirectly: ReadonlySet<string>,
): Promise<{ rows: CoverageRow[]; operations: OperationReport[]; suspended: string[] }> {
  const { clients, config, discovery, progress } = run;
  const { callAs } = stackSetAdministration(discovery);
  const targets = discovery.covered.filter((account) => !reachedDirectly.has(account.id));
  const listing = progress("listing stack instances", targets.length * config.regions.length);
  const instances = await stackInstances(clients.cloudformation, STACKSET_NAME, callAs, (read) =>
    listing.update(read, read),
  ).finally(() => listing.stop());
  const reading = progress("reading the StackSet's operations", 1);
  const operations = await stackSetOperations(clients.cloudformation, STACKSET_NAME, callAs).finally(() =>
    reading.stop(),
  );
  const suspended = [...(instances?.values() ?? [])]
    .filter((instance) => instance.StackInstanceStatus?.DetailedStatus === "SKIPPED_SUSPENDED_ACCOUNT")
    .map((instance) => `${instance.Account ?? "?"} ${instance.Region ?? "?"}`)
    .sort();
  return {
    rows: stackSetRows(targets, config.regions, instances, { name: STACKSET_NAME, callAs }),
    operations,
    suspended,
  };
}

/** The direct forwarder's rule in every region of the accounts Pulumi deploys to itself. */
async function directCoverage(run: CoverageRun, direct: readonly CoveredAccount[]): Promise<CoverageRow[]> {
  const { clients, config, discovery, limit, progress } = run;
  const bar = progress("reading direct forwarders", direct.length);
  const expected = {
    pattern: forwarderPattern(config.categories),
    centralAccountId: config.centralAccountId,
  };
  const perAccount = await Promise.all(
    direct.map((account) =>
      limit(async (): Promise<CoverageRow[]> => {
        try {
          const reached = await run.reach(account.id);
          if (reached.status === "failed") {
            return config.regions.map((region) => ({
              accountId: account.id,
              name: account.name,
              region,
              item: "forwarder (direct)",
              status: "unknown",
              detail: `cannot assume ${config.memberRoleName}: ${reached.errorCode}: ${reached.message}`,
              fix: probeFix(reached.errorCode, account.id, config.memberRoleName, discovery.caller.accountId),
            }));
          }
          return await Promise.all(
            config.regions.map((region) =>
              directForwarderRow(
                clients.eventBridge(region, credentialsOf(reached)),
                account,
                region,
                expected,
              ),
            ),
          );
        } finally {
          bar.tick();
        }
      }),
    ),
  );
  bar.stop();
  return perAccount.flat();
}

/**
 * Every covered account's SECURITY contact, read as the program sets it: member accounts by
 * AccountId with the caller's credentials; the caller's own and the management account's (which
 * may not name itself) without it, the latter through the member role when the caller is a
 * delegated administrator.
 */
async function contactRows(run: CoverageRun, contact: SecurityContact): Promise<CoverageRow[]> {
  const { clients, config, discovery } = run;
  const bar = run.progress("reading security contacts", discovery.covered.length);
  const rows = await Promise.all(
    discovery.covered.map((account) =>
      run.limit(async (): Promise<CoverageRow> => {
        try {
          const own = account.id === discovery.caller.accountId;
          if (own || account.id !== discovery.managementAccountId) {
            return await securityContactRow(clients.account(), account, contact, { nameAccount: !own });
          }
          const reached = await run.reach(account.id);
          if (reached.status === "failed") {
            return {
              accountId: account.id,
              name: account.name,
              region: "global",
              item: "security contact",
              status: "unknown",
              detail: `the management account's own contact needs its credentials: cannot assume ${config.memberRoleName}: ${reached.errorCode}: ${reached.message}`,
              fix: "run npm run coverage from the management account",
            };
          }
          return await securityContactRow(clients.account(credentialsOf(reached)), account, contact, {
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

import * as pulumi from "@pulumi/pulumi";
import { checkDirectCapacity } from "../accounts/capacity";
import { discoverAccounts, Discovery, DiscoverySources, SourcesFactory } from "../accounts/discover";
import { applyReachability } from "../accounts/reachability";
import { configFromPulumi, unreadKeyWarnings } from "../config/read";
import { AbuseAlertsConfig, ConfigError, configWarnings } from "../config/schema";
import { isUserError } from "../lib/errors";
import { StackSetTargets, stackSetTargets } from "../model/stackset-targets";

/** What the program declares from: decided once, before any resource. */
export interface Prepared {
  config: AbuseAlertsConfig;
  discovery: Discovery;
  /** StackSet mode only: where the StackSet's instances go. */
  targets?: StackSetTargets;
  /** Accounts whose forwarder Pulumi declares itself, each through its own provider. */
  directAccounts: string[];
  /**
   * The management account, which Organizations and Account Management answer: it holds the role
   * the workflows look accounts up with (the caller's account when explicit mode leaves it unknown).
   */
  directoryAccountId: string;
  /** Every account Pulumi declares resources in, each through its own provider. */
  providerAccounts: string[];
}

/**
 * Errors a person fixes in config or credentials print as plain messages, without a stack trace:
 * config problems name the stack's file, and under `pulumi up` each says that nothing was
 * deployed (it fails before any resource is declared). Offline (plan), nothing ever is.
 */
export function asRunError(error: unknown, options: { stack: string; deploying: boolean }): unknown {
  if (error instanceof ConfigError) {
    return new pulumi.RunError(
      error.in({ file: `Pulumi.${options.stack}.yaml`, deploying: options.deploying }).message,
    );
  }
  if (!isUserError(error)) return error;
  return new pulumi.RunError(`${error.message}${options.deploying ? "\nNothing was deployed." : ""}`);
}

/**
 * Which keys Pulumi holds encrypted. The SDK keeps the list for itself (runtime.isConfigSecret is
 * marked internal): without it, no key counts as secret, and a routing key is refused until the
 * SDK says it is one.
 */
function configSecrets(): (fullKey: string) => boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
  return (key) => runtime.isConfigSecret?.(key) ?? false;
}

/** The stack's config, its warnings logged; every key is read, whatever its namespace, so misplaced ones are reported. */
function readConfig(): AbuseAlertsConfig {
  const allConfig = pulumi.runtime.allConfig();
  const config = configFromPulumi(allConfig, configSecrets());
  [...configWarnings(config), ...unreadKeyWarnings(Object.keys(allConfig))].forEach(
    (warning) => void pulumi.log.warn(warning),
  );
  return config;
}

/** StackSet mode's targets, or the direct mode's capacity check. */
async function deploymentTargets(
  config: AbuseAlertsConfig,
  discovery: Discovery,
  source: DiscoverySources,
): Promise<StackSetTargets | undefined> {
  if (config.deployment === "direct") {
    checkDirectCapacity(discovery.covered.length, config.maxDirectAccounts);
    return undefined;
  }
  const units = config.accounts.organizationalUnits;
  const rootId = units.length > 0 ? "" : await source.directory.rootId();
  const targets = stackSetTargets(units, discovery, rootId);
  if (targets.callAs === "DELEGATED_ADMIN") {
    void pulumi.log.info(
      `running in account ${discovery.caller.accountId}, not the management account ${discovery.managementAccountId ?? "?"}: ` +
        "the StackSet is managed as a StackSets delegated administrator (callAs DELEGATED_ADMIN)",
    );
  }
  return targets;
}

/** Tries the member role in every account a provider will use: one that cannot be assumed fails mid-deployment. */
async function probeProviders(
  config: AbuseAlertsConfig,
  discovery: Discovery,
  source: DiscoverySources,
  accountIds: readonly string[],
  directoryAccountId: string,
): Promise<Discovery> {
  if (!source.probe) return discovery;
  void pulumi.log.info(`checking role ${config.memberRoleName} in ${accountIds.length} accounts`);
  const outcomes = await source.probe(accountIds, config.memberRoleName);
  return applyReachability(discovery, outcomes, {
    mode: config.unreachableAccounts,
    roleName: config.memberRoleName,
    required: {
      [config.centralAccountId]: `The central account ${config.centralAccountId} hosts the hub and must be reachable.`,
      [directoryAccountId]: `The management account ${directoryAccountId} holds the role the alerts look accounts up with and must be reachable: run from it, or create role ${config.memberRoleName} there.`,
    },
  });
}

/**
 * Config, accounts, targets and providers, or a clear error before any resource is declared.
 * `deploying`: run by `pulumi up` (or preview), not offline by plan or the tests.
 */
export async function prepare(sources: SourcesFactory, deploying: boolean): Promise<Prepared> {
  try {
    const config = readConfig();
    const source = await sources();
    const discovered = await discoverAccounts(config, source);
    const targets = await deploymentTargets(config, discovered, source);
    const directoryAccountId = discovered.managementAccountId ?? discovered.caller.accountId;
    const candidates = targets ? targets.direct : discovered.covered.map((account) => account.id);
    // In direct mode the covered accounts include the central one.
    const hubAndDirect = targets ? [config.centralAccountId, ...candidates] : candidates;
    const probed = [...new Set([...hubAndDirect, directoryAccountId])];
    const discovery = await probeProviders(config, discovered, source, probed, directoryAccountId);
    discovery.warnings.forEach((warning) => void pulumi.log.warn(warning));
    const covered = new Set(discovery.covered.map((account) => account.id));
    const directAccounts = candidates.filter((id) => covered.has(id));
    // The caller's own provider administers the StackSet and sets the member accounts' contacts.
    const caller = targets || config.securityContact ? [discovery.caller.accountId] : [];
    const providerAccounts = [
      ...new Set([...caller, config.centralAccountId, directoryAccountId, ...directAccounts]),
    ];
    return { config, discovery, targets, directAccounts, directoryAccountId, providerAccounts };
  } catch (error) {
    throw asRunError(error, { stack: pulumi.getStack(), deploying });
  }
}

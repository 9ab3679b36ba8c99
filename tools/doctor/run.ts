import pLimit from "p-limit";
import { awsOrganizationSources, discoverAccounts, Discovery } from "../../accounts/discover";
import { errorMessage } from "../../accounts/errors";
import { AwsOrganizationDirectory } from "../../accounts/organizations";
import { credentialsOf, ProbeOutcome, probeMemberRoles } from "../../accounts/probe";
import { Caller } from "../../accounts/types";
import { AbuseAlertsConfig } from "../../config/schema";
import { noProgress, ProgressFactory } from "../../lib/progress";
import { contactAccessCheck } from "./checks/contact-access";
import { deadLettersCheck } from "./checks/dead-letters";
import { workflowCheck } from "./checks/workflow";
import { memberRoleCheck } from "./checks/member-role";
import { scpCheck, stackSetScpCheck } from "./checks/scp";
import { slackCheck } from "./checks/slack";
import { routesCheck } from "./checks/routes";
import { stackSetAccessCheck } from "./checks/stackset-access";
import { stackSetAdminCheck } from "./checks/stackset-admin";
import { DoctorCheck, DoctorClients, DoctorContext, Finding } from "./types";

/** The checks, in the order they run and report. A new check is a new module added here. */
const CHECKS: readonly DoctorCheck[] = [
  stackSetAdminCheck,
  stackSetAccessCheck,
  contactAccessCheck,
  memberRoleCheck,
  slackCheck,
  routesCheck,
  scpCheck,
  stackSetScpCheck,
  workflowCheck,
  deadLettersCheck,
];

export interface DoctorOptions {
  /** Parallel per-account calls (default 8). */
  concurrency?: number;
  progress?: ProgressFactory;
  /** Milliseconds between reads of the workflow's dry run (default 2,000). */
  pollIntervalMs?: number;
  /** The checks to run; all of them by default. */
  checks?: readonly DoctorCheck[];
}

const stopped = (check: string, subject: string, error: unknown): Finding => ({
  check,
  status: "fail",
  subject,
  detail: errorMessage(error),
  stopped: true,
});

/** Who runs, in which organization, and what the discovery of accounts found. */
async function organizationFindings(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  concurrency: number,
): Promise<{
  findings: Finding[];
  sources?: { caller: Caller; directory: AwsOrganizationDirectory; discovery: Discovery };
}> {
  let sources: Awaited<ReturnType<typeof awsOrganizationSources>>;
  try {
    sources = await awsOrganizationSources(clients.sts, clients.organizations, { concurrency });
  } catch (error) {
    return { findings: [stopped("identity", "credentials", error)] };
  }
  const { caller, directory } = sources;
  const identity: Finding = {
    check: "identity",
    status: "ok",
    subject: `account ${caller.accountId}`,
    detail: `running as ${caller.arn}`,
  };
  let discovery: Discovery;
  try {
    discovery = await discoverAccounts(config, sources);
  } catch (error) {
    return { findings: [identity, stopped("organization", "organization", error)] };
  }
  const organization: Finding = {
    check: "organization",
    status: "ok",
    subject: discovery.organizationId,
    detail:
      `${discovery.covered.length} accounts covered, ${discovery.skipped.length} skipped` +
      (discovery.managementAccountId ? `; management account ${discovery.managementAccountId}` : ""),
  };
  const warnings = discovery.warnings.map((warning): Finding => ({
    check: "organization",
    status: "warn",
    subject: "config",
    detail: warning,
  }));
  return { findings: [identity, organization, ...warnings], sources: { caller, directory, discovery } };
}

/** What every check is given; the member role is tried once, when a check first needs it. */
function doctorContext(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  found: { caller: Caller; directory: AwsOrganizationDirectory; discovery: Discovery },
  options: DoctorOptions & { concurrency: number; progress: ProgressFactory },
): DoctorContext {
  const { caller, directory, discovery } = found;
  const { concurrency, progress } = options;
  let access: Promise<ProbeOutcome[]> | undefined;
  const memberAccess = () => {
    access ??= (async () => {
      const bar = progress(`assuming ${config.memberRoleName}`, discovery.covered.length);
      try {
        return await probeMemberRoles(
          clients.sts,
          discovery.covered.map((account) => account.id),
          {
            roleName: config.memberRoleName,
            callerAccountId: caller.accountId,
            concurrency,
            // The queues are read after the SCP scan, which takes a while in a large organization.
            sessionSeconds: 3600,
            onSettled: () => bar.tick(),
          },
        );
      } finally {
        bar.stop();
      }
    })();
    return access;
  };
  return {
    config,
    clients,
    discovery,
    directory,
    limit: pLimit(concurrency),
    progress,
    pollIntervalMs: options.pollIntervalMs ?? 2000,
    memberAccess,
    reach: async (accountId) => {
      const outcome = (await memberAccess()).find((probed) => probed.accountId === accountId);
      return outcome && outcome.status !== "failed" ? { credentials: credentialsOf(outcome) } : undefined;
    },
  };
}

/**
 * Everything that can stop an alert, checked with the deploying credentials before `pulumi up`:
 * who runs and in which organization, then every check that concerns this stack. Without
 * credentials or Organizations access it stops there, as nothing else can be read.
 */
export async function runDoctor(
  clients: DoctorClients,
  config: AbuseAlertsConfig,
  options: DoctorOptions = {},
): Promise<Finding[]> {
  const concurrency = options.concurrency ?? 8;
  const progress = options.progress ?? noProgress;
  const { findings, sources } = await organizationFindings(clients, config, concurrency);
  if (!sources) return findings;
  const context = doctorContext(clients, config, sources, { ...options, concurrency, progress });
  for (const check of options.checks ?? CHECKS) {
    if (check.applies && !check.applies(config)) continue;
    findings.push(...(await check.run(context)));
  }
  return findings;
}

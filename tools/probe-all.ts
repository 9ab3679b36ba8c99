import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import { awsClient } from "../accounts/clients";
import { awsOrganizationSources, discoverAccounts } from "../accounts/discover";
import { createStsClient } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { AbuseAlertsConfig } from "../config/schema";
import { noProgress, ProgressFactory } from "../lib/progress";
import { renderTable } from "../lib/tables";
import { defaultTraceClients, sendTestEvent, SendTestEventClients, TestEventError } from "./test-event";
import { traceProbe, TraceClients } from "./trace-probe";

/** One account and region of `send-test-event --all`. */
export interface ProbeRow {
  accountId: string;
  name: string;
  region: string;
  /** Seconds from the put to the central record; none: it stopped. */
  seconds?: number;
  detail: string;
}

export interface ProbeAllClients extends SendTestEventClients {
  trace: TraceClients;
  organizations: OrganizationsClient;
}

/**
 * `send-test-event --all`, a live coverage audit: a probe through every covered account's forwarder
 * in every configured region, `concurrency` at once, each followed to the central workflow that
 * records it. Probes post nothing in Slack (notify/probe-path.ts).
 */
export async function probeAll(
  clients: ProbeAllClients,
  config: AbuseAlertsConfig,
  options: { concurrency: number; progress?: ProgressFactory; roleName: string },
): Promise<ProbeRow[]> {
  const discovery = await discoverAccounts(
    config,
    await awsOrganizationSources(clients.sts, clients.organizations),
  );
  const pairs = discovery.covered.flatMap((account) => config.regions.map((region) => ({ account, region })));
  const bar = (options.progress ?? noProgress)("probing", pairs.length);
  const limit = pLimit(options.concurrency);
  const stamp = (clients.now?.() ?? new Date()).toISOString().replace(/[-:.]/g, "");
  const rows = await Promise.all(
    pairs.map(({ account, region }) =>
      limit(async (): Promise<ProbeRow> => {
        const row = { accountId: account.id, name: account.name, region };
        try {
          const at = clients.now?.() ?? new Date();
          const probeOptions = {
            accountId: account.id,
            region,
            category: config.categories[0],
            roleName: options.roleName,
          };
          const sent = await sendTestEvent(clients, {
            ...probeOptions,
            probeId: `cli-${account.id}-${stamp}`,
          });
          const trace = await traceProbe(
            clients.trace,
            { ...sent, at },
            { centralAccountId: config.centralAccountId, region, roleName: options.roleName, probe: true },
          );
          const last = trace.hops[trace.hops.length - 1];
          if (trace.stopped)
            return { ...row, detail: `stopped at ${trace.stopped.hop}: ${trace.stopped.check}` };
          return {
            ...row,
            seconds: ((last.at?.getTime() ?? 0) - at.getTime()) / 1000,
            detail: "recorded centrally",
          };
        } catch (error) {
          return { ...row, detail: `not sent: ${(error as Error).message}` };
        } finally {
          bar.tick();
        }
      }),
    ),
  );
  bar.stop();
  return rows;
}

/** The audit as a table, and a line that counts what arrived. */
export function renderProbeAll(rows: ProbeRow[]): string {
  const table = renderTable(
    ["Account", "Name", "Region", "Arrived", "Detail"],
    rows.map((row) => [
      row.accountId,
      row.name,
      row.region,
      row.seconds === undefined ? "no" : `${row.seconds.toFixed(1)} s`,
      row.detail,
    ]),
    undefined,
    [0],
  );
  const arrived = rows.filter((row) => row.seconds !== undefined).length;
  return `${table}\n${arrived} of ${rows.length} probes arrived.`;
}

/** The command line's `--all`: refuses what cannot go with it, then the audit and its table. */
export async function probeAllAndDescribe(
  request: { account?: string; regionGiven: boolean; role?: string; concurrency: number },
  config: AbuseAlertsConfig | undefined,
  clients: ProbeAllClients,
  progress?: ProgressFactory,
): Promise<string> {
  if (request.account !== undefined)
    throw new TestEventError(
      `--all probes every covered account: leave out --account ${request.account}, or --all to probe one`,
    );
  if (request.regionGiven)
    throw new TestEventError("--all probes every region of abuse-alerts:regions: leave out --region");
  if (!config)
    throw new TestEventError(
      "--all reads the covered accounts and regions from the stack's config: run it where Pulumi.<stack>.yaml is, or pass --stack <name>",
    );
  const rows = await probeAll(clients, config, {
    concurrency: request.concurrency,
    progress,
    roleName: request.role ?? config.memberRoleName,
  });
  return renderProbeAll(rows);
}

/** The clients of a real `--all`: the project's way, ambient credentials, real time. */
export function awsProbeAllClients(): ProbeAllClients {
  const sts = createStsClient();
  return {
    sts,
    eventBridge: (region, credentials) => awsClient(EventBridgeClient, region, credentials),
    organizations: createOrganizationsClient(),
    trace: defaultTraceClients(sts),
  };
}

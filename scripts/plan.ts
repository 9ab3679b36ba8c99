import { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { accountsBelow, fileCaller, readOrganizationFile } from "../accounts/org-file";
import { projectConfigValues } from "../config/read";
import { AbuseAlertsConfig, validateConfig } from "../config/schema";
import { readStackConfig, stackFilePath } from "../config/stack-file";
import { renderForSlack } from "../components/notification";
import { PlannedResource, runOffline } from "./offline";
import { previewEvent } from "./preview";
import { runCommand } from "../lib/cli";
import { newTable } from "../lib/tables";

export const DEFAULT_ORG = join(__dirname, "..", "examples", "organization.json");
export const SAMPLE_EVENT = join(__dirname, "..", "test", "fixtures", "events", "abuse", "dos-report.json");

export interface PlanOptions {
  stack: string;
  org: string;
  /** An event whose Slack message the plan shows. */
  event: string;
}

function sampleMessage(eventFile: string, config: AbuseAlertsConfig): string {
  const event = JSON.parse(readFileSync(eventFile, "utf8")) as Record<string, unknown>;
  const [posted] = previewEvent(event, {
    categories: config.categories,
    centralAccountId: config.centralAccountId,
  }).rules;
  if (!posted) return `No central rule of this stack posts ${eventFile}.`;
  return posted.notification ? renderForSlack(posted.notification) : `INVALID message: ${posted.error}`;
}

function configTable(config: AbuseAlertsConfig): string {
  const rows = newTable(["Key", "Value"]);
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined)
      rows.push([`abuse-alerts:${key}`, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return rows.toString();
}

/** Resources per account and region: what each account will hold. */
function resourceTable(deployed: PlannedResource[], names: Map<string, string>, regions: string[]): string {
  const columns = [
    "global",
    ...regions,
    ...new Set(deployed.map((r) => r.region).filter((r) => r !== "global" && !regions.includes(r))),
  ];
  const rows = newTable(["Account", "Name", ...columns, "Total"]);
  const count = (list: PlannedResource[], region: string) =>
    list.filter((resource) => resource.region === region).length;
  for (const account of [...new Set(deployed.map((resource) => resource.account))].sort()) {
    const mine = deployed.filter((resource) => resource.account === account);
    rows.push([
      account,
      names.get(account) ?? "",
      ...columns.map((column) => count(mine, column)),
      mine.length,
    ]);
  }
  rows.push(["Total", "", ...columns.map((column) => count(deployed, column)), deployed.length]);
  return rows.toString();
}

function typeTable(deployed: PlannedResource[]): string {
  const counts = new Map<string, number>();
  for (const resource of deployed) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  const rows = newTable(["Type", "Count"]);
  [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([type, count]) => rows.push([type, count]));
  return rows.toString();
}

/** What `pulumi up` would deploy for this stack and organization, as text. */
export async function renderPlan(options: PlanOptions): Promise<string> {
  const stackPath = stackFilePath(options.stack);
  const stackConfig = readStackConfig(stackPath);
  const organization = readOrganizationFile(options.org);
  const { outputs, resources } = await runOffline({ stackConfig, organization, stack: options.stack });
  const config = validateConfig(projectConfigValues(stackConfig));
  const names = new Map(accountsBelow(organization.root).map((account) => [account.id, account.name]));
  const caller = fileCaller(organization).accountId;
  const covered = outputs.coveredAccountIds as string[];
  const skipped = outputs.skippedAccounts as { id: string; reason: string }[];

  const accounts = newTable(["Account", "Name", "Status", "How"]);
  for (const id of covered) {
    const role = id === config.centralAccountId ? "central hub + forwarder" : "forwarder";
    const access = id === caller ? "deploying credentials" : `assumes ${config.memberRoleName}`;
    accounts.push([id, names.get(id) ?? "", "covered", `${role}; ${access}`]);
  }
  for (const { id, reason } of skipped) accounts.push([id, names.get(id) ?? "", "skipped", reason]);

  const providers = resources.filter((resource) => resource.type === "pulumi:providers:aws").length;
  const components = resources.filter((resource) => !resource.custom).length;
  const deployed = resources.filter(
    (resource) => resource.custom && resource.type !== "pulumi:providers:aws",
  );
  return [
    `abuse-alerts plan: stack ${options.stack} (${stackPath}), organization ${options.org}`,
    "Offline: the real program under Pulumi mocks. No AWS call, no Pulumi CLI, nothing deployed.",
    "",
    "Configuration",
    configTable(config),
    "",
    `Accounts: ${covered.length} covered, ${skipped.length} skipped`,
    accounts.toString(),
    "",
    "Resources per account and region",
    resourceTable(deployed, names, config.regions),
    "",
    "Resources by type",
    typeTable(deployed),
    "",
    `What the security team sees for ${options.event} (npm run preview-message -- <event.json> for others)`,
    sampleMessage(options.event, config),
    "",
    `Totals: ${deployed.length} AWS resources and ${components} components in ${covered.length} accounts and ` +
      `${config.regions.length} region(s); ${providers} AWS providers, each its own plugin process (roughly 170-430 MB apiece).`,
    `Next: pulumi preview --stack ${options.stack}, with credentials of the management account or a delegated administrator.`,
  ].join("\n");
}

if (require.main === module) {
  runCommand(
    new Command()
      .name("npm run plan --")
      .description(
        "Run the abuse-alerts program offline against a sample organization and print what it would deploy.",
      )
      .option("--stack <name>", "stack whose Pulumi.<name>.yaml to read", "prod")
      .option("--org <file>", "organization file: accounts, OUs and states", DEFAULT_ORG)
      .option("--event <file>", "event whose Slack message to show", SAMPLE_EVENT)
      .action(async (options: PlanOptions) => console.log(await renderPlan(options))),
  );
}

import { join, relative } from "node:path";
import { PROVIDER_MEMORY_MB } from "../accounts/capacity";
import { accountsBelow, fileCaller, readOrganizationFile } from "../accounts/org-file";
import { AbuseAlertsConfig, Category } from "../config/schema";
import { configOfStackFile, encryptedKeys, readStackConfig, stackFilePath } from "../config/stack-file";
import { OfflineRun, PlannedResource, runOffline } from "../sim/pulumi-runner";
import { EVENTS_DIR } from "./examples";
import { previewTime, readEventFile, renderPreview, stackPreviewOptions } from "./preview";
import { contextsFromOrganization } from "../sim/account-context";
import { noProgress, ProgressFactory } from "../lib/progress";
import { paragraph, renderTable } from "../lib/tables";
import { CloudFormationTemplate, TEMPLATE_BODY_LIMIT, templateExclusions } from "../model/forwarder-template";
import { CallAs } from "../model/stackset-targets";
import { routesSection } from "./plan-routes";

/** The sample event a plan shows: one of the stack's first category, so the stack would post it. */
const sampleEvent = (categories: readonly Category[]): string =>
  join(
    EVENTS_DIR,
    ...(categories[0] === "risk" ? ["risk", "credentials-exposed.json"] : ["abuse", "dos-report.json"]),
  );

export interface PlanOptions {
  stack: string;
  org: string;
  /** An event whose Slack message the plan shows; a sample of the stack's categories by default. */
  event?: string;
  /** When the workflow runs, for the hours left; when the event was received by default. */
  now?: Date;
  /** Shows how far the declaration is; none by default. */
  progress?: ProgressFactory;
}

export interface Plan {
  text: string;
  /** False when the workflow would make of the event a message Slack refuses: the plan then fails. */
  messageValid: boolean;
}

/** The config as a plan may print it: PagerDuty's routing key is a secret. */
function shownConfig(config: AbuseAlertsConfig): object {
  const { pagerDuty } = config.escalation;
  return pagerDuty
    ? { ...config, escalation: { ...config.escalation, pagerDuty: { routingKey: "(secret, not shown)" } } }
    : config;
}

function configTable(config: AbuseAlertsConfig): string {
  return renderTable(
    ["Key", "Value"],
    Object.entries(shownConfig(config))
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [
        `abuse-alerts:${key}`,
        key === "routes"
          ? `${config.routes.length} route${config.routes.length === 1 ? "" : "s"}: see Routes`
          : typeof value === "string"
            ? value
            : JSON.stringify(value),
      ]),
  );
}

/** Resources per account and region: what each account will hold. */
function resourceTable(deployed: PlannedResource[], names: Map<string, string>, regions: string[]): string {
  const extra = deployed.map((resource) => resource.region).filter((region) => region !== "global");
  const columns = ["global", ...new Set([...regions, ...extra])];
  const counts = new Map<string, Map<string, number>>();
  for (const { account, region } of deployed) {
    const perRegion = counts.get(account) ?? new Map<string, number>();
    perRegion.set(region, (perRegion.get(region) ?? 0) + 1);
    counts.set(account, perRegion);
  }
  const totals = columns.map((column) => deployed.filter((resource) => resource.region === column).length);
  const rows = [...counts.keys()].sort().map((account) => {
    const perRegion = counts.get(account) ?? new Map<string, number>();
    const cells = columns.map((column) => perRegion.get(column) ?? 0);
    return [account, names.get(account) ?? "", ...cells, cells.reduce((sum, count) => sum + count, 0)];
  });
  return renderTable(
    ["Account", "Name", ...columns, "Total"],
    [...rows, ["Total", "", ...totals, deployed.length]],
  );
}

function typeTable(deployed: PlannedResource[]): string {
  const counts = new Map<string, number>();
  for (const resource of deployed) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return renderTable(
    ["Type", "Count"],
    [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)),
  );
}

const STACKSET_TYPE = "aws:cloudformation/stackSet:StackSet";

/** How the declared StackSet is administered; SELF in direct mode, which has none. */
const declaredCallAs = (resources: PlannedResource[]): CallAs =>
  resources.find((resource) => resource.type === STACKSET_TYPE)?.inputs.callAs === "DELEGATED_ADMIN"
    ? "DELEGATED_ADMIN"
    : "SELF";

/** The StackSet, its targets and its template, as declared; nothing in direct mode. */
function stackSetSection(resources: PlannedResource[]): string[] {
  const stackSet = resources.find((resource) => resource.type === STACKSET_TYPE);
  if (!stackSet) return [];
  const instances = resources.filter(
    (resource) => resource.type === "aws:cloudformation/stackSetInstance:StackSetInstance",
  );
  const units = [
    ...new Set(
      instances.flatMap(
        (instance) =>
          (instance.inputs.deploymentTargets as { organizationalUnitIds: string[] }).organizationalUnitIds,
      ),
    ),
  ];
  const regions = [...new Set(instances.map((instance) => String(instance.inputs.stackSetInstanceRegion)))];
  const body = stackSet.inputs.templateBody as string;
  const template = JSON.parse(body) as CloudFormationTemplate;
  const excluded = templateExclusions(template);
  const administrator =
    stackSet.inputs.callAs === "DELEGATED_ADMIN"
      ? `delegated administrator ${stackSet.account} (callAs DELEGATED_ADMIN)`
      : `management account ${stackSet.account}`;
  const physicalName = (properties: Record<string, unknown>) => {
    const name = properties.RoleName ?? properties.QueueName ?? properties.Name ?? "";
    const text = typeof name === "object" && name !== null && "Fn::Sub" in name ? name["Fn::Sub"] : name;
    return typeof text === "string" ? text : JSON.stringify(text);
  };
  return [
    paragraph(
      `StackSet ${String(stackSet.inputs.name)}: service-managed, auto-deployment on (new accounts of the target OUs are covered ` +
        `without a pulumi up), managed execution on, administered by the ${administrator}.`,
    ),
    paragraph(
      `Targets: ${units.join(", ")}, nested OUs included; stack instances in ${regions.join(", ")}` +
        ` (one declaration per OU and region).` +
        (excluded.length > 0
          ? ` The template's condition leaves the forwarder out of ${excluded.join(", ")} (auto-deployment included).`
          : ""),
    ),
    paragraph(
      `Template: ${Buffer.byteLength(body)} of ${TEMPLATE_BODY_LIMIT} bytes, per account and region:`,
    ),
    renderTable(
      ["Resource", "Type", "Name", "Where"],
      Object.entries(template.Resources).map(([id, resource]) => [
        id,
        resource.Type,
        physicalName(resource.Properties),
        resource.Condition ? "not excluded" : "all",
      ]),
    ),
    "",
  ];
}

interface PlanContext {
  config: AbuseAlertsConfig;
  run: OfflineRun;
  /** Account names, from the organization file and explicit accounts. */
  names: Map<string, string>;
  callerAccountId: string;
}

/** Covered and skipped accounts, and how each is reached. */
function accountsSection({ config, run, names, callerAccountId }: PlanContext): string[] {
  const covered = run.outputs.coveredAccountIds as string[];
  const skipped = run.outputs.skippedAccounts as { id: string; reason: string }[];
  const direct = new Set(run.outputs.directForwarderAccountIds as string[]);
  const how = (id: string) => {
    const access = id === callerAccountId ? "deploying credentials" : `assumes ${config.memberRoleName}`;
    const hub = id === config.centralAccountId;
    if (direct.has(id)) return `${hub ? "central hub + " : ""}forwarder (${access})`;
    return `${hub ? `central hub (${access}) + ` : ""}forwarder by the StackSet`;
  };
  return [
    `Accounts: ${covered.length} covered, ${skipped.length} skipped`,
    renderTable(
      ["Account", "Name", "Status", "How"],
      [
        ...covered.map((id) => [id, names.get(id) ?? "", "covered", how(id)]),
        ...skipped.map(({ id, reason }) => [id, names.get(id) ?? "", "skipped", reason]),
      ],
    ),
    "",
  ];
}

/** What Pulumi manages, and how many plugin processes it takes. */
function totalsParagraph({ config, run }: PlanContext, deployed: PlannedResource[]): string {
  const { resources, outputs } = run;
  const providers = resources.filter((resource) => resource.type === "pulumi:providers:aws").length;
  const components = resources.filter((resource) => !resource.custom).length;
  const covered = (outputs.coveredAccountIds as string[]).length;
  const direct = (outputs.directForwarderAccountIds as string[]).length;
  const accounts = new Set(deployed.map((resource) => resource.account)).size;
  return paragraph(
    `Totals: ${deployed.length} AWS resources and ${components} components declared by Pulumi in ${accounts} ` +
      `accounts and ${config.regions.length} region(s); ${providers} AWS providers, each its own plugin process ` +
      `(roughly ${PROVIDER_MEMORY_MB.low}-${PROVIDER_MEMORY_MB.high} MB apiece).` +
      (direct < covered
        ? ` The StackSet deploys the forwarder to the other ${covered - direct} covered accounts, and to new ones as they join.`
        : ""),
  );
}

/** What `pulumi up` would deploy for this stack and organization, and whether its sample message is valid. */
export async function renderPlan(options: PlanOptions): Promise<Plan> {
  const stackPath = stackFilePath(options.stack);
  const stackConfig = readStackConfig(stackPath);
  const config = configOfStackFile(stackPath, stackConfig);
  const organization = readOrganizationFile(options.org);
  const eventFile = options.event ?? sampleEvent(config.categories);
  const event = readEventFile(eventFile);
  // A plan shows the message as the workflow makes it on the event's arrival, not days later.
  const now = previewTime(event, options.now);
  const progress = (options.progress ?? noProgress)("declaring resources", 0);
  const run = await runOffline({
    stackConfig,
    organization,
    organizationSource: relative(process.cwd(), options.org),
    stack: options.stack,
    secretKeys: encryptedKeys(stackPath),
    onProgress: (done, declared) => progress.update(done, declared),
  }).finally(() => progress.stop());
  // Explicit mode names its accounts in the config; Pulumi never reads the organization then.
  const names = new Map(
    [...accountsBelow(organization.root), ...(config.accounts.explicit ?? [])].map((account) => [
      account.id,
      account.name,
    ]),
  );
  const context = { config, run, names, callerAccountId: fileCaller(organization).accountId };
  const deployed = run.resources.filter(
    (resource) => resource.custom && resource.type !== "pulumi:providers:aws",
  );
  const contexts = contextsFromOrganization(organization, config.securityContact);
  const preview = await renderPreview(event, {
    ...stackPreviewOptions(
      config,
      contexts,
      organization.organization.managementAccountId,
      declaredCallAs(run.resources),
    ),
    now,
  });
  const text = [
    paragraph(
      `abuse-alerts plan: stack ${options.stack} (${relative(process.cwd(), stackPath)}), organization ${relative(process.cwd(), options.org)}`,
    ),
    paragraph("Offline: the real program under Pulumi mocks. No AWS call, no Pulumi CLI, nothing deployed."),
    "",
    "Configuration",
    configTable(config),
    "",
    ...accountsSection(context),
    ...routesSection(config, contexts, run.outputs.coveredAccountIds as string[], names),
    ...stackSetSection(run.resources),
    "Resources per account and region",
    resourceTable(deployed, names, config.regions),
    "",
    "Resources by type",
    typeTable(deployed),
    "",
    paragraph(
      `What the security team sees for ${relative(process.cwd(), eventFile)}, processed at ${now.toISOString()}` +
        (options.event || options.now ? "" : " (--event and --now for others)"),
    ),
    preview.text,
    "",
    totalsParagraph(context, deployed),
    paragraph(
      preview.invalid
        ? `The workflow would make of this event a message Slack refuses (see above): fix that before pulumi up.`
        : `Next: pulumi preview --stack ${options.stack}, with credentials of the management account or a delegated administrator.`,
    ),
  ].join("\n");
  return { text, messageValid: !preview.invalid };
}

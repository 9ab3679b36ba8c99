import { accountsBelow, findUnit, OrganizationalUnitNode, OrganizationFile } from "../accounts/org-file";
import { OrgAccount } from "../accounts/types";
import { COVERAGE_WINDOW_PREFIX } from "../model/state-table";
import { Template, resolveTemplate } from "./cloudformation";
import { TaskCall } from "./step-functions";

/**
 * A service-managed StackSet offline, as CloudFormation runs one with auto-deployment on and
 * stacks not retained: stack instances per account and region of the target OUs (nested OUs
 * included, ACTIVE accounts, never the management account); a template change updates every
 * stack; an account that moves into a target OU gets stacks in the regions deployed to that OU,
 * one that leaves every target loses them. Auto-deployment applies no account filter, so the only
 * exclusion it honours is the template's own. Each stack is its template resolved for its
 * account and region (sim/cloudformation.ts), so what it holds is what CloudFormation would deploy.
 */

/** An instance declaration's deployment target: an OU (or the root) in one region. */
export interface InstanceTarget {
  organizationalUnitId: string;
  region: string;
}

export class StackSetSim {
  private template: Template;
  private targets: InstanceTarget[] = [];
  /** `account/region` → the resources of its stack. */
  private readonly stacks = new Map<string, Record<string, unknown>>();

  constructor(
    private readonly organization: OrganizationFile,
    template: Template,
  ) {
    this.template = template;
  }

  /** The instances Pulumi declares now: creates those added, deletes those removed. */
  declare(targets: readonly InstanceTarget[]): void {
    this.targets = [...targets];
    this.reconcile();
  }

  /** A StackSet update: every existing stack gets the new template. */
  updateTemplate(template: Template): void {
    this.template = template;
    for (const key of this.stacks.keys()) this.deploy(key);
  }

  /** Organizations' MoveAccount, followed by the auto-deployment it triggers. */
  moveAccount(accountId: string, destinationParentId: string): void {
    const destination = findUnit(this.organization.root, destinationParentId);
    if (!destination) throw new Error(`no OU ${destinationParentId}`);
    const account = detach(this.organization.root, accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    (destination.accounts ??= []).push(account);
    this.reconcile();
  }

  /** `account/region` of every stack that holds the forwarder's rule. */
  forwarders(): Set<string> {
    return new Set([...this.stacks].filter(([, stack]) => "ForwardRule" in stack).map(([key]) => key));
  }

  /** `account/region` of every stack, with or without a forwarder. */
  stackKeys(): Set<string> {
    return new Set(this.stacks.keys());
  }

  private reconcile(): void {
    const wanted = new Set<string>();
    for (const target of this.targets) {
      const unit = findUnit(this.organization.root, target.organizationalUnitId);
      for (const account of unit ? accountsBelow(unit) : []) {
        if (account.state !== "ACTIVE" || account.id === this.organization.organization.managementAccountId)
          continue;
        wanted.add(`${account.id}/${target.region}`);
      }
    }
    for (const key of [...this.stacks.keys()]) if (!wanted.has(key)) this.stacks.delete(key);
    for (const key of wanted) if (!this.stacks.has(key)) this.deploy(key);
  }

  private deploy(key: string): void {
    const [accountId, region] = key.split("/");
    const resolved = resolveTemplate(this.template, {
      accountId,
      region,
      stackName: "StackSet-abuse-alerts-forwarder-offline",
    });
    if (Object.keys(resolved).length === 0) throw new Error(`the stack of ${key} would be empty`);
    this.stacks.set(key, resolved);
  }
}

function detach(unit: OrganizationalUnitNode, accountId: string): OrgAccount | undefined {
  const index = (unit.accounts ?? []).findIndex((account) => account.id === accountId);
  if (index >= 0) return unit.accounts?.splice(index, 1)[0];
  for (const child of unit.organizationalUnits ?? []) {
    const found = detach(child, accountId);
    if (found) return found;
  }
  return undefined;
}

/**
 * What the coverage notices' table and CloudFormation reads find when one instance failure is
 * alone: its window holds only it, no summary covered it and no rollout runs. Previews answer
 * with it, so `npm run preview-message` shows the account's own notice. Undefined for other calls.
 */
export function aloneInItsWindow(event: {
  detail?: { "stack-id"?: string };
}): (call: TaskCall) => Promise<unknown> | undefined {
  return (call) => {
    if (call.resource.endsWith(":cloudformation:listStackSetOperations"))
      return Promise.resolve({ Summaries: [] });
    if (!call.resource.endsWith(":dynamodb:query")) return undefined;
    const args = call.arguments as { ExpressionAttributeValues?: { ":pk"?: { S?: string } } };
    const pk = args.ExpressionAttributeValues?.[":pk"]?.S ?? "";
    if (!pk.startsWith(COVERAGE_WINDOW_PREFIX)) return undefined;
    const [, , , region, account] = (event.detail?.["stack-id"] ?? "").split(":");
    const sk = `${account ?? "unknown"}/${region ?? "unknown"}`;
    return Promise.resolve({
      Items: [{ pk: { S: pk }, sk: { S: sk }, event: { S: JSON.stringify(event) } }],
    });
  };
}

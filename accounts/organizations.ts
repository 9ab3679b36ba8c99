import {
  Account,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
  DescribePolicyCommand,
  DescribePolicyCommandOutput,
  OrganizationsClient,
  Parent,
  PolicySummary,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  paginateListPoliciesForTarget,
  paginateListRoots,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import { errorCode, organizationsError } from "./errors";
import { awsClient } from "./clients";
import { AttachedScp, ScpDocument, ScpLevel } from "./scp";
import {
  AccountsUnder,
  DiscoveryError,
  Organization,
  OrganizationalUnit,
  OrganizationDirectory,
  OrgAccount,
} from "./types";

/** Organizations' API is served from us-east-1 for the commercial partition. */
export function createOrganizationsClient(): OrganizationsClient {
  return awsClient(OrganizationsClient, "us-east-1");
}

/** Every item of every page, in order. */
export async function collectPages<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

export function toOrgAccount(account: Account): OrgAccount {
  // `Status` is being retired: AWS asks callers to read `State`.
  return { id: account.Id ?? "", name: account.Name ?? "", state: account.State ?? "UNKNOWN" };
}

/** A root or OU as a walk reads it. */
export interface WalkedUnit {
  id: string;
  /** Its accounts as Organizations lists them (emails included), when the walk asked for them. */
  accounts: Account[];
  children: OrganizationalUnit[];
}

export interface AwsOrganizationDirectoryOptions {
  /** Named in error messages, so a person knows which credentials lack access. */
  callerArn?: string;
  /** Parallel OU requests during a tree walk (default 4: Organizations allows few requests per second). */
  concurrency?: number;
}

/** The organization as AWS Organizations reports it: every page, ACTIVE or not. */
export class AwsOrganizationDirectory implements OrganizationDirectory {
  private readonly limit: ReturnType<typeof pLimit>;
  /** Policies and parents are shared by many accounts: fetch each once. */
  private readonly parents = new Map<string, Promise<Parent[]>>();
  private readonly attachments = new Map<string, Promise<PolicySummary[]>>();
  private readonly policies = new Map<string, Promise<DescribePolicyCommandOutput>>();

  constructor(
    private readonly client: OrganizationsClient,
    private readonly options: AwsOrganizationDirectoryOptions = {},
  ) {
    this.limit = pLimit(options.concurrency ?? 4);
  }

  /** Runs a request, turning its errors into messages a person can act on. */
  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw organizationsError(error, operation, this.options.callerArn);
    }
  }

  async describeOrganization(): Promise<Organization> {
    const { Organization: organization } = await this.call("DescribeOrganization", () =>
      this.client.send(new DescribeOrganizationCommand({})),
    );
    return { id: organization?.Id ?? "", managementAccountId: organization?.MasterAccountId ?? "" };
  }

  /** The organization's root, which a StackSet targets to reach every account. */
  async root(): Promise<{ id: string; name: string }> {
    const roots = await this.call("ListRoots", () =>
      collectPages(paginateListRoots({ client: this.client }, {}), (page) => page.Roots),
    );
    return { id: roots[0]?.Id ?? "", name: roots[0]?.Name ?? "Root" };
  }

  async rootId(): Promise<string> {
    return (await this.root()).id;
  }

  async listAccounts(): Promise<OrgAccount[]> {
    const accounts = await this.call("ListAccounts", () =>
      collectPages(paginateListAccounts({ client: this.client }, {}), (page) => page.Accounts),
    );
    return accounts.map(toOrgAccount);
  }

  async describeAccount(accountId: string): Promise<OrgAccount | undefined> {
    try {
      const { Account: account } = await this.client.send(
        new DescribeAccountCommand({ AccountId: accountId }),
      );
      return account ? toOrgAccount(account) : undefined;
    } catch (error) {
      if (errorCode(error) === "AccountNotFoundException") return undefined;
      throw organizationsError(error, "DescribeAccount", this.options.callerArn);
    }
  }

  async describeOrganizationalUnit(organizationalUnitId: string): Promise<OrganizationalUnit | undefined> {
    try {
      const { OrganizationalUnit: unit } = await this.limit(() =>
        this.client.send(
          new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: organizationalUnitId }),
        ),
      );
      return unit ? { id: unit.Id ?? organizationalUnitId, name: unit.Name ?? "" } : undefined;
    } catch (error) {
      if (errorCode(error) === "OrganizationalUnitNotFoundException") return undefined;
      throw organizationsError(error, "DescribeOrganizationalUnit", this.options.callerArn);
    }
  }

  async listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<AccountsUnder> {
    const { units, unknown } = await this.walk(organizationalUnitIds, { accounts: true });
    // A child OU deleted during the walk was empty (AWS deletes only empty OUs): only the OUs asked for are unknown.
    return {
      accounts: units.flatMap((unit) => unit.accounts.map(toOrgAccount)),
      unknownUnits: unknown.filter((id) => organizationalUnitIds.includes(id)),
    };
  }

  async listOrganizationalUnits(): Promise<OrganizationalUnit[]> {
    const { units } = await this.walk([await this.rootId()], { accounts: false });
    return units.flatMap((unit) => unit.children);
  }

  /**
   * The OU tree below these parents, breadth first, a level at a time, each parent read once: the
   * accounts (when asked for, with their emails) and the child OUs of each. Only the page fetches
   * hold a concurrency slot, so a deep tree cannot deadlock the limiter. `onUnit` sees each unit as
   * it is read; parents Organizations does not know are returned apart.
   */
  async walk(
    parentIds: readonly string[],
    options: { accounts: boolean; onUnit?: (unit: WalkedUnit) => void },
  ): Promise<{ units: WalkedUnit[]; unknown: string[] }> {
    const visited = new Set<string>();
    const units: WalkedUnit[] = [];
    const unknown: string[] = [];
    let level = [...parentIds];
    while (level.length > 0) {
      const fresh = level.filter((id) => !visited.has(id));
      fresh.forEach((id) => visited.add(id));
      const read = await Promise.all(fresh.map((id) => this.readUnit(id, options.accounts)));
      read.forEach((unit, index) => {
        if (!unit) return void unknown.push(fresh[index]);
        units.push(unit);
        options.onUnit?.(unit);
      });
      level = read.flatMap((unit) => unit?.children.map((child) => child.id) ?? []);
    }
    return { units, unknown };
  }

  /** A parent's accounts and child OUs; undefined when Organizations has no such parent. */
  private async readUnit(id: string, withAccounts: boolean): Promise<WalkedUnit | undefined> {
    const list = <T>(operation: string, pages: () => Promise<T>) =>
      this.limit(() => this.call(operation, pages));
    try {
      const [accounts, children] = await Promise.all([
        withAccounts
          ? list("ListAccountsForParent", () =>
              collectPages(
                paginateListAccountsForParent({ client: this.client }, { ParentId: id }),
                (page) => page.Accounts,
              ),
            )
          : [],
        list("ListOrganizationalUnitsForParent", () =>
          collectPages(
            paginateListOrganizationalUnitsForParent({ client: this.client }, { ParentId: id }),
            (page) => page.OrganizationalUnits,
          ),
        ),
      ]);
      return {
        id,
        accounts,
        children: children.flatMap((ou) => (ou.Id ? [{ id: ou.Id, name: ou.Name ?? "" }] : [])),
      };
    } catch (error) {
      if (error instanceof DiscoveryError && error.code === "ParentNotFoundException") return undefined;
      throw error;
    }
  }

  /**
   * The service control policies that apply to an account, one level per target from the root
   * down to the account. Errors (SCPs not enabled, access denied) come as DiscoveryErrors.
   */
  async scpPath(accountId: string): Promise<ScpLevel[]> {
    const targets = [accountId];
    while (!targets[0].startsWith("r-")) targets.unshift(await this.parentOf(targets[0]));
    return Promise.all(
      targets.map(async (target) => ({ target, policies: await this.attachedScps(target) })),
    );
  }

  /** A lookup done once per key, shared by every account that needs it. */
  private cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = cache.get(key);
    if (!value) {
      value = this.limit(load);
      cache.set(key, value);
    }
    return value;
  }

  async ancestorIds(organizationalUnitId: string): Promise<string[]> {
    const ids: string[] = [];
    let id = organizationalUnitId;
    while (!id.startsWith("r-")) {
      id = await this.parentOf(id);
      if (!id) break;
      ids.unshift(id);
    }
    return ids;
  }

  private async parentOf(childId: string): Promise<string> {
    const parents = await this.cached(this.parents, childId, () =>
      this.call("ListParents", () =>
        collectPages(
          paginateListParents({ client: this.client }, { ChildId: childId }),
          (page) => page.Parents,
        ),
      ),
    );
    return parents[0]?.Id ?? "";
  }

  private async attachedScps(targetId: string): Promise<AttachedScp[]> {
    const summaries = await this.cached(this.attachments, targetId, () =>
      this.call("ListPoliciesForTarget", () =>
        collectPages(
          paginateListPoliciesForTarget(
            { client: this.client },
            { TargetId: targetId, Filter: "SERVICE_CONTROL_POLICY" },
          ),
          (page) => page.Policies,
        ),
      ),
    );
    return Promise.all(summaries.map((summary) => this.policy(summary.Id ?? "")));
  }

  private async policy(policyId: string): Promise<AttachedScp> {
    const { Policy: described } = await this.cached(this.policies, policyId, () =>
      this.call("DescribePolicy", () => this.client.send(new DescribePolicyCommand({ PolicyId: policyId }))),
    );
    return {
      id: policyId,
      name: described?.PolicySummary?.Name ?? policyId,
      document: JSON.parse(described?.Content ?? '{"Statement":[]}') as ScpDocument,
    };
  }
}

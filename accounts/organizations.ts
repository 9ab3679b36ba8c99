import {
  Account,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
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

  async rootId(): Promise<string> {
    const roots = await this.call("ListRoots", () =>
      collectPages(paginateListRoots({ client: this.client }, {}), (page) => page.Roots),
    );
    return roots[0]?.Id ?? "";
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

  async listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<AccountsUnder> {
    const visited = new Set<string>();
    const accounts: OrgAccount[] = [];
    const unknownUnits: string[] = [];
    let level = [...organizationalUnitIds];
    // Breadth first; only the page fetches hold a concurrency slot, so a deep tree cannot deadlock the limiter.
    while (level.length > 0) {
      const fresh = level.filter((ou) => !visited.has(ou));
      fresh.forEach((ou) => visited.add(ou));
      const children = await Promise.all(
        fresh.map((ou) => this.limit(() => this.readOrganizationalUnit(ou))),
      );
      children.forEach((child, index) => {
        // Every unknown OU is named at once. A child OU deleted during the walk was empty: AWS
        // deletes only empty OUs.
        if (child === undefined) {
          if (organizationalUnitIds.includes(fresh[index])) unknownUnits.push(fresh[index]);
        } else accounts.push(...child.accounts);
      });
      level = children.flatMap((child) => child?.organizationalUnitIds ?? []);
    }
    return { accounts, unknownUnits };
  }

  async listOrganizationalUnits(): Promise<OrganizationalUnit[]> {
    const units: OrganizationalUnit[] = [];
    let level = [await this.rootId()];
    while (level.length > 0) {
      const children = await Promise.all(
        level.map((parentId) =>
          this.limit(() =>
            this.call("ListOrganizationalUnitsForParent", () =>
              collectPages(
                paginateListOrganizationalUnitsForParent({ client: this.client }, { ParentId: parentId }),
                (page) => page.OrganizationalUnits,
              ),
            ),
          ),
        ),
      );
      const found = children.flat().map((ou) => ({ id: ou.Id ?? "", name: ou.Name ?? "" }));
      units.push(...found);
      level = found.map((ou) => ou.id);
    }
    return units;
  }

  /** An OU's accounts and child OUs; undefined when Organizations has no such OU. */
  private async readOrganizationalUnit(
    parentId: string,
  ): Promise<{ accounts: OrgAccount[]; organizationalUnitIds: string[] } | undefined> {
    try {
      const accounts = await this.call("ListAccountsForParent", () =>
        collectPages(
          paginateListAccountsForParent({ client: this.client }, { ParentId: parentId }),
          (page) => page.Accounts,
        ),
      );
      const organizationalUnits = await this.call("ListOrganizationalUnitsForParent", () =>
        collectPages(
          paginateListOrganizationalUnitsForParent({ client: this.client }, { ParentId: parentId }),
          (page) => page.OrganizationalUnits,
        ),
      );
      return {
        accounts: accounts.map(toOrgAccount),
        organizationalUnitIds: organizationalUnits.flatMap((ou) => (ou.Id ? [ou.Id] : [])),
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

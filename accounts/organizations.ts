import {
  Account,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import { errorCode, organizationsError, unknownOrganizationalUnit } from "./errors";
import { withRetries } from "./retry";
import { Organization, OrganizationDirectory, OrgAccount } from "./types";

/** Organizations' API is served from us-east-1 for the commercial partition. */
export function createOrganizationsClient(): OrganizationsClient {
  return withRetries(new OrganizationsClient({ region: "us-east-1", maxAttempts: 1 }));
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

function toOrgAccount(account: Account): OrgAccount {
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

  constructor(
    private readonly client: OrganizationsClient,
    private readonly options: AwsOrganizationDirectoryOptions = {},
  ) {
    this.limit = pLimit(options.concurrency ?? 4);
  }

  /** Runs a request, turning its errors into messages a person can act on. */
  private async call<T>(operation: string, request: () => Promise<T>, parentId?: string): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (parentId && errorCode(error) === "ParentNotFoundException")
        throw unknownOrganizationalUnit(parentId);
      throw organizationsError(error, operation, this.options.callerArn);
    }
  }

  async describeOrganization(): Promise<Organization> {
    const { Organization: organization } = await this.call("DescribeOrganization", () =>
      this.client.send(new DescribeOrganizationCommand({})),
    );
    return { id: organization?.Id ?? "", managementAccountId: organization?.MasterAccountId ?? "" };
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

  async listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<OrgAccount[]> {
    const visited = new Set<string>();
    const accounts: OrgAccount[] = [];
    let level = [...organizationalUnitIds];
    // Breadth first; only the page fetches hold a concurrency slot, so a deep tree cannot deadlock the limiter.
    while (level.length > 0) {
      const fresh = level.filter((ou) => !visited.has(ou));
      fresh.forEach((ou) => visited.add(ou));
      const children = await Promise.all(
        fresh.map((ou) => this.limit(() => this.readOrganizationalUnit(ou))),
      );
      children.forEach((child) => accounts.push(...child.accounts));
      level = children.flatMap((child) => child.organizationalUnitIds);
    }
    return accounts;
  }

  private async readOrganizationalUnit(
    parentId: string,
  ): Promise<{ accounts: OrgAccount[]; organizationalUnitIds: string[] }> {
    const accounts = await this.call(
      "ListAccountsForParent",
      () =>
        collectPages(
          paginateListAccountsForParent({ client: this.client }, { ParentId: parentId }),
          (page) => page.Accounts,
        ),
      parentId,
    );
    const organizationalUnits = await this.call(
      "ListOrganizationalUnitsForParent",
      () =>
        collectPages(
          paginateListOrganizationalUnitsForParent({ client: this.client }, { ParentId: parentId }),
          (page) => page.OrganizationalUnits,
        ),
      parentId,
    );
    return {
      accounts: accounts.map(toOrgAccount),
      organizationalUnitIds: organizationalUnits.flatMap((ou) => (ou.Id ? [ou.Id] : [])),
    };
  }
}

import {
  Account,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import { noProgress, ProgressFactory } from "../lib/progress";
import { errorCode, organizationsError } from "./errors";
import {
  accountsBelow,
  FileAccount,
  OrganizationalUnitNode,
  OrganizationFile,
  parseOrganizationFile,
} from "./org-file";
import { collectPages, toOrgAccount } from "./organizations";
import { Caller, DiscoveryError } from "./types";

export interface ExportOptions {
  /** Tag keys to keep on each account, as the stack's accountTags; none (or empty): no tag calls at all. */
  tags?: readonly string[];
  /** Organizations requests in flight at once (default 4: Organizations allows few requests per second). */
  concurrency?: number;
  /** Accounts exported out of accounts found; the total grows as the walk finds more. */
  progress?: ProgressFactory;
  /**
   * Who runs the export: named in error messages, and written as the file's caller when it is not
   * the management account (a delegated administrator changes the plan; the management account is
   * the file's default, so its session name stays out of a file that may be shared).
   */
  caller?: Caller;
}

// Sorted by ID, not name: IDs are unique and never change, so a renamed account or OU keeps its
// place and a re-export diffs as the one line that changed.
const byId = (left: { id: string }, right: { id: string }) =>
  left.id < right.id ? -1 : left.id > right.id ? 1 : 0;

const TAGS_HINT =
  " Tags are only sample context for the message previews: grant organizations:ListTagsForResource, " +
  "or export without them (npm run export-org -- --no-tags).";

/**
 * The organization the credentials can read, as an organization file: every account of every OU
 * at any depth, whatever its state, with its email and the requested tags. Every list is read to
 * its last page; every request is retried on throttling by the client (createOrganizationsClient);
 * any other failure is a DiscoveryError that names the operation, the credentials and the fix.
 */
export async function exportOrganization(
  client: OrganizationsClient,
  options: ExportOptions = {},
): Promise<OrganizationFile> {
  const limit = pLimit(options.concurrency ?? 4);
  const tagKeys = [...new Set(options.tags ?? [])];
  // After one request failed, the queued ones give up at once instead of calling AWS for nothing.
  let failed: DiscoveryError | undefined;
  const call = <T>(operation: string, request: () => Promise<T>): Promise<T> =>
    limit(async () => {
      if (failed) throw failed;
      try {
        return await request();
      } catch (error) {
        const message = organizationsError(error, operation, options.caller?.arn);
        const denied = operation === "ListTagsForResource" && errorCode(error).startsWith("AccessDenied");
        throw (failed ??= denied ? new DiscoveryError(message.message + TAGS_HINT, message.code) : message);
      }
    });

  // One after the other: DescribeOrganization is the call whose error says best what is wrong.
  const { Organization: organization } = await call("DescribeOrganization", () =>
    client.send(new DescribeOrganizationCommand({})),
  );
  const roots = await call("ListRoots", () =>
    collectPages(paginateListRoots({ client }, {}), (page) => page.Roots),
  );
  const root = roots[0];
  if (!organization?.Id || !organization.MasterAccountId || !root?.Id) {
    throw new DiscoveryError(
      "AWS Organizations answered DescribeOrganization or ListRoots without an ID: run again, and compare with " +
        "`aws organizations describe-organization` and `aws organizations list-roots` under the same credentials.",
    );
  }

  const progress = (options.progress ?? noProgress)("exporting accounts", 0);
  let found = 0;
  let exported = 0;
  const accounts: FileAccount[] = [];
  try {
    const tree: OrganizationalUnitNode = { id: root.Id, name: root.Name ?? "Root" };
    // Breadth first, a level at a time; each page fetch holds a concurrency slot, nothing else does.
    let level = [tree];
    while (level.length > 0) {
      const children = await Promise.all(
        level.map(async (unit) => {
          const [listed, units] = await Promise.all([
            call("ListAccountsForParent", () =>
              collectPages(
                paginateListAccountsForParent({ client }, { ParentId: unit.id }),
                (page) => page.Accounts,
              ),
            ),
            call("ListOrganizationalUnitsForParent", () =>
              collectPages(
                paginateListOrganizationalUnitsForParent({ client }, { ParentId: unit.id }),
                (page) => page.OrganizationalUnits,
              ),
            ),
          ]);
          const unitAccounts = listed.map(fileAccount).sort(byId);
          const unitChildren = units
            .map((ou): OrganizationalUnitNode => ({ id: ou.Id ?? "", name: ou.Name ?? "" }))
            .sort(byId);
          if (unitAccounts.length > 0) unit.accounts = unitAccounts;
          if (unitChildren.length > 0) unit.organizationalUnits = unitChildren;
          accounts.push(...unitAccounts);
          found += unitAccounts.length;
          if (tagKeys.length === 0) exported = found;
          progress.update(exported, found);
          return unitChildren;
        }),
      );
      level = children.flat();
    }

    if (tagKeys.length > 0) {
      await Promise.all(
        accounts.map(async (account) => {
          const tags = await call("ListTagsForResource", () =>
            collectPages(
              paginateListTagsForResource({ client }, { ResourceId: account.id }),
              (page) => page.Tags,
            ),
          );
          const values = new Map(tags.map((tag) => [tag.Key, tag.Value ?? ""]));
          // In the order asked for, so the file reads the same from one export to the next.
          const kept = tagKeys.filter((key) => values.has(key)).map((key) => [key, values.get(key) ?? ""]);
          if (kept.length > 0) account.tags = Object.fromEntries(kept) as Record<string, string>;
          progress.update(++exported, found);
        }),
      );
    }

    const caller = options.caller;
    return {
      organization: { id: organization.Id, managementAccountId: organization.MasterAccountId },
      ...(caller && caller.accountId !== organization.MasterAccountId ? { caller } : {}),
      root: tree,
    };
  } finally {
    progress.stop();
  }
}

function fileAccount(account: Account): FileAccount {
  return { ...toOrgAccount(account), ...(account.Email ? { email: account.Email } : {}) };
}

/** How many accounts and OUs (the root not counted) the file holds, for a summary line. */
export function countOrganization(file: OrganizationFile): { accounts: number; organizationalUnits: number } {
  const units = (unit: OrganizationalUnitNode): number =>
    (unit.organizationalUnits ?? []).reduce((sum, child) => sum + 1 + units(child), 0);
  return { accounts: accountsBelow(file.root).length, organizationalUnits: units(file.root) };
}

/**
 * The file's text: 2-space JSON with a trailing newline, read back through the parser that
 * `npm run plan -- --org` uses, so that a file that would be refused is never written.
 */
export function organizationJson(file: OrganizationFile): string {
  const text = `${JSON.stringify(file, null, 2)}\n`;
  parseOrganizationFile(JSON.parse(text), "the exported organization");
  return text;
}

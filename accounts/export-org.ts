import { Account, OrganizationsClient, paginateListTagsForResource } from "@aws-sdk/client-organizations";
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
import { AwsOrganizationDirectory, collectPages, toOrgAccount } from "./organizations";
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

/** Accounts found and exported so far, on the progress bar: the total grows as the walk finds more. */
interface Counter {
  found: number;
  exported: number;
  update(): void;
}

/** The tree below the root, from the directory's walk: each OU's accounts and child OUs, sorted by ID. */
async function exportTree(
  directory: AwsOrganizationDirectory,
  root: OrganizationalUnitNode,
  counter: Counter,
  /** Tags are read after the walk: an account counts as exported once they are. */
  tagsToo: boolean,
): Promise<FileAccount[]> {
  const nodes = new Map([[root.id, root]]);
  const accounts: FileAccount[] = [];
  await directory.walk([root.id], {
    accounts: true,
    onUnit: (unit) => {
      const node = nodes.get(unit.id) ?? { id: unit.id, name: "" };
      const unitAccounts = unit.accounts.map(fileAccount).sort(byId);
      const children = unit.children.map((child): OrganizationalUnitNode => ({ ...child })).sort(byId);
      children.forEach((child) => nodes.set(child.id, child));
      if (unitAccounts.length > 0) node.accounts = unitAccounts;
      if (children.length > 0) node.organizationalUnits = children;
      accounts.push(...unitAccounts);
      counter.found += unitAccounts.length;
      if (!tagsToo) counter.exported = counter.found;
      counter.update();
    },
  });
  return accounts;
}

/**
 * The requested tags of every account, in the order asked for so the file reads the same from one
 * export to the next. After one request failed, the queued ones give up at once instead of
 * calling AWS for nothing; a refusal says tags are optional.
 */
async function exportTags(
  client: OrganizationsClient,
  accounts: readonly FileAccount[],
  tagKeys: readonly string[],
  options: ExportOptions & { counter: Counter },
): Promise<void> {
  const limit = pLimit(options.concurrency ?? 4);
  let failed: DiscoveryError | undefined;
  const listTags = (account: FileAccount) =>
    limit(async () => {
      if (failed) throw failed;
      try {
        return await collectPages(
          paginateListTagsForResource({ client }, { ResourceId: account.id }),
          (page) => page.Tags,
        );
      } catch (error) {
        const message = organizationsError(error, "ListTagsForResource", options.caller?.arn);
        const denied = errorCode(error).startsWith("AccessDenied");
        throw (failed ??= denied ? new DiscoveryError(message.message + TAGS_HINT, message.code) : message);
      }
    });
  await Promise.all(
    accounts.map(async (account) => {
      const values = new Map((await listTags(account)).map((tag) => [tag.Key, tag.Value ?? ""]));
      const kept = tagKeys.filter((key) => values.has(key)).map((key) => [key, values.get(key) ?? ""]);
      if (kept.length > 0) account.tags = Object.fromEntries(kept) as Record<string, string>;
      options.counter.exported += 1;
      options.counter.update();
    }),
  );
}

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
  const tagKeys = [...new Set(options.tags ?? [])];
  const directory = new AwsOrganizationDirectory(client, {
    callerArn: options.caller?.arn,
    concurrency: options.concurrency,
  });
  // One after the other: DescribeOrganization is the call whose error says best what is wrong.
  const organization = await directory.describeOrganization();
  const root = await directory.root();
  if (!organization.id || !organization.managementAccountId || !root.id) {
    throw new DiscoveryError(
      "AWS Organizations answered DescribeOrganization or ListRoots without an ID: run again, and compare with " +
        "`aws organizations describe-organization` and `aws organizations list-roots` under the same credentials.",
    );
  }
  const bar = (options.progress ?? noProgress)("exporting accounts", 0);
  const counter: Counter = {
    found: 0,
    exported: 0,
    update: () => bar.update(counter.exported, counter.found),
  };
  try {
    const tree: OrganizationalUnitNode = { ...root };
    const accounts = await exportTree(directory, tree, counter, tagKeys.length > 0);
    if (tagKeys.length > 0) await exportTags(client, accounts, tagKeys, { ...options, counter });
    const caller = options.caller;
    return {
      organization,
      ...(caller && caller.accountId !== organization.managementAccountId ? { caller } : {}),
      root: tree,
    };
  } finally {
    bar.stop();
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

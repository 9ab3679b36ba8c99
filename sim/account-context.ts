import { z } from "zod";
import { OrganizationalUnitNode, OrganizationFile } from "../accounts/org-file";
import { DiscoveryError } from "../accounts/types";
import { formatIssues } from "../config/issues";
import { readJsonFile } from "../lib/json-file";
import { accountId, OU_ID_PATTERN, SecurityContact } from "../config/schema";
import { TaskCall, TaskFailure, TaskHandler } from "./step-functions";
import { AccountPlace } from "../model/routes";

/** What the workflow's lookups find for one account, as sample data for previews and tests. */
export interface AccountContext {
  name?: string;
  /** The root email address. */
  email?: string;
  /**
   * OU names from below the root down to the account's OU; [] at the root. Absent: the OU lookup
   * fails, and the message says the OU path is missing rather than placing the account at the root.
   */
  ouPath?: string[];
  /** The root's ID, then those of the OUs in ouPath; sample IDs are made up when absent. */
  ouIds?: string[];
  tags?: Record<string, string>;
  /** The SECURITY alternate contact; null when none is set. */
  securityContact?: SecurityContact | null;
}

/** Sample context by account ID. */
export type AccountContexts = Record<string, AccountContext>;

const text = (what: string) => z.string({ error: what });
const contactSchema = z.strictObject(
  {
    name: text("the contact's name"),
    title: text("the contact's title"),
    emailAddress: text("the contact's email address"),
    phoneNumber: text("the contact's phone number"),
  },
  { error: "a contact as { name, title, emailAddress, phoneNumber }, or null when none is set" },
);
const contextSchema = z.strictObject(
  {
    name: text("the account's name").optional(),
    email: text("the account's root email address").optional(),
    ouPath: z
      .array(text("an OU name"), { error: 'the OU names from below the root, e.g. ["Workloads", "Prod"]' })
      .optional(),
    ouIds: z
      .array(text("an ID"), {
        error: 'the root\'s ID, then those of the OUs in ouPath, e.g. ["r-ab12", "ou-ab12-workload1"]',
      })
      .optional(),
    tags: z
      .record(z.string(), text("a tag value"), {
        error: 'the account\'s tags, e.g. { "owner": "alice@example.com" }',
      })
      .optional(),
    securityContact: contactSchema.nullable().optional(),
  },
  { error: "an account's context as { name, email, ouPath, ouIds, tags, securityContact }" },
);
const contextsSchema = z.record(accountId, contextSchema, {
  error: "an object of account IDs to { name, email, ouPath, tags, securityContact }",
});

/**
 * An ouPath that starts at the root: the message prints "Root" itself, so the file's ouPath holds
 * only the OUs below it, and ["Root", "Prod"] would read "Root / Root / Prod".
 */
function rootInOuPaths(content: unknown): string[] {
  if (typeof content !== "object" || content === null || Array.isArray(content)) return [];
  return Object.entries(content).flatMap(([id, context]: [string, unknown]) => {
    const ouPath = (context as { ouPath?: unknown } | null)?.ouPath;
    if (!Array.isArray(ouPath) || typeof ouPath[0] !== "string" || ouPath[0].trim().toLowerCase() !== "root")
      return [];
    return [
      `${id}.ouPath lists the OUs below the root: drop "${ouPath[0]}", leaving ${JSON.stringify(ouPath.slice(1))}${ouPath.length === 1 ? " (an account at the root)" : ""}`,
    ];
  });
}

/** ouIds that do not pair with ouPath: the root's ID first, then one per OU, as routes read them. */
function unpairedOuIds(content: unknown): string[] {
  if (typeof content !== "object" || content === null || Array.isArray(content)) return [];
  return Object.entries(content).flatMap(([id, context]: [string, unknown]) => {
    const { ouPath, ouIds } = (context ?? {}) as { ouPath?: unknown; ouIds?: unknown };
    if (!Array.isArray(ouIds)) return [];
    const path = Array.isArray(ouPath) ? ouPath : [];
    const wellFormed =
      ouIds.length === path.length + 1 &&
      /^r-[0-9a-z]{4,32}$/.test(String(ouIds[0])) &&
      ouIds.slice(1).every((ou) => OU_ID_PATTERN.test(String(ou)));
    return wellFormed
      ? []
      : [
          `${id}.ouIds must be the root's ID (r-…), then the ID of each OU in ouPath (${path.length}), got ${JSON.stringify(ouIds)}`,
        ];
  });
}

/** An --account-context file: account IDs to the context the lookups would find. */
export function readAccountContexts(path: string): AccountContexts {
  const content = readJsonFile(path, "the account context", {
    unreadable: "check the path given to --account-context",
  });
  const result = contextsSchema.safeParse(content, { reportInput: true });
  if (!result.success && typeof content === "object" && content !== null && "root" in content) {
    throw new DiscoveryError(
      `${path} is an organization file, not an account context file: pass it with --org ${path}`,
    );
  }
  const rooted = [...rootInOuPaths(content), ...unpairedOuIds(content)];
  if (!result.success || rooted.length > 0) {
    const issues = result.success ? [] : result.error.issues;
    const problems = [
      ...formatIssues(issues, {
        schema: contextsSchema,
        keyName: (parts) => parts.map(String).join(".") || "(the whole file)",
        accountIdSchemas: new Set([accountId]),
      }),
      ...rooted,
    ].sort();
    throw new DiscoveryError(
      `${path} is not a valid account context file:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
        'Its shape: { "222222222221": { "name": "shop-prod", "email": "…", "ouPath": ["Workloads", "Prod"], "ouIds": ["r-…", "ou-…", "ou-…"], "tags": { "owner": "…" }, "securityContact": { … } | null } }',
    );
  }
  return result.data;
}

/** The context an organization file gives: names, emails, OU paths and tags; the contact the stack sets. */
export function contextsFromOrganization(
  file: OrganizationFile,
  securityContact: SecurityContact | undefined,
): AccountContexts {
  const contexts: AccountContexts = {};
  const visit = (unit: OrganizationalUnitNode, path: string[], ids: string[]) => {
    for (const account of unit.accounts ?? []) {
      contexts[account.id] = {
        name: account.name,
        email: account.email,
        ouPath: path,
        ouIds: ids,
        tags: account.tags,
        securityContact: securityContact ?? null,
      };
    }
    for (const child of unit.organizationalUnits ?? [])
      visit(child, [...path, child.name], [...ids, child.id]);
  };
  visit(file.root, [], [file.root.id]);
  return contexts;
}

/** The ID of the root (depth 0) or of an OU on an account's path: its context's, else made up. */
const unitId = (context: AccountContext | undefined, accountId: string, depth: number) =>
  context?.ouIds?.[depth] ??
  (depth === 0 ? "r-offline" : `ou-offl-${accountId}${String(depth).padStart(2, "0")}`);

/**
 * What routing reads of an account's sample context: its OUs with their IDs (made up, as the
 * lookups' answers are, when the context has none), its tags. Without context, the lookups fail.
 */
export function accountPlace(accountId: string, context: AccountContext | undefined): AccountPlace {
  const ouPath = context?.ouPath;
  return {
    accountId,
    organizationalUnits:
      ouPath === undefined
        ? { failed: "no OU path in the sample context" }
        : { found: ouPath.map((name, index) => ({ id: unitId(context, accountId, index + 1), name })) },
    tags: context ? { found: context.tags ?? {} } : { failed: "no sample context" },
  };
}

/**
 * Where each OU of the sample context sits: the ID of the root and of each OU on an account's path,
 * by account and depth (0: the root), made up as r-offline and ou-offl-<account><depth> when the
 * context has no IDs.
 */
function sampleTree(contexts: AccountContexts) {
  const idAt = (accountId: string, depth: number) => unitId(contexts[accountId], accountId, depth);
  const units = new Map<string, { accountId: string; depth: number }>();
  for (const [accountId, context] of Object.entries(contexts)) {
    for (let depth = 1; depth <= (context.ouPath ?? []).length; depth++) {
      units.set(idAt(accountId, depth), { accountId, depth });
    }
  }
  /** ListParents: an OU's parent, or an account's own OU (its context's ouPath, which must be given). */
  const parents = (childId: string, known: (accountId: string) => AccountContext) => {
    const unit = units.get(childId);
    const ouPath = unit ? [] : known(childId).ouPath;
    // Without an ouPath the account's place is unknown: not the root, which the message would show.
    if (ouPath === undefined) {
      throw new TaskFailure(
        "Preview.NoOuPath",
        `the account context gives no ouPath for ${childId}, so its OUs are not known`,
      );
    }
    const [accountId, depth] = unit ? [unit.accountId, unit.depth - 1] : [childId, ouPath.length];
    return { Parents: [{ Id: idAt(accountId, depth), Type: depth === 0 ? "ROOT" : "ORGANIZATIONAL_UNIT" }] };
  };
  return { idAt, units, parents };
}

/**
 * Answers the workflow's tasks from sample context, as Organizations and Account Management
 * would: an unknown account is AccountNotFoundException; no contact is ResourceNotFoundException.
 * `published` receives what the workflow publishes to SNS.
 */
export function contextHandler(
  contexts: AccountContexts,
  options: {
    /** The account the lookups run in, whose own contact is read without naming it. */
    directoryAccountId: string;
    published?: (message: string, topicArn: string) => void;
  },
): TaskHandler {
  const tree = sampleTree(contexts);
  return (call: TaskCall) => {
    const args = (call.arguments ?? {}) as Record<string, string>;
    const action = call.resource.split(":").slice(-2).join(":");
    const known = (accountId: string) => {
      const context = contexts[accountId];
      if (!context)
        throw new TaskFailure(
          "Organizations.AccountNotFoundException",
          `You specified an account that doesn't exist (${accountId}).`,
        );
      return context;
    };
    switch (action) {
      case "organizations:describeAccount": {
        const context = known(args.AccountId);
        return Promise.resolve({
          Account: { Id: args.AccountId, Name: context.name, Email: context.email, State: "ACTIVE" },
        });
      }
      case "organizations:listParents":
        return Promise.resolve(tree.parents(args.ChildId, known));
      case "organizations:describeOrganizationalUnit": {
        const id = args.OrganizationalUnitId;
        const unit =
          tree.units.get(id) ??
          (() => {
            throw new TaskFailure(
              "Organizations.OrganizationalUnitNotFoundException",
              `We can't find an organizational unit (OU) with the OUId that you specified (${id}).`,
            );
          })();
        const name = (contexts[unit.accountId]?.ouPath ?? [])[unit.depth - 1];
        return Promise.resolve({ OrganizationalUnit: { Id: id, Name: name } });
      }
      case "organizations:listTagsForResource":
        return Promise.resolve({
          Tags: Object.entries(known(args.ResourceId).tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
        });
      case "account:getAlternateContact": {
        const accountId = args.AccountId ?? options.directoryAccountId;
        const contact = contexts[accountId]?.securityContact;
        if (!contact)
          throw new TaskFailure(
            "Account.ResourceNotFoundException",
            "No contact of the specified type was found.",
          );
        return Promise.resolve({
          AlternateContact: {
            AlternateContactType: "SECURITY",
            Name: contact.name,
            Title: contact.title,
            EmailAddress: contact.emailAddress,
            PhoneNumber: contact.phoneNumber,
          },
        });
      }
      case "sns:publish":
        options.published?.(args.Message, args.TopicArn);
        return Promise.resolve({ MessageId: "00000000-0000-0000-0000-offline00000" });
      default:
        return Promise.reject(new Error(`no sample answer for ${call.resource}`));
    }
  };
}

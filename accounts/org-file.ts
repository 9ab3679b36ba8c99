import { z } from "zod";
import { formatIssues } from "../config/issues";
import { accountId, OU_ID_PATTERN, OU_ID_RULE } from "../config/schema";
import { readJsonFile } from "../lib/json-file";
import {
  AccountsUnder,
  Caller,
  DiscoveryError,
  Organization,
  OrganizationalUnit,
  OrganizationDirectory,
  OrgAccount,
} from "./types";

// Each schema's error text is what was expected; formatIssues adds the path and the value received.
const expected = (what: string) => ({ error: what });
const STATES = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"] as const;

const accountSchema = z.strictObject(
  {
    id: accountId,
    name: z.string(expected("the account's name")).min(1, expected("a non-empty account name")),
    state: z.enum(STATES, expected(`the account's Organizations State: ${STATES.join(", ")}`)),
    /** Optional sample context for the message previews: the root address and the account's tags. */
    email: z.email(expected("the account's root email address")).optional(),
    tags: z.record(z.string(), z.string(), expected("the account's tags, as { key: value }")).optional(),
  },
  expected('an account as { "id": "111111111111", "name": "shop-prod", "state": "ACTIVE" }'),
);

/** An account of the file: what Organizations lists, and sample context for previews. */
export interface FileAccount extends OrgAccount {
  email?: string;
  tags?: Record<string, string>;
}

export interface OrganizationalUnitNode {
  id: string;
  name: string;
  accounts?: FileAccount[];
  organizationalUnits?: OrganizationalUnitNode[];
}

const ROOT_ID = "a root ID: r- and 4 to 32 lowercase letters or digits (e.g. r-ab12)";
const unitShape = (id: z.ZodString) => ({
  id,
  name: z.string(expected("the OU's name")),
  accounts: z.array(accountSchema, expected("a list of accounts")).optional(),
  organizationalUnits: z.array(ouSchema, expected("a list of OUs")).optional(),
});
const ouSchema: z.ZodType<OrganizationalUnitNode> = z.lazy(() =>
  z.strictObject(
    unitShape(z.string(expected(OU_ID_RULE)).regex(OU_ID_PATTERN, expected(OU_ID_RULE))),
    expected('an OU as { "id": "ou-…", "name": "…", "accounts": […], "organizationalUnits": […] }'),
  ),
);
const rootSchema: z.ZodType<OrganizationalUnitNode> = z.strictObject(
  unitShape(z.string(expected(ROOT_ID)).regex(/^r-[0-9a-z]{4,32}$/, expected(ROOT_ID))),
  expected('the root as { "id": "r-…", "name": "Root", "accounts": […], "organizationalUnits": […] }'),
);

const fileSchema = z.strictObject(
  {
    organization: z.strictObject(
      {
        id: z
          .string(expected("an organization ID such as o-exampleorg1"))
          .regex(
            /^o-[a-z0-9]{10,32}$/,
            expected("an organization ID: o- and 10 to 32 lowercase letters or digits"),
          ),
        managementAccountId: accountId,
      },
      expected('{ "id": "o-…", "managementAccountId": "…" }'),
    ),
    /** Who runs the program; the management account when absent. */
    caller: z
      .strictObject(
        {
          accountId,
          arn: z
            .string(expected("the caller's ARN"))
            .regex(/^arn:aws:(sts|iam)::\d{12}:/, expected("an IAM or STS ARN")),
        },
        expected('{ "accountId": "…", "arn": "arn:aws:sts::…" }'),
      )
      .optional(),
    root: rootSchema,
  },
  expected("an object with organization, root and optionally caller"),
);

/** A sample organization: accounts and OUs as a tree under the root, as `npm run plan` reads it. */
export type OrganizationFile = z.output<typeof fileSchema>;

/** A path in the file as a person finds it: root.organizationalUnits[0].accounts[1].id. */
const pathName = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (name, part) =>
      typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part),
    "",
  ) || "(the whole file)";

/** An account or OU listed twice is a slip in the file, not a second name for the same one. */
function duplicates(file: OrganizationFile): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const note = (id: string, where: string, what: string) => {
    const first = seen.get(id);
    if (first) problems.push(`${what} ${id} is listed twice, at ${first} and at ${where}: keep one`);
    else seen.set(id, where);
  };
  const visit = (unit: OrganizationalUnitNode, where: string) => {
    note(unit.id, where, unit.id.startsWith("r-") ? "root" : "OU");
    unit.accounts?.forEach((account, index) => note(account.id, `${where}.accounts[${index}]`, "account"));
    unit.organizationalUnits?.forEach((child, index) =>
      visit(child, `${where}.organizationalUnits[${index}]`),
    );
  };
  visit(file.root, "root");
  if (!seen.has(file.organization.managementAccountId)) {
    problems.push(
      `organization.managementAccountId ${file.organization.managementAccountId} is not among the accounts under root: list it, usually at the root`,
    );
  }
  return problems;
}

function invalidFile(source: string, problems: readonly string[]): DiscoveryError {
  return new DiscoveryError(
    `${source} is not a valid organization file (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
      problems.map((problem) => `  - ${problem}`).join("\n") +
      "\nIts shape is that of examples/organization.json.",
  );
}

export function parseOrganizationFile(content: unknown, source: string): OrganizationFile {
  const result = fileSchema.safeParse(content, { reportInput: true });
  if (!result.success) {
    throw invalidFile(
      source,
      formatIssues(result.error.issues, {
        schema: fileSchema,
        keyName: pathName,
        accountIdSchemas: new Set([accountId]),
      }),
    );
  }
  const problems = duplicates(result.data);
  if (problems.length > 0) throw invalidFile(source, problems);
  return result.data;
}

export function readOrganizationFile(path: string): OrganizationFile {
  const content = readJsonFile(path, "organization file", {
    unreadable: "check the path given to --org",
    // JSON has no numbers with a leading zero: the one mistake here that JSON itself refuses.
    notJson: (text) =>
      /"id"\s*:\s*0\d/.test(text) ? 'Write account IDs as strings in quotes, e.g. "012345678901"' : undefined,
  });
  return parseOrganizationFile(content, path);
}

/** Every account under a unit, at any depth, in file order. */
export function accountsBelow(unit: OrganizationalUnitNode): OrgAccount[] {
  return [...(unit.accounts ?? []), ...(unit.organizationalUnits ?? []).flatMap(accountsBelow)];
}

/** The OU (or root) of that ID under a unit, itself included. */
export function findUnit(unit: OrganizationalUnitNode, id: string): OrganizationalUnitNode | undefined {
  if (unit.id === id) return unit;
  for (const child of unit.organizationalUnits ?? []) {
    const found = findUnit(child, id);
    if (found) return found;
  }
  return undefined;
}

/** Who the file says runs the program: its caller, or the management account's administrator. */
export function fileCaller(file: OrganizationFile): Caller {
  const accountId = file.organization.managementAccountId;
  return (
    file.caller ?? {
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_AdministratorAccess/plan`,
    }
  );
}

/** Every OU below a unit, at any depth. */
function unitsBelow(unit: OrganizationalUnitNode): OrganizationalUnitNode[] {
  return (unit.organizationalUnits ?? []).flatMap((child) => [child, ...unitsBelow(child)]);
}

/** The organization of a file, answering as AWS Organizations would. */
export class FileOrganizationDirectory implements OrganizationDirectory {
  constructor(
    private readonly organization: OrganizationFile,
    /** The file's path, for messages. */
    readonly file?: string,
  ) {}

  describeOrganization(): Promise<Organization> {
    return Promise.resolve(this.organization.organization);
  }

  listAccounts(): Promise<OrgAccount[]> {
    return Promise.resolve(accountsBelow(this.organization.root));
  }

  listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<AccountsUnder> {
    const units = organizationalUnitIds.map((id) =>
      id === this.organization.root.id ? undefined : findUnit(this.organization.root, id),
    );
    // An OU listed with one of its parents holds its accounts once, as the walk over AWS finds them.
    const accounts = units.flatMap((unit) => (unit ? accountsBelow(unit) : []));
    return Promise.resolve({
      accounts: [...new Map(accounts.map((account) => [account.id, account])).values()],
      unknownUnits: organizationalUnitIds.filter((_, index) => units[index] === undefined),
    });
  }

  listOrganizationalUnits(): Promise<OrganizationalUnit[]> {
    return Promise.resolve(unitsBelow(this.organization.root).map(({ id, name }) => ({ id, name })));
  }

  rootId(): Promise<string> {
    return Promise.resolve(this.organization.root.id);
  }

  ancestorIds(organizationalUnitId: string): Promise<string[]> {
    const above = (unit: OrganizationalUnitNode): string[] | undefined => {
      if (unit.id === organizationalUnitId) return [];
      for (const child of unit.organizationalUnits ?? []) {
        const path = above(child);
        if (path) return [unit.id, ...path];
      }
      return undefined;
    };
    return Promise.resolve(above(this.organization.root) ?? []);
  }

  describeOrganizationalUnit(organizationalUnitId: string): Promise<OrganizationalUnit | undefined> {
    const unit = organizationalUnitId.startsWith("ou-")
      ? findUnit(this.organization.root, organizationalUnitId)
      : undefined;
    return Promise.resolve(unit && { id: unit.id, name: unit.name });
  }

  describeAccount(accountId: string): Promise<OrgAccount | undefined> {
    return Promise.resolve(accountsBelow(this.organization.root).find((account) => account.id === accountId));
  }
}

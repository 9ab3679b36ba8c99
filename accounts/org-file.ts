import { readFileSync } from "node:fs";
import { z } from "zod";
import { unknownOrganizationalUnit } from "./errors";
import { Caller, DiscoveryError, Organization, OrganizationDirectory, OrgAccount } from "./types";

const accountSchema = z.strictObject({
  id: z.string().regex(/^\d{12}$/, "a 12-digit account ID"),
  name: z.string().min(1),
  state: z.enum(["ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"]),
});

export interface OrganizationalUnitNode {
  id: string;
  name: string;
  accounts?: OrgAccount[];
  organizationalUnits?: OrganizationalUnitNode[];
}

const unitSchema: z.ZodType<OrganizationalUnitNode> = z.lazy(() =>
  z.strictObject({
    id: z
      .string()
      .regex(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/, "a root (r-…) or OU (ou-…) ID"),
    name: z.string(),
    accounts: z.array(accountSchema).optional(),
    organizationalUnits: z.array(unitSchema).optional(),
  }),
);

const fileSchema = z.strictObject({
  organization: z.strictObject({
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/, "an organization ID"),
    managementAccountId: z.string().regex(/^\d{12}$/, "a 12-digit account ID"),
  }),
  /** Who runs the program; the management account when absent. */
  caller: z.strictObject({ accountId: z.string().regex(/^\d{12}$/), arn: z.string() }).optional(),
  root: unitSchema,
});

/** A sample organization: accounts and OUs as a tree under the root, as `npm run plan` reads it. */
export type OrganizationFile = z.output<typeof fileSchema>;

export function parseOrganizationFile(content: unknown, source: string): OrganizationFile {
  const result = fileSchema.safeParse(content);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new DiscoveryError(`${source} is not a valid organization file:\n${problems.join("\n")}`);
  }
  return result.data;
}

export function readOrganizationFile(path: string): OrganizationFile {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DiscoveryError(`cannot read organization file ${path}: ${(error as Error).message}`);
  }
  return parseOrganizationFile(content, path);
}

/** Every account under a unit, at any depth, in file order. */
export function accountsBelow(unit: OrganizationalUnitNode): OrgAccount[] {
  return [...(unit.accounts ?? []), ...(unit.organizationalUnits ?? []).flatMap(accountsBelow)];
}

function findUnit(unit: OrganizationalUnitNode, id: string): OrganizationalUnitNode | undefined {
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

/** The organization of a file, answering as AWS Organizations would. */
export class FileOrganizationDirectory implements OrganizationDirectory {
  constructor(private readonly file: OrganizationFile) {}

  describeOrganization(): Promise<Organization> {
    return Promise.resolve(this.file.organization);
  }

  listAccounts(): Promise<OrgAccount[]> {
    return Promise.resolve(accountsBelow(this.file.root));
  }

  listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<OrgAccount[]> {
    return Promise.resolve(
      organizationalUnitIds.flatMap((id) => {
        const unit = findUnit(this.file.root, id);
        if (!unit || id === this.file.root.id) throw unknownOrganizationalUnit(id);
        return accountsBelow(unit);
      }),
    );
  }

  describeAccount(accountId: string): Promise<OrgAccount | undefined> {
    return Promise.resolve(accountsBelow(this.file.root).find((account) => account.id === accountId));
  }
}

import { UserError } from "../lib/errors";

/** An account as AWS Organizations reports it. `state` is ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED. */
export interface OrgAccount {
  id: string;
  name: string;
  state: string;
}

export interface Organization {
  id: string;
  managementAccountId: string;
}

/** Who the program runs as (STS GetCallerIdentity). */
export interface Caller {
  accountId: string;
  arn: string;
}

export interface OrganizationalUnit {
  id: string;
  name: string;
}

/** The accounts under some OUs, and which of the OUs asked for the organization does not have. */
export interface AccountsUnder {
  accounts: OrgAccount[];
  unknownUnits: string[];
}

/** Read access to an organization: AWS Organizations itself, or a sample organization file offline. */
export interface OrganizationDirectory {
  /** The organization file it reads, for messages; none for AWS Organizations. */
  readonly file?: string;
  describeOrganization(): Promise<Organization>;
  listAccounts(): Promise<OrgAccount[]>;
  /** Accounts under these OUs and their child OUs, at any depth; every unknown OU is named, not just the first. */
  listAccountsUnder(organizationalUnitIds: readonly string[]): Promise<AccountsUnder>;
  /** Every OU of the organization, at any depth: where an unknown OU ID's near miss is looked for. */
  listOrganizationalUnits(): Promise<OrganizationalUnit[]>;
  /** The account, or undefined when it is not in the organization. */
  describeAccount(accountId: string): Promise<OrgAccount | undefined>;
  /** The OU, or undefined when the organization has none of that ID. */
  describeOrganizationalUnit(organizationalUnitId: string): Promise<OrganizationalUnit | undefined>;
  /** The organization's root ID (r-…), which a StackSet targets to reach every account. */
  rootId(): Promise<string>;
  /** The IDs of the root and the OUs above a known OU, the root first and its parent last. */
  ancestorIds(organizationalUnitId: string): Promise<string[]>;
}

export interface CoveredAccount {
  id: string;
  name: string;
}

export interface SkippedAccount {
  id: string;
  name: string;
  reason: string;
}

/** A failure a person must fix; the message says what, where and how. */
export class DiscoveryError extends UserError {
  constructor(
    message: string,
    /** The AWS error code behind it, when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

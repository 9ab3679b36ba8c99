import { STACKSET_NAME } from "./names";
import { GLOBAL_EVENTS_REGION } from "../config/schema";

/** How the StackSet is managed: by the management account, or by a StackSets delegated administrator. */
export type CallAs = "SELF" | "DELEGATED_ADMIN";

/** What the discovery of accounts tells the StackSet's targets (accounts/discover's Discovery has it). */
export interface StackSetDiscovery {
  caller: { accountId: string };
  managementAccountId?: string;
  covered: readonly { id: string }[];
  skipped: readonly { id: string; reason: string }[];
  /** Covered accounts outside the selected OUs: the central account, when it lies elsewhere. */
  outsideUnits: readonly string[];
}

/** Who administers the StackSet, and which covered accounts it cannot reach. */
export interface StackSetAdministration {
  /**
   * Covered accounts a StackSet never deploys to, which get the direct forwarder instead: the
   * management account, and the central account when it lies outside the selected OUs.
   */
  direct: string[];
  callAs: CallAs;
}

/** Where the StackSet's instances go, and what it cannot reach. */
export interface StackSetTargets extends StackSetAdministration {
  /** The configured OUs, or the organization's root: nested OUs and accounts that join later included. */
  organizationalUnitIds: string[];
  /**
   * Accounts under those OUs that get no forwarder. They are left out by the template's condition
   * (model/forwarder-template.ts), not by the instances' account filter: CloudFormation applies
   * account filters to the operations Pulumi starts, never to auto-deployments.
   */
  excludedAccounts: string[];
}

/** The covered accounts the StackSet cannot reach, and how the caller administers it. */
export function stackSetAdministration(discovery: StackSetDiscovery): StackSetAdministration {
  const management = discovery.managementAccountId;
  const covered = new Set(discovery.covered.map((account) => account.id));
  const direct = [management, ...discovery.outsideUnits].filter(
    (id, index, all): id is string => id !== undefined && covered.has(id) && all.indexOf(id) === index,
  );
  return {
    direct: direct.sort(),
    callAs: discovery.caller.accountId === management ? "SELF" : "DELEGATED_ADMIN",
  };
}

/**
 * The StackSet's deployment targets for the discovered accounts: the same accounts the direct
 * mode would cover, the accounts that join later included. `exclude` becomes the template's list
 * of the excluded accounts the organization has (the management account is never a target).
 */
export function stackSetTargets(
  organizationalUnits: readonly string[],
  discovery: StackSetDiscovery,
  rootId: string,
): StackSetTargets {
  const excluded = discovery.skipped
    .filter((account) => account.reason === "excluded" && account.id !== discovery.managementAccountId)
    .map((account) => account.id)
    .sort();
  return {
    ...stackSetAdministration(discovery),
    organizationalUnitIds: organizationalUnits.length > 0 ? [...organizationalUnits] : [rootId],
    excludedAccounts: excluded,
  };
}

/** What a command fills in for an OU it does not know. */
export const UNKNOWN_OU = "<the account's OU ID>";

/**
 * The AWS CLI command that deploys one account's forwarder stack in one region again, run by the
 * account that administers the StackSet (where it lives: us-east-1). `update` re-runs the stack
 * operation of an instance that exists, as a failed one does; `create` makes a missing one.
 * `pulumi up` does neither: the StackSetInstance it declares targets OUs and has not changed.
 */
export function stackInstanceCommand(
  action: "create" | "update",
  instance: {
    accountId: string;
    region: string;
    /** The OU (or root) the account sits in, or the one the instance was deployed through. */
    organizationalUnitId?: string;
    callAs: CallAs;
  },
): string {
  return [
    `aws cloudformation ${action}-stack-instances`,
    `--stack-set-name ${STACKSET_NAME}`,
    `--region ${GLOBAL_EVENTS_REGION}`,
    `--regions ${instance.region}`,
    `--deployment-targets OrganizationalUnitIds=${instance.organizationalUnitId ?? UNKNOWN_OU},Accounts=${instance.accountId},AccountFilterType=INTERSECTION`,
    ...(instance.callAs === "DELEGATED_ADMIN" ? ["--call-as DELEGATED_ADMIN"] : []),
  ].join(" ");
}

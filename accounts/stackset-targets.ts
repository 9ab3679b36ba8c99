import { Discovery } from "./discover";

/** How the StackSet is managed: by the management account, or by a StackSets delegated administrator. */
export type CallAs = "SELF" | "DELEGATED_ADMIN";

/** Where the StackSet's instances go, and what it cannot reach. */
export interface StackSetTargets {
  /** The configured OUs, or the organization's root: nested OUs and accounts that join later included. */
  organizationalUnitIds: string[];
  /** DIFFERENCE: every account under the OUs but `accounts`; NONE: all of them. */
  accountFilterType: "NONE" | "DIFFERENCE";
  accounts: string[];
  /**
   * Covered accounts a StackSet never deploys to, which get the direct forwarder instead: the
   * management account, and the central account when it lies outside the selected OUs.
   */
  direct: string[];
  callAs: CallAs;
}

/**
 * The StackSet's deployment targets for the discovered accounts: the same accounts the direct
 * mode would cover, the accounts that join later included. `exclude` becomes a DIFFERENCE filter
 * of the excluded accounts the organization has (the management account is never a target).
 */
export function stackSetTargets(
  organizationalUnits: readonly string[],
  discovery: Pick<Discovery, "caller" | "managementAccountId" | "covered" | "skipped" | "outsideUnits">,
  rootId: string,
): StackSetTargets {
  const management = discovery.managementAccountId;
  const covered = new Set(discovery.covered.map((account) => account.id));
  const excluded = discovery.skipped
    .filter((account) => account.reason === "excluded" && account.id !== management)
    .map((account) => account.id)
    .sort();
  const direct = [management, ...discovery.outsideUnits].filter(
    (id, index, all): id is string => id !== undefined && covered.has(id) && all.indexOf(id) === index,
  );
  return {
    organizationalUnitIds: organizationalUnits.length > 0 ? [...organizationalUnits] : [rootId],
    accountFilterType: excluded.length > 0 ? "DIFFERENCE" : "NONE",
    accounts: excluded,
    direct: direct.sort(),
    callAs: discovery.caller.accountId === management ? "SELF" : "DELEGATED_ADMIN",
  };
}

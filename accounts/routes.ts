import { RouteConfig } from "../config/routes";
import { closestCandidate, ID_TYPO } from "../lib/suggest";
import { unknownOrganizationalUnit } from "./errors";
import { nearAccount, Selection } from "./select";
import { OrganizationalUnit, OrganizationDirectory, OrgAccount } from "./types";

/**
 * The routes' selectors against the organization, checked in discovery with its other problems:
 * an OU or an account the organization does not have would route nothing, without a word.
 */

const routeKey = (index: number, selector: string) => `abuse-alerts:routes[${index}].${selector}`;

/**
 * Each OU of `ids` the organization does not have, with the OU it was likely meant to be; `source`
 * names where they are listed and what Organizations answered (the selected OUs' by default).
 */
export async function unknownUnitProblems(
  directory: OrganizationDirectory,
  ids: readonly { id: string; source?: { key: string; code: string } }[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const units: OrganizationalUnit[] = await directory.listOrganizationalUnits();
  const sorted = units.map((unit) => unit.id).sort();
  return ids.map(({ id, source }) => {
    const meant = closestCandidate(sorted, id, ID_TYPO);
    return unknownOrganizationalUnit(
      id,
      directory.file,
      units.find((unit) => unit.id === meant),
      source,
    );
  });
}

/** Every route OU the organization does not have, named where each route lists it. */
export async function unknownRouteUnits(
  routes: readonly RouteConfig[],
  directory: OrganizationDirectory,
): Promise<string[]> {
  const ids = [...new Set(routes.flatMap((route) => route.organizationalUnits))];
  const found = await Promise.all(ids.map((id) => directory.describeOrganizationalUnit(id)));
  const unknown = new Set(ids.filter((_, index) => found[index] === undefined));
  return unknownUnitProblems(
    directory,
    routes.flatMap((route, index) =>
      route.organizationalUnits
        .filter((id) => unknown.has(id))
        .map((id) => ({
          id,
          source: {
            key: routeKey(index, "organizationalUnits"),
            code: "OrganizationalUnitNotFoundException",
          },
        })),
    ),
  );
}

/**
 * Every route account that is no account of `scope`: not among `known`, nor, when a directory is
 * given, anywhere else in the organization. Each with its near miss among `known`.
 */
export async function unknownRouteAccounts(
  routes: readonly RouteConfig[],
  known: readonly OrgAccount[],
  scope: string,
  directory?: OrganizationDirectory,
): Promise<string[]> {
  const ids = new Set(known.map((account) => account.id));
  const outside = [...new Set(routes.flatMap((route) => route.accounts))].filter((id) => !ids.has(id));
  const elsewhere = directory ? await Promise.all(outside.map((id) => directory.describeAccount(id))) : [];
  const unknown = new Set(outside.filter((_, index) => elsewhere[index] === undefined));
  return routes.flatMap((route, index) =>
    route.accounts
      .filter((id) => unknown.has(id))
      .map(
        (id) =>
          `${routeKey(index, "accounts")} lists ${id}, which is not an account of ${scope}${nearAccount(known, id) || "; check the ID"}`,
      ),
  );
}

/** Route accounts the stack does not cover: their alerts never reach the hub, nor the route. */
export function uncoveredRouteAccounts(routes: readonly RouteConfig[], selection: Selection): string[] {
  const covered = new Set(selection.covered.map((account) => account.id));
  return routes.flatMap((route, index) =>
    route.accounts
      .filter((id) => !covered.has(id))
      .map((id) => {
        const skipped = selection.skipped.find((account) => account.id === id);
        const why = skipped ? skipped.reason : "outside abuse-alerts:accounts.organizationalUnits";
        return `${routeKey(index, "accounts")} lists ${id}, which this stack does not cover (${why}): its alerts reach neither the central channel nor this route`;
      }),
  );
}

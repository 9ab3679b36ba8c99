import { RouteConfig } from "../config/routes";
import { AbuseAlertsConfig } from "../config/schema";
import { routeAccount, tagsReason } from "../model/routes";
import { paragraph, renderTable } from "../lib/tables";
import { AccountContexts, accountPlace } from "../sim/account-context";
import { routeChannelLabel } from "./preview";

/** What a route selects, as a person reads it: its OUs by name, its accounts, its tags. */
function selectors(route: RouteConfig, ouNames: Map<string, string>): string {
  return [
    ...route.organizationalUnits.map((id) => `OU ${id}${ouNames.has(id) ? ` (${ouNames.get(id)})` : ""}`),
    ...route.accounts.map((id) => `account ${id}`),
    ...(Object.keys(route.tags).length > 0 ? [tagsReason(route.tags)] : []),
  ].join(", ");
}

/** Every OU of the sample context, by ID: the names the workflow's lookups would find. */
function organizationalUnitNames(contexts: AccountContexts): Map<string, string> {
  const names = new Map<string, string>();
  for (const context of Object.values(contexts)) {
    (context.ouPath ?? []).forEach((name, index) => {
      const id = context.ouIds?.[index + 1];
      if (id) names.set(id, name);
    });
  }
  return names;
}

/**
 * The plan's routes: each with its channel, its selectors and the covered accounts of the
 * organization file it matches today, by the workflow's own rule; then the accounts no route
 * matches, whose alerts reach the central channel only. Nothing without routes.
 */
export function routesSection(
  config: AbuseAlertsConfig,
  contexts: AccountContexts,
  covered: readonly string[],
  names: Map<string, string>,
): string[] {
  const { routes } = config;
  if (routes.length === 0) return [];
  const matches = new Map<string, string[]>(routes.map((route) => [route.name, []]));
  const unmatched: string[] = [];
  for (const id of covered) {
    const routing = routeAccount(routes, accountPlace(id, contexts[id]));
    const matched = routing.decided ? routing.matched : [];
    const label = `${id}${names.get(id) ? ` ${names.get(id)}` : ""}`;
    if (matched.length === 0) unmatched.push(label);
    for (const { route, reasons } of matched)
      matches.get(route.name)?.push(`${label} (${reasons.join(", ")})`);
  }
  const ouNames = organizationalUnitNames(contexts);
  return [
    paragraph(
      `Routes: ${routes.length}, each its own topic in every region and its own Chatbot channel configuration. ` +
        "The workflow matches each alert's account live; below, the covered accounts of the organization file each route matches today.",
    ),
    renderTable(
      ["Route", "Channel", "Selects", "Matches today"],
      routes.map((route) => [
        route.name,
        routeChannelLabel(route, config.slack.workspaceId),
        selectors(route, ouNames),
        (matches.get(route.name) ?? []).join("\n") || "none",
      ]),
    ),
    paragraph(
      unmatched.length === 0
        ? "Every covered account matches a route."
        : `No route matches ${unmatched.length} covered account${unmatched.length === 1 ? "" : "s"}, whose alerts reach the central channel only: ${unmatched.join(", ")}.`,
    ),
    "",
  ];
}

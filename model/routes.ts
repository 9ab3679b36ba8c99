import { RouteConfig } from "../config/routes";
import { routeTopicArn } from "./names";

/**
 * Which channels an alert reaches: the central one, and each route whose selectors match the
 * account, with a line saying why. The rule in plain TypeScript: `npm run plan` lists matches
 * with it, and the tests hold the notify workflow's JSONata (notify/routes.ts) to it.
 */

/** A route's selectors: an account matches when any of them does. */
export type RouteSelectors = Pick<RouteConfig, "name" | "organizationalUnits" | "accounts" | "tags">;

/** A route as a region's workflow sees it: its selectors and its topic there. */
export interface RouteTarget extends RouteSelectors {
  topicArn: string;
}

/** The routes with their topics in one region, where that region's workflow publishes. */
export const routeTargetsIn = (
  region: string,
  centralAccountId: string,
  routes: readonly RouteSelectors[],
): RouteTarget[] =>
  routes.map(({ name, organizationalUnits, accounts, tags }) => ({
    name,
    organizationalUnits,
    accounts,
    tags,
    topicArn: routeTopicArn(region, centralAccountId, name),
  }));

/** A lookup's answer, or why it failed ("Organizations.AccessDeniedException: …"). */
export type Lookup<T> = { found: T } | { failed: string };

/** What the workflow's lookups found about an account, as routing reads it. */
export interface AccountPlace {
  accountId: string;
  /** The OUs from below the root down to the account's own; [] at the root. */
  organizationalUnits: Lookup<{ id: string; name: string }[]>;
  /** All of the account's tags. */
  tags: Lookup<Record<string, string>>;
}

/** Where a post goes: a topic, and the line that opens the message there. */
export interface Target {
  topicArn: string;
  note?: string;
}

/** The longest note of a route's post, and of the central post (which may name every route). */
export const NOTE_LIMITS = { route: 300, central: 1000 } as const;

/** Text cut to `max` characters, "…" last, counted as JSONata counts them (code points). */
export function cut(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length > max ? `${characters.slice(0, max - 1).join("")}…` : text;
}

/** Why a lookup failed, as the message says it: "Error: Cause", the cause cut to 160. */
export const failureReason = (error: { Error?: string; Cause?: string }) =>
  `${error.Error ?? ""}: ${cut(error.Cause ?? "", 160)}`;

/** Why a route's tags match: "tag team: data", or "tags team: data, environment: prod". */
export const tagsReason = (tags: Record<string, string>) => {
  const pairs = Object.entries(tags).map(([key, value]) => `${key}: ${value}`);
  return `${pairs.length === 1 ? "tag" : "tags"} ${pairs.join(", ")}`;
};

/** Why a route matches the account (empty: it does not): its OUs on the path, the account, its tags. */
export function routeReasons(route: RouteSelectors, place: AccountPlace): string[] {
  const { organizationalUnits: ous, tags } = place;
  const tagKeys = Object.keys(route.tags);
  return [
    ...("found" in ous ? ous.found : [])
      .filter((ou) => route.organizationalUnits.includes(ou.id))
      .map((ou) => `OU ${ou.name}`),
    ...(route.accounts.includes(place.accountId) ? [`account ${place.accountId}`] : []),
    ...(tagKeys.length > 0 && "found" in tags && tagKeys.every((key) => tags.found[key] === route.tags[key])
      ? [tagsReason(route.tags)]
      : []),
  ];
}

export type Routing<R extends RouteSelectors = RouteSelectors> =
  | { decided: true; matched: { route: R; reasons: string[] }[] }
  /** A lookup the routes need failed: `why` names each, with its error. */
  | { decided: false; why: string };

/**
 * The routes that match an account, in the order of the config. When a lookup that some route
 * selects by failed, nothing is decided: a team must not miss an alert its route would take,
 * nor get one it would not, so the alert goes to the central channel only.
 */
export function routeAccount<R extends RouteSelectors>(
  routes: readonly R[],
  place: AccountPlace,
): Routing<R> {
  const unknown = [
    routes.some((route) => route.organizationalUnits.length > 0) && "failed" in place.organizationalUnits
      ? `OU path (${place.organizationalUnits.failed})`
      : undefined,
    routes.some((route) => Object.keys(route.tags).length > 0) && "failed" in place.tags
      ? `tags (${place.tags.failed})`
      : undefined,
  ].filter((reason) => reason !== undefined);
  if (unknown.length > 0) return { decided: false, why: unknown.join("; ") };
  const matched = routes
    .map((route) => ({ route, reasons: routeReasons(route, place) }))
    .filter(({ reasons }) => reasons.length > 0);
  return { decided: true, matched };
}

/** The central post's line about routing: where else it went, or why it went nowhere else. */
function centralNote(routing: Routing): string {
  if (!routing.decided) {
    return `*Routing could not be decided*: ${routing.why}; only this channel has this alert`;
  }
  if (routing.matched.length === 0) return "*Also sent to* no team: no route matches this account";
  const teams = routing.matched.map(({ route, reasons }) => `${route.name} (${reasons.join(", ")})`);
  return `*Also sent to* ${teams.join(" · ")}`;
}

/**
 * The topics an alert is published to: the central one, and each matching route's. Without
 * routes, the central topic alone and no note: the message stays what it was.
 */
export function routingTargets(
  centralTopicArn: string,
  routes: readonly RouteTarget[],
  place: AccountPlace,
): Target[] {
  if (routes.length === 0) return [{ topicArn: centralTopicArn }];
  const routing = routeAccount(routes, place);
  const matched = routing.decided ? routing.matched : [];
  return [
    { topicArn: centralTopicArn, note: cut(centralNote(routing), NOTE_LIMITS.central) },
    ...matched.map(({ route, reasons }) => ({
      topicArn: route.topicArn,
      note: cut(`*Routed to ${route.name}*: ${reasons.join(" · ")}`, NOTE_LIMITS.route),
    })),
  ];
}

import { z } from "zod";
import {
  accountId,
  expected,
  organizationalUnitId,
  slackChannelId,
  slackWorkspaceId,
  tagKey,
  tagValue,
} from "./ids";
import { uniqueList } from "./issues";
import { closestCandidate } from "../lib/suggest";

/**
 * abuse-alerts:routes: owning teams' channels, each taking the alerts of the accounts its
 * selectors match, besides the central channel.
 */

/** Where a route posts: a Slack channel (through Chatbot) or a Microsoft Teams channel. */
export type RouteChannel =
  | { kind: "slack"; workspaceId: string; channelId: string }
  | {
      kind: "teams";
      teamId: string;
      /** URL-encoded, as Chatbot's API takes it: 19%3a…%40thread.tacv2. */
      channelId: string;
      tenantId: string;
    };

/** A route as the program uses it, defaults applied. */
export interface RouteConfig {
  name: string;
  channel: RouteChannel;
  /** Accounts under these OUs, at any depth. */
  organizationalUnits: string[];
  accounts: string[];
  /** Accounts whose tags have all of these values. */
  tags: Record<string, string>;
}

/**
 * At most this many routes. The notify workflow's role names each route's topic of its region in
 * its inline policy, which IAM caps at 10,240 characters for all of a role's inline policies: 50
 * topics take at most 4,700, leaving room for the rest. Each route is also a topic per region and a
 * Chatbot channel configuration to deploy, and one more publish of every alert it matches.
 */
export const MAX_ROUTES = 50;

const ROUTE_NAME = "a route name: 1 to 32 lowercase letters, digits or dashes, e.g. payments";
const UUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const uuid = (what: string) =>
  z
    .string(expected(what))
    .regex(UUID, expected(`${what}: a UUID such as 0a1b2c3d-1111-2222-3333-444455556666`));

/** Characters Chatbot's API allows around the `%3a` and `%40` of a Teams channel ID. */
const TEAMS_ID_PART = "[A-Za-z0-9\\-_=+/.,]*";
/** A Teams channel ID as Teams shows it (19:…@thread.tacv2) or URL-encoded (19%3a…%40thread.tacv2). */
const TEAMS_CHANNEL_ID = new RegExp(
  `^(${TEAMS_ID_PART}:${TEAMS_ID_PART}@${TEAMS_ID_PART}|${TEAMS_ID_PART}%3[aA]${TEAMS_ID_PART}%40${TEAMS_ID_PART})$`,
);
const TEAMS_CHANNEL = "a Microsoft Teams channel ID such as 19:0a1b2c…@thread.tacv2";

/** What a Teams channel ID that is not one was likely meant to be: a link, or the channel's name. */
const teamsChannelError = {
  error: (issue: { input?: unknown }) => {
    const input = typeof issue.input === "string" ? issue.input : "";
    if (input.startsWith("https://")) {
      return `${TEAMS_CHANNEL}, not the channel's link: the ID is the part of the link after /channel/ up to the next /, and the link's groupId is the teamId, its tenantId the tenantId`;
    }
    if (input !== "" && !/:|%3a/i.test(input)) {
      return `${TEAMS_CHANNEL}, not a channel name: in Teams, the channel's ⋯ menu > Get link to channel holds the ID after /channel/`;
    }
    return TEAMS_CHANNEL;
  },
};

/** Chatbot's API takes the channel ID URL-encoded; Teams shows it decoded. */
export const encodeTeamsChannelId = (channelId: string) =>
  channelId.replace(/:/g, "%3a").replace(/@/g, "%40");

/** The channel ID as Teams shows it, for messages. */
export const decodeTeamsChannelId = (channelId: string) =>
  channelId.replace(/%3a/gi, ":").replace(/%40/g, "@");

export const routeSchema = z.strictObject(
  {
    name: z.string(expected(ROUTE_NAME)).regex(/^[a-z0-9-]{1,32}$/, expected(ROUTE_NAME)),
    slack: z
      .strictObject(
        { workspaceId: slackWorkspaceId.optional(), channelId: slackChannelId },
        expected(
          "an object with channelId, and workspaceId when the channel is not in abuse-alerts:slack's workspace",
        ),
      )
      .optional(),
    teams: z
      .strictObject(
        {
          teamId: uuid("the team's ID (groupId in the channel's link)"),
          channelId: z
            .string(expected(TEAMS_CHANNEL))
            .max(255, expected("a Teams channel ID of at most 255 characters"))
            .regex(TEAMS_CHANNEL_ID, teamsChannelError),
          tenantId: uuid("the Microsoft Entra tenant's ID (tenantId in the channel's link)"),
        },
        expected("an object with teamId, channelId and tenantId"),
      )
      .optional(),
    organizationalUnits: uniqueList(
      organizationalUnitId("a route by the root would take every alert: the central channel has them all"),
      "a list of OU IDs, e.g. [ou-abcd-12345678]",
      (ou) => ou,
    )
      .min(1, expected("a non-empty list of OU IDs (leave the key out to select by accounts or tags)"))
      .optional(),
    accounts: uniqueList(accountId, 'a list of account IDs, e.g. ["222222222222"]', (id) => id)
      .min(1, expected("a non-empty list of account IDs (leave the key out to select by OUs or tags)"))
      .optional(),
    tags: z.record(tagKey, tagValue, expected("tags as { key: value }, e.g. { team: data }")).optional(),
  },
  expected("a route as { name, slack or teams, and organizationalUnits, accounts or tags }"),
);

export const routesSchema = z.array(
  routeSchema,
  expected("a list of routes, each { name, slack or teams, … }"),
);

type ParsedRoute = z.output<typeof routeSchema>;

/** A route's settings with defaults applied; `workspaceId` is abuse-alerts:slack's. */
export function resolveRoute(route: ParsedRoute, workspaceId: string): RouteConfig {
  const channel: RouteChannel = route.teams
    ? { kind: "teams", ...route.teams, channelId: encodeTeamsChannelId(route.teams.channelId) }
    : {
        kind: "slack",
        workspaceId: route.slack?.workspaceId ?? workspaceId,
        channelId: route.slack?.channelId ?? "",
      };
  return {
    name: route.name,
    channel,
    organizationalUnits: route.organizationalUnits ?? [],
    accounts: route.accounts ?? [],
    tags: route.tags ?? {},
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

type KeyName = (path: readonly PropertyKey[]) => string;

/** "routes[2] (payments)": a route as a person finds it in the stack file. */
const routeLabel = (index: number, route: Record<string, unknown>) =>
  `routes[${index}]${typeof route.name === "string" ? ` (${route.name})` : ""}`;

const ROUTE_KEYS = Object.keys(routeSchema.shape);

/**
 * Whether the route sets one of `keys`, or a misspelling of one (organisationalUnits), which the
 * "did you mean" of the unknown key already reports.
 */
const sets = (route: Record<string, unknown>, keys: readonly string[]) =>
  Object.keys(route).some(
    (key) =>
      keys.includes(key) ||
      (!ROUTE_KEYS.includes(key) && keys.includes(closestCandidate(ROUTE_KEYS, key) ?? "")),
  );

/** A route's own rules: one channel, at least one selector. */
function routeShapeProblems(route: Record<string, unknown>, index: number, keyName: KeyName): string[] {
  const key = keyName(["routes", index]);
  const problems: string[] = [];
  if (!sets(route, ["slack", "teams"])) {
    problems.push(
      `${key} has no channel: give it slack: { channelId } (workspaceId too when not abuse-alerts:slack's) or teams: { teamId, channelId, tenantId }`,
    );
  }
  if (route.slack !== undefined && route.teams !== undefined) {
    problems.push(
      `${key} has both slack and teams: a route posts to one channel; for both, make two routes with the same selectors`,
    );
  }
  if (!sets(route, ["organizationalUnits", "accounts", "tags"])) {
    problems.push(
      `${key} selects no account: add organizationalUnits (accounts under them, at any depth), accounts, or tags (accounts whose tags have all these values)`,
    );
  }
  if (isRecord(route.tags) && Object.keys(route.tags).length === 0) {
    problems.push(
      `${keyName(["routes", index, "tags"])} is empty: name at least one tag, e.g. { team: data }, or leave the key out`,
    );
  }
  return problems;
}

/** Where a route posts, as one comparable text; undefined while its channel is not set right. */
function channelKey(route: Record<string, unknown>, workspaceId: unknown): string | undefined {
  const { slack, teams } = route;
  if (isRecord(slack) && typeof slack.channelId === "string") {
    return `slack ${String(slack.workspaceId ?? workspaceId)} ${slack.channelId}`;
  }
  if (isRecord(teams) && typeof teams.teamId === "string") return `teams ${teams.teamId.toLowerCase()}`;
  return undefined;
}

/** Two routes that post to one place: the same Slack channel, or the same Teams team. */
function sharedChannelProblem(
  channel: string,
  index: number,
  first: { index: number; route: Record<string, unknown> },
  keyName: KeyName,
): string {
  if (channel.startsWith("teams ")) {
    return (
      `${keyName(["routes", index, "teams", "teamId"])} ${channel.slice(6)} is also the team of ${routeLabel(first.index, first.route)}: ` +
      "the AWS provider manages one Teams channel configuration per team (it finds a configuration by its team: " +
      "terraform-provider-aws#38943), so a second one in the same team fails to deploy; " +
      "make one route of the two, or give one of them a channel of another team"
    );
  }
  return (
    `${keyName(["routes", index, "slack", "channelId"])} ${channel.split(" ")[2]} is also the channel of ${routeLabel(first.index, first.route)}: ` +
    "an alert that both match would be posted there twice; make one route with the selectors of both"
  );
}

/**
 * Rules across routes and keys: at most MAX_ROUTES, a name and a channel each of their own, never
 * the central channel. Read from the raw values, so they are reported with every other problem.
 */
export function routeProblems(raw: unknown, centralSlack: unknown, keyName: KeyName): string[] {
  if (!Array.isArray(raw)) return [];
  const problems: string[] = [];
  if (raw.length > MAX_ROUTES) {
    problems.push(
      `${keyName(["routes"])} has ${raw.length} routes, more than ${MAX_ROUTES}: the notify workflow's role names every route's topic in its inline policy, which IAM caps at 10,240 characters; give teams that share a channel one route, selecting their OUs or a common tag`,
    );
  }
  const central = isRecord(centralSlack) ? centralSlack : {};
  const names = new Map<string, number>();
  const channels = new Map<string, { index: number; route: Record<string, unknown> }>();
  raw.forEach((route: unknown, index) => {
    if (!isRecord(route)) return;
    problems.push(...routeShapeProblems(route, index, keyName));
    if (typeof route.name === "string") {
      const first = names.get(route.name);
      if (first === undefined) names.set(route.name, index);
      else {
        problems.push(
          `${keyName(["routes", index, "name"])} ${route.name} is also the name of routes[${first}]: each route needs its own, as it names the route's topic and channel configuration`,
        );
      }
    }
    const channel = channelKey(route, central.workspaceId);
    if (channel === undefined) return;
    if (channel === `slack ${String(central.workspaceId)} ${String(central.channelId)}`) {
      problems.push(
        `${keyName(["routes", index, "slack", "channelId"])} ${String(central.channelId)} is the central channel (abuse-alerts:slack), which gets every alert already: give the route the owning team's channel`,
      );
      return;
    }
    const first = channels.get(channel);
    if (first) problems.push(sharedChannelProblem(channel, index, first, keyName));
    else channels.set(channel, { index, route });
  });
  return problems;
}

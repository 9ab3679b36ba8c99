import {
  ChatbotClient,
  ConfiguredTeam,
  paginateListMicrosoftTeamsChannelConfigurations,
  paginateListMicrosoftTeamsConfiguredTeams,
  SlackWorkspace,
} from "@aws-sdk/client-chatbot";
import { RouteConfig } from "../../../config/routes";
import { routeResourceName } from "../../../model/names";
import { DoctorCheck, Finding } from "../types";
import { authorizeWorkspace, chatbotList, listed, slackWorkspaces } from "./slack";

const CHECK = "routes";

type Teams = Extract<RouteConfig["channel"], { kind: "teams" }>;

/** A route's Slack workspace: authorized for Chatbot in the central account, and not disabled. */
function slackRoute(
  route: RouteConfig & { index: number },
  workspaces: readonly SlackWorkspace[],
  centralAccountId: string,
): Finding {
  const channel = route.channel as Extract<RouteConfig["channel"], { kind: "slack" }>;
  const subject = `route ${route.name}`;
  const found = workspaces.find((workspace) => workspace.SlackTeamId === channel.workspaceId);
  if (!found) {
    return {
      check: CHECK,
      status: "fail",
      subject,
      detail: `Slack workspace ${channel.workspaceId} is not authorized for Chatbot (authorized: ${listed(workspaces)})`,
      fix: authorizeWorkspace(centralAccountId, `abuse-alerts:routes[${route.index}].slack.workspaceId`),
    };
  }
  if (found.State === "DISABLED") {
    return {
      check: CHECK,
      status: "fail",
      subject,
      detail: `Slack workspace ${channel.workspaceId} (${found.SlackTeamName}) is disabled in Chatbot: ${found.StateReason ?? "no reason given"}`,
      fix: "an organization policy for chat applications denies this workspace: allow it, or give the route a channel of a workspace it allows",
    };
  }
  return {
    check: CHECK,
    status: "ok",
    subject,
    detail: `Slack channel ${channel.channelId}: workspace ${channel.workspaceId} (${found.SlackTeamName}) is authorized for Chatbot`,
  };
}

/** How to onboard a Microsoft Teams team in Chatbot, once, in the central account. */
const onboardTeam = (centralAccountId: string, index: number) =>
  `in account ${centralAccountId}, open the Amazon Q Developer in chat applications (Chatbot) console, Configure new client, Microsoft Teams, and authorize the team (AWS's "Get started with Microsoft Teams", steps 1-3); or fix abuse-alerts:routes[${index}].teams`;

/** A route's Teams team: onboarded in Chatbot under the route's tenant, and not disabled. */
function teamsTeam(
  route: RouteConfig & { index: number },
  teams: readonly ConfiguredTeam[],
  centralAccountId: string,
) {
  const channel = route.channel as Teams;
  const subject = `route ${route.name}`;
  const found = teams.find((team) => team.TeamId?.toLowerCase() === channel.teamId.toLowerCase());
  const fail = (detail: string, fix: string): Finding => ({
    check: CHECK,
    status: "fail",
    subject,
    detail,
    fix,
  });
  if (!found) {
    const onboarded = teams.map((team) => `${team.TeamId} (${team.TeamName ?? "?"})`).join(", ") || "none";
    return fail(
      `Microsoft Teams team ${channel.teamId} is not onboarded in Chatbot (onboarded: ${onboarded})`,
      onboardTeam(centralAccountId, route.index),
    );
  }
  if (found.TenantId?.toLowerCase() !== channel.tenantId.toLowerCase()) {
    return fail(
      `Microsoft Teams team ${channel.teamId} (${found.TeamName ?? "?"}) is onboarded in tenant ${found.TenantId ?? "?"}, not ${channel.tenantId}`,
      `set abuse-alerts:routes[${route.index}].teams.tenantId to ${found.TenantId ?? "the team's tenant"}`,
    );
  }
  if (found.State === "DISABLED") {
    return fail(
      `Microsoft Teams team ${channel.teamId} (${found.TeamName ?? "?"}) is disabled in Chatbot: ${found.StateReason ?? "no reason given"}`,
      "an organization policy for chat applications denies Microsoft Teams or this team: allow it, or give the route a Slack channel",
    );
  }
  return undefined;
}

/**
 * A route's Teams channel: its team onboarded under its tenant; and no other channel configuration
 * in that team, which the AWS provider would mistake for the route's (it finds a Teams
 * configuration by its team alone: terraform-provider-aws#38943) and fail the deployment.
 */
async function teamsRoute(
  route: RouteConfig & { index: number },
  teams: readonly ConfiguredTeam[],
  client: ChatbotClient,
  centralAccountId: string,
): Promise<Finding> {
  const channel = route.channel as Teams;
  const subject = `route ${route.name}`;
  const problem = teamsTeam(route, teams, centralAccountId);
  if (problem) return problem;
  const configurations = await chatbotList(
    "ListMicrosoftTeamsChannelConfigurations",
    { check: CHECK, subject },
    paginateListMicrosoftTeamsChannelConfigurations({ client }, { TeamId: channel.teamId }),
    (page) => page.TeamChannelConfigurations,
  );
  if (!Array.isArray(configurations)) return configurations;
  const others = configurations
    .map((configuration) => configuration.ConfigurationName ?? configuration.ChatConfigurationArn ?? "?")
    .filter((name) => name !== routeResourceName(route.name));
  if (others.length > 0) {
    return {
      check: CHECK,
      status: "fail",
      subject,
      detail: `Microsoft Teams team ${channel.teamId} already has channel configuration ${others.join(", ")}: the AWS provider finds a Teams configuration by its team alone (terraform-provider-aws#38943), so pulumi up would fail on the route's`,
      fix: `delete ${others.length === 1 ? "that configuration" : "those configurations"} in account ${centralAccountId}, or give the route a channel of another team`,
    };
  }
  const team = teams.find((candidate) => candidate.TeamId?.toLowerCase() === channel.teamId.toLowerCase());
  return {
    check: CHECK,
    status: "ok",
    subject,
    detail: `Microsoft Teams team ${channel.teamId} (${team?.TeamName ?? "?"}) is onboarded in Chatbot, tenant ${channel.tenantId}`,
  };
}

/** Chatbot's onboarded Teams teams, or the finding that says why they cannot be read. */
const configuredTeams = (client: ChatbotClient) =>
  chatbotList(
    "ListMicrosoftTeamsConfiguredTeams",
    { check: CHECK, subject: "routes" },
    paginateListMicrosoftTeamsConfiguredTeams({ client }, {}),
    (page) => page.ConfiguredTeams,
  );

/** Each route's channel can be configured: its Slack workspace authorized, or its Teams team onboarded. */
export const routesCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.routes.length > 0,
  async run({ config, clients, reach }) {
    const central = await reach(config.centralAccountId);
    if (!central) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject: "routes",
          detail: "not checked: the central account cannot be reached",
        },
      ];
    }
    const client = clients.chatbot(central.credentials);
    const routes = config.routes.map((route, index) => ({ ...route, index }));
    const slack = routes.filter((route) => route.channel.kind === "slack");
    const teams = routes.filter((route) => route.channel.kind === "teams");
    const findings: Finding[] = [];
    if (slack.length > 0) {
      const workspaces = await slackWorkspaces(client, { check: CHECK, subject: "routes" });
      if (!Array.isArray(workspaces)) findings.push(workspaces);
      else findings.push(...slack.map((route) => slackRoute(route, workspaces, config.centralAccountId)));
    }
    if (teams.length > 0) {
      const onboarded = await configuredTeams(client);
      if (!Array.isArray(onboarded)) findings.push(onboarded);
      else {
        for (const route of teams)
          findings.push(await teamsRoute(route, onboarded, client, config.centralAccountId));
      }
    }
    return findings;
  },
};

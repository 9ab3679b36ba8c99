import { paginateDescribeSlackWorkspaces } from "@aws-sdk/client-chatbot";
import { describeError } from "../../../accounts/errors";
import { collectPages } from "../../../accounts/organizations";
import { CHATBOT_API_REGION } from "../../../model/names";
import { DoctorCheck, Finding } from "../types";

const CHECK = "slack";

/** The Slack workspace must be authorized for Chatbot, once, in the central account. */
export const slackCheck: DoctorCheck = {
  name: CHECK,
  async run({ config, clients, reach }) {
    const subject = `account ${config.centralAccountId}`;
    const central = await reach(config.centralAccountId);
    if (!central) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: "not checked: the central account cannot be reached",
        },
      ];
    }
    const { credentials } = central;
    let workspaces;
    try {
      workspaces = await collectPages(
        paginateDescribeSlackWorkspaces({ client: clients.chatbot(credentials) }, {}),
        (page) => page.SlackWorkspaces,
      );
    } catch (error) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: `chatbot:DescribeSlackWorkspaces failed in ${CHATBOT_API_REGION}: ${describeError(error)}`,
          fix: "allow chatbot:DescribeSlackWorkspaces to the member role in the central account",
        },
      ];
    }
    const found = workspaces.find((workspace) => workspace.SlackTeamId === config.slack.workspaceId);
    if (found) {
      return [
        {
          check: CHECK,
          status: "ok",
          subject,
          detail: `Slack workspace ${config.slack.workspaceId} (${found.SlackTeamName}) is authorized for Chatbot`,
        },
      ];
    }
    const listed =
      workspaces.map((workspace) => `${workspace.SlackTeamId} (${workspace.SlackTeamName})`).join(", ") ||
      "none";
    const finding: Finding = {
      check: CHECK,
      status: "fail",
      subject,
      detail: `Slack workspace ${config.slack.workspaceId} is not authorized for Chatbot (authorized: ${listed})`,
      fix: `in account ${config.centralAccountId}, open the Amazon Q Developer in chat applications (Chatbot) console, Configure new client, Slack, and allow the workspace; or fix abuse-alerts:slack.workspaceId`,
    };
    return [finding];
  },
};

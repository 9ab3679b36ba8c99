import { ChatbotClient, paginateDescribeSlackWorkspaces, SlackWorkspace } from "@aws-sdk/client-chatbot";
import { describeError } from "../../../accounts/errors";
import { collectPages } from "../../../accounts/organizations";
import { CHATBOT_API_REGION } from "../../../model/names";
import { DoctorCheck, Finding } from "../types";

const CHECK = "slack";

/**
 * Every item of a Chatbot listing in the central account, or the finding that says the call
 * failed, and what to allow.
 */
export async function chatbotList<Page, Item>(
  action: string,
  finding: { check: string; subject: string },
  pages: AsyncIterable<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[] | Finding> {
  try {
    return await collectPages(pages, items);
  } catch (error) {
    return {
      ...finding,
      status: "fail",
      detail: `chatbot:${action} failed in ${CHATBOT_API_REGION}: ${describeError(error)}`,
      fix: `allow chatbot:${action} to the member role in the central account`,
    };
  }
}

/** Chatbot's Slack workspaces in the central account, or the finding that says why they cannot be read. */
export const slackWorkspaces = (client: ChatbotClient, finding: { check: string; subject: string }) =>
  chatbotList(
    "DescribeSlackWorkspaces",
    finding,
    paginateDescribeSlackWorkspaces({ client }, {}),
    (page) => page.SlackWorkspaces,
  );

/** How to authorize a Slack workspace for Chatbot, in the central account. */
export const authorizeWorkspace = (centralAccountId: string, key: string) =>
  `in account ${centralAccountId}, open the Amazon Q Developer in chat applications (Chatbot) console, Configure new client, Slack, and allow the workspace; or fix ${key}`;

/** The workspaces Chatbot has, for a message: "T… (name), …" or "none". */
export const listed = (workspaces: readonly SlackWorkspace[]) =>
  workspaces.map((workspace) => `${workspace.SlackTeamId} (${workspace.SlackTeamName})`).join(", ") || "none";

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
    const workspaces = await slackWorkspaces(clients.chatbot(central.credentials), { check: CHECK, subject });
    if (!Array.isArray(workspaces)) return [workspaces];
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
    return [
      {
        check: CHECK,
        status: "fail",
        subject,
        detail: `Slack workspace ${config.slack.workspaceId} is not authorized for Chatbot (authorized: ${listed(workspaces)})`,
        fix: authorizeWorkspace(config.centralAccountId, "abuse-alerts:slack.workspaceId"),
      },
    ];
  },
};

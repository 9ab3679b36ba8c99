import { outputWidth, wrapText } from "../lib/tables";
import { CustomNotification } from "../notify/notification";

const EMOJI: Record<string, string> = {
  ":rotating_light:": "🚨",
  ":closed_lock_with_key:": "🔐",
  ":alarm_clock:": "⏰",
  ":test_tube:": "🧪",
  ":warning:": "⚠️",
  ":white_check_mark:": "✅",
  ":red_circle:": "🔴",
  ":ballot_box_with_check:": "☑️",
};

/** The widest a rendering gets, box included: Slack's column is narrow, and so may the terminal be. */
const MAX_RENDER_WIDTH = 100;

/**
 * Roughly what Slack shows for the message, as plain text in a box, long lines wrapped.
 * `channelId` is the stack's slack.channelId, when known.
 */
export function renderForSlack(notification: CustomNotification, channelId?: string): string {
  const emoji = (text: string) => text.replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code);
  const { content, metadata } = notification;
  const renderWidth = Math.min(outputWidth(), MAX_RENDER_WIDTH);
  const lines = [
    `Slack channel ${channelId ?? "(abuse-alerts:slack.channelId)"} · Amazon Q (AWS Chatbot)`,
    "",
    emoji(`*${content.title ?? ""}*`),
    "",
    ...content.description.split("\n"),
    "",
    ...(content.nextSteps?.length
      ? ["Next steps", ...content.nextSteps.map((step) => emoji(`• ${step}`))]
      : []),
    "",
    ...(content.keywords?.length ? [content.keywords.map((keyword) => `[${keyword}]`).join(" ")] : []),
    // The Acknowledge button, which Chatbot adds to notifications that name a case's acknowledgement.
    ...(metadata?.enableCustomActions && metadata.additionalContext?.ackExecution ? ["[ Acknowledge ]"] : []),
    ...(metadata?.threadId ? [`(thread: ${metadata.threadId})`] : []),
  ].flatMap((line) => {
    // A bullet's wrapped lines hang under its text.
    const indent = line.startsWith("• ") ? "  " : "";
    return wrapText(line, renderWidth - 2 - indent.length)
      .split("\n")
      .map((part, index) => (index === 0 ? part : `${indent}${part}`));
  });
  const width = Math.max(...lines.map((line) => line.length));
  return [`┌${"─".repeat(width + 1)}`, ...lines.map((line) => `│ ${line}`), `└${"─".repeat(width + 1)}`].join(
    "\n",
  );
}

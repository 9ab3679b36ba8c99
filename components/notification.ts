import { z } from "zod";
import { outputWidth, wrapText } from "../lib/tables";
import { LIMITS } from "../workflow/message";

/**
 * Chatbot's custom notification format
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): version "1.0",
 * source "custom" and content.description are required, within Chatbot's documented lengths.
 * Chatbot drops, without a word, a message that does not fit: hence strict objects here.
 */
export const customNotificationSchema = z.strictObject({
  version: z.literal("1.0"),
  source: z.literal("custom"),
  id: z.string().optional(),
  content: z.strictObject({
    textType: z.literal("client-markdown").optional(),
    title: z.string().max(LIMITS.title).optional(),
    description: z.string().min(1).max(LIMITS.description),
    nextSteps: z.array(z.string().max(LIMITS.nextStep)).optional(),
    keywords: z.array(z.string().max(LIMITS.keyword)).optional(),
  }),
  metadata: z
    .strictObject({
      threadId: z.string().optional(),
      summary: z.string().optional(),
      eventType: z.string().optional(),
      relatedResources: z.array(z.string()).optional(),
      additionalContext: z.record(z.string(), z.string()).optional(),
      enableCustomActions: z.boolean().optional(),
    })
    .optional(),
});

export type CustomNotification = z.output<typeof customNotificationSchema>;

/** Parses an SNS message as Chatbot would: JSON, then the schema. Throws with the reason. */
export function parseCustomNotification(message: string): CustomNotification {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch (error) {
    throw new Error(`not valid JSON, Chatbot would drop it: ${(error as Error).message}`);
  }
  const result = customNotificationSchema.safeParse(json);
  if (!result.success) {
    throw new Error(
      `not a Chatbot custom notification: ${result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  return result.data;
}

const EMOJI: Record<string, string> = {
  ":rotating_light:": "🚨",
  ":closed_lock_with_key:": "🔐",
  ":alarm_clock:": "⏰",
  ":test_tube:": "🧪",
  ":warning:": "⚠️",
  ":white_check_mark:": "✅",
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

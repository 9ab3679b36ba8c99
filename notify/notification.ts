import { z } from "zod";

/**
 * Chatbot's limits (AWS's custom notification guidelines): title 250 characters, description
 * 8,000, each next step 350, each keyword 75.
 */
export const LIMITS = {
  title: 250,
  description: 8000,
  nextStep: 350,
  keyword: 75,
  // Ours: an affected entity (AWS allows 1,224 characters) and the facts above AWS's text, which
  // would otherwise leave it no room, or push the description past Chatbot's limit.
  entity: 200,
  header: 6000,
} as const;

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

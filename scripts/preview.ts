import { readFileSync } from "node:fs";
import { CustomNotification, parseCustomNotification, renderForSlack } from "../components/notification";
import { forwarderPattern } from "../components/patterns";
import { CENTRAL_BUS_NAME } from "../components/names";
import { CentralRule, centralRules } from "../components/rules";
import { CATEGORIES, Category } from "../config/schema";
import { matchesPattern } from "../eventbridge/matcher";
import { applyTransformer } from "../eventbridge/transformer";
import { UserError } from "../lib/cli";

export interface RulePreview {
  rule: CentralRule;
  /** The SNS message EventBridge would publish: the transformer's output, verbatim. */
  message: string;
  notification?: CustomNotification;
  /** Why Chatbot would drop the message, when it would. */
  error?: string;
}

export interface EventPreview {
  forwarded: boolean;
  rules: RulePreview[];
}

type Event = Record<string, unknown>;

/**
 * What the security team would see for an event: whether member accounts forward it, and each
 * central rule that takes it with the message its input transformer makes, applied as EventBridge does.
 */
export interface PreviewOptions {
  categories?: readonly Category[];
  centralAccountId?: string;
  /** The Slack channel the stack posts to, shown on the preview. */
  channelId?: string;
  /** The stack's SECURITY contact address, named in the abuse message's reply step. */
  securityContactEmail?: string;
}

export function previewEvent(event: Event, options: PreviewOptions = {}): EventPreview {
  const categories = options.categories ?? CATEGORIES;
  const region = typeof event.region === "string" ? event.region : "us-east-1";
  const rules = centralRules(categories, { securityContactEmail: options.securityContactEmail })
    .filter((rule) => matchesPattern(rule.pattern, event as never))
    .map((rule): RulePreview => {
      const message = applyTransformer(rule.transformer, event as never, {
        ruleArn: `arn:aws:events:${region}:${options.centralAccountId ?? "111111111111"}:rule/${CENTRAL_BUS_NAME}/${rule.name}`,
        ruleName: rule.name,
        ingestionTime: new Date().toISOString(),
      });
      try {
        return { rule, message, notification: parseCustomNotification(message) };
      } catch (error) {
        return { rule, message, error: (error as Error).message };
      }
    });
  return { forwarded: matchesPattern(forwarderPattern(categories), event as never), rules };
}

/** An event from a JSON file, or a message that says why it cannot be read. */
export function readEventFile(path: string): Event {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(
      `cannot read the event ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    const event = JSON.parse(text) as unknown;
    if (typeof event !== "object" || event === null || Array.isArray(event))
      throw new Error("not a JSON object");
    return event as Event;
  } catch (error) {
    throw new UserError(`the event ${path} is not an EventBridge event as JSON: ${(error as Error).message}`);
  }
}

/** The preview as text, and whether every rule that takes the event would post a valid message. */
export function renderPreview(event: Event, options: PreviewOptions = {}): { text: string; posted: boolean } {
  const preview = previewEvent(event, options);
  if (preview.rules.length === 0) {
    const reason = preview.forwarded
      ? "member accounts forward it, but no central rule posts it (a later page of a paged event is not posted again)"
      : "it is not an AWS Health abuse or risk event (source aws.health, or abuse-alerts.test for tests), so no rule takes it";
    return { text: `Nothing would be posted: ${reason}.`, posted: false };
  }
  const sections = preview.rules.map(({ rule, message, notification, error }) =>
    [
      `Rule ${rule.name} on the central bus formats this event as:`,
      notification ? renderForSlack(notification, options.channelId) : `INVALID: ${error}`,
      "",
      "SNS message (what Chatbot receives):",
      notification ? JSON.stringify(JSON.parse(message), null, 2) : message,
    ].join("\n"),
  );
  return { text: sections.join("\n\n"), posted: preview.rules.every((rule) => rule.notification) };
}

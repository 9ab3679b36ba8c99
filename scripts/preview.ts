import { CustomNotification, parseCustomNotification } from "../components/notification";
import { forwarderPattern } from "../components/patterns";
import { CENTRAL_BUS_NAME } from "../components/names";
import { CentralRule, centralRules } from "../components/rules";
import { CATEGORIES, Category } from "../config/schema";
import { matchesPattern } from "../eventbridge/matcher";
import { applyTransformer } from "../eventbridge/transformer";

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
export function previewEvent(
  event: Event,
  options: { categories?: readonly Category[]; centralAccountId?: string } = {},
): EventPreview {
  const categories = options.categories ?? CATEGORIES;
  const region = typeof event.region === "string" ? event.region : "us-east-1";
  const rules = centralRules(categories)
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

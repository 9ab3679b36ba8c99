import { Category } from "../config/schema";
import { InputTransformer } from "../eventbridge/transformer";
import { messageTransformer } from "./messages";
import { centralPattern, EventPattern } from "./patterns";

/** A rule on the central bus: which events it takes and the message it makes of them. */
export interface CentralRule {
  /** Short key for resource names: abuse, abuse-test, risk, risk-test. */
  key: string;
  /** The rule's name in AWS. */
  name: string;
  category: Category;
  test: boolean;
  description: string;
  pattern: EventPattern;
  transformer: InputTransformer;
}

/** The central rules for the configured categories: real events and test events, each its own message. */
export function centralRules(categories: readonly Category[]): CentralRule[] {
  return categories.flatMap((category) =>
    [false, true].map((test) => {
      const key = test ? `${category}-test` : category;
      return {
        key,
        name: `abuse-alerts-${key}`,
        category,
        test,
        description: test
          ? `abuse-alerts: test events of the ${category} shape (npm run send-test-event)`
          : `abuse-alerts: AWS Health ${category} events from every account of the organization`,
        pattern: centralPattern(category, { test }),
        transformer: messageTransformer(category, { test }),
      };
    }),
  );
}

import { Category } from "../config/schema";
import { centralPattern, EventPattern, stackSetCoveragePattern } from "./patterns";

/** A rule on the central bus: which events start the notify workflow. */
export interface CentralRule {
  /** Short key for resource names: abuse, abuse-test, risk, risk-test, coverage. */
  key: string;
  /** The rule's name in AWS. */
  name: string;
  /** The alert category; none for coverage alerts about the forwarder itself. */
  category?: Category;
  test: boolean;
  description: string;
  pattern: EventPattern;
}

export interface CentralRuleOptions {
  /** Also post the StackSet's failed stack instances, forwarded from its account (stackset mode). */
  coverage?: boolean;
}

/**
 * The central rules: real and test events per configured category, and coverage notices. Each
 * starts the same workflow, which tells them apart; a rule each keeps their metrics and dead
 * letters apart.
 */
export function centralRules(
  categories: readonly Category[],
  options: CentralRuleOptions = {},
): CentralRule[] {
  const alerts = categories.flatMap((category) =>
    [false, true].map((test): CentralRule => {
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
      };
    }),
  );
  if (!options.coverage) return alerts;
  return [
    ...alerts,
    {
      key: "coverage",
      name: "abuse-alerts-coverage",
      test: false,
      description: "abuse-alerts: accounts the forwarder StackSet could not deploy to",
      pattern: stackSetCoveragePattern(),
    },
  ];
}

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiscoverySources } from "../../accounts/discover";
import { readStackConfig } from "../../config/stack-file";
import { OrganizationFile } from "../../accounts/org-file";
import { OfflineRun, runOffline } from "../../sim/pulumi-runner";
import { EXAMPLE_ORG_PATH, exampleOrg, MANAGEMENT } from "./example-org";
import { topicArn } from "../../model/arns";
import { ALERT_TOPIC_NAME, caseStateMachineArn, OPS_TOPIC_NAME } from "../../model/names";
import { RouteTarget } from "../../model/routes";
import { NotifyDefinitionArgs } from "../../notify/definition";
import { MessageOptions } from "../../notify/message";
import { EXAMPLES_DIR } from "../../tools/examples";

export const PROD_STACK = join(__dirname, "..", "..", "Pulumi.prod.yaml");

/**
 * Pulumi.prod.yaml with examples/routes.yaml added under its config, as the docs make it: a stack with a route of
 * each kind for the sample organization. Written to a directory of its own; returns its path.
 */
export function routesStackFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), "abuse-alerts-routes-")), "Pulumi.routes.yaml");
  const routes = readFileSync(join(EXAMPLES_DIR, "routes.yaml"), "utf8").replace(/^(?=.)/gm, "  ");
  writeFileSync(path, `${readFileSync(PROD_STACK, "utf8")}${routes}`);
  return path;
}

/** The example prod stack's config with some keys replaced (undefined removes a key). */
export function prodConfigWith(changes: Record<string, unknown> = {}): Record<string, string> {
  const config = readStackConfig(PROD_STACK);
  for (const [key, value] of Object.entries(changes)) {
    const fullKey = `abuse-alerts:${key}`;
    if (value === undefined) delete config[fullKey];
    else config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}

export interface ProgramRun {
  /** The organization; the example one unless given. */
  organization?: OrganizationFile;
  /** A stand-in for the member-role probe of pulumi up. */
  probe?: DiscoverySources["probe"];
  /** The accounts the stack's last update covered; none: a first deployment. */
  previouslyCovered?: string[];
  /** The config keys Pulumi holds encrypted. */
  secretKeys?: string[];
}

/** The program under Pulumi mocks. */
export function runProgram(stackConfig: Record<string, string>, run: ProgramRun = {}): Promise<OfflineRun> {
  return runOffline({
    stackConfig,
    organization: run.organization ?? exampleOrg(),
    organizationSource: run.organization ? "a test organization" : EXAMPLE_ORG_PATH,
    stack: "test",
    probe: run.probe,
    previousOutputs: run.previouslyCovered ? { coveredAccountIds: run.previouslyCovered } : undefined,
    secretKeys: run.secretKeys,
  });
}

/**
 * The notify workflow's arguments as the example stack declares them in `region` of `central`:
 * the example's account tags, [6, 1] reminders, a StackSet called as SELF, nobody escalated to.
 */
export function exampleNotifyArgs(
  region: string,
  central: string,
  changes: { message?: Partial<MessageOptions>; routes?: readonly RouteTarget[] } = {},
): NotifyDefinitionArgs {
  return {
    topicArn: topicArn(region, central, ALERT_TOPIC_NAME),
    opsTopicArn: topicArn(region, central, OPS_TOPIC_NAME),
    caseStateMachineArn: caseStateMachineArn(region, central),
    directoryAccountId: MANAGEMENT,
    message: {
      accountTags: ["owner", "team", "environment"],
      securityContactConfigured: true,
      stackSetCallAs: "SELF",
      reminders: [6, 1],
      escalatedTo: [],
      ...changes.message,
    },
    ...(changes.routes ? { routes: changes.routes } : {}),
  };
}

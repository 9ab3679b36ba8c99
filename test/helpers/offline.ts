import { join } from "node:path";
import { DiscoverySources } from "../../accounts/discover";
import { readStackConfig } from "../../config/stack-file";
import { OrganizationFile } from "../../accounts/org-file";
import { OfflineRun, runOffline } from "../../sim/pulumi-runner";
import { EXAMPLE_ORG_PATH, exampleOrg } from "./example-org";

export const PROD_STACK = join(__dirname, "..", "..", "Pulumi.prod.yaml");

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

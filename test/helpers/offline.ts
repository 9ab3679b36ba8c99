import { join } from "node:path";
import { DiscoverySources } from "../../accounts/discover";
import { readStackConfig } from "../../config/stack-file";
import { OfflineRun, runOffline } from "../../scripts/offline";
import { exampleOrg } from "./example-org";

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

/** The program under Pulumi mocks, against the example organization unless another is given. */
export function runProgram(
  stackConfig: Record<string, string>,
  organization = exampleOrg(),
  probe?: DiscoverySources["probe"],
): Promise<OfflineRun> {
  return runOffline({ stackConfig, organization, stack: "test", probe });
}

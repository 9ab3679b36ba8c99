import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { projectConfigValues } from "./read";
import { AbuseAlertsConfig, ConfigError, validateConfig } from "./schema";

/** Path of a stack's settings file next to Pulumi.yaml. */
export function stackFilePath(stack: string, directory = process.cwd()): string {
  return join(directory, `Pulumi.${stack}.yaml`);
}

/**
 * The stack file's `config:` block as Pulumi hands it to a program: a flat map of full keys
 * to text, structured values as JSON.
 */
export function readStackConfig(path: string): Record<string, string> {
  if (!existsSync(path)) {
    throw new ConfigError([
      `${path} does not exist: create it from Pulumi.prod.yaml, or pass --stack with an existing stack`,
    ]);
  }
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError([`${path} is not valid YAML: ${(error as Error).message}`]);
  }
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError([`${path}: config must be a map of keys to values`]);
  }
  return Object.fromEntries(
    Object.entries(config as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** A stack file's validated config, for the command-line tools that run outside Pulumi. */
export function loadStackFileConfig(stack: string): AbuseAlertsConfig {
  return validateConfig(projectConfigValues(readStackConfig(stackFilePath(stack))));
}

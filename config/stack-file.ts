import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { configFromPulumi } from "./read";
import { AbuseAlertsConfig, ConfigError } from "./schema";

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
  if (!isMap(document)) {
    throw new ConfigError([
      `${path} is not a Pulumi stack file: it holds ${describeDocument(document)}, where a map with a config: block belongs (see Pulumi.prod.yaml)`,
    ]);
  }
  const config = document.config;
  if (config === undefined || config === null) {
    throw new ConfigError([
      `${path} has no config: block, so abuse-alerts:centralAccountId and abuse-alerts:slack are missing; start from Pulumi.prod.yaml`,
    ]);
  }
  if (!isMap(config)) {
    throw new ConfigError([
      `${path}: config: must be a map of keys to values, got ${describeDocument(config)}`,
    ]);
  }
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function describeDocument(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? `the text ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

/** A stack file's validated config, for the command-line tools that run outside Pulumi. */
export function loadStackFileConfig(stack: string): AbuseAlertsConfig {
  return configFromPulumi(readStackConfig(stackFilePath(stack)));
}

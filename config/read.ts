import * as pulumi from "@pulumi/pulumi";
import { AbuseAlertsConfig, PROJECT, validateConfig } from "./schema";

// Pulumi hands structured values (YAML maps and lists) and numbers to the program as JSON text.
const JSON_KEYS = new Set([
  "slack",
  "accounts",
  "regions",
  "categories",
  "notifyEmails",
  "archiveRetentionDays",
]);

/**
 * The project's keys (prefix stripped) from Pulumi's flat config map, structured values parsed.
 * Scalars stay text, so an account ID like "012345678901" keeps its leading zero.
 */
export function projectConfigValues(allConfig: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(`${PROJECT}:`)) continue;
    const key = fullKey.slice(PROJECT.length + 1);
    values[key] = JSON_KEYS.has(key) ? parseJsonOrText(text) : text;
  }
  return values;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a bare word where a list or map belongs; validation names the key
  }
}

/** Reads every key of the stack's config, including unknown ones, and validates it. */
export function loadConfig(): AbuseAlertsConfig {
  return validateConfig(projectConfigValues(pulumi.runtime.allConfig()));
}

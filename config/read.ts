import { distance } from "fastest-levenshtein";
import { AbuseAlertsConfig, isTextKey, PROJECT, PROJECT_KEYS, validateConfig } from "./schema";

/**
 * The project's keys (prefix stripped) from Pulumi's flat config map, structured values parsed.
 * Text keys stay text, so an account ID like "012345678901" keeps its leading zero.
 */
export function projectConfigValues(allConfig: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(`${PROJECT}:`)) continue;
    const key = fullKey.slice(PROJECT.length + 1);
    values[key] = isTextKey(key) ? text : parseJsonOrText(text);
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

// Namespaces that hold settings of Pulumi itself and of the AWS provider the program uses.
const OTHER_NAMESPACES = new Set(["aws", "pulumi"]);

const squeeze = (namespace: string) => namespace.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Keys meant for this project that Pulumi would file elsewhere: a misspelt namespace
 * (`abuse-alert:regions`, `abuse_alerts:notifyEmails`), none at all (`regions`), or a project
 * key under another one. Ignored, they would deploy on defaults without a word. Keys of
 * providers and of Pulumi itself (`aws:region`, `pulumi:disable-default-providers`) pass.
 */
function misplacedKeys(fullKeys: readonly string[]): string[] {
  return fullKeys.flatMap((fullKey) => {
    const colon = fullKey.indexOf(":");
    const namespace = colon < 0 ? "" : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    if (namespace === PROJECT) return [];
    const meant = `${PROJECT}:${key}`;
    if (colon < 0) {
      return [
        `${fullKey} has no namespace, so Pulumi does not give it to this program: did you mean ${meant}?`,
      ];
    }
    const nearProject = distance(squeeze(namespace), squeeze(PROJECT)) <= 2;
    const projectKey = PROJECT_KEYS.includes(key.split(".")[0]) && !OTHER_NAMESPACES.has(namespace);
    if (nearProject || projectKey) {
      return [
        `${fullKey} is under namespace ${namespace}, which this program does not read: did you mean ${meant}?`,
      ];
    }
    return [];
  });
}

/**
 * Project keys whose name holds a dot or an index (`abuse-alerts:slack.channelId`,
 * `abuse-alerts:routes[0].name`): `pulumi config set` without `--path` stores them in the key's
 * name instead of nesting the value. By the object
 * they were meant for.
 */
function dottedKeys(fullKeys: readonly string[]): Map<string, string[]> {
  const byObject = new Map<string, string[]>();
  for (const fullKey of fullKeys) {
    if (!fullKey.startsWith(`${PROJECT}:`)) continue;
    // slack.channelId, regions.0, or routes[0].name: an object's key, or a list's item.
    const key = fullKey.slice(PROJECT.length + 1);
    const object = key.split(/[.[]/)[0];
    if (object === key || !PROJECT_KEYS.includes(object)) continue;
    byObject.set(object, [...(byObject.get(object) ?? []), fullKey]);
  }
  return byObject;
}

function dottedKeyProblem(object: string, fullKeys: readonly string[]): string {
  // Pulumi's paths index lists with brackets: regions[0], not regions.0.
  const path = fullKeys[0].replace(/\.(\d+)(?=\.|$)/g, "[$1]");
  return (
    `${fullKeys.join(", ")} ${fullKeys.length === 1 ? "is a key" : "are keys"} with a dot in the name, which Pulumi ` +
    `does not nest (pulumi config set without --path): write ${fullKeys.length === 1 ? "it" : "them"} under ` +
    `${PROJECT}:${object}: in the stack file, or set ${fullKeys.length === 1 ? "it" : "each"} again with ` +
    `pulumi config set --path '${path}' <value> (and pulumi config rm '${fullKeys[0]}')`
  );
}

/**
 * A PagerDuty routing key kept in plain text in the stack file: whoever reads the file (or its
 * repository) can page the on-call. Pulumi encrypts a value set with --secret, and keeps it so
 * in its state; `isSecret` says which keys it holds encrypted.
 */
export function plainTextSecrets(
  values: Record<string, unknown>,
  isSecret: (fullKey: string) => boolean,
): string[] {
  const escalation = values.escalation;
  const pagerDuty = isRecord(escalation) ? escalation.pagerDuty : undefined;
  if (!isRecord(pagerDuty) || pagerDuty.routingKey === undefined || isSecret(`${PROJECT}:escalation`))
    return [];
  const key = `${PROJECT}:escalation.pagerDuty.routingKey`;
  return [
    `${key} is in plain text in the stack file: whoever reads the file can page your on-call. Set it as a secret: ` +
      `pulumi config set --secret --path '${key}' <routing key>`,
  ];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The validated config from Pulumi's flat map of every key of the stack, whatever its namespace.
 * With `isSecret` (the program, under pulumi up or plan), a secret kept in plain text is refused too.
 */
export function configFromPulumi(
  allConfig: Record<string, string>,
  isSecret?: (fullKey: string) => boolean,
): AbuseAlertsConfig {
  const keys = Object.keys(allConfig);
  const misplaced = keys.filter((key) => misplacedKeys([key]).length > 0);
  const dotted = dottedKeys(keys);
  const flat = new Set([...dotted.values()].flat());
  const nested = Object.fromEntries(Object.entries(allConfig).filter(([key]) => !flat.has(key)));
  const values = projectConfigValues(nested);
  return validateConfig(
    values,
    [
      ...misplacedKeys(misplaced),
      ...[...dotted].map(([object, fullKeys]) => dottedKeyProblem(object, fullKeys)),
      ...(isSecret ? plainTextSecrets(values, isSecret) : []),
    ],
    // abuse-alert:centralAccountId: "did you mean abuse-alerts:centralAccountId?" says it all.
    [
      ...misplaced.map((key) => key.slice(key.indexOf(":") + 1).split(".")[0]),
      ...dotted.keys(),
      // slack.channelId set flat while slack is nested: not also "slack.channelId is required".
      ...[...flat].map((key) => key.slice(PROJECT.length + 1)),
    ],
  );
}

/**
 * Advice on keys the program never reads: with default providers disabled, every AWS provider
 * sets its own region and takes credentials from the environment, so `aws:` settings do nothing.
 */
export function unreadKeyWarnings(fullKeys: readonly string[]): string[] {
  const unread = fullKeys.filter((key) => key.startsWith("aws:")).sort();
  if (unread.length === 0) return [];
  const one = unread.length === 1;
  return [
    `${unread.join(", ")} ${one ? "is" : "are"} not read: every AWS provider of this program sets its own region, and credentials come from the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...); remove ${one ? "it" : "them"} from the stack file`,
  ];
}

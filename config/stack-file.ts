import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { parse } from "yaml";
import { configFromPulumi } from "./read";
import { UserError } from "../lib/errors";
import { closestCandidate } from "../lib/suggest";
import { AbuseAlertsConfig, ConfigError } from "./schema";

/** Path of a stack's settings file next to Pulumi.yaml. */
export function stackFilePath(stack: string, directory = process.cwd()): string {
  return join(directory, `Pulumi.${stack}.yaml`);
}

/** A stack file as a person finds it from where they are: Pulumi.mycorp.yaml in the project. */
export function stackFileName(path: string): string {
  const name = relative(process.cwd(), path);
  return name.startsWith("..") || isAbsolute(name) ? path : name;
}

/** The stacks whose files sit next to this one's: mycorp, for Pulumi.mycorp.yaml. */
function stacksBeside(path: string): string[] {
  return readdirSync(dirname(path))
    .flatMap((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? [])
    .sort();
}

/** A stack file that does not exist: the stack that was likely meant, or those there are. */
function missingStackFile(path: string): UserError {
  const name = stackFileName(path);
  const stack = basename(path).replace(/^Pulumi\.(.*)\.ya?ml$/, "$1");
  const stacks = stacksBeside(path);
  const meant = closestCandidate(stacks, stack);
  // Not a config problem to fix "in" the file: there is no such file yet.
  return new UserError(
    meant
      ? `${name} does not exist; did you mean --stack ${meant} (${stackFileName(stackFilePath(meant, dirname(path)))})? Or create ${name} from Pulumi.prod.yaml`
      : `${name} does not exist: create it from Pulumi.prod.yaml, or pass --stack with an existing stack${stacks.length > 0 ? ` (${stacks.join(", ")})` : ""}`,
  );
}

/** The stack file's `config:` block, or a config problem naming the file. */
function configBlock(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw missingStackFile(path);
  const name = stackFileName(path);
  const inFile = (problem: string) => new ConfigError([problem], { file: name });
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw inFile(`${name} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isMap(document)) {
    throw inFile(
      `${name} is not a Pulumi stack file: it holds ${describeDocument(document)}, where a map with a config: block belongs (see Pulumi.prod.yaml)`,
    );
  }
  const config = document.config;
  const topLevelKeys = Object.keys(document).filter((key) => key.includes(":"));
  if ((config === undefined || config === null) && topLevelKeys.length > 0) {
    throw inFile(
      `${name} has ${topLevelKeys.join(", ")} at the top level, where Pulumi reads none: indent them under a config: line, as in Pulumi.prod.yaml`,
    );
  }
  if (config === undefined || config === null) {
    throw inFile(
      `${name} has no config: block, so abuse-alerts:centralAccountId and abuse-alerts:slack are missing; start from Pulumi.prod.yaml`,
    );
  }
  if (!isMap(config)) {
    throw inFile(`${name}: config: must be a map of keys to values, got ${describeDocument(config)}`);
  }
  return config;
}

/**
 * The keys Pulumi holds encrypted in a stack file (set with --secret, or holding a value that was),
 * as the program asks of them.
 */
export function encryptedKeys(path: string): string[] {
  return Object.entries(configBlock(path)).flatMap(([key, value]) =>
    securePaths(value, key).length > 0 ? [key] : [],
  );
}

/**
 * The stack file's `config:` block as Pulumi hands it to a program: a flat map of full keys
 * to text, structured values as JSON.
 */
export function readStackConfig(path: string): Record<string, string> {
  const config = configBlock(path);
  const encrypted = Object.entries(config).flatMap(([key, value]) => securePaths(value, key));
  if (encrypted.length > 0) return decryptedConfig(path, encrypted);
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/** Where a value holds `secure:` ciphertext (`pulumi config set --secret`), nested ones included. */
function securePaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => securePaths(item, `${path}[${index}]`));
  if (!isMap(value)) return [];
  if (Object.keys(value).length === 1 && typeof value.secure === "string") return [path];
  return Object.entries(value).flatMap(([key, inner]) => securePaths(inner, `${path}.${key}`));
}

/**
 * The stack's config with its encrypted values decrypted, as `pulumi up` sees it: only the Pulumi
 * CLI knows the stack's secrets provider, so it is asked (`pulumi config --show-secrets --json`,
 * whose entries carry each value as text, structured ones as JSON).
 */
function decryptedConfig(path: string, encrypted: readonly string[]): Record<string, string> {
  const stack = basename(path).replace(/^Pulumi\.(.*)\.yaml$/, "$1");
  const command = `pulumi config --stack ${stack} --show-secrets --json`;
  let entries: Record<string, { value?: string }>;
  try {
    const output = execFileSync("pulumi", ["config", "--stack", stack, "--show-secrets", "--json"], {
      cwd: dirname(path),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    entries = JSON.parse(output) as Record<string, { value?: string }>;
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    // The CLI's own first line (say, a missing passphrase) is the one to act on.
    const why =
      code === "ENOENT"
        ? "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/)"
        : `\`${command}\` failed: ${(stderr ?? "").trim().split("\n")[0] || (error as Error).message}`;
    throw new ConfigError(
      [
        `${stackFileName(path)} holds encrypted values (${encrypted.join(", ")}), which only the Pulumi CLI can decrypt, and ${why}. ` +
          "Log in to the stack's backend (pulumi login; PULUMI_CONFIG_PASSPHRASE for a passphrase-encrypted stack), " +
          "or keep these keys in plain text.",
      ],
      { file: stackFileName(path) },
    );
  }
  return Object.fromEntries(
    Object.entries(entries).flatMap(([key, entry]) =>
      entry.value === undefined ? [] : [[key, entry.value]],
    ),
  );
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function describeDocument(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? `the text ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

/** Config problems found in a stack file's values, told with the file they are fixed in. */
export function configOfStackFile(path: string, stackConfig: Record<string, string>): AbuseAlertsConfig {
  try {
    return configFromPulumi(stackConfig);
  } catch (error) {
    throw error instanceof ConfigError ? error.in({ file: stackFileName(path) }) : error;
  }
}

/** A stack file's validated config, for the command-line tools that run outside Pulumi. */
export function loadStackFileConfig(stack: string): AbuseAlertsConfig {
  const path = stackFilePath(stack);
  return configOfStackFile(path, readStackConfig(path));
}

/**
 * The stack's config when its file exists, for tools that also work without one; a --stack given
 * on the command line must exist, or the tool would quietly run with none.
 */
export function optionalStackConfig(stack: string, named: boolean): AbuseAlertsConfig | undefined {
  return named || existsSync(stackFilePath(stack)) ? loadStackFileConfig(stack) : undefined;
}

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isAbsolute, relative, resolve } from "node:path";
import { DiscoveryError } from "../accounts/types";
import { suggestion } from "../config/issues";
import { ConfigError } from "../config/schema";

/** An error whose message already says what is wrong and how to fix it. */
export class UserError extends Error {}

const PLAIN = [ConfigError, DiscoveryError, UserError];

/** Whether an error's message alone tells a person what to fix, so a stack trace would only hide it. */
export function isUserError(error: unknown): error is Error {
  return PLAIN.some((type) => error instanceof type);
}

/** A whole number option between bounds; commander reports anything else with the option's name. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return Number(value);
  };
}

/** One of a list of choices, with a "did you mean" for a near miss. */
export function oneOf(choices: readonly string[], what: string): (value: string) => string {
  return (value) => {
    if (choices.includes(value)) return value;
    const hint = suggestion(choices, value);
    throw new InvalidArgumentError(
      hint ? `Not ${what}${hint}` : `Not ${what}; one of: ${choices.join(", ")}.`,
    );
  };
}

/**
 * A file named on the command line, from where the person ran `npm run` (INIT_CWD): npm runs the
 * script itself in the project's directory.
 */
export function inputPath(path: string): string {
  if (isAbsolute(path)) return path;
  // Relative to the project's directory again, where the script runs: short in messages.
  return relative(process.cwd(), resolve(process.env.INIT_CWD ?? process.cwd(), path));
}

/**
 * The command's options that npm kept for itself: `npm run plan --stack dev` (without `--`) sets
 * npm_config_stack and hands the script only `dev`, so the option would silently fall back to
 * its default.
 */
function keptByNpm(command: Command): Option[] {
  return command.options.filter(
    (option) =>
      option.long !== undefined &&
      process.env[`npm_config_${option.long.slice(2).replace(/-/g, "_")}`] !== undefined &&
      command.getOptionValueSource(option.attributeName()) !== "cli",
  );
}

const npmHint = (command: Command, options: readonly Option[]) =>
  `npm took ${options.map((option) => option.long).join(", ")} for itself: put -- before the command's options, e.g. ${command.name()} ${options[0].flags}`;

/**
 * Runs a command-line tool. A mistake on the command line is reported by commander, once; an
 * error a person fixes (config, credentials, AWS access) prints its message alone; anything else
 * prints in full. All exit 1. `--help` exits 0.
 */
export async function runCommand(command: Command, argv: readonly string[] = process.argv): Promise<void> {
  command.hook("preAction", () => {
    const kept = keptByNpm(command);
    if (kept.length > 0) throw new UserError(npmHint(command, kept));
  });
  try {
    await command.exitOverride().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const kept = error.code.startsWith("commander.help") ? [] : keptByNpm(command);
      if (kept.length > 0) console.error(npmHint(command, kept));
      process.exitCode = error.exitCode;
      return;
    }
    const cause = error instanceof Error && isUserError(error.cause) ? error.cause : error;
    console.error(isUserError(cause) ? cause.message : cause);
    process.exitCode = 1;
  }
}

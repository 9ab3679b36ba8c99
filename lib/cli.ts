import { Command, CommanderError, InvalidArgumentError } from "commander";
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
 * Runs a command-line tool. A mistake on the command line is reported by commander, once; an
 * error a person fixes (config, credentials, AWS access) prints its message alone; anything else
 * prints in full. All exit 1. `--help` exits 0.
 */
export async function runCommand(command: Command, argv: readonly string[] = process.argv): Promise<void> {
  try {
    await command.exitOverride().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const cause = error instanceof Error && isUserError(error.cause) ? error.cause : error;
    console.error(isUserError(cause) ? cause.message : cause);
    process.exitCode = 1;
  }
}

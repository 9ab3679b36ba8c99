import { Command } from "commander";
import { DiscoveryError } from "../accounts/types";
import { ConfigError } from "../config/schema";

/** An error whose message already says what is wrong and how to fix it. */
export class UserError extends Error {}

const PLAIN = [ConfigError, DiscoveryError, UserError];

/** Whether an error's message alone tells a person what to fix, so a stack trace would only hide it. */
export function isUserError(error: unknown): error is Error {
  return PLAIN.some((type) => error instanceof type);
}

/**
 * Runs a command-line tool. An error a person fixes (config, credentials, AWS access) prints its
 * message alone; anything else prints in full. Both exit 1.
 */
export function runCommand(command: Command): void {
  command.parseAsync().catch((error: unknown) => {
    const cause = error instanceof Error && isUserError(error.cause) ? error.cause : error;
    console.error(isUserError(cause) ? cause.message : cause);
    process.exitCode = 1;
  });
}

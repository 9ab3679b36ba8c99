import { Command } from "commander";
import { DiscoveryError } from "../accounts/types";
import { ConfigError } from "../config/schema";

/** An error whose message already says what is wrong and how to fix it. */
export class UserError extends Error {}

const PLAIN = [ConfigError, DiscoveryError, UserError];

/**
 * Runs a command-line tool. An error a person fixes (config, credentials, AWS access) prints its
 * message alone; anything else prints in full. Both exit 1.
 */
export function runCommand(command: Command): void {
  command.parseAsync().catch((error: unknown) => {
    const cause =
      error instanceof Error && PLAIN.some((type) => error.cause instanceof type) ? error.cause : error;
    console.error(PLAIN.some((type) => cause instanceof type) ? (cause as Error).message : cause);
    process.exitCode = 1;
  });
}

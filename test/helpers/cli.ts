import { Command } from "commander";
import { format } from "node:util";
import { runCommand } from "../../lib/cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command as `npm run <command> -- <args>` would from the current directory, in this
 * process: commander's own messages and the program's output are captured, and the exit code is
 * what the process would exit with. `env` adds environment variables for the run (npm's INIT_CWD
 * is the current directory unless given).
 */
export async function runCli(
  command: Command,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const saved = { log: console.log, error: console.error, warn: console.warn, exitCode: process.exitCode };
  console.log = (...parts: unknown[]) => void stdout.push(`${format(...parts)}\n`);
  console.error = (...parts: unknown[]) => void stderr.push(`${format(...parts)}\n`);
  console.warn = console.error;
  command.configureOutput({
    writeOut: (text) => void stdout.push(text),
    writeErr: (text) => void stderr.push(text),
  });
  process.exitCode = undefined;
  const savedEnv = { ...process.env };
  Object.assign(process.env, { INIT_CWD: process.cwd(), ...env });
  try {
    await runCommand(command, ["node", "cli", ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.exitCode = saved.exitCode;
    process.env = savedEnv;
  }
}

import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isAbsolute, relative, resolve } from "node:path";
import { isUserError, UserError } from "./errors";
import { suggestion } from "./suggest";

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

/** An ISO 8601 time with its offset: without one, JavaScript would read it as local time. */
export const isoTime = (value: string): Date => {
  const time = new Date(value);
  if (
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(value) ||
    Number.isNaN(time.getTime())
  ) {
    throw new InvalidArgumentError(
      "Expected an ISO 8601 time with Z or an offset, such as 2026-11-19T10:00:00Z or 2026-11-19T11:00:00+01:00.",
    );
  }
  return time;
};

/** What is wrong with an account ID as typed, and how to write it; undefined for a 12-digit one. */
export function accountIdMistake(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return undefined;
  // The console shows IDs as 2222-2222-2221.
  const bare = value.replace(/[\s-]/g, "");
  const hint = /^\d{12}$/.test(bare)
    ? `, without dashes: ${bare}`
    : /^\d+$/.test(bare)
      ? ` (this one has ${bare.length} digits)`
      : "";
  return `Expected a 12-digit AWS account ID such as 222222222221${hint}.`;
}

/** A 12-digit AWS account ID, as text: a leading zero is part of it. */
export function accountIdArgument(value: string): string {
  const mistake = accountIdMistake(value);
  if (mistake !== undefined) throw new InvalidArgumentError(mistake);
  return value;
}

/** The stack a stack file's name is of: prod, for Pulumi.prod.yaml or a path to it. */
const stackOfFile = (value: string): string | undefined =>
  /^(?:.*[\\/])?Pulumi\.(.+)\.ya?ml$/.exec(value)?.[1];

/** A stack's name, as Pulumi takes it: prod, for Pulumi.prod.yaml. */
export function stackName(value: string): string {
  const fromFile = stackOfFile(value);
  if (fromFile !== undefined)
    throw new InvalidArgumentError(`Expected the stack's name: --stack ${fromFile}.`);
  if (!/^[\w.-]+$/.test(value)) {
    throw new InvalidArgumentError("Expected a stack's name such as prod, which reads Pulumi.prod.yaml.");
  }
  return value;
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

/** What npm holds for an option it took: `--stack=dev` as "dev", a bare `--stack` as "true". */
const npmConfigValue = (option: Option): string | undefined =>
  option.long === undefined
    ? undefined
    : process.env[`npm_config_${option.long.slice(2).replace(/-/g, "_")}`];

/** The first argument beyond those the command declares. */
const leftoverArgument = (command: Command): string | undefined =>
  command.args.slice(command.registeredArguments.length)[0];

/**
 * The command's options that npm kept for itself: `npm run plan --stack dev` (without `--`) sets
 * npm_config_stack and hands the script only `dev`, so the option would silently fall back to
 * its default.
 */
function keptByNpm(command: Command): Option[] {
  return command.options.filter(
    (option) =>
      npmConfigValue(option) !== undefined && command.getOptionValueSource(option.attributeName()) !== "cli",
  );
}

/**
 * The hint for options npm kept, with the command to type: npm holds `--stack=dev` as "dev", and
 * of `--stack dev` leaves "dev" among the script's arguments.
 */
function npmHint(command: Command, options: readonly Option[]): string {
  const [first] = options;
  const held = npmConfigValue(first);
  const value = held !== undefined && held !== "true" ? held : leftoverArgument(command);
  const example =
    options.length === 1 && value !== undefined && !first.isBoolean()
      ? `${first.long} ${value}`
      : first.flags;
  return `npm took ${options.map((option) => option.long).join(", ")} for itself: put -- before the command's options, e.g. ${command.name()} ${example}`;
}

/** What an argument the command does not take was probably meant to be. */
function operandHint(command: Command, operand: string): string | undefined {
  const takes = (flag: string) => command.options.some((option) => option.long === flag);
  if (operand === "help") return `for help, ${command.name()} --help`;
  if (/^\d{12}$/.test(operand) && takes("--account")) return `did you mean --account ${operand}?`;
  // A case ID: the account, a dash, 12 hex digits (model/state-table.ts), as the alert shows it.
  if (/^\d{12}-[0-9a-f]{12}$/i.test(operand) && takes("--case")) return `did you mean --case ${operand}?`;
  // A flag typed without its dashes: json for --json.
  const flag = command.options.find((option) => option.isBoolean() && option.long === `--${operand}`);
  if (flag) return `did you mean ${flag.long}?`;
  if (/\.json$/i.test(operand) && takes("--event")) {
    return `did you mean --event ${operand}${takes("--org") ? `, or --org ${operand} for an organization file` : ""}?`;
  }
  const stack = stackOfFile(operand) ?? operand;
  if (/^[\w.-]+$/.test(stack) && takes("--stack")) return `did you mean --stack ${stack}?`;
  return undefined;
}

/** A hint after commander's own message, for the slips it does not explain. */
function commanderHint(command: Command, error: CommanderError): string | undefined {
  if (error.code === "commander.excessArguments") {
    const extra = leftoverArgument(command);
    return extra === undefined ? undefined : operandHint(command, extra);
  }
  if (error.code === "commander.unknownOption") {
    const argument = command.registeredArguments[0];
    if (argument && /--event\b/.test(error.message)) {
      return `the event file is this command's argument, without an option: ${command.name()} <file>`;
    }
    if (/did you mean/i.test(error.message)) return undefined;
    // --organization for --org: a longer spelling commander's edit distance does not reach.
    const given = /'(--[\w-]+)/.exec(error.message)?.[1] ?? "";
    const meant = command.options.find(
      (option) =>
        option.long &&
        option.long.length > 4 &&
        (given.startsWith(option.long) || option.long.startsWith(given)),
    );
    return meant?.long ? `did you mean ${meant.long}?` : `${command.name()} --help lists the options`;
  }
  return undefined;
}

/**
 * Runs a command-line tool. A mistake on the command line is reported by commander, once, with a
 * hint where one helps; an error a person fixes (config, credentials, AWS access) prints its
 * message alone; anything else prints in full. All exit 1. `--help` exits 0.
 */
export async function runCommand(command: Command, argv: readonly string[] = process.argv): Promise<void> {
  command.hook("preAction", () => {
    const kept = keptByNpm(command);
    if (kept.length > 0) throw new UserError(npmHint(command, kept));
  });
  // Commander's message waits: when npm took an option, the leftover value it complains of is
  // npm's doing, and the hint alone says what to do.
  const pending: string[] = [];
  command.configureOutput({ outputError: (text) => void pending.push(text) });
  try {
    await command.exitOverride().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const kept = error.code.startsWith("commander.help") ? [] : keptByNpm(command);
      const hint = kept.length > 0 ? npmHint(command, kept) : commanderHint(command, error);
      if (kept.length === 0) pending.forEach((text) => command.configureOutput().writeErr?.(text));
      if (hint) console.error(hint);
      process.exitCode = error.exitCode;
      return;
    }
    const cause = error instanceof Error && isUserError(error.cause) ? error.cause : error;
    console.error(isUserError(cause) ? cause.message : cause);
    process.exitCode = 1;
  }
}

import { Command } from "commander";
import { COMMERCIAL_REGIONS } from "../config/schema";
import { optionalStackConfig } from "../config/stack-file";
import { oneOf, runCommand } from "../lib/cli";
import { acknowledgeCase } from "../tools/ack";
import { stackOption } from "../tools/options";

interface Flags {
  case?: string;
  note?: string;
  stack: string;
  region: string;
}

/** The command line: --case is checked in the action, after commander has reported unknown options. */
export function ackCommand(): Command {
  return new Command()
    .name("npm run ack --")
    .description(
      "Acknowledge an abuse case: record who (your AWS identity), stop its reminders and escalation, post it in its thread.",
    )
    .option(
      "--case <id>",
      "(required) the case ID the alert and npm run cases show, e.g. 222222222221-4f178e4c08f8",
    )
    .option("--note <text>", 'what was done, posted in the thread, e.g. "replied 14:05"')
    .addOption(stackOption("stack whose Pulumi.<name>.yaml names the central account (and its member role)"))
    .option(
      "--region <region>",
      "the replica to read the case from (the table is in every hub region)",
      oneOf(COMMERCIAL_REGIONS, "an AWS region"),
      "us-east-1",
    )
    .action(async (flags: Flags, command: Command) => {
      const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
      console.log(await acknowledgeCase(flags, config));
    });
}

if (require.main === module) void runCommand(ackCommand());

import { Command } from "commander";
import { COMMERCIAL_REGIONS } from "../config/schema";
import { optionalStackConfig } from "../config/stack-file";
import { oneOf, runCommand } from "../lib/cli";
import { listCases } from "../tools/cases";
import { stackOption } from "../tools/options";

interface Flags {
  stack: string;
  region: string;
  json?: boolean;
  all?: boolean;
}

export function casesCommand(): Command {
  return new Command()
    .name("npm run cases --")
    .description(
      "List the open abuse cases from the state table: account, event, reply-by, hours left, reminders sent, who acknowledged.",
    )
    .addOption(stackOption("stack whose Pulumi.<name>.yaml names the central account (and its member role)"))
    .option(
      "--region <region>",
      "the replica to read (the table is in every hub region)",
      oneOf(COMMERCIAL_REGIONS, "an AWS region"),
      "us-east-1",
    )
    .option("--json", "print the cases as JSON")
    .option("--all", "include the cases AWS closed")
    .action(async (flags: Flags, command: Command) => {
      const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
      console.log(await listCases(flags, config));
    });
}

if (require.main === module) void runCommand(casesCommand());

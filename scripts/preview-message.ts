import { Command, Option } from "commander";
import { optionalStackConfig } from "../config/stack-file";
import { accountIdArgument, inputPath, isoTime, runCommand } from "../lib/cli";
import { orgOption, stackOption } from "../tools/options";
import { previewMessage } from "../tools/preview";

interface Flags {
  stack: string;
  org: string;
  accountContext?: string;
  account?: string;
  now?: Date;
}

export function previewMessageCommand(): Command {
  return new Command()
    .name("npm run preview-message --")
    .description(
      "Show the Slack message the notify workflow makes of an event: its state machine and JSONata, run offline with sample account context.",
    )
    .argument("<event.json>", "an EventBridge event, e.g. examples/events/abuse/dos-report.json", inputPath)
    .addOption(
      stackOption("stack whose Pulumi.<name>.yaml gives the categories, tags, Slack channel and routes"),
    )
    .addOption(orgOption("organization file whose names, OUs, emails and tags the lookups find"))
    .addOption(
      new Option("--account-context <file>", "what the lookups find, by account ID, instead of --org")
        .argParser(inputPath)
        .conflicts("org"),
    )
    .option(
      "--account <id>",
      "preview the event as if about this 12-digit account: its account and a Health event's affectedAccount (a coverage notice's stack)",
      accountIdArgument,
    )
    .option(
      "--now <time>",
      "when the workflow runs, for the hours left (ISO 8601, e.g. 2026-11-19T10:00:00Z; default: the event's time, when it arrived)",
      isoTime,
    )
    .action(async (file: string, flags: Flags, command: Command) => {
      const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
      const { text, posted } = await previewMessage(file, { ...flags, config });
      console.log(text);
      if (!posted) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(previewMessageCommand());

import { Command } from "commander";
import { CATEGORIES, Category, COMMERCIAL_REGIONS } from "../config/schema";
import { optionalStackConfig } from "../config/stack-file";
import { oneOf, runCommand, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";
import { awsProbeAllClients, probeAllAndDescribe } from "../tools/probe-all";
import { stackOption } from "../tools/options";
import { sendTestEventAndDescribe } from "../tools/test-event";

interface Flags {
  account?: string;
  region: string;
  category: Category;
  stack: string;
  role?: string;
  wait?: boolean;
  all?: boolean;
  concurrency: number;
}

/** The command line: the account is checked in the action, after commander has reported unknown options. */
export function sendTestEventCommand(): Command {
  return new Command()
    .name("npm run send-test-event --")
    .description("Send a realistic test abuse or risk event through an account's forwarder to Slack.")
    .option("--account <id>", "(required) 12-digit ID of the account whose default bus gets the event")
    .option(
      "--region <region>",
      "region of the default bus",
      oneOf(COMMERCIAL_REGIONS, "an AWS region"),
      "us-east-1",
    )
    .option(
      "--category <category>",
      "which alert to test: abuse or risk",
      oneOf(CATEGORIES, "a category"),
      "abuse",
    )
    .addOption(stackOption("stack whose Pulumi.<name>.yaml gives the member role and the central account"))
    .option("--role <name>", "role to assume in the account (default: the stack's memberRoleName)")
    .option(
      "--wait",
      "follow the event hop by hop to the topic's delivery metrics, with each hop's time and the latency",
    )
    .option("--all", "probe every covered account in every region (posts nothing), and print a table")
    .option("--concurrency <n>", "probes at once with --all (1-32)", wholeNumber(1, 32), 8)
    .action(async (flags: Flags, command: Command) => {
      const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
      const regionGiven = command.getOptionValueSource("region") === "cli";
      console.log(
        flags.all
          ? await probeAllAndDescribe({ ...flags, regionGiven }, config, awsProbeAllClients(), progressBar)
          : await sendTestEventAndDescribe(flags, config),
      );
    });
}

if (require.main === module) void runCommand(sendTestEventCommand());

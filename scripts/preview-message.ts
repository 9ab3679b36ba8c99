import { Command, Option } from "commander";
import { readOrganizationFile } from "../accounts/org-file";
import { optionalStackConfig } from "../config/stack-file";
import { inputPath, isoTime, runCommand, stackName } from "../lib/cli";
import { AccountContexts, contextsFromOrganization, readAccountContexts } from "../workflow/context";
import { readEventFile, renderPreview, stackPreviewOptions } from "../workflow/preview";
import { orgOption } from "./plan";

export function previewMessageCommand(): Command {
  return new Command()
    .name("npm run preview-message --")
    .description(
      "Show the Slack message the notify workflow makes of an event: its state machine and JSONata, run offline with sample account context.",
    )
    .argument(
      "<event.json>",
      "an EventBridge event, e.g. test/fixtures/events/abuse/dos-report.json",
      inputPath,
    )
    .option(
      "--stack <name>",
      "stack whose Pulumi.<name>.yaml gives the categories, tags and Slack channel",
      stackName,
      "prod",
    )
    .addOption(orgOption("organization file whose names, OUs, emails and tags the lookups find"))
    .addOption(
      new Option("--account-context <file>", "what the lookups find, by account ID, instead of --org")
        .argParser(inputPath)
        .conflicts("org"),
    )
    .option(
      "--now <time>",
      "when the workflow runs, for the hours left (ISO 8601, e.g. 2026-11-19T10:00:00Z)",
      isoTime,
    )
    .action(
      async (
        file: string,
        flags: { stack: string; org: string; accountContext?: string; now?: Date },
        command: Command,
      ) => {
        const event = readEventFile(file);
        const config = optionalStackConfig(flags.stack, command.getOptionValueSource("stack") === "cli");
        let contexts: AccountContexts;
        let management: string | undefined;
        if (flags.accountContext) {
          contexts = readAccountContexts(flags.accountContext);
        } else {
          const organization = readOrganizationFile(flags.org);
          contexts = contextsFromOrganization(organization, config?.securityContact);
          management = organization.organization.managementAccountId;
        }
        const options = config
          ? stackPreviewOptions(config, contexts, management)
          : { contexts, directoryAccountId: management };
        const { text, posted } = await renderPreview(event, { ...options, now: flags.now });
        console.log(text);
        if (!posted) process.exitCode = 1;
      },
    );
}

if (require.main === module) void runCommand(previewMessageCommand());

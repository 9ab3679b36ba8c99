import { Command, InvalidArgumentError } from "commander";
import { readOrganizationFile } from "../accounts/org-file";
import { optionalStackConfig } from "../config/stack-file";
import { inputPath, runCommand } from "../lib/cli";
import { AccountContexts, contextsFromOrganization, readAccountContexts } from "../workflow/context";
import { readEventFile, renderPreview, stackPreviewOptions } from "../workflow/preview";
import { DEFAULT_ORG } from "./plan";

/** An ISO 8601 time with its offset: without one, JavaScript would read it as local time. */
const isoTime = (value: string): Date => {
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
      "prod",
    )
    .option(
      "--org <file>",
      "organization file whose names, OUs, emails and tags the lookups find",
      inputPath,
      DEFAULT_ORG,
    )
    .option("--account-context <file>", "what the lookups find, by account ID, instead of --org", inputPath)
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

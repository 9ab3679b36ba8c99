import { Command } from "commander";
import { existsSync } from "node:fs";
import { loadStackFileConfig, stackFilePath } from "../config/stack-file";
import { runCommand } from "../lib/cli";
import { readEventFile, renderPreview } from "./preview";

export function previewMessageCommand(): Command {
  return new Command()
    .name("npm run preview-message --")
    .description(
      "Show the Slack message a central rule makes of an event, by applying its input transformer as EventBridge does.",
    )
    .argument("<event.json>", "an EventBridge event, e.g. test/fixtures/events/abuse/dos-report.json")
    .option(
      "--stack <name>",
      "stack whose Pulumi.<name>.yaml gives the categories and the Slack channel",
      "prod",
    )
    .action((file: string, flags: { stack: string }) => {
      const config = existsSync(stackFilePath(flags.stack)) ? loadStackFileConfig(flags.stack) : undefined;
      const { text, posted } = renderPreview(readEventFile(file), {
        categories: config?.categories,
        centralAccountId: config?.centralAccountId,
        channelId: config?.slack.channelId,
        securityContactEmail: config?.securityContact?.emailAddress,
      });
      console.log(text);
      if (!posted) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(previewMessageCommand());

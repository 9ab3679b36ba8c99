import { Command } from "commander";
import { readFileSync } from "node:fs";
import { renderForSlack } from "../components/notification";
import { runCommand, UserError } from "../lib/cli";
import { previewEvent } from "./preview";

/** The preview as text, and whether a valid message would be posted. */
export function renderPreview(event: Record<string, unknown>): { text: string; posted: boolean } {
  const preview = previewEvent(event);
  if (preview.rules.length === 0) {
    const reason = preview.forwarded
      ? "member accounts forward it, but no central rule posts it (a later page of a paged event is not posted again)"
      : "it is not an AWS Health abuse or risk event (source aws.health, or abuse-alerts.test for tests), so no rule takes it";
    return { text: `Nothing would be posted: ${reason}.`, posted: false };
  }
  const sections = preview.rules.map(({ rule, message, notification, error }) =>
    [
      `Rule ${rule.name} on the central bus formats this event as:`,
      notification ? renderForSlack(notification) : `INVALID: ${error}`,
      "",
      "SNS message (what Chatbot receives):",
      notification ? JSON.stringify(JSON.parse(message), null, 2) : message,
    ].join("\n"),
  );
  return { text: sections.join("\n\n"), posted: preview.rules.every((rule) => rule.notification) };
}

if (require.main === module) {
  runCommand(
    new Command()
      .name("npm run preview-message --")
      .description(
        "Show the Slack message a central rule makes of an event, by applying its input transformer as EventBridge does.",
      )
      .argument("<event.json>", "an EventBridge event, e.g. test/fixtures/events/abuse/dos-report.json")
      .action((file: string) => {
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        } catch (error) {
          throw new UserError(`cannot read the event ${file}: ${(error as Error).message}`);
        }
        const { text, posted } = renderPreview(event);
        console.log(text);
        if (!posted) process.exitCode = 1;
      }),
  );
}

import { Command } from "commander";
import { inputPath, isoTime, runCommand } from "../lib/cli";
import { progressBar } from "../lib/progress";
import { orgOption, stackOption } from "../tools/options";
import { PlanOptions, renderPlan } from "../tools/plan";

export function planCommand(): Command {
  return new Command()
    .name("npm run plan --")
    .description(
      "Run the abuse-alerts program offline against a sample organization and print what it would deploy.",
    )
    .addOption(stackOption("stack whose Pulumi.<name>.yaml to read"))
    .addOption(orgOption("organization file: accounts, OUs and states"))
    .option(
      "--event <file>",
      "event whose Slack message to show (default: a sample abuse event, or a risk one for a risk-only stack)",
      inputPath,
    )
    .option(
      "--now <time>",
      "when the workflow runs, for the hours left (ISO 8601, e.g. 2026-11-19T10:00:00Z; default: the event's time, when it arrived)",
      isoTime,
    )
    .action(async (options: PlanOptions) => {
      const plan = await renderPlan({ ...options, progress: process.stdout.isTTY ? progressBar : undefined });
      console.log(plan.text);
      if (!plan.messageValid) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(planCommand());

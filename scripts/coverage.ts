import { Command } from "commander";
import { callerOnboardings, renderOnboardings } from "../tools/coverage/onboarding";
import { loadStackFileConfig } from "../config/stack-file";
import { runCommand, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";
import { hasGaps, renderCoverage } from "../tools/coverage/report";
import { runCoverage } from "../tools/coverage/run";
import { awsCoverageClients } from "../tools/coverage/types";
import { stackOption } from "../tools/options";

export function coverageCommand(): Command {
  return new Command()
    .name("npm run coverage --")
    .description(
      "For every account in scope and every region, is a forwarder in place, and is the SECURITY contact the configured one? Lists what is missing, outdated or failed, with the fix; exits 1 on a gap.",
    )
    .addOption(stackOption("stack whose Pulumi.<name>.yaml to audit"))
    .option("--concurrency <n>", "parallel per-account AWS calls (1-64)", wholeNumber(1, 64), 8)
    .action(async (flags: { stack: string; concurrency: number }) => {
      const report = await runCoverage(awsCoverageClients(), loadStackFileConfig(flags.stack), {
        concurrency: flags.concurrency,
        progress: progressBar,
      });
      console.log(renderCoverage(report));
      console.log(renderOnboardings(await callerOnboardings()));
      if (hasGaps(report)) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(coverageCommand());

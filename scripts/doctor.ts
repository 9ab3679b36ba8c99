import { Command } from "commander";
import { loadStackFileConfig } from "../config/stack-file";
import { runCommand, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";
import { blocksDelivery, renderDoctor } from "../tools/doctor/report";
import { runDoctor } from "../tools/doctor/run";
import { awsDoctorClients } from "../tools/doctor/types";
import { stackOption } from "../tools/options";

export function doctorCommand(): Command {
  return new Command()
    .name("npm run doctor --")
    .description("Check, before pulumi up, everything that can stop an abuse alert from reaching Slack.")
    .addOption(stackOption("stack whose Pulumi.<name>.yaml to check"))
    .option("--concurrency <n>", "parallel per-account AWS calls (1-64)", wholeNumber(1, 64), 8)
    .action(async (flags: { stack: string; concurrency: number }) => {
      const config = loadStackFileConfig(flags.stack);
      const findings = await runDoctor(awsDoctorClients(), config, {
        concurrency: flags.concurrency,
        progress: progressBar,
      });
      console.log(renderDoctor(findings));
      if (blocksDelivery(findings)) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(doctorCommand());

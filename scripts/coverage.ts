import { AccountClient } from "@aws-sdk/client-account";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { Command } from "commander";
import { createStsClient } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { withRetries } from "../accounts/retry";
import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { loadStackFileConfig } from "../config/stack-file";
import { hasGaps, renderCoverage } from "../coverage/report";
import { runCoverage } from "../coverage/run";
import { CoverageClients } from "../coverage/types";
import { runCommand, stackName, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";

function awsClients(): CoverageClients {
  return {
    sts: createStsClient(),
    organizations: createOrganizationsClient(),
    // The StackSet is administered in the region the program deploys it from.
    cloudformation: withRetries(new CloudFormationClient({ region: GLOBAL_EVENTS_REGION, maxAttempts: 1 })),
    eventBridge: (region, credentials) =>
      withRetries(new EventBridgeClient({ region, credentials, maxAttempts: 1 })),
    // Account Management is a global service answered in us-east-1.
    account: (credentials) =>
      withRetries(new AccountClient({ region: GLOBAL_EVENTS_REGION, credentials, maxAttempts: 1 })),
  };
}

export function coverageCommand(): Command {
  return new Command()
    .name("npm run coverage --")
    .description(
      "For every account in scope and every region, is a forwarder in place, and is the SECURITY contact the configured one? Lists what is missing, outdated or failed, with the fix; exits 1 on a gap.",
    )
    .option("--stack <name>", "stack whose Pulumi.<name>.yaml to audit", stackName, "prod")
    .option("--concurrency <n>", "parallel per-account AWS calls (1-64)", wholeNumber(1, 64), 8)
    .action(async (flags: { stack: string; concurrency: number }) => {
      const report = await runCoverage(awsClients(), loadStackFileConfig(flags.stack), {
        concurrency: flags.concurrency,
        progress: progressBar,
      });
      console.log(renderCoverage(report));
      if (hasGaps(report)) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(coverageCommand());

import { ChatbotClient } from "@aws-sdk/client-chatbot";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Command } from "commander";
import { createStsClient } from "../accounts/identity";
import { createOrganizationsClient } from "../accounts/organizations";
import { withRetries } from "../accounts/retry";
import { CHATBOT_API_REGION } from "../components/names";
import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { loadStackFileConfig } from "../config/stack-file";
import { blocksDelivery, renderDoctor } from "../doctor/report";
import { runDoctor } from "../doctor/run";
import { DoctorClients } from "../doctor/types";
import { runCommand, stackName, wholeNumber } from "../lib/cli";
import { progressBar } from "../lib/progress";

function awsClients(): DoctorClients {
  return {
    sts: createStsClient(),
    organizations: createOrganizationsClient(),
    chatbot: (credentials) =>
      withRetries(new ChatbotClient({ region: CHATBOT_API_REGION, credentials, maxAttempts: 1 })),
    sqs: (region, credentials) => withRetries(new SQSClient({ region, credentials, maxAttempts: 1 })),
    cloudformation: withRetries(new CloudFormationClient({ region: GLOBAL_EVENTS_REGION, maxAttempts: 1 })),
    sfn: (region, credentials) => withRetries(new SFNClient({ region, credentials, maxAttempts: 1 })),
  };
}

export function doctorCommand(): Command {
  return new Command()
    .name("npm run doctor --")
    .description("Check, before pulumi up, everything that can stop an abuse alert from reaching Slack.")
    .option("--stack <name>", "stack whose Pulumi.<name>.yaml to check", stackName, "prod")
    .option("--concurrency <n>", "parallel per-account AWS calls (1-64)", wholeNumber(1, 64), 8)
    .action(async (flags: { stack: string; concurrency: number }) => {
      const config = loadStackFileConfig(flags.stack);
      const findings = await runDoctor(awsClients(), config, {
        concurrency: flags.concurrency,
        progress: progressBar,
      });
      console.log(renderDoctor(findings));
      if (blocksDelivery(findings)) process.exitCode = 1;
    });
}

if (require.main === module) void runCommand(doctorCommand());

import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describeError, errorCode } from "../../../accounts/errors";
import { notifyStateMachineArn } from "../../../model/names";
import { deliveredEvent, testEventEntry } from "../../../model/test-event";
import { DoctorCheck, DoctorContext, Finding } from "../types";

const CHECK = "workflow";

/** How long a dry run may take before the doctor stops waiting: the lookups take seconds. */
const DRY_RUN_TIMEOUT_MS = 60_000;

interface DryRunOutput {
  message: { content: { title?: string; description: string } };
  /** Where a real run would post: the central topic first, its note saying where else (with routes). */
  targets?: { topicArn: string; note?: string }[];
}

/** A member account to look up: one that is neither the central nor the management account, if any. */
function sampleAccount({ config, discovery }: DoctorContext): string {
  const member = discovery.covered.find(
    (account) => account.id !== config.centralAccountId && account.id !== discovery.managementAccountId,
  );
  return member?.id ?? config.centralAccountId;
}

async function dryRun(
  client: SFNClient,
  arn: string,
  input: unknown,
  pollMs: number,
): Promise<{ status: string; output?: string; error?: string }> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: arn,
      name: `doctor-${Date.now()}`,
      input: JSON.stringify(input),
    }),
  );
  const deadline = Date.now() + DRY_RUN_TIMEOUT_MS;
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== "RUNNING" && execution.status !== "PENDING_REDRIVE") {
      return {
        status: execution.status ?? "UNKNOWN",
        output: execution.output,
        error: [execution.error, execution.cause].filter(Boolean).join(": "),
      };
    }
    if (Date.now() > deadline)
      return { status: "STILL RUNNING", error: `no result after ${DRY_RUN_TIMEOUT_MS / 1000} s` };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * A dry run of the notify workflow in every hub region, for one member account: the message is
 * built and returned, not published, so a missing role, permission or trusted access shows
 * before a real report, with the context the lookups found.
 */
/** What brings back the context a dry run's message says is missing. */
function contextFix(missing: string): string {
  const contact = missing.includes("security contact");
  const organizations = /account name|OU path|owner tags/.test(missing);
  return [
    organizations &&
      "the Organizations lookups run as the role abuse-alerts-directory in the management account, which must exist and trust the workflow's role: run pulumi up",
    contact &&
      "the security contact lookup needs trusted access for Account Management (see the security contact check)",
  ]
    .filter(Boolean)
    .join("; ");
}

/** What a dry run's message says of the account's context, and where a real alert would go. */
function dryRunFinding(subject: string, { message, targets }: DryRunOutput): Finding {
  const routing = targets?.[0]?.note?.replace(/\*/g, "");
  const lines = message.content.description.split("\n");
  const found = lines.filter((line) => /^\*(Account|OU|Owner|Report sent to)\*/.test(line)).join("; ");
  const missing = lines.find((line) => line.startsWith("*Context missing*"));
  return missing
    ? {
        check: CHECK,
        status: "warn",
        subject,
        detail: `alerts go out, without part of the account's context: ${missing.replace("*Context missing*: ", "")}`,
        fix: contextFix(missing),
      }
    : {
        check: CHECK,
        status: "ok",
        subject,
        detail: `a dry run found ${found.replace(/\*/g, "")}${routing ? `; ${routing}` : ""}`,
      };
}

export const workflowCheck: DoctorCheck = {
  name: CHECK,
  async run(context) {
    const { config, clients, reach } = context;
    const central = await reach(config.centralAccountId);
    if (!central) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject: `account ${config.centralAccountId}`,
          detail: "not checked: the central account cannot be reached",
        },
      ];
    }
    const { credentials } = central;
    const accountId = sampleAccount(context);
    const findings: Finding[] = [];
    for (const region of config.regions) {
      const subject = `${region}, account ${accountId}`;
      const arn = notifyStateMachineArn(region, config.centralAccountId);
      const entry = testEventEntry({
        category: config.categories[0],
        accountId,
        region,
        sentBy: "npm run doctor (a dry run: nothing is posted)",
        now: new Date(),
      });
      const event = deliveredEvent(entry, { id: `doctor-${region}`, accountId, region });
      let result;
      try {
        result = await dryRun(
          clients.sfn(region, credentials),
          arn,
          { dryRun: true, event },
          context.pollIntervalMs,
        );
      } catch (error) {
        findings.push({
          check: CHECK,
          status: "fail",
          subject,
          detail: `cannot start a dry run of ${arn}: ${describeError(error)}`,
          fix:
            errorCode(error) === "StateMachineDoesNotExist"
              ? "run pulumi up: the workflow is not deployed in this region"
              : "allow states:StartExecution and states:DescribeExecution on it to the member role in the central account",
        });
        continue;
      }
      if (result.status !== "SUCCEEDED" || !result.output) {
        findings.push({
          check: CHECK,
          status: "fail",
          subject,
          detail: `the dry run ended ${result.status}: ${result.error ?? ""}`,
          fix: `read the execution in the Step Functions console (state machine ${arn}) for the failing state`,
        });
        continue;
      }
      findings.push(dryRunFinding(subject, JSON.parse(result.output) as DryRunOutput));
    }
    return findings;
  },
};

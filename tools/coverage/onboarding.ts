import { DescribeExecutionCommand, paginateListExecutions, SFNClient } from "@aws-sdk/client-sfn";
import pLimit from "p-limit";
import { awsClient } from "../../accounts/clients";
import { errorCode, errorMessage } from "../../accounts/errors";
import { createStsClient, getCaller } from "../../accounts/identity";
import { renderTable } from "../../lib/tables";
import { onboardingStateMachineArn } from "../../model/onboarding";

/** An account's last onboarding, as its execution's output says. */
export interface LastOnboarding {
  accountId: string;
  name: string;
  at: Date;
  outcome: string;
  detail: string;
}

/** The executions read at most: the newest first, a year of joining accounts in most organizations. */
export const ONBOARDINGS_READ = 500;

/**
 * The last onboarding of each account: the onboarding workflow's executions in the management
 * account (ListExecutions, paginated, newest first), each described with bounded concurrency;
 * ignored events (excluded, out of scope, failed creations) are left out.
 */
export async function lastOnboardings(
  sfn: SFNClient,
  managementAccountId: string,
  concurrency = 8,
): Promise<{ onboardings: LastOnboarding[]; error?: string }> {
  const stateMachineArn = onboardingStateMachineArn(managementAccountId, "us-east-1");
  try {
    const arns: string[] = [];
    for await (const page of paginateListExecutions({ client: sfn }, { stateMachineArn })) {
      for (const execution of page.executions ?? [])
        if (execution.executionArn) arns.push(execution.executionArn);
      if (arns.length >= ONBOARDINGS_READ) break;
    }
    const limit = pLimit(concurrency);
    const described = await Promise.all(
      arns
        .slice(0, ONBOARDINGS_READ)
        .map((executionArn) => limit(() => sfn.send(new DescribeExecutionCommand({ executionArn })))),
    );
    const latest = new Map<string, LastOnboarding>();
    for (const execution of described) {
      if (execution.status !== "SUCCEEDED" || !execution.output) continue;
      const output = JSON.parse(execution.output) as {
        accountId?: string;
        accountName?: string;
        outcome?: string;
        reason?: string;
        contactSet?: boolean;
      };
      if (!output.accountId || output.outcome === "ignored" || latest.has(output.accountId)) continue;
      latest.set(output.accountId, {
        accountId: output.accountId,
        name: output.accountName ?? "",
        at: execution.startDate ?? new Date(0),
        outcome: output.outcome ?? "unknown",
        detail: [output.reason, output.contactSet === false ? "contact not set" : ""]
          .filter(Boolean)
          .join("; "),
      });
    }
    return { onboardings: [...latest.values()] };
  } catch (error) {
    return {
      onboardings: [],
      error: `cannot read the onboarding executions of ${stateMachineArn} (${errorCode(error)}: ${errorMessage(error)}): run with the management account's credentials`,
    };
  }
}

/** The onboardings as a table, newest first. */
export function renderOnboardings(result: { onboardings: LastOnboarding[]; error?: string }): string {
  if (result.error) return `Last onboardings: ${result.error}`;
  if (result.onboardings.length === 0)
    return "Last onboardings: none yet (no account has joined since onboarding was deployed).";
  const rows = [...result.onboardings]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map((onboarding) => [
      onboarding.accountId,
      onboarding.name,
      onboarding.at.toISOString().slice(0, 16).replace("T", " "),
      onboarding.outcome,
      onboarding.detail,
    ]);
  return `Last onboardings:\n${renderTable(["Account", "Name", "When (UTC)", "Outcome", "Detail"], rows, undefined, [0])}`;
}

/** The onboardings of the account the command runs in: the management account, where the workflow runs. */
export async function callerOnboardings(): Promise<{ onboardings: LastOnboarding[]; error?: string }> {
  const caller = await getCaller(createStsClient());
  return lastOnboardings(awsClient(SFNClient, "us-east-1"), caller.accountId);
}

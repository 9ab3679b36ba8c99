import {
  CloudFormationClient,
  paginateListStackSetOperationResults,
  paginateListStackSetOperations,
  StackSetOperationResultSummary,
  StackSetOperationSummary,
} from "@aws-sdk/client-cloudformation";
import pLimit from "p-limit";
import { describeError, errorCode } from "../../accounts/errors";
import { UserError } from "../../lib/errors";
import { ACTIVE_OPERATION_STATUSES, FAILURE_REASONS } from "../../model/stackset-failures";
import { CallAs } from "../../model/stackset-targets";

/** One StackSet operation as `npm run coverage` shows it: when, what, and how its instances ended. */
export interface OperationReport {
  id: string;
  action: string;
  status: string;
  start?: Date;
  end?: Date;
  /** Instances by result status: SUCCEEDED, FAILED, CANCELLED, RUNNING, PENDING. */
  results: Record<string, number>;
  /** Failed instances by reason (a known kind, or AWS's words), most first. */
  failures: { reason: string; accounts: string[] }[];
}

/** The ended operations shown besides the running ones. */
export const LAST_OPERATIONS = 3;

/** A failed instance's reason as the summaries group it: a known kind's title, or AWS's words with IDs blanked. */
export function reasonGroup(reason: string | undefined): string {
  const known = FAILURE_REASONS.find((kind) => new RegExp(kind.pattern, "i").test(reason ?? ""));
  if (known) return known.title;
  const text = (reason ?? "no reason given")
    .replace(/\d{12}/g, "<account>")
    .replace(/arn:aws[^ ,]*/g, "<arn>");
  return `AWS says: ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`;
}

function summarize(
  operation: StackSetOperationSummary,
  results: StackSetOperationResultSummary[],
): OperationReport {
  const counts: Record<string, number> = {};
  const failures = new Map<string, Set<string>>();
  for (const result of results) {
    const status = result.Status ?? "UNKNOWN";
    counts[status] = (counts[status] ?? 0) + 1;
    if (status !== "FAILED") continue;
    const group = reasonGroup(result.StatusReason);
    failures.set(
      group,
      (failures.get(group) ?? new Set()).add(`${result.Account ?? "?"} ${result.Region ?? "?"}`),
    );
  }
  return {
    id: operation.OperationId ?? "?",
    action: operation.Action ?? "?",
    status: operation.Status ?? "?",
    start: operation.CreationTimestamp,
    end: operation.EndTimestamp,
    results: counts,
    failures: [...failures]
      .map(([reason, accounts]) => ({ reason, accounts: [...accounts].sort() }))
      .sort((a, b) => b.accounts.length - a.accounts.length),
  };
}

/**
 * The StackSet's running operations and its last ended ones, newest first, each with its results
 * (every page read). None when the StackSet does not exist.
 */
export async function stackSetOperations(
  client: CloudFormationClient,
  stackSetName: string,
  callAs: CallAs,
): Promise<OperationReport[]> {
  const what = `StackSet ${stackSetName} (callAs ${callAs})`;
  try {
    const operations: StackSetOperationSummary[] = [];
    for await (const page of paginateListStackSetOperations(
      { client, pageSize: 100 },
      { StackSetName: stackSetName, CallAs: callAs },
    )) {
      operations.push(...(page.Summaries ?? []));
    }
    const newest = operations.sort(
      (a, b) => (b.CreationTimestamp?.getTime() ?? 0) - (a.CreationTimestamp?.getTime() ?? 0),
    );
    const running = newest.filter((operation) => ACTIVE_OPERATION_STATUSES.includes(operation.Status ?? ""));
    const ended = newest.filter((operation) => !running.includes(operation)).slice(0, LAST_OPERATIONS);
    const limit = pLimit(2);
    return await Promise.all(
      [...running, ...ended].map((operation) =>
        limit(async () => {
          const results: StackSetOperationResultSummary[] = [];
          for await (const page of paginateListStackSetOperationResults(
            { client, pageSize: 100 },
            { StackSetName: stackSetName, OperationId: operation.OperationId, CallAs: callAs },
          )) {
            results.push(...(page.Summaries ?? []));
          }
          return summarize(operation, results);
        }),
      ),
    );
  } catch (error) {
    if (errorCode(error) === "StackSetNotFoundException") return [];
    throw new UserError(`cloudformation:ListStackSetOperations of ${what} failed: ${describeError(error)}`);
  }
}

import {
  CloudFormationClient,
  paginateListStackInstances,
  StackInstanceSummary,
} from "@aws-sdk/client-cloudformation";
import { describeError, errorCode } from "../../accounts/errors";
import { UserError } from "../../lib/errors";
import { SCP_DENY, SCP_EXEMPTION, STACKSET_STACK_PATTERN } from "../../model/stackset-failures";
import { CallAs, stackInstanceCommand } from "../../model/stackset-targets";
import { CoverageRow, CoverageStatus } from "./types";

const instanceKey = (accountId: string, region: string) => `${accountId} ${region}`;

/**
 * Every stack instance of the StackSet, by account and region; undefined when the StackSet does
 * not exist. Other errors are thrown with a message a person can act on.
 */
export async function stackInstances(
  client: CloudFormationClient,
  stackSetName: string,
  callAs: CallAs,
  /** Called after each page with the number of instances read so far. */
  onPage: (read: number) => void = () => undefined,
): Promise<Map<string, StackInstanceSummary> | undefined> {
  try {
    const summaries: StackInstanceSummary[] = [];
    for await (const page of paginateListStackInstances(
      { client, pageSize: 100 },
      { StackSetName: stackSetName, CallAs: callAs },
    )) {
      summaries.push(...(page.Summaries ?? []));
      onPage(summaries.length);
    }
    return new Map(
      summaries.map((summary) => [instanceKey(summary.Account ?? "", summary.Region ?? ""), summary]),
    );
  } catch (error) {
    if (errorCode(error) === "StackSetNotFoundException") return undefined;
    throw new UserError(
      `cloudformation:ListStackInstances of StackSet ${stackSetName} (callAs ${callAs}) failed: ${describeError(error)}`,
    );
  }
}

/**
 * What to do about an instance that is not CURRENT and SUCCEEDED, from AWS's status and reason,
 * ending with the command that deploys it again once the cause is fixed.
 */
function instanceFix(instance: StackInstanceSummary, callAs: CallAs): string {
  const target = {
    accountId: instance.Account ?? "",
    region: instance.Region ?? "",
    organizationalUnitId: instance.OrganizationalUnitId,
    callAs,
  };
  const retry = `then retry: ${stackInstanceCommand("update", target)}`;
  if (SCP_DENY.test(instance.StatusReason ?? "")) {
    return `a service control policy blocks the StackSet: ${SCP_EXEMPTION}; ${retry}`;
  }
  switch (instance.StackInstanceStatus?.DetailedStatus) {
    case "RUNNING":
    case "PENDING":
      return "an operation is running: wait, then run npm run coverage again";
    case "INOPERABLE":
      return (
        `a delete failed and the stack is detached: delete the stack ${STACKSET_STACK_PATTERN} in that account and region, ` +
        `then the instance (aws cloudformation delete-stack-instances with --retain-stacks), then: ${stackInstanceCommand("create", target)}`
      );
    case "SKIPPED_SUSPENDED_ACCOUNT":
      return "the account is suspended: it gets the forwarder when it is reinstated";
    default:
      return `read the reason; fix it in that account (an existing resource of the same name, a missing permission), ${retry}`;
  }
}

/**
 * One row per account and region the StackSet should reach: ok when its instance is CURRENT and
 * SUCCEEDED, else missing, outdated or failed with AWS's reason and a fix.
 */
export function stackSetRows(
  accounts: readonly { id: string; name: string }[],
  regions: readonly string[],
  instances: ReadonlyMap<string, StackInstanceSummary> | undefined,
  stackSet: { name: string; callAs: CallAs },
): CoverageRow[] {
  return accounts.flatMap((account) =>
    regions.map((region): CoverageRow => {
      const base = { accountId: account.id, name: account.name, region, item: "forwarder (StackSet)" };
      if (!instances) {
        return {
          ...base,
          status: "missing",
          detail: `StackSet ${stackSet.name} does not exist`,
          fix: "run pulumi up with abuse-alerts:deployment stackset, from the account that administers StackSets",
        };
      }
      const instance = instances.get(instanceKey(account.id, region));
      if (!instance) {
        return {
          ...base,
          status: "missing",
          detail: "no stack instance",
          fix:
            "an account that joined a target OU minutes ago is being deployed to; otherwise check that it is under " +
            "abuse-alerts:accounts.organizationalUnits (or the root) and not in exclude (fix that, then pulumi up); if it is, create it: " +
            stackInstanceCommand("create", { accountId: account.id, region, callAs: stackSet.callAs }),
        };
      }
      const detailed = instance.StackInstanceStatus?.DetailedStatus ?? "";
      const reason = instance.StatusReason ?? "";
      const detail = [`${instance.Status ?? "?"} / ${detailed || "?"}`, reason].filter(Boolean).join(": ");
      if (instance.Status === "CURRENT" && detailed === "SUCCEEDED") return { ...base, status: "ok", detail };
      const status: CoverageStatus =
        instance.Status === "INOPERABLE" ||
        ["FAILED", "CANCELLED", "INOPERABLE", "FAILED_IMPORT"].includes(detailed)
          ? "failed"
          : "outdated";
      return { ...base, status, detail, fix: instanceFix(instance, stackSet.callAs) };
    }),
  );
}

import { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import pLimit from "p-limit";
import { assumeMemberRole } from "./assume";
import { errorCode, errorMessage } from "./errors";

export type ProbeOutcome =
  /** The role can be assumed; its credentials serve the checks that follow. */
  | { accountId: string; status: "ok"; credentials: AwsCredentialIdentity }
  /** The account the program runs in: its ambient credentials are used, no role is needed. */
  | { accountId: string; status: "current" }
  | { accountId: string; status: "failed"; errorCode: string; message: string };

/** The credentials to act in the account with: the role's, or none for the caller's own account. */
export const credentialsOf = (outcome: ProbeOutcome): AwsCredentialIdentity | undefined =>
  outcome.status === "ok" ? outcome.credentials : undefined;

export interface ProbeOptions extends ReachOptions {
  /** Parallel AssumeRole calls (default 8). */
  concurrency?: number;
  /** Called as each account settles, for progress bars. */
  onSettled?: (outcome: ProbeOutcome) => void;
}

export interface ReachOptions {
  roleName: string;
  callerAccountId: string;
  /** Names the session in the account's CloudTrail (default abuse-alerts-probe). */
  sessionName?: string;
  /** How long the credentials handed back last (default 900 s: the probe alone needs no more). */
  sessionSeconds?: number;
}

/**
 * The one way the project acts in an account: the caller's own credentials in its own account,
 * the member role's in any other. Never throws: a failure is an outcome with STS's error.
 */
export async function reachAccount(
  sts: STSClient,
  accountId: string,
  options: ReachOptions,
): Promise<ProbeOutcome> {
  if (accountId === options.callerAccountId) return { accountId, status: "current" };
  try {
    const credentials = await assumeMemberRole(
      sts,
      accountId,
      options.roleName,
      options.sessionName ?? "abuse-alerts-probe",
      options.sessionSeconds,
    );
    return { accountId, status: "ok", credentials };
  } catch (error) {
    return { accountId, status: "failed", errorCode: errorCode(error), message: errorMessage(error) };
  }
}

/** Tries sts:AssumeRole into the member role of every account; returns one outcome per account, in order. */
export async function probeMemberRoles(
  sts: STSClient,
  accountIds: readonly string[],
  options: ProbeOptions,
): Promise<ProbeOutcome[]> {
  const limit = pLimit(options.concurrency ?? 8);
  return Promise.all(
    accountIds.map((accountId) =>
      limit(async () => {
        const outcome = await reachAccount(sts, accountId, options);
        options.onSettled?.(outcome);
        return outcome;
      }),
    ),
  );
}

/** What to do about a failed AssumeRole, by the error STS gave. */
export function probeFix(
  errorCode: string,
  accountId: string,
  roleName: string,
  callerAccountId: string,
): string {
  switch (errorCode) {
    case "AccessDenied":
      return (
        `create role ${roleName} in ${accountId} trusting account ${callerAccountId} (Organizations creates ` +
        `OrganizationAccountAccessRole only in accounts it creates), allow sts:AssumeRole on it, or exclude the account`
      );
    case "RegionDisabledException":
      return "activate AWS STS in us-east-1 for the account (IAM > Account settings)";
    case "ExpiredToken":
    case "ExpiredTokenException":
    case "InvalidClientTokenId":
      return "your credentials expired or are invalid: sign in again";
    default:
      return "see the error; check the role's trust policy and any service control policy on sts:AssumeRole";
  }
}

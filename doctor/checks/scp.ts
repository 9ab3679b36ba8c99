import { memberRoleArn } from "../../accounts/assume";
import { errorCode, errorMessage } from "../../accounts/errors";
import { evaluateScps, ScpLevel } from "../../accounts/scp";
import { DiscoveryError } from "../../accounts/types";
import {
  centralBusArn,
  FORWARDER_DLQ_NAME,
  FORWARDER_ROLE_NAME,
  FORWARDER_RULE_NAME,
} from "../../components/names";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../../config/schema";
import { DoctorCheck, DoctorContext, Finding } from "../types";

const CHECK = "scp";

/** The role ARN behind an assumed-role session ARN, as SCP conditions on aws:PrincipalArn see it. */
export function principalArn(arn: string): string {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : arn;
}

export interface Requirement {
  action: string;
  resource: string;
  region: string;
  /** Who makes the call: the deploying role, or the forwarder's role when it runs. */
  principal: string;
}

/** What deploying and running the forwarder asks of an account, per region; IAM once, in us-east-1. */
export function forwarderRequirements(
  accountId: string,
  regions: readonly string[],
  config: AbuseAlertsConfig,
  deployer: string,
): Requirement[] {
  const role = `arn:aws:iam::${accountId}:role/${FORWARDER_ROLE_NAME}`;
  const iam = ["iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"].map((action) => ({
    action,
    resource: role,
    region: GLOBAL_EVENTS_REGION,
    principal: deployer,
  }));
  const regional = regions.flatMap((region) => {
    const rule = `arn:aws:events:${region}:${accountId}:rule/${FORWARDER_RULE_NAME}`;
    const queue = `arn:aws:sqs:${region}:${accountId}:${FORWARDER_DLQ_NAME}`;
    return [
      { action: "events:PutRule", resource: rule, region, principal: deployer },
      { action: "events:PutTargets", resource: rule, region, principal: deployer },
      { action: "sqs:CreateQueue", resource: queue, region, principal: deployer },
      { action: "sqs:SetQueueAttributes", resource: queue, region, principal: deployer },
      {
        action: "events:PutEvents",
        resource: centralBusArn(region, config.centralAccountId),
        region,
        principal: role,
      },
    ];
  });
  return [...iam, ...regional];
}

/** One finding per requirement an account's SCPs deny or may deny. */
export function scpFindings(accountId: string, levels: ScpLevel[], requirements: Requirement[]): Finding[] {
  return requirements.flatMap((requirement): Finding[] => {
    const verdict = evaluateScps(levels, {
      action: requirement.action,
      resource: requirement.resource,
      context: {
        "aws:PrincipalArn": requirement.principal,
        "aws:RequestedRegion": requirement.region,
        "aws:PrincipalAccount": accountId,
      },
    });
    if (verdict.status === "allowed") return [];
    const where = [verdict.target, "policy" in verdict ? verdict.policy : undefined, verdict.statement]
      .filter(Boolean)
      .join(" / ");
    return [
      {
        check: CHECK,
        status: verdict.status === "denied" ? "fail" : "warn",
        subject: `account ${accountId}, ${requirement.region}`,
        detail: `${verdict.reason} for ${requirement.principal.split(":").pop()} (${where})`,
        fix: `exempt ${requirement.principal} from that statement (e.g. ArnNotLike aws:PrincipalArn), or move the account to an OU whose SCPs allow ${requirement.action}`,
      },
    ];
  });
}

/** Who deploys an account's forwarder: the caller in its own account, else the member role. */
export type DeployerOf = (accountId: string) => string;

/**
 * Reads the SCPs along each account's OU path, once per OU, and evaluates what the deployer and
 * the forwarder need. Shared by the direct check and the StackSet check, which differ in deployer.
 */
export async function scanScps(
  context: DoctorContext,
  check: string,
  deployerOf: DeployerOf,
  accountIds: readonly string[],
): Promise<Finding[]> {
  const { config, directory, limit, progress } = context;
  const bar = progress("reading service control policies", accountIds.length);
  const paths = await Promise.all(
    accountIds.map((accountId) =>
      limit(async () => {
        try {
          return { accountId, levels: await directory.scpPath(accountId) };
        } catch (error) {
          return { accountId, error };
        } finally {
          bar.tick();
        }
      }),
    ),
  );
  bar.stop();
  const findings: Finding[] = [];
  let checked = 0;
  for (const entry of paths) {
    if ("error" in entry) {
      const code = entry.error instanceof DiscoveryError ? entry.error.code : errorCode(entry.error);
      if (code === "PolicyTypeNotEnabledException") {
        return [
          {
            check,
            status: "ok",
            subject: "organization",
            detail: "service control policies are not enabled: none restricts the forwarder",
          },
        ];
      }
      findings.push({
        check,
        status: "warn",
        subject: `account ${entry.accountId}`,
        detail: `could not read the SCPs on its OU path: ${errorMessage(entry.error)}`,
      });
      continue;
    }
    checked += 1;
    findings.push(
      ...scpFindings(
        entry.accountId,
        entry.levels,
        forwarderRequirements(entry.accountId, config.regions, config, deployerOf(entry.accountId)),
      ).map((finding) => ({ ...finding, check })),
    );
  }
  if (!findings.some((finding) => finding.status !== "ok")) {
    findings.push({
      check,
      status: "ok",
      subject: `${checked} accounts`,
      detail: "no service control policy on their OU paths denies what the forwarder needs",
    });
  }
  return findings;
}

/** SCPs never apply to the management account, so it is not read. */
export const scpTargets = (context: DoctorContext) =>
  context.discovery.covered
    .map((account) => account.id)
    .filter((id) => id !== context.discovery.managementAccountId);

/** In direct mode the member role deploys the forwarder (the caller in its own account). */
export const scpCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.deployment === "direct",
  async run(context) {
    if (context.config.accounts.explicit) {
      return [
        {
          check: CHECK,
          status: "warn",
          subject: "organization",
          detail: "not checked: with abuse-alerts:accounts.explicit the tools make no Organizations call",
        },
      ];
    }
    const { caller } = context.discovery;
    return scanScps(
      context,
      CHECK,
      (accountId) =>
        accountId === caller.accountId
          ? principalArn(caller.arn)
          : memberRoleArn(accountId, context.config.memberRoleName),
      scpTargets(context),
    );
  },
};

import { errorCode, errorMessage } from "../../../accounts/errors";
import { evaluateScps, ScpLevel } from "../../../accounts/scp";
import { stackSetAdministration } from "../../../model/stackset-targets";
import { DiscoveryError } from "../../../accounts/types";
import {
  centralBusArn,
  FORWARDER_DLQ_NAME,
  FORWARDER_ROLE_NAME,
  FORWARDER_RULE_NAME,
  STACKSET_DLQ_NAME,
  STACKSET_NAME,
  STACKSET_RULE_NAME,
  stackSetRoleName,
} from "../../../model/names";
import { eventRuleArn, queueArn, roleArn } from "../../../model/arns";
import { GLOBAL_EVENTS_REGION } from "../../../config/schema";
import { DoctorCheck, DoctorContext, Finding } from "../types";

const CHECK = "scp";

/** The role ARN behind an assumed-role session ARN, as SCP conditions on aws:PrincipalArn see it. */
function principalArn(arn: string): string {
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

/** The forwarder's names, which differ between the direct forwarder and the StackSet's. */
export interface ForwarderShape {
  /** The role in a region: one per account in direct mode, one per region's stack in a StackSet. */
  roleName: (region: string) => string;
  ruleName: string;
  queueName: string;
  /** The StackSet's stacks, which its execution role creates first. */
  stackName?: string;
}

const DIRECT_SHAPE: ForwarderShape = {
  roleName: () => FORWARDER_ROLE_NAME,
  ruleName: FORWARDER_RULE_NAME,
  queueName: FORWARDER_DLQ_NAME,
};

export const STACKSET_SHAPE: ForwarderShape = {
  roleName: stackSetRoleName,
  ruleName: STACKSET_RULE_NAME,
  queueName: STACKSET_DLQ_NAME,
  stackName: `StackSet-${STACKSET_NAME}-*`,
};

/** What deploying and running the forwarder asks of an account, per region; IAM in us-east-1, where IAM answers. */
export function forwarderRequirements(
  accountId: string,
  regions: readonly string[],
  centralAccountId: string,
  deployer: string,
  shape: ForwarderShape = DIRECT_SHAPE,
): Requirement[] {
  const forwarderRole = (region: string) => roleArn(accountId, shape.roleName(region));
  const roles = [...new Set(regions.map(forwarderRole))];
  const iam = roles.flatMap((role) =>
    ["iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"].map((action) => ({
      action,
      resource: role,
      region: GLOBAL_EVENTS_REGION,
      principal: deployer,
    })),
  );
  const regional = regions.flatMap((region) => {
    const rule = eventRuleArn(region, accountId, shape.ruleName);
    const queue = queueArn(region, accountId, shape.queueName);
    const stack = shape.stackName
      ? ["cloudformation:CreateStack", "cloudformation:UpdateStack"].map((action) => ({
          action,
          resource: `arn:aws:cloudformation:${region}:${accountId}:stack/${shape.stackName}`,
          region,
          principal: deployer,
        }))
      : [];
    return [
      ...stack,
      { action: "events:PutRule", resource: rule, region, principal: deployer },
      { action: "events:PutTargets", resource: rule, region, principal: deployer },
      { action: "sqs:CreateQueue", resource: queue, region, principal: deployer },
      { action: "sqs:SetQueueAttributes", resource: queue, region, principal: deployer },
      {
        action: "events:PutEvents",
        resource: centralBusArn(region, centralAccountId),
        region,
        principal: forwarderRole(region),
      },
    ];
  });
  return [...iam, ...regional];
}

/** One finding per requirement an account's SCPs deny or may deny. */
function scpFindings(accountId: string, levels: ScpLevel[], requirements: Requirement[]): Finding[] {
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
type DeployerOf = (accountId: string) => string;

/**
 * Reads the SCPs along each account's OU path, once per OU, and evaluates what the deployer and
 * the forwarder need. Shared by the direct check and the StackSet check, which differ in deployer.
 */
async function scanScps(
  context: DoctorContext,
  check: string,
  deployerOf: DeployerOf,
  accountIds: readonly string[],
  shape: ForwarderShape,
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
        forwarderRequirements(
          entry.accountId,
          config.regions,
          config.centralAccountId,
          deployerOf(entry.accountId),
          shape,
        ),
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
const scpTargets = (context: DoctorContext) =>
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
          : roleArn(accountId, context.config.memberRoleName),
      scpTargets(context),
      DIRECT_SHAPE,
    );
  },
};

/**
 * A representative of the role StackSets creates in every target account (stacksets-exec- and 32
 * hex digits): SCPs that exempt arn:aws:iam::*:role/stacksets-exec-* match it, as they match the real one.
 */
export const stackSetExecutionRole = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/stacksets-exec-0123456789abcdef0123456789abcdef`;

/**
 * In stackset mode, the StackSet's execution role deploys the forwarder in the accounts it
 * reaches; the accounts that get the direct forwarder are deployed by the caller or the member role.
 */
export const stackSetScpCheck: DoctorCheck = {
  name: "stackset scp",
  applies: (config) => config.deployment === "stackset",
  async run(context) {
    const { config, discovery } = context;
    const direct = new Set(stackSetAdministration(discovery).direct);
    const targets = scpTargets(context);
    const viaStackSet = await scanScps(
      context,
      "stackset scp",
      stackSetExecutionRole,
      targets.filter((id) => !direct.has(id)),
      STACKSET_SHAPE,
    );
    const directIds = targets.filter((id) => direct.has(id));
    if (directIds.length === 0) return viaStackSet;
    const { caller } = discovery;
    const viaDirect = await scanScps(
      context,
      "stackset scp",
      (accountId) =>
        accountId === caller.accountId ? principalArn(caller.arn) : roleArn(accountId, config.memberRoleName),
      directIds,
      DIRECT_SHAPE,
    );
    return [...viaStackSet, ...viaDirect];
  },
};

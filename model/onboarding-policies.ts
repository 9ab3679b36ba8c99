import { anyKeyArn, eventBusArn, roleArn, stackSetArnPattern, tableArn, topicArn } from "./arns";
import { OPS_TOPIC_NAME, STACKSET_NAME } from "./names";
import { onboardingRelayRoleArn, proberStateMachineArn, reconcileStateMachineArn } from "./onboarding";
import { DELIVER_EXECUTION_LOGS, policy, PolicyDocument, PolicyStatement } from "./policies";
import { STATE_TABLE_NAME } from "./state-table";

/**
 * The onboarding roles, each allowed exactly the calls of its workflow. The member role is
 * assumed only in covered accounts: those under the configured OUs (aws:ResourceOrgPaths, at any
 * depth), or the organization's when none are configured, or the listed ones; never an excluded one.
 */
export interface OnboardingScope {
  managementAccountId: string;
  centralAccountId: string;
  organizationId: string;
  organizationalUnits: readonly string[];
  excluded: readonly string[];
  explicit?: readonly string[];
  memberRoleName: string;
}

const GLOBAL = "us-east-1";

/** The Account API's resources: the management account's own, and every member account of its organization. */
const accountArns = (scope: OnboardingScope) => [
  `arn:aws:account::${scope.managementAccountId}:account`,
  `arn:aws:account::${scope.managementAccountId}:account/${scope.organizationId}/*`,
];

/** sts:AssumeRole of the member role in covered accounts only. */
export function assumeMemberRole(scope: OnboardingScope): PolicyStatement[] {
  const anyAccount = `arn:aws:iam::*:role/${scope.memberRoleName}`;
  const allow: PolicyStatement = scope.explicit
    ? {
        Sid: "AssumeMemberRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: scope.explicit.map((id) => roleArn(id, scope.memberRoleName)),
      }
    : {
        Sid: "AssumeMemberRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: anyAccount,
        Condition:
          scope.organizationalUnits.length > 0
            ? {
                "ForAnyValue:StringLike": {
                  "aws:ResourceOrgPaths": scope.organizationalUnits.map(
                    (ou) => `${scope.organizationId}/r-*/*${ou}/*`,
                  ),
                },
              }
            : { StringEquals: { "aws:ResourceOrgID": scope.organizationId } },
      };
  const deny: PolicyStatement[] =
    scope.excluded.length > 0
      ? [
          {
            Sid: "NeverExcluded",
            Effect: "Deny",
            Action: "sts:AssumeRole",
            Resource: scope.excluded.map((id) => roleArn(id, scope.memberRoleName)),
          },
        ]
      : [];
  return [allow, ...deny];
}

const relay = (scope: OnboardingScope): PolicyStatement => ({
  Sid: "ReadProbesAndPost",
  Effect: "Allow",
  Action: "sts:AssumeRole",
  Resource: onboardingRelayRoleArn(scope.centralAccountId),
});

/** The onboarding workflow: walk OUs, read the account, set its contact, read its stack instances, check the member role, request probes, read them and post through the relay. */
export function onboardingRolePolicy(scope: OnboardingScope): PolicyDocument {
  return policy(
    {
      Sid: "ReadOrganization",
      Effect: "Allow",
      Action: ["organizations:ListParents", "organizations:DescribeAccount"],
      Resource: "*",
    },
    {
      Sid: "SetContact",
      Effect: "Allow",
      Action: "account:PutAlternateContact",
      Resource: accountArns(scope),
    },
    {
      Sid: "ReadStackInstances",
      Effect: "Allow",
      Action: "cloudformation:ListStackInstances",
      Resource: stackSetArnPattern(GLOBAL, scope.managementAccountId, STACKSET_NAME),
    },
    {
      Sid: "RequestProbes",
      Effect: "Allow",
      Action: "events:PutEvents",
      Resource: eventBusArn(GLOBAL, scope.managementAccountId, "default"),
    },
    ...assumeMemberRole(scope),
    relay(scope),
    DELIVER_EXECUTION_LOGS,
  );
}

/** A region's prober: put the probe on a covered account's default bus, as its member role. */
export function proberRolePolicy(scope: OnboardingScope): PolicyDocument {
  return policy(...assumeMemberRole(scope), DELIVER_EXECUTION_LOGS);
}

/** The reconcile: list accounts, walk OUs, read and set contacts, start its next page, post through the relay. */
export function reconcileRolePolicy(scope: OnboardingScope): PolicyDocument {
  return policy(
    {
      Sid: "ReadOrganization",
      Effect: "Allow",
      Action: ["organizations:ListAccounts", "organizations:ListParents"],
      Resource: "*",
    },
    {
      Sid: "ReconcileContacts",
      Effect: "Allow",
      Action: ["account:GetAlternateContact", "account:PutAlternateContact"],
      Resource: accountArns(scope),
    },
    {
      Sid: "NextPage",
      Effect: "Allow",
      Action: "states:StartExecution",
      Resource: reconcileStateMachineArn(scope.managementAccountId, GLOBAL),
    },
    relay(scope),
    DELIVER_EXECUTION_LOGS,
  );
}

/** The rule that starts a region's prober on a probe request. */
export function startProberPolicy(managementAccountId: string, region: string): PolicyDocument {
  return policy({
    Sid: "StartProber",
    Effect: "Allow",
    Action: "states:StartExecution",
    Resource: proberStateMachineArn(managementAccountId, region),
  });
}

/** The central account's relay: read probe items (their partition only) and post to the operations topic in us-east-1. */
export function relayRolePolicy(scope: OnboardingScope): PolicyDocument {
  return policy(
    {
      Sid: "ReadProbes",
      Effect: "Allow",
      Action: "dynamodb:GetItem",
      Resource: tableArn(GLOBAL, scope.centralAccountId, STATE_TABLE_NAME),
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["probe#*"] } },
    },
    {
      Sid: "Post",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: topicArn(GLOBAL, scope.centralAccountId, OPS_TOPIC_NAME),
    },
    {
      Sid: "EncryptPost",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      // The topic's key, by its alias: the hub keeps the key's ID to itself.
      Resource: anyKeyArn(GLOBAL, scope.centralAccountId),
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${OPS_TOPIC_NAME}` } },
    },
  );
}

/** The relay is assumed by the management account's onboarding and reconcile roles only. */
export function relayTrustPolicy(workflowRoleArns: readonly string[]): PolicyDocument {
  return policy({ Effect: "Allow", Principal: { AWS: [...workflowRoleArns] }, Action: "sts:AssumeRole" });
}

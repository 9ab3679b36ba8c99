import { accountRootArn } from "./arns";
import { directoryRoleArn, PAGERDUTY_EVENTS_URL } from "./names";
/** IAM, resource and key policy documents, as plain JSON-ready objects. */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  /** Absent in trust policies, where IAM rejects it. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export const policy = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

const accountRoot = accountRootArn;

/**
 * The central bus accepts PutEvents from any principal of the organization. The organization,
 * not a list of accounts: the policy stays far below its 10,240-character limit and new
 * accounts are admitted as they join.
 */
export function centralBusPolicy(busArn: string, organizationId: string): PolicyDocument {
  return policy({
    Sid: "OrganizationPutEvents",
    Effect: "Allow",
    Principal: "*",
    Action: "events:PutEvents",
    Resource: busArn,
    Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
  });
}

/** A role a service assumes. */
export function serviceTrustPolicy(
  service: string,
  condition?: PolicyStatement["Condition"],
): PolicyDocument {
  return policy({
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(condition ? { Condition: condition } : {}),
  });
}

/**
 * The member rule's role: put events on the central buses and nothing else. Required because
 * the bus admits the organization rather than named accounts.
 */
export function forwarderRolePolicy(centralBusArns: readonly string[]): PolicyDocument {
  return policy({
    Sid: "PutEventsOnCentralBus",
    Effect: "Allow",
    Action: "events:PutEvents",
    Resource: [...centralBusArns],
  });
}

/** CloudWatch alarms of the central account, and only they, publish to the operations topic. */
export function topicPublishedBy(
  service: string,
  topicArn: string,
  centralAccountId: string,
): PolicyDocument {
  return policy({
    Sid: "OneServiceOfThisAccountPublishes",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { StringEquals: { "aws:SourceAccount": centralAccountId } },
  });
}

/** A rule's dead-letter queue takes messages from that rule only. */
export function deadLetterQueuePolicy(queueArn: string, ruleArn: string): PolicyDocument {
  return policy({
    Sid: "DeadLettersOfOneRule",
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: queueArn,
    Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
  });
}

/** The notify workflows' roles, and only they, publish to the alert topic. */
export function topicPublishedByRoles(topicArn: string, roleArns: readonly string[]): PolicyDocument {
  return policy({
    Sid: "NotifyWorkflowsPublish",
    Effect: "Allow",
    Principal: { AWS: [...roleArns] },
    Action: "sns:Publish",
    Resource: topicArn,
  });
}

/**
 * A topic's customer managed key. The account administers it, so IAM policies grant its use (the
 * workflow's role); AWS services that publish to an encrypted topic (CloudWatch alarms) need
 * kms:GenerateDataKey* and kms:Decrypt in the key policy itself, which the AWS managed aws/sns key cannot grant.
 */
export function topicKeyPolicy(centralAccountId: string, publishers: readonly string[]): PolicyDocument {
  const services: PolicyStatement[] =
    publishers.length === 0
      ? []
      : [
          {
            Sid: "AwsServicesPublishToEncryptedTopics",
            Effect: "Allow",
            Principal: { Service: [...publishers] },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
          },
        ];
  return policy(
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: accountRoot(centralAccountId) },
      Action: "kms:*",
      Resource: "*",
    },
    ...services,
  );
}

/**
 * Chatbot's channel role and guardrail: read CloudWatch only, AWS's "notifications only"
 * template. Without an explicit guardrail Chatbot applies AdministratorAccess.
 */
export function chatbotNotificationsOnlyPolicy(): PolicyDocument {
  return policy({
    Sid: "NotificationsOnly",
    Effect: "Allow",
    Action: ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"],
    Resource: "*",
  });
}

/** Step Functions' log delivery takes these actions on "*". */
export const DELIVER_EXECUTION_LOGS: PolicyStatement = {
  Sid: "DeliverExecutionLogs",
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  Resource: "*",
};

/** A topic and the customer managed key it is encrypted with. */
export interface EncryptedTopic {
  topicArn: string;
  keyArn: string;
}

/** Publish to these topics, with their keys. */
const publishTo = (sid: string, topics: readonly EncryptedTopic[]): PolicyStatement[] => [
  { Sid: sid, Effect: "Allow", Action: "sns:Publish", Resource: topics.map((topic) => topic.topicArn) },
  {
    Sid: "EncryptForTheTopics",
    Effect: "Allow",
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: [...new Set(topics.map((topic) => topic.keyArn))],
  },
];

/** The owning teams' route topics of a region, under the alert topic's key. */
const routeTopics = (args: { alert: EncryptedTopic; routeTopicArns?: readonly string[] }): EncryptedTopic[] =>
  (args.routeTopicArns ?? []).map((topicArn) => ({ topicArn, keyArn: args.alert.keyArn }));

/**
 * The notify workflow's role: run the lookups as the directory role, publish to the alert topic
 * and its region's route topics (and, when a case cannot be followed, to the operations topic) with their keys, keep cases in
 * its own region's replica of the state table (Step Functions calls no other region), start the
 * case workflow of its region, and write its execution history to CloudWatch Logs.
 */
export function notifyRolePolicy(args: {
  alert: EncryptedTopic;
  ops: EncryptedTopic;
  /** The management account, whose directory role the lookups run as. */
  directoryAccountId: string;
  /** The state table's replica in the workflow's region. */
  tableArn: string;
  /** The case workflow of the same region. */
  caseStateMachineArn: string;
  /** The topics of the owning teams' routes in the workflow's region, under the same key. */
  routeTopicArns?: readonly string[];
}): PolicyDocument {
  return policy(
    {
      Sid: "LookUpAccounts",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: directoryRoleArn(args.directoryAccountId),
    },
    ...publishTo("PublishAlerts", [args.alert, ...routeTopics(args), args.ops]),
    {
      Sid: "KeepCases",
      Effect: "Allow",
      Action: ["dynamodb:Query", "dynamodb:PutItem"],
      Resource: args.tableArn,
    },
    {
      Sid: "FollowCases",
      Effect: "Allow",
      Action: "states:StartExecution",
      Resource: args.caseStateMachineArn,
    },
    DELIVER_EXECUTION_LOGS,
  );
}

/** The PagerDuty connection: its ARN and the secret EventBridge keeps its parameters in. */
export interface PagerDutyConnection {
  connectionArn: string;
  secretArn: string;
}

/**
 * The case workflow's role: read and update cases in its region's replica, post in the cases'
 * threads (the alert topic and the route topics), tell the operations topic when an escalation fails, email the
 * escalation topic, and call PagerDuty's Events API, and nothing else, through its connection.
 */
export function caseRolePolicy(args: {
  alert: EncryptedTopic;
  ops: EncryptedTopic;
  /** The topics of the owning teams' routes in the workflow's region: a case's posts follow its routes. */
  routeTopicArns?: readonly string[];
  escalation?: EncryptedTopic;
  tableArn: string;
  pagerDuty?: PagerDutyConnection;
}): PolicyDocument {
  const topics = [args.alert, ...routeTopics(args), args.ops, ...(args.escalation ? [args.escalation] : [])];
  const pagerDuty: PolicyStatement[] = args.pagerDuty
    ? [
        // The Service Authorization Reference lists InvokeHTTPEndpoint with no resource type (AWS CDK's
        // HttpInvoke grants it on "*" too): the conditions keep it to PagerDuty's endpoint, by POST.
        {
          Sid: "CallPagerDuty",
          Effect: "Allow",
          Action: "states:InvokeHTTPEndpoint",
          Resource: "*",
          Condition: {
            StringEquals: { "states:HTTPMethod": "POST", "states:HTTPEndpoint": PAGERDUTY_EVENTS_URL },
          },
        },
        {
          Sid: "UsePagerDutyConnection",
          Effect: "Allow",
          Action: "events:RetrieveConnectionCredentials",
          Resource: args.pagerDuty.connectionArn,
        },
        {
          Sid: "ReadPagerDutyRoutingKey",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: args.pagerDuty.secretArn,
        },
      ]
    : [];
  return policy(
    {
      Sid: "KeepCases",
      Effect: "Allow",
      Action: ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      Resource: args.tableArn,
    },
    ...publishTo("PostAndEscalate", topics),
    ...pagerDuty,
    DELIVER_EXECUTION_LOGS,
  );
}

/**
 * The Acknowledge button's command, `states start-execution` of a case workflow, as the Slack
 * channel's role policy and guardrail: starting the case workflows, nothing more.
 */
export function chatbotAcknowledgePolicy(caseStateMachineArns: readonly string[]): PolicyDocument {
  return policy({
    Sid: "AcknowledgeCases",
    Effect: "Allow",
    Action: "states:StartExecution",
    Resource: [...caseStateMachineArns],
  });
}

/** Step Functions, acting for the central account, assumes the workflow's role. */
export function stepFunctionsTrustPolicy(centralAccountId: string): PolicyDocument {
  return serviceTrustPolicy("states.amazonaws.com", {
    StringEquals: { "aws:SourceAccount": centralAccountId },
  });
}

/** The central rules' role: start the notify workflow of its region, nothing else. */
export function startExecutionPolicy(stateMachineArn: string): PolicyDocument {
  return policy({
    Sid: "StartNotifyWorkflow",
    Effect: "Allow",
    Action: "states:StartExecution",
    Resource: stateMachineArn,
  });
}

/**
 * The directory role in the management account: assumed only by the notify workflows' roles, for
 * their own state machines (Step Functions passes the state machine's ARN as the external ID).
 */
export function directoryTrustPolicy(
  workflowRoleArns: readonly string[],
  stateMachineArns: readonly string[],
): PolicyDocument {
  return policy({
    Effect: "Allow",
    Principal: { AWS: [...workflowRoleArns] },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": [...stateMachineArns] } },
  });
}

/** What the lookups read: an account's name, email, OU path and tags, and its SECURITY contact. */
export function directoryRolePolicy(): PolicyDocument {
  return policy({
    Sid: "ReadAccountContext",
    Effect: "Allow",
    Action: [
      "organizations:DescribeAccount",
      "organizations:ListParents",
      "organizations:DescribeOrganizationalUnit",
      "organizations:ListTagsForResource",
      "account:GetAlternateContact",
    ],
    Resource: "*",
  });
}

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

const policy = (...statements: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

const accountRoot = (accountId: string) => `arn:aws:iam::${accountId}:root`;

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
export function serviceTrustPolicy(service: string): PolicyDocument {
  return policy({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
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

/**
 * Only one AWS service, acting for the central account, publishes to a topic: EventBridge rules
 * to the alert topic, CloudWatch alarms to the operations topic.
 */
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

/**
 * The topic's customer managed key. AWS services that publish to an encrypted topic need
 * kms:GenerateDataKey* and kms:Decrypt on it (the AWS managed aws/sns key cannot grant them).
 */
export function topicKeyPolicy(centralAccountId: string, publishers: readonly string[]): PolicyDocument {
  return policy(
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: accountRoot(centralAccountId) },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "AwsServicesPublishToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: [...publishers] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
    },
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

/**
 * ARNs as AWS writes them, in the commercial partition (every region the config accepts): the
 * program, the policies, the offline twins in sim/ and the commands all build them here.
 */

const arn = (service: string, region: string, accountId: string, resource: string) =>
  `arn:aws:${service}:${region}:${accountId}:${resource}`;

export const eventBusArn = (region: string, accountId: string, busName: string) =>
  arn("events", region, accountId, `event-bus/${busName}`);

/** A rule on the default bus, or on a custom bus, whose name is then part of the ARN. */
export const eventRuleArn = (region: string, accountId: string, ruleName: string, busName = "default") =>
  arn("events", region, accountId, `rule/${busName === "default" ? "" : `${busName}/`}${ruleName}`);

export const eventArchiveArn = (region: string, accountId: string, archiveName: string) =>
  arn("events", region, accountId, `archive/${archiveName}`);

export const queueArn = (region: string, accountId: string, queueName: string) =>
  arn("sqs", region, accountId, queueName);

export const queueUrl = (region: string, accountId: string, queueName: string) =>
  `https://sqs.${region}.amazonaws.com/${accountId}/${queueName}`;

export const topicArn = (region: string, accountId: string, topicName: string) =>
  arn("sns", region, accountId, topicName);

export const roleArn = (accountId: string, roleName: string) => arn("iam", "", accountId, `role/${roleName}`);

export const policyArn = (accountId: string, policyName: string) =>
  arn("iam", "", accountId, `policy/${policyName}`);

export const accountRootArn = (accountId: string) => arn("iam", "", accountId, "root");

export const stateMachineArn = (region: string, accountId: string, name: string) =>
  arn("states", region, accountId, `stateMachine:${name}`);

/** An execution of a state machine, by its name. */
export const executionArn = (stateMachine: string, executionName: string) =>
  `${stateMachine.replace(":stateMachine:", ":execution:")}:${executionName}`;

export const logGroupArn = (region: string, accountId: string, logGroupName: string) =>
  arn("logs", region, accountId, `log-group:${logGroupName}`);

export const keyArn = (region: string, accountId: string, keyId: string) =>
  arn("kms", region, accountId, `key/${keyId}`);

export const stackArn = (region: string, accountId: string, stackName: string, stackId: string) =>
  arn("cloudformation", region, accountId, `stack/${stackName}/${stackId}`);

export const tableArn = (region: string, accountId: string, tableName: string) =>
  arn("dynamodb", region, accountId, `table/${tableName}`);

/** Chatbot configurations are global: no region in their ARN. */
export const chatConfigurationArn = (
  accountId: string,
  kind: "slack-channel" | "microsoft-teams-channel",
  name: string,
) => arn("chatbot", "", accountId, `chat-configuration/${kind}/${name}`);

/** Chatbot custom actions are global too. */
export const customActionArn = (accountId: string, actionName: string) =>
  arn("chatbot", "", accountId, `custom-action/${actionName}`);

/** An EventBridge connection; AWS adds a suffix to the name in the real ARN. */
export const connectionArn = (region: string, accountId: string, name: string) =>
  arn("events", region, accountId, `connection/${name}`);

/** Every version of a StackSet (its ARN ends in `:<stack set ID>`), as IAM policies name it. */
export const stackSetArnPattern = (region: string, accountId: string, stackSetName: string) =>
  arn("cloudformation", region, accountId, `stackset/${stackSetName}:*`);

/** Any KMS key of an account in a region, as IAM policies name it. */
export const anyKeyArn = (region: string, accountId: string) => arn("kms", region, accountId, "key/*");

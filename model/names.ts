import { eventBusArn, roleArn, stateMachineArn, topicArn } from "./arns";

/** Physical names shared by the program, the doctor and the test-event command. */

/** Account Management's service principal: the SECURITY contacts need trusted access for it. */
export const ACCOUNT_MANAGEMENT_PRINCIPAL = "account.amazonaws.com";

/** Turns that trusted access on, run from the management account. */
export const ENABLE_ACCOUNT_MANAGEMENT = `aws organizations enable-aws-service-access --service-principal ${ACCOUNT_MANAGEMENT_PRINCIPAL}`;

/** The custom event bus in the central account, in every configured region. */
export const CENTRAL_BUS_NAME = "abuse-alerts";

/** The forwarding rule on each member account's default bus. */
export const FORWARDER_RULE_NAME = "abuse-alerts-forward";

/** The role each member account's rule uses to put events on the central bus (IAM is global). */
export const FORWARDER_ROLE_NAME = "abuse-alerts-forwarder";

/** Each member account's dead-letter queue for the forwarding rule, per region. */
export const FORWARDER_DLQ_NAME = "abuse-alerts-forwarder-dlq";

/** The central rules' dead-letter queues, one per rule, e.g. abuse-alerts-abuse-dlq. */
export function centralDlqName(ruleKey: string): string {
  return `abuse-alerts-${ruleKey}-dlq`;
}

/** The topic the notify workflow publishes the alerts to, in every hub region. */
export const ALERT_TOPIC_NAME = "abuse-alerts";

/** The Chatbot configuration of the security team's Slack channel. */
export const CHATBOT_CONFIGURATION_NAME = "abuse-alerts";
/** Where Chatbot logs a channel configuration's deliveries (with logging on): us-east-1, whatever the topic's region. */
export const CHATBOT_LOG_GROUP = `/aws/chatbot/${CHATBOT_CONFIGURATION_NAME}`;

/** The topic that carries alarms about the alert path itself (failed invocations, DLQ depth). */
export const OPS_TOPIC_NAME = "abuse-alerts-ops";

/** Chatbot's API is not served from us-east-1; us-west-2 is one of its four API regions. */
export const CHATBOT_API_REGION = "us-west-2";

export function centralBusArn(region: string, centralAccountId: string): string {
  return eventBusArn(region, centralAccountId, CENTRAL_BUS_NAME);
}

/** The service-managed StackSet that deploys the forwarder to the member accounts. */
export const STACKSET_NAME = "abuse-alerts-forwarder";

/**
 * The StackSet's own names, distinct from the direct forwarder's: while a stack switches mode both
 * exist for a moment, and EventBridge's PutRule is an upsert, so one name would let the old
 * forwarder's deletion take the new one's rule with it.
 */
export const STACKSET_RULE_NAME = "abuse-alerts-stackset-forward";
export const STACKSET_DLQ_NAME = "abuse-alerts-stackset-dlq";

/** IAM is global and each region's stack of an account creates its own role: the region keeps them apart. */
export function stackSetRoleName(region: string): string {
  return `abuse-alerts-stackset-${region}`;
}

/** In the StackSet's account: the rule that forwards its stack instance failures to the central bus. */
export const STACKSET_FAILURES_RULE_NAME = "abuse-alerts-stackset-failures";
export const STACKSET_FAILURES_ROLE_NAME = "abuse-alerts-stackset-failures";
export const STACKSET_FAILURES_DLQ_NAME = "abuse-alerts-stackset-failures-dlq";

/** The Standard state machine that turns every central event into a Slack message, in each hub region. */
export const NOTIFY_STATE_MACHINE_NAME = "abuse-alerts-notify";

export function notifyStateMachineArn(region: string, centralAccountId: string): string {
  return stateMachineArn(region, centralAccountId, NOTIFY_STATE_MACHINE_NAME);
}

/** The workflow's role in a region (IAM is global: one per region). */
export function notifyRoleName(region: string): string {
  return `abuse-alerts-notify-${region}`;
}

/** The role the central rules start the workflow with, in a region. */
export function eventsRoleName(region: string): string {
  return `abuse-alerts-events-${region}`;
}

/** In the management account: the role the workflow's lookups run as (Organizations, Account Management). */
export const DIRECTORY_ROLE_NAME = "abuse-alerts-directory";

/** The directory role in the management account, which the workflows' lookups run as. */
export const directoryRoleArn = (managementAccountId: string): string =>
  roleArn(managementAccountId, DIRECTORY_ROLE_NAME);

/** The Standard state machine that follows each abuse case to its reply-by, and settles acknowledgements, in each hub region. */
export const CASE_STATE_MACHINE_NAME = "abuse-alerts-case";

export function caseStateMachineArn(region: string, centralAccountId: string): string {
  return stateMachineArn(region, centralAccountId, CASE_STATE_MACHINE_NAME);
}

/** The case workflow's role in a region. */
export function caseRoleName(region: string): string {
  return `abuse-alerts-case-${region}`;
}

/** The topic whose email subscribers hear of an abuse case whose reply-by passed, in every hub region. */
export const ESCALATION_TOPIC_NAME = "abuse-alerts-escalation";

/** The EventBridge connection holding the PagerDuty routing key, in every hub region. */
export const PAGERDUTY_CONNECTION_NAME = "abuse-alerts-pagerduty";

/** PagerDuty's Events API v2: one endpoint for trigger, acknowledge and resolve. */
export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** The Chatbot custom action behind the Acknowledge button (account-wide: Chatbot has no regions). */
export const ACKNOWLEDGE_ACTION_NAME = "abuse-alerts-acknowledge";

/** The channel's permission to run the Acknowledge button's command, as role policy and guardrail. */
export const ACKNOWLEDGE_POLICY_NAME = "abuse-alerts-chatbot-acknowledge";

/**
 * An owning team's route: its topic in every hub region, its Chatbot channel configuration and
 * that configuration's role all bear this name (distinct from abuse-alerts-ops, whatever the route's).
 */
export const routeResourceName = (route: string) => `abuse-alerts-route-${route}`;

/** A route's topic in a region, which that region's notify workflow publishes to. */
export const routeTopicArn = (region: string, centralAccountId: string, route: string) =>
  topicArn(region, centralAccountId, routeResourceName(route));

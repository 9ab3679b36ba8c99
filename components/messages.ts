import { Category } from "../config/schema";
import { InputTransformer } from "../eventbridge/transformer";

/**
 * Chatbot custom notifications built by an EventBridge input transformer (no Lambda).
 *
 * EventBridge inserts a value inside quotes without escaping it, so free text (AWS's description,
 * with its quotes and newlines) only ever stands alone as a JSON value, where EventBridge quotes
 * and escapes it. Inside quoted text go only values AWS writes without quotes or newlines: IDs,
 * codes, ARNs, times, status. The template holds no other angle brackets: EventBridge reads
 * every `<…>` as a placeholder, so Slack's `<url|label>` links cannot be used.
 */

/** Where each value comes from in an AWS Health event. */
export const MESSAGE_INPUT_PATHS: Record<string, string> = {
  id: "$.id",
  account: "$.account",
  region: "$.region",
  resources: "$.resources",
  // Wildcards are documented for input paths; inside quotes the list loses its quotes, so it stays valid JSON.
  entities: "$.detail.affectedEntities[*].entityValue",
  eventArn: "$.detail.eventArn",
  code: "$.detail.eventTypeCode",
  status: "$.detail.statusCode",
  eventRegion: "$.detail.eventRegion",
  startTime: "$.detail.startTime",
  updated: "$.detail.lastUpdatedTime",
  description: "$.detail.eventDescription[0].latestDescription",
};

/**
 * Where AWS's abuse team sent the report: the account's SECURITY alternate contact, else its root
 * address (https://repost.aws/knowledge-center/aws-abuse-report).
 */
export function replyStep(securityContactEmail: string | undefined): string {
  const where = securityContactEmail
    ? `sent to the security contact ${securityContactEmail}`
    : "sent to the account's root email address, as no security contact is set: set abuse-alerts:securityContact";
  return (
    `Reply to the abuse report email (${where}) in English, within 24 hours, with the corrective actions. ` +
    "Reply even while still investigating, and explain your use case if the activity is legitimate."
  );
}

/** AWS's advice for abuse reports: contain, find the cause, answer in time, to the address the report went to. */
export function abuseNextSteps(securityContactEmail: string | undefined): string[] {
  return [
    "Isolate the affected resources: restrict their security groups to what they must reach; snapshot, then stop, the instances involved.",
    "Find the cause: SSH or RDP open to 0.0.0.0/0, an open mail relay or proxy, a compromised application or credentials, content users uploaded.",
    replyStep(securityContactEmail),
  ];
}

/** AWS's advice for exposed or compromised credentials. */
export const RISK_NEXT_STEPS = [
  "Find the exposed access key or user in CloudTrail (Event history, every region) and what it was used for.",
  "Deactivate, then delete, the exposed keys and rotate every credential of that user; keep AWS's quarantine policy attached until then.",
  "Remove IAM users, roles, keys and resources you do not recognize (instances, Lambda functions, spot requests) in every region.",
  "Turn on MFA for the root user and every IAM user with console access.",
  "Answer the AWS Support case about this event once the account is clean.",
];

const TITLES: Record<Category, { emoji: string; noun: string }> = {
  abuse: { emoji: ":rotating_light:", noun: "AWS abuse report" },
  risk: { emoji: ":closed_lock_with_key:", noun: "AWS account risk" },
};

const URGENCY: Record<Category, string> = {
  abuse:
    ":alarm_clock: *Reply within 24 hours* of the report (started <startTime>), or AWS may block the resources or suspend account <account>.",
  risk: ":alarm_clock: *Act now*: whoever found the credentials can use them until they are deactivated.",
};

// Marks a value that stands alone as a JSON value; replaced by the bare placeholder after serialization.
const standalone = (name: string) => `\u0000${name}\u0000`;
const templateOf = (message: object) =>
  JSON.stringify(message).replace(/"\\u0000([A-Za-z]+)\\u0000"/g, "<$1>");

/** The transformer of a central rule: one category, real events or test events. */
export function messageTransformer(
  category: Category,
  options: { test: boolean; securityContactEmail?: string },
): InputTransformer {
  const { emoji, noun } = TITLES[category];
  const title = `${emoji} ${noun} <code> in account <account> (<region>)`;
  const steps = category === "abuse" ? abuseNextSteps(options.securityContactEmail) : RISK_NEXT_STEPS;
  const message = {
    version: "1.0",
    source: "custom",
    id: standalone("id"),
    content: {
      textType: "client-markdown",
      title: options.test ? `TEST :test_tube: ${title}` : title,
      description: standalone("description"),
      nextSteps: [
        ...(options.test
          ? [
              "*This is a test* sent with npm run send-test-event: nothing to do. A real alert looks exactly like this.",
            ]
          : []),
        URGENCY[category],
        "*Status* <status> | *started* <startTime> | *updated* <updated> | *event region* <eventRegion>",
        "*Affected* <entities>",
        "*AWS Health Dashboard* (signed in to account <account>): https://health.aws.amazon.com/health/home#/account/event-log?eventID=<eventArn>&eventTab=details",
        ...steps,
      ],
      keywords: [options.test ? "test" : category, standalone("code"), standalone("account")],
    },
    metadata: {
      // Account and event identify an event: updates and duplicate deliveries share a thread.
      threadId: "<account>/<eventArn>",
      summary: `${options.test ? "TEST " : ""}${noun} <code> in account <account>`,
      eventType: standalone("code"),
      relatedResources: standalone("resources"),
      additionalContext: {
        account: standalone("account"),
        eventArn: standalone("eventArn"),
        statusCode: standalone("status"),
        startTime: standalone("startTime"),
      },
    },
  };
  return { inputPaths: MESSAGE_INPUT_PATHS, inputTemplate: templateOf(message) };
}

/**
 * A coverage alert: a stack instance of the forwarder StackSet failed, so an account (named in
 * the stack ID) forwards nothing in that region. AWS's reason stands alone as a JSON value.
 */
export function coverageTransformer(): InputTransformer {
  const message = {
    version: "1.0",
    source: "custom",
    id: standalone("id"),
    content: {
      textType: "client-markdown",
      title: ":warning: abuse-alerts: an account is not covered (stack instance <status>)",
      description:
        "The forwarder StackSet could not deploy to an account, so abuse reports there reach nobody. Stack instance: <stackId> (action <action>, status <status>).",
      nextSteps: [
        standalone("reason"),
        "Find the account and region in the stack ID above; npm run coverage lists every account without a forwarder, with the fix.",
        "An explicit deny in a service control policy: exempt the role stacksets-exec-* (ArnNotLike aws:PrincipalArn) or move the account; then rerun pulumi up.",
        "SKIPPED_SUSPENDED_ACCOUNT: the account is suspended; it is deployed to when reinstated.",
      ],
      keywords: ["coverage", standalone("status")],
    },
    metadata: {
      threadId: "coverage/<stackId>",
      summary: "abuse-alerts: an account is not covered",
      eventType: "StackInstanceFailed",
      additionalContext: { stackSetArn: standalone("stackSet"), status: standalone("status") },
    },
  };
  return {
    inputPaths: {
      id: "$.id",
      stackId: "$.detail.stack-id",
      stackSet: "$.detail.stack-set-arn",
      action: "$.detail.action",
      status: "$.detail.status-details.detailed-status",
      reason: "$.detail.status-details.status-reason",
    },
    inputTemplate: templateOf(message),
  };
}

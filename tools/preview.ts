import { relative } from "node:path";
import { CallAs } from "../model/stackset-targets";
import { CustomNotification, parseCustomNotification } from "../notify/notification";
import { renderForSlack } from "./render-slack";
import { topicArn } from "../model/arns";
import {
  ALERT_TOPIC_NAME,
  caseStateMachineArn,
  notifyStateMachineArn,
  OPS_TOPIC_NAME,
  routeResourceName,
} from "../model/names";
import { forwarderPattern } from "../model/patterns";
import { CentralRule, centralRules } from "../model/rules";
import { AbuseAlertsConfig, CATEGORIES, GLOBAL_EVENTS_REGION } from "../config/schema";
import { matchesPattern } from "../sim/eventbridge";
import { UserError } from "../lib/errors";
import { paragraph, renderTable } from "../lib/tables";
import { ID_TYPO, suggestion } from "../lib/suggest";
import { readJsonFile } from "../lib/json-file";
import { fileCaller, readOrganizationFile } from "../accounts/org-file";
import {
  AccountContexts,
  contextHandler,
  contextsFromOrganization,
  readAccountContexts,
} from "../sim/account-context";
import { PreviewOptions, previewMessageOptions } from "./preview-options";
import { caseTimeline, renderTimeline } from "./timeline";
import { notifyDefinition } from "../notify/definition";
import { messageOptions } from "../notify/message";
import { unseenCaseHandler } from "../sim/dynamodb";
import { aloneInItsWindow } from "../sim/stackset";
import { ExecutionResult, runStateMachine, TaskHandler } from "../sim/step-functions";
import { decodeTeamsChannelId, RouteConfig } from "../config/routes";
import { routeTargetsIn } from "../model/routes";

type Event = Record<string, unknown>;

export type { PreviewOptions };
export { previewMessageOptions };

/** One SNS publish of the workflow: the topic, and the message as published there. */
export interface Post {
  topicArn: string;
  message: string;
}

export interface EventPreview {
  /** Whether member accounts forward the event. */
  forwarded: boolean;
  /** The central rules that start the workflow for it. */
  rules: CentralRule[];
  execution?: ExecutionResult;
  /** What the workflow publishes to the central topic, verbatim. */
  message?: string;
  /** Every publish, the central one first, then each matching route's. */
  posts?: Post[];
  notification?: CustomNotification;
  /** Why nothing valid would reach Slack, when it would not. */
  error?: string;
}

const TOPIC = (account: string) => topicArn(GLOBAL_EVENTS_REGION, account, ALERT_TOPIC_NAME);

/**
 * What the security team would see for an event: the central rules that take it, and the message
 * the notify workflow publishes, from the same state machine definition and JSONata, run offline.
 */
export async function previewEvent(event: Event, options: PreviewOptions = {}): Promise<EventPreview> {
  const categories = options.categories ?? CATEGORIES;
  const forwarded = matchesPattern(forwarderPattern(categories), event as never);
  const rules = centralRules(categories, { coverage: options.coverage ?? true }).filter((rule) =>
    matchesPattern(rule.pattern, event as never),
  );
  if (rules.length === 0) return { forwarded, rules };
  const central = options.centralAccountId ?? "111111111111";
  const directoryAccountId = options.directoryAccountId ?? "100000000001";
  const region = typeof event.region === "string" ? event.region : GLOBAL_EVENTS_REGION;
  const definitionRoutes = routeTargetsIn(GLOBAL_EVENTS_REGION, central, options.routes ?? []);
  const definition = notifyDefinition({
    topicArn: TOPIC(central),
    opsTopicArn: topicArn(region, central, OPS_TOPIC_NAME),
    caseStateMachineArn: caseStateMachineArn(region, central),
    directoryAccountId,
    message: previewMessageOptions(options),
    routes: definitionRoutes,
  });
  const posts: Post[] = [];
  const sampleHandler = contextHandler(options.contexts ?? {}, {
    directoryAccountId,
    published: (text, topicArn) => posts.push({ topicArn, message: text }),
  });
  const lookups = options.handler ?? sampleHandler;
  // The first post of a new case: the table knows nothing of it yet. A failed stack instance: alone in its window.
  const alone = aloneInItsWindow(event);
  const handler: TaskHandler = (call) =>
    call.resource.endsWith(":sns:publish")
      ? sampleHandler(call)
      : (alone(call) ?? unseenCaseHandler(call) ?? lookups(call));
  const execution = await runStateMachine(definition, event, {
    handler,
    now: options.now ?? new Date(),
    stateMachineArn: notifyStateMachineArn(region, central),
  });
  // The Map publishes to its targets at once: the central post first, then the routes' in config order.
  const order = [TOPIC(central), ...definitionRoutes.map((route) => route.topicArn)];
  posts.sort((left, right) => order.indexOf(left.topicArn) - order.indexOf(right.topicArn));
  const message = posts.find((post) => post.topicArn === TOPIC(central))?.message;
  if (execution.status !== "SUCCEEDED" || message === undefined) {
    return {
      forwarded,
      rules,
      execution,
      error: `the workflow ${execution.status === "FAILED" ? `failed: ${execution.error?.Error}: ${execution.error?.Cause}` : "published nothing"}`,
    };
  }
  try {
    posts.forEach((post) => parseCustomNotification(post.message));
    return { forwarded, rules, execution, message, posts, notification: parseCustomNotification(message) };
  } catch (error) {
    return { forwarded, rules, execution, message, posts, error: (error as Error).message };
  }
}

/** The preview options a stack's config gives, with sample context and the management account. */
export function stackPreviewOptions(
  config: AbuseAlertsConfig,
  contexts: AccountContexts,
  directoryAccountId: string | undefined,
  stackSetCallAs: CallAs,
): PreviewOptions {
  return {
    ...messageOptions(config, stackSetCallAs),
    escalation: { emails: config.escalation.emails, pagerDuty: config.escalation.pagerDuty !== undefined },
    categories: config.categories,
    coverage: config.deployment === "stackset",
    centralAccountId: config.centralAccountId,
    directoryAccountId,
    contexts,
    channelId: config.slack.channelId,
    workspaceId: config.slack.workspaceId,
    routes: config.routes,
  };
}

/** An event from a JSON file, or a message that says why it cannot be read. */
export function readEventFile(path: string): Event {
  const event = readJsonFile(path, "the event", { unreadable: "check the event file's path" });
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new UserError(
      `the event ${path} is not an EventBridge event: a JSON object with source, detail-type and detail`,
    );
  }
  return event as Event;
}

/** Why no central rule of a stack with these options takes the event. */
function unpostedReason(event: Event, options: PreviewOptions, forwarded: boolean): string {
  const configured = options.categories ?? CATEGORIES;
  const other = centralRules(CATEGORIES, { coverage: true }).find((rule) =>
    matchesPattern(rule.pattern, event as never),
  );
  if (other?.category && !configured.includes(other.category)) {
    return `it is ${other.test ? "a test" : "an AWS Health"} ${other.category} event, and this stack's abuse-alerts:categories is [${configured.join(", ")}]: add ${other.category} to post such events`;
  }
  if (other && options.coverage === false) {
    return "it is a coverage notice of the forwarder StackSet, which only a stack with abuse-alerts:deployment stackset posts (this one is direct)";
  }
  const detailed = (event.detail as { "status-details"?: { "detailed-status"?: string } } | undefined)?.[
    "status-details"
  ]?.["detailed-status"];
  if (detailed === "CANCELLED") {
    return "a cancelled stack instance is counted in its operation's summary, not posted on its own";
  }
  if (detailed === "SKIPPED_SUSPENDED_ACCOUNT") {
    return "a suspended account the StackSet skipped is never posted: npm run coverage lists it";
  }
  return forwarded
    ? "member accounts forward it, but no central rule posts it (a later page of a paged event is not posted again)"
    : "it is neither an AWS Health abuse or risk event (source aws.health, or abuse-alerts.test for tests) nor a failed operation or stack instance of the forwarder StackSet, so no rule takes it";
}

export interface RenderedPreview {
  text: string;
  /** Whether a rule takes the event and the workflow publishes a valid Chatbot notification. */
  posted: boolean;
  /** Whether a rule takes the event but what the workflow makes of it would not reach Slack. */
  invalid: boolean;
}

/** When EventBridge received the event: its `time`, when it has a valid one. */
function receivedAt(event: Event): Date | undefined {
  const time = typeof event.time === "string" ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

/**
 * When a preview runs the workflow: at `now` when given, else when the event arrived (its `time`),
 * as the workflow does, seconds after; today only for an event without a time. Counted from today,
 * every sample would read days overdue.
 */
export function previewTime(event: Event, now: Date | undefined): Date {
  const received = receivedAt(event);
  if (now && received && now < received) {
    throw new UserError(
      `--now ${now.toISOString()} is before the event's time ${String(event.time)}: the workflow runs once the event has arrived. Give a --now after it, or leave --now out for the time it arrived.`,
    );
  }
  return now ?? received ?? new Date();
}

/** The preview as text, and whether a valid message would be posted. */
export async function renderPreview(event: Event, options: PreviewOptions = {}): Promise<RenderedPreview> {
  const preview = await previewEvent(event, { ...options, now: previewTime(event, options.now) });
  if (preview.rules.length === 0) {
    const reason = unpostedReason(event, options, preview.forwarded);
    return {
      text: paragraph(`Nothing would be posted: ${reason}.`),
      posted: false,
      invalid: false,
    };
  }
  const rules = preview.rules.map((rule) => rule.name).join(", ");
  // A coverage notice is posted once; an abuse report or risk notice is a case.
  const timeline =
    preview.notification && event.source !== "aws.cloudformation"
      ? ["", renderTimeline(await caseTimeline(event, { ...options, now: previewTime(event, options.now) }))]
      : [];
  const text = [
    paragraph(`Rule ${rules} on the central bus starts the notify workflow, which publishes:`),
    preview.notification
      ? renderForSlack(preview.notification, options.channelId)
      : `INVALID: ${preview.error ?? ""}`,
    ...timeline,
    "",
    ...channelsSection(preview, options),
    "SNS message (what Chatbot receives):",
    preview.notification && preview.message
      ? JSON.stringify(JSON.parse(preview.message), null, 2)
      : (preview.message ?? "(none)"),
  ].join("\n");
  const posted = preview.notification !== undefined;
  return { text, posted, invalid: !posted };
}

/** Where a route posts, as a person finds the channel. */
export function routeChannelLabel(route: RouteConfig, centralWorkspaceId?: string): string {
  const { channel } = route;
  if (channel.kind === "teams") {
    return `Microsoft Teams channel ${decodeTeamsChannelId(channel.channelId)} (team ${channel.teamId})`;
  }
  const elsewhere = channel.workspaceId !== centralWorkspaceId ? ` in workspace ${channel.workspaceId}` : "";
  return `Slack channel ${channel.channelId}${elsewhere}`;
}

/** With routes, which channels get the post, and the line that opens it in each. */
function channelsSection(preview: EventPreview, options: PreviewOptions): string[] {
  const routes = options.routes ?? [];
  if (routes.length === 0 || !preview.posts) return [];
  const opening = (post: Post) => parseCustomNotification(post.message).content.description.split("\n")[0];
  const rows = preview.posts.map((post, index) => {
    if (index === 0) {
      return [
        `Slack channel ${options.channelId ?? "(abuse-alerts:slack.channelId)"}`,
        "(central)",
        opening(post),
      ];
    }
    const route = routes.find((candidate) => post.topicArn.endsWith(`:${routeResourceName(candidate.name)}`));
    return route
      ? [routeChannelLabel(route, options.workspaceId), route.name, opening(post)]
      : [post.topicArn, "", opening(post)];
  });
  const count = preview.posts.length;
  return [
    paragraph(
      `Posted to ${count} channel${count === 1 ? "" : "s"}, the same message opening with a line of its own in each, ` +
        `by the account's OUs, tags and ID as the lookups found them (${routes.length} route${routes.length === 1 ? "" : "s"} configured):`,
    ),
    renderTable(["Channel", "Route", "Opens with"], rows),
    "",
  ];
}

export interface PreviewMessageOptions {
  /** The stack's config, when it has a stack file; none: defaults. */
  config?: AbuseAlertsConfig;
  /** An organization file whose names, OUs, emails and tags the lookups find. */
  org: string;
  /** An account context file, instead of the organization. */
  accountContext?: string;
  /** The account the event is previewed as coming from, instead of its own. */
  account?: string;
  /** When the workflow runs; when the event arrived (its `time`) by default. */
  now?: Date;
}

const HEALTH_SOURCES = ["aws.health", "abuse-alerts.test"];

/**
 * The event as if it were about another account, where the workflow reads the account: a Health
 * (or test) event's `account` and `detail.affectedAccount` (the impacted account, read first); a
 * coverage notice's stack ARN (its `account` stays the StackSet's own); any other event's `account`.
 */
export function asFromAccount(event: Event, accountId: string): Event {
  const moved = structuredClone(event);
  const detail = isRecord(moved.detail) ? moved.detail : undefined;
  const stack = detail?.["stack-id"];
  if (moved.source === "aws.cloudformation" && detail && typeof stack === "string") {
    detail["stack-id"] = stack.replace(/^(arn:[^:]*:cloudformation:[^:]*:)\d{12}:/, `$1${accountId}:`);
    return moved;
  }
  moved.account = accountId;
  if (detail && HEALTH_SOURCES.includes(String(moved.source))) detail.affectedAccount = accountId;
  return moved;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

interface SampleContext {
  contexts: AccountContexts;
  /** Where the context comes from, for messages. */
  source: string;
  management?: string;
  callAs: CallAs;
}

/** What the lookups find: an account context file, or the organization file. */
function sampleContext(options: PreviewMessageOptions): SampleContext {
  if (options.accountContext) {
    return {
      contexts: readAccountContexts(options.accountContext),
      source: `the account context ${relative(process.cwd(), options.accountContext)}`,
      callAs: "SELF",
    };
  }
  const organization = readOrganizationFile(options.org);
  const management = organization.organization.managementAccountId;
  return {
    contexts: contextsFromOrganization(organization, options.config?.securityContact),
    source: `the organization file ${relative(process.cwd(), options.org)}`,
    management,
    // Whoever the organization file says runs the program administers the StackSet.
    callAs: fileCaller(organization).accountId === management ? "SELF" : "DELEGATED_ADMIN",
  };
}

/** What `npm run preview-message` prints for an event file, and whether it would be posted. */
export async function previewMessage(file: string, options: PreviewMessageOptions): Promise<RenderedPreview> {
  const read = readEventFile(file);
  const event = options.account ? asFromAccount(read, options.account) : read;
  const { config, account } = options;
  const { contexts, source, management, callAs } = sampleContext(options);
  const previewOptions = config
    ? stackPreviewOptions(config, contexts, management, callAs)
    : { contexts, directoryAccountId: management };
  const now = previewTime(event, options.now);
  const rendered = await renderPreview(event, { ...previewOptions, now });
  if (!rendered.posted && !rendered.invalid) return rendered;
  const notes = [
    paragraph(
      `Processed at ${now.toISOString()}${options.now ? "" : receivedAt(event) ? ", when the event arrived (--now for another time)" : " (the event has no time; --now to set one)"}.`,
    ),
  ];
  if (account && !contexts[account]) {
    notes.push(
      paragraph(
        `Account ${account} is not in ${source}${suggestion(Object.keys(contexts), account, ID_TYPO)}: its lookups fail, as they would for an account outside the organization.`,
      ),
    );
  }
  return { ...rendered, text: [...notes, rendered.text].join("\n") };
}

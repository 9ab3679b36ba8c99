import { CallAs } from "../model/stackset-targets";
import { Category } from "../config/schema";
import { RouteConfig } from "../config/routes";
import { DEFAULT_ACCOUNT_TAGS, DEFAULT_REMINDERS } from "../config/defaults";
import { escalationTargets, MessageOptions } from "../notify/message";
import { AccountContexts } from "../sim/account-context";
import { TaskHandler } from "../sim/step-functions";

/** How a preview runs the workflows: the stack's settings, what the lookups find, when. */
export interface PreviewOptions {
  categories?: readonly Category[];
  /** Whether the stack posts coverage notices (stackset mode). */
  coverage?: boolean;
  centralAccountId?: string;
  /** The account the lookups run in: the management account. */
  directoryAccountId?: string;
  accountTags?: readonly string[];
  /** Whether the stack sets the SECURITY contact, which changes what a message asks for. */
  securityContactConfigured?: boolean;
  /** How the StackSet is administered; SELF (from the management account) unless said. */
  stackSetCallAs?: CallAs;
  /** What the lookups find, by account; none: every lookup fails, and the message says so. */
  contexts?: AccountContexts;
  /** Answers the workflow's tasks instead of sample context (send-test-event, tests). */
  handler?: TaskHandler;
  /** When the workflow runs: the "hours left" are counted from it; renderPreview defaults it to the event's arrival. */
  now?: Date;
  /** The Slack channel the stack posts to, shown on the rendering, and its workspace. */
  channelId?: string;
  workspaceId?: string;
  /** Owning teams' routes: the workflow also posts to each that matches the account. */
  routes?: readonly RouteConfig[];
  /** Hours before the reply-by at which an abuse case is reminded; [6, 1] unless said. */
  reminders?: readonly number[];
  /** Who hears of an overdue case besides the channel; nobody unless said. */
  escalation?: { emails: readonly string[]; pagerDuty: boolean };
}

/** The message options a preview's options give. */
export function previewMessageOptions(options: PreviewOptions): MessageOptions {
  return {
    accountTags: options.accountTags ?? DEFAULT_ACCOUNT_TAGS,
    securityContactConfigured: options.securityContactConfigured ?? false,
    stackSetCallAs: options.stackSetCallAs ?? "SELF",
    reminders: options.reminders ?? DEFAULT_REMINDERS,
    escalatedTo: escalationTargets(options.escalation ?? { emails: [] }),
  };
}

import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { STATE_TABLE_NAME, UPDATE_PREFIX } from "../model/state-table";
import { Catcher, jsonata, literal, State } from "./asl";
import {
  CASE_KEY,
  CASE_STATE,
  CONDITION_FAILED,
  EXPIRES,
  NOW,
  OWN_CASE_KEY,
  putOnce,
  QUICK_RETRY,
  readCase,
  text,
} from "./case-table";
import type { NotifyDefinitionArgs } from "./definition";
import { accountLookups } from "./lookups";
import { factsExpression, messageExpression } from "./message";
import { publishToTargets, tellOperations } from "./publish";
import { routedTargets } from "./routes";

/** Where the path of AWS Health events (and test events of their shape) starts. */
export const ALERT_PATH = "Identify the case";

/** How long AWS's copy from its backup region waits for the primary region to post the update. */
export const BACKUP_WAIT_SECONDS = 900;

const LOOKUPS = "Look up the account";

/** Whatever fails with the case table, the alert goes out: without the case, and saying so. */
const withoutTheCase = (next: string): Catcher => ({
  ErrorEquals: ["States.ALL"],
  Assign: { caseState: "off", caseError: jsonata("$states.errorOutput") },
  Next: next,
});

/**
 * The case and the update an event is: the case is the affected account and the eventArn (its ID
 * a hash of both, short enough for an execution name); the update, its lastUpdatedTime and
 * statusCode ('-' for what AWS left out). A Health event delivered in the backup region, or
 * marked as AWS's backup copy, is a backup copy: it waits for the primary region first.
 */
function identify(args: NotifyDefinitionArgs): State {
  const field = (name: string) => `($exists($event.detail.${name}) ? $string($event.detail.${name}) : '-')`;
  return {
    Type: "Pass",
    Assign: {
      region: jsonata("$split($states.context.Execution.Id, ':')[3]"),
      caseId: jsonata(
        "$accountId & '-' & $lowercase($substring($hash($accountId & '/' & $string($event.detail.eventArn), 'SHA-256'), 0, 12))",
      ),
      update: jsonata(
        `$lowercase($substring($hash(${field("lastUpdatedTime")} & '|' & ${field("statusCode")}, 'SHA-256'), 0, 12))`,
      ),
      backupCopy: jsonata(
        `$event.source = 'aws.health' and ($event.detail.backupEvent = 'true' or $event.detail.backupEvent = true or $split($states.context.Execution.Id, ':')[3] != ${literal(GLOBAL_EVENTS_REGION)})`,
      ),
      caseMachine: args.caseStateMachineArn,
      caseState: jsonata("$dryRun ? 'none' : 'pending'"),
      caseError: jsonata("{}"),
      claimed: jsonata("[]"),
      anyCase: false,
      caseTargets: jsonata("[]"),
      backupPosting: false,
    },
    Next: "Keep a case?",
  };
}

/**
 * Claims the update once however AWS delivers it: a region that finds it claimed, by itself or
 * (once replicated) by another, stops; two executions of one region race on a conditional write.
 */
function claimStates(): Record<string, State> {
  return {
    "Keep a case?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata("$dryRun"), Next: LOOKUPS },
        { Condition: jsonata("$backupCopy"), Next: "Wait for the primary region" },
      ],
      Default: "Read the case",
    },
    // A conditional write sees only its own region's replica: the backup region lets the
    // primary's claim reach it first, and posts only if it never does.
    "Wait for the primary region": {
      Type: "Wait",
      Seconds: BACKUP_WAIT_SECONDS,
      Assign: { backupPosting: true },
      Next: "Read the case",
    },
    "Read the case": readCase(STATE_TABLE_NAME, {
      Retry: QUICK_RETRY,
      Assign: { claimed: CASE_STATE.claimed, anyCase: CASE_STATE.anyCase, caseTargets: CASE_STATE.targets },
      Catch: [withoutTheCase(LOOKUPS)],
      Next: "Already posted?",
    }),
    "Already posted?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$update in $claimed"), Next: "Already posted" }],
      Default: "Claim the update",
    },
    "Already posted": {
      Type: "Succeed",
      Output: jsonata("{ 'duplicate': true, 'case': $caseId, 'update': $update }"),
    },
    "Claim the update": putOnce(
      {
        pk: CASE_KEY,
        sk: text(`${literal(UPDATE_PREFIX)} & $update & '#' & $region`),
        update: text("$update"),
        lastUpdatedTime: text(
          "$exists($event.detail.lastUpdatedTime) ? $string($event.detail.lastUpdatedTime) : '-'",
        ),
        statusCode: text("$exists($event.detail.statusCode) ? $string($event.detail.statusCode) : '-'"),
        region: text("$region"),
        claimedAt: NOW,
        execution: text("$states.context.Execution.Id"),
        backupPosting: { BOOL: jsonata("$backupPosting") },
        expiresAt: EXPIRES,
      },
      {
        Retry: QUICK_RETRY,
        Assign: { caseState: jsonata("$anyCase ? 'update' : 'new'") },
        Catch: [{ ErrorEquals: [CONDITION_FAILED], Next: "Already posted" }, withoutTheCase(LOOKUPS)],
        Next: LOOKUPS,
      },
    ),
  };
}

/**
 * The first post of a case records it, in this region: its facts, the reply-by, where the email
 * went and the topics it was posted to, which its reminders and later posts reach too.
 */
function recordStates(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    "Gather the facts": {
      Type: "Pass",
      Assign: {
        facts: jsonata(factsExpression(args.message)),
        // A case's later posts go where its first went; set $targets here, before it is recorded.
        targets: jsonata(
          `$count($caseTargets) > 0 ? $caseTargets : ${routedTargets(args.topicArn, args.routes ?? [])}`,
        ),
      },
      Next: "New case?",
    },
    "New case?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$caseState = 'new'"), Next: "Record the case" }],
      Default: "Build message",
    },
    "Record the case": putOnce(
      {
        pk: CASE_KEY,
        sk: OWN_CASE_KEY,
        caseId: text("$caseId"),
        account: text("$facts.account"),
        label: text("$facts.label"),
        code: text("$facts.code"),
        category: text("$facts.test ? 'test' : $facts.category"),
        eventArn: text("$facts.eventArn"),
        startMs: { N: jsonata("$string($facts.startMs)") },
        replyByMs: { N: jsonata("$string($facts.replyByMs)") },
        replyBySource: text("$facts.replyBySource"),
        sentTo: text("$facts.sentTo"),
        threadId: text("$facts.threadId"),
        targets: text("$string($targets)"),
        region: text("$region"),
        follow: { BOOL: jsonata("$facts.follow") },
        createdAt: NOW,
        remindersSent: { N: "0" },
        expiresAt: EXPIRES,
      },
      {
        Retry: QUICK_RETRY,
        Catch: [
          // Another update of the case recorded it a moment ago: this post is an update.
          { ErrorEquals: [CONDITION_FAILED], Assign: { caseState: "update" }, Next: "Build message" },
          withoutTheCase("Build message"),
        ],
        Next: "Build message",
      },
    ),
  };
}

/** Start a case execution, by name: `case-<id>` follows it, `settle-<id>-<update>` settles it. */
function startCase(args: NotifyDefinitionArgs, name: string): State {
  const exists = "StepFunctions.ExecutionAlreadyExistsException";
  return {
    Type: "Task",
    Resource: "arn:aws:states:::states:startExecution",
    Arguments: { StateMachineArn: args.caseStateMachineArn, Name: jsonata(name), Input: jsonata("{}") },
    Retry: [
      { ErrorEquals: [exists], MaxAttempts: 0 },
      {
        ErrorEquals: ["States.ALL"],
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 5,
        JitterStrategy: "FULL",
      },
    ],
    Catch: [
      // Started already: a running execution with the same name and input answers as itself.
      { ErrorEquals: [exists], Output: jsonata("$states.input"), Next: "Posted" },
      {
        ErrorEquals: ["States.ALL"],
        Assign: {
          opsTitle: jsonata("':warning: Case ' & $caseId & ' is not followed: no reminders, no escalation'"),
          opsLines: jsonata(
            "['The alert was posted, but the case workflow ' & $caseMachine & ' could not be started: ' & $states.errorOutput.Error & ': ' & $states.errorOutput.Cause, 'Watch the reply-by of this report yourself, and see docs/runbook.md.']",
          ),
        },
        Next: "Case not followed",
      },
    ],
    Output: jsonata("$states.input"),
    Next: "Posted",
  };
}

/**
 * After the post: the first post of an open abuse case starts its follower (reminders, overdue,
 * escalation), a closing update settles it (PagerDuty's incident resolved).
 */
function afterThePost(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    "Follow the case?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata("$caseState = 'new' and $facts.follow"), Next: "Follow the case" },
        { Condition: jsonata("$caseState = 'update' and $facts.closed"), Next: "Settle the case" },
      ],
      Default: "Posted",
    },
    "Follow the case": startCase(args, "'case-' & $caseId"),
    "Settle the case": startCase(args, "'settle-' & $caseId & '-' & $update"),
    ...tellOperations("Case not followed", args.opsTopicArn, "Posted"),
    Posted: { Type: "Succeed" },
  };
}

/**
 * An abuse report, a risk notice or a test event: the case and its update claimed, the account's
 * context, the case recorded (first post) and the message posted, then the case followed.
 */
export function alertPath(args: NotifyDefinitionArgs): Record<string, State> {
  return {
    [ALERT_PATH]: identify(args),
    ...claimStates(),
    [LOOKUPS]: accountLookups(args.directoryAccountId, args.message.accountTags, "Gather the facts"),
    ...recordStates(args),
    "Build message": {
      Type: "Pass",
      Assign: { message: jsonata(messageExpression(args.message)) },
      Next: "Dry run?",
    },
    "Dry run?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$dryRun"), Next: "Return message" }],
      Default: "Publish",
    },
    "Return message": {
      Type: "Succeed",
      Output: jsonata("{ 'message': $message, 'context': $context, 'targets': $targets }"),
    },
    ...publishToTargets("", "$message", "Follow the case?"),
    ...afterThePost(args),
  };
}

import { PAGERDUTY_EVENTS_URL } from "../model/names";
import { ACK_KEY, STATE_TABLE_NAME } from "../model/state-table";
import { Catcher, jsonata, literal, Retrier, State, StateMachineDefinition } from "./asl";
import {
  acknowledgedMessage,
  escalationEmail,
  overdueMessage,
  pagerDutyResolve,
  pagerDutyTrigger,
  reminderMessage,
} from "./case-message";
import {
  CASE_KEY,
  CASE_STATE,
  CONDITION_FAILED,
  EXPIRES,
  NOW,
  OWN_CASE_KEY,
  PATIENT_RETRY,
  putOnce,
  readCase,
  text,
  UPDATE_ITEM,
} from "./case-table";
import { publishToTargets, tellOperations } from "./publish";

/** Who acknowledged with the Slack button: Chatbot runs the command as the channel's role, and says nothing of who clicked. */
export const SLACK_ACKNOWLEDGER = "someone in the Slack channel (Chatbot does not say who)";

/** A case execution's name: what it does, then the case ID (`ack-222222222221-3fa9c02b7e1d`). */
export const CASE_MODES = {
  /** Follows an abuse case to its reply-by: started by the notify workflow with the first post. */
  follow: "case",
  /** Records an acknowledgement from the Slack button, then settles. */
  acknowledge: "ack",
  /** Announces an acknowledgement and resolves PagerDuty's incident: after `npm run ack`, or AWS closing the case. */
  settle: "settle",
} as const;

export interface CaseDefinitionArgs {
  /** The case workflow itself: its posts carry it for the Acknowledge button. */
  stateMachineArn: string;
  /** The operations topic, told when an escalation fails. */
  opsTopicArn: string;
  /** Hours before the reply-by at which to remind, largest first. */
  reminders: readonly number[];
  escalation: {
    /** The escalation topic its emails subscribe to; none without emails. */
    topicArn?: string;
    /** The EventBridge connection holding PagerDuty's routing key; none without PagerDuty. */
    pagerDutyConnectionArn?: string;
    /** Who hears of an overdue case, in words, for the overdue post. */
    to: readonly string[];
  };
}

/** A reply-by may be 30 days out (the longest deadline a notice is read for), plus margin. */
const TIMEOUT_SECONDS = 40 * 86400;

/** PagerDuty asks to retry 429 and 5xx with backoff; a refused request (400) is not retried. */
const HTTP_RETRY: Retrier[] = [
  {
    ErrorEquals: [
      "States.Http.StatusCode.429",
      "States.Http.StatusCode.500",
      "States.Http.StatusCode.502",
      "States.Http.StatusCode.503",
      "States.Http.StatusCode.504",
      "States.Http.Socket",
    ],
    IntervalSeconds: 30,
    BackoffRate: 2,
    MaxAttempts: 4,
    JitterStrategy: "FULL",
  },
];

/** A call to PagerDuty's Events API through the connection, whose routing key joins the body there. */
function pagerDuty(connectionArn: string, body: string, extra: Partial<State>): State {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::http:invoke",
    Arguments: {
      ApiEndpoint: PAGERDUTY_EVENTS_URL,
      Method: "POST",
      Authentication: { ConnectionArn: connectionArn },
      Headers: { "Content-Type": "application/json" },
      RequestBody: jsonata(body),
    },
    Retry: HTTP_RETRY,
    ...extra,
  };
}

/** An update of this region's item of the case, on a condition when two executions may race. */
function updateCase(
  expression: string,
  values: Record<string, unknown>,
  extra: Partial<State>,
  condition?: string,
): State {
  return {
    Type: "Task",
    Resource: UPDATE_ITEM,
    Arguments: {
      TableName: STATE_TABLE_NAME,
      Key: { pk: CASE_KEY, sk: OWN_CASE_KEY },
      UpdateExpression: expression,
      ...(condition ? { ConditionExpression: condition } : {}),
      ExpressionAttributeValues: values,
    },
    Retry: PATIENT_RETRY,
    ...extra,
  };
}

/** A failure to note for the operations topic, the escalation going on. */
const noteFailure = (what: string, next: string): Catcher => ({
  ErrorEquals: ["States.ALL"],
  Assign: {
    escalationFailures: jsonata(
      `$append($escalationFailures, [${literal(what)} & ': ' & $states.errorOutput.Error & ': ' & $states.errorOutput.Cause])`,
    ),
  },
  Next: next,
});

/** What a Query of the case tells, for each state that reads it. */
const CASE_ASSIGN = {
  case: CASE_STATE.case,
  known: CASE_STATE.known,
  targets: CASE_STATE.targets,
  ack: CASE_STATE.ack,
  acked: CASE_STATE.acked,
  closed: CASE_STATE.closed,
};

/** The name, the case and the region; then the case as this region's replica has it. */
function start(args: CaseDefinitionArgs): Record<string, State> {
  return {
    "Which case?": {
      Type: "Pass",
      Assign: {
        mode: jsonata("$split($states.context.Execution.Name, '-')[0]"),
        caseId: jsonata("$join($split($states.context.Execution.Name, '-')[[1..2]], '-')"),
        region: jsonata("$split($states.context.Execution.Id, ':')[3]"),
        caseMachine: args.stateMachineArn,
        step: 0,
        steps: jsonata("[]"),
        after: "",
        escalationFailures: jsonata("[]"),
        triggered: false,
      },
      Next: "Read the case",
    },
    "Read the case": readCase(STATE_TABLE_NAME, {
      Retry: PATIENT_RETRY,
      Assign: CASE_ASSIGN,
      Next: "Which mode?",
    }),
    "Which mode?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata(`$mode = ${literal(CASE_MODES.follow)}`), Next: "Followed here?" },
        {
          Condition: jsonata(`$mode = ${literal(CASE_MODES.acknowledge)} and $known and $not($acked)`),
          Next: "Record the acknowledgement",
        },
        { Condition: jsonata("$known"), Next: "Settle" },
      ],
      Default: "Not a case of this region",
    },
    "Not a case of this region": {
      Type: "Succeed",
      Output: jsonata(
        "{ 'case': $caseId, 'note': 'no case ' & $caseId & ' was posted from ' & $region & ': nothing to do here' }",
      ),
    },
  };
}

/**
 * Acknowledge and settle: the button's acknowledgement recorded (the first one stays), then
 * announced once in the thread, and PagerDuty's incident resolved once, if it was triggered.
 */
function settleStates(args: CaseDefinitionArgs): Record<string, State> {
  const resolveCheck = args.escalation.pagerDutyConnectionArn ? "Resolve PagerDuty?" : "Settled";
  return {
    "Record the acknowledgement": putOnce(
      {
        pk: CASE_KEY,
        sk: { S: ACK_KEY },
        by: { S: SLACK_ACKNOWLEDGER },
        via: { S: "slack" },
        at: NOW,
        region: text("$region"),
        expiresAt: EXPIRES,
      },
      {
        Retry: PATIENT_RETRY,
        Assign: {
          acked: true,
          ack: jsonata(
            `{ 'by': ${literal(SLACK_ACKNOWLEDGER)}, 'via': 'slack', 'at': $states.context.State.EnteredTime }`,
          ),
        },
        // Acknowledged a moment ago, from the terminal or another click: read it back.
        Catch: [{ ErrorEquals: [CONDITION_FAILED], Next: "Read the case" }],
        Next: "Settle",
      },
    ),
    Settle: {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata("$acked and $not($exists($case.ackAnnouncedAt))"),
          Next: "Claim the announcement",
        },
      ],
      Default: resolveCheck,
    },
    // Announced once, whoever gets here first: this execution, the follower or another click.
    "Claim the announcement": updateCase(
      "SET ackAnnouncedAt = :now",
      { ":now": NOW },
      {
        Assign: { post: jsonata(acknowledgedMessage), after: "settle" },
        Catch: [{ ErrorEquals: [CONDITION_FAILED], Next: resolveCheck }],
        Next: "Publish",
      },
      "attribute_exists(pk) AND attribute_not_exists(ackAnnouncedAt)",
    ),
    ...(args.escalation.pagerDutyConnectionArn
      ? resolveStates(args.escalation.pagerDutyConnectionArn, args.opsTopicArn)
      : {}),
    Settled: {
      Type: "Succeed",
      Output: jsonata("{ 'case': $caseId, 'acknowledged': $acked, 'closed': $closed }"),
    },
  };
}

/** PagerDuty's incident resolved once: claimed on the case, sent, recorded; a failure told to operations. */
function resolveStates(connectionArn: string, opsTopicArn: string): Record<string, State> {
  const claimed = (value: string) => ({ ":state": { S: value } });
  return {
    "Resolve PagerDuty?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata("($acked or $closed) and $case.pagerDuty = 'triggered'"),
          Next: "Claim the resolve",
        },
      ],
      Default: "Settled",
    },
    "Claim the resolve": updateCase(
      "SET pagerDuty = :state",
      { ...claimed("resolving"), ":triggered": { S: "triggered" } },
      { Catch: [{ ErrorEquals: [CONDITION_FAILED], Next: "Settled" }], Next: "Resolve in PagerDuty" },
      "pagerDuty = :triggered",
    ),
    "Resolve in PagerDuty": pagerDuty(connectionArn, pagerDutyResolve, {
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Assign: {
            opsTitle: jsonata("':warning: PagerDuty incident of case ' & $caseId & ' not resolved'"),
            opsLines: jsonata(
              "['The case was acknowledged or closed, but resolving its PagerDuty incident failed: ' & $states.errorOutput.Error & ': ' & $states.errorOutput.Cause, 'Resolve it in PagerDuty (dedup key ' & $caseId & '); see docs/cases.md.']",
            ),
          },
          Next: "Undo the resolve claim",
        },
      ],
      Next: "Record the resolve",
    }),
    "Record the resolve": updateCase(
      "SET pagerDuty = :state, pagerDutyResolvedAt = :now",
      {
        ...claimed("resolved"),
        ":now": NOW,
      },
      { Next: "Settled" },
    ),
    "Undo the resolve claim": updateCase("SET pagerDuty = :state", claimed("triggered"), {
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Tell operations of the resolve" }],
      Next: "Tell operations of the resolve",
    }),
    ...tellOperations("Tell operations of the resolve", opsTopicArn, "Settled"),
  };
}

/** The steps to take: a reminder at each configured hour still ahead, then the reply-by itself. */
function planSteps(reminders: readonly number[]): string {
  const ahead =
    reminders.length === 0
      ? "[]"
      : `[[${reminders.join(", ")}][$replyBy - $ * 3600000 > $now].{ 'kind': 'reminder', 'hours': $, 'at': $replyBy - $ * 3600000 }]`;
  return `( $now := $toMillis($states.context.State.EnteredTime); $replyBy := $number($case.replyByMs); $append(${ahead}, [{ 'kind': 'overdue', 'at': $replyBy }]) )`;
}

/** A step of the follower: a reminder posted and counted, or the overdue post with what escalates it. */
function stepStates(args: CaseDefinitionArgs): Record<string, State> {
  return {
    Remind: {
      Type: "Pass",
      Assign: { post: jsonata(reminderMessage), after: "reminder" },
      Next: "Publish",
    },
    "Count the reminder": updateCase(
      "SET lastReminderAt = :now ADD remindersSent :one",
      { ":now": NOW, ":one": { N: "1" } },
      {
        Assign: { step: jsonata("$step + 1") },
        // The reminder was posted: a failure to count it stops nothing.
        Catch: [{ ErrorEquals: ["States.ALL"], Assign: { step: jsonata("$step + 1") }, Next: "Next step?" }],
        Next: "Next step?",
      },
    ),
    Overdue: {
      Type: "Pass",
      Assign: {
        post: jsonata(overdueMessage(args.escalation.to)),
        after: "overdue",
        email: jsonata(escalationEmail),
        trigger: jsonata(pagerDutyTrigger),
      },
      Next: "Publish",
    },
  };
}

/**
 * Follow an abuse case to its reply-by: wait until each step, read the case, and stop if AWS
 * closed it or someone acknowledged it (announcing that, if nobody has yet); else remind, or at
 * the reply-by post that it is overdue and escalate. Only the execution named after the case,
 * which the notify workflow starts with the case's first post, follows it.
 */
function followStates(args: CaseDefinitionArgs): Record<string, State> {
  return {
    "Followed here?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(
            `$known and $case.follow = true and $states.context.Execution.Name = ${literal(`${CASE_MODES.follow}-`)} & $caseId`,
          ),
          Next: "Plan the steps",
        },
      ],
      Default: "Not followed here",
    },
    "Not followed here": {
      Type: "Succeed",
      Output: jsonata("{ 'case': $caseId, 'note': 'this execution does not follow the case' }"),
    },
    "Plan the steps": {
      Type: "Pass",
      Assign: { steps: jsonata(planSteps(args.reminders)), step: 0 },
      Next: "Next step?",
    },
    "Next step?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata("$step < $count($steps)"), Next: "Wait for the next step" }],
      Default: "Followed",
    },
    "Wait for the next step": {
      Type: "Wait",
      Timestamp: jsonata("$fromMillis($steps[$step].at, '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]Z')"),
      Next: "Check the case",
    },
    "Check the case": readCase(STATE_TABLE_NAME, {
      Retry: PATIENT_RETRY,
      Assign: CASE_ASSIGN,
      Next: "Still open?",
    }),
    "Still open?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata("$closed"), Next: "Closed by AWS" },
        { Condition: jsonata("$acked"), Next: "Settle" },
        { Condition: jsonata("$steps[$step].kind = 'reminder'"), Next: "Remind" },
      ],
      Default: "Overdue",
    },
    "Closed by AWS": {
      Type: "Succeed",
      Output: jsonata("{ 'case': $caseId, 'closed': true }"),
    },
    ...stepStates(args),
    ...publishToTargets("", "$post", "Posted"),
    Posted: {
      Type: "Choice",
      Choices: [
        { Condition: jsonata("$after = 'reminder'"), Next: "Count the reminder" },
        { Condition: jsonata("$after = 'overdue'"), Next: escalationStart(args) },
      ],
      Default: args.escalation.pagerDutyConnectionArn ? "Resolve PagerDuty?" : "Settled",
    },
    ...escalateStates(args),
    Followed: { Type: "Succeed", Output: jsonata("{ 'case': $caseId, 'followed': true }") },
  };
}

/** The first escalation state: the email, PagerDuty, or only the record of the overdue. */
const escalationStart = (args: CaseDefinitionArgs) =>
  args.escalation.topicArn
    ? "Email the escalation"
    : args.escalation.pagerDutyConnectionArn
      ? "Trigger PagerDuty"
      : "Record the escalation";

/**
 * At the reply-by: email the escalation topic, trigger PagerDuty (each best-effort, failures noted
 * for the operations topic), record it, and read the case again: an acknowledgement that came
 * while PagerDuty was triggered resolves the incident at once.
 */
function escalateStates(args: CaseDefinitionArgs): Record<string, State> {
  const { topicArn, pagerDutyConnectionArn } = args.escalation;
  const afterEmail = pagerDutyConnectionArn ? "Trigger PagerDuty" : "Record the escalation";
  const states: Record<string, State> = {};
  if (topicArn) {
    states["Email the escalation"] = {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Arguments: { TopicArn: topicArn, Subject: jsonata("$email.subject"), Message: jsonata("$email.body") },
      Retry: [
        {
          ErrorEquals: ["States.ALL"],
          IntervalSeconds: 10,
          BackoffRate: 2,
          MaxAttempts: 5,
          JitterStrategy: "FULL",
        },
      ],
      Catch: [noteFailure("email to the escalation topic", afterEmail)],
      Next: afterEmail,
    };
  }
  if (pagerDutyConnectionArn) {
    states["Trigger PagerDuty"] = pagerDuty(pagerDutyConnectionArn, "$trigger", {
      Assign: { triggered: true },
      Catch: [noteFailure("PagerDuty trigger", "Record the escalation")],
      Next: "Record the escalation",
    });
  }
  states["Record the escalation"] = updateCase(
    "SET overdueAt = :now, escalatedTo = :to, pagerDuty = :pagerDuty",
    {
      ":now": NOW,
      ":to": { S: args.escalation.to.join(" and ") || "nobody (abuse-alerts:escalation is not set)" },
      ":pagerDuty": text("$triggered ? 'triggered' : 'none'"),
    },
    { Catch: [noteFailure("recording the escalation", "Escalation failed?")], Next: "Escalation failed?" },
  );
  const afterFailures = pagerDutyConnectionArn ? "Check after escalating" : "Followed";
  states["Escalation failed?"] = {
    Type: "Choice",
    Choices: [
      {
        Condition: jsonata("$count($escalationFailures) > 0"),
        Assign: {
          opsTitle: jsonata("':warning: Escalation of overdue case ' & $caseId & ' failed'"),
          opsLines: jsonata(
            "$append(['The case was posted as overdue in its thread, but:'], $escalationFailures.('- ' & $))",
          ),
        },
        Next: "Tell operations of the escalation",
      },
    ],
    Default: afterFailures,
  };
  Object.assign(states, tellOperations("Tell operations of the escalation", args.opsTopicArn, afterFailures));
  if (pagerDutyConnectionArn) {
    states["Check after escalating"] = readCase(STATE_TABLE_NAME, {
      Retry: PATIENT_RETRY,
      Assign: CASE_ASSIGN,
      Next: "Resolve PagerDuty?",
    });
  }
  return states;
}

/**
 * The case workflow, one per hub region: follows an abuse case to its reply-by (reminders,
 * overdue, escalation), records the Slack button's acknowledgement, and settles a case that was
 * acknowledged or closed. What an execution does is in its name (CASE_MODES), so the button's
 * command, which cannot pass input within Chatbot's 100 characters, needs only the name.
 */
export function caseDefinition(args: CaseDefinitionArgs): StateMachineDefinition {
  return {
    Comment: "abuse-alerts: follows an abuse case to its reply-by, and settles acknowledged or closed cases",
    QueryLanguage: "JSONata",
    TimeoutSeconds: TIMEOUT_SECONDS,
    StartAt: "Which case?",
    States: { ...start(args), ...settleStates(args), ...followStates(args) },
  };
}

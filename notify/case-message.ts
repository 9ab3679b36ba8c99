import { literal } from "./asl";
import { HELPERS } from "./message";
import { LIMITS } from "./notification";

/**
 * The posts the case workflow makes in a case's thread (reminder, overdue, acknowledged), the
 * notices it sends to the operations topic, and what it tells the escalation topic's emails and
 * PagerDuty. Each is a JSONata expression over `$case` (the case's item, its values read), `$ack`
 * (the acknowledgement's item, or {}), `$caseId`, `$region`, `$caseMachine`, and the time the
 * state is entered. Their text is cut to Chatbot's LIMITS like the alert's.
 */

/** What each case post starts from: the helpers, and the case's facts as the post reads them. */
const CASE_PRELUDE = `${HELPERS}
    $now := $toMillis($states.context.State.EnteredTime);
    $replyBy := $number($case.replyByMs);
    $what := ($case.category = 'risk' ? 'AWS account risk ' : 'AWS abuse report ') & $case.code & ' in ' & $case.label;
    $ackStep := 'press Acknowledge (or run npm run ack -- --case ' & $caseId & ')';
    $replyStep := 'Reply to the abuse report email (sent to ' & $case.sentTo & ')';
    $post := function($title, $lines, $steps, $button) { {
      'version': '1.0',
      'source': 'custom',
      'content': $merge([{
        'textType': 'client-markdown',
        'title': $cut($title, ${LIMITS.title}),
        'description': $cut($join($lines, '\\n'), ${LIMITS.description}),
        'keywords': [[$case.category, $case.code, $case.account].$cut($, ${LIMITS.keyword})]
      }, $count($steps) > 0 ? { 'nextSteps': [$steps.$cut($, ${LIMITS.nextStep})] } : {}]),
      'metadata': {
        'threadId': $case.threadId,
        'summary': $cut($title, 200),
        'eventType': $case.code,
        'enableCustomActions': $button,
        'additionalContext': $merge([
          { 'account': $case.account, 'eventArn': $case.eventArn, 'caseId': $caseId },
          $button ? { 'caseRegion': $region, 'caseMachine': $caseMachine, 'ackExecution': 'ack-' & $caseId } : {}
        ])
      }
    } };
`;

/** "6 hours left to reply": the reminder of the step being taken, `$steps[$step]`. */
export const reminderMessage = `(${CASE_PRELUDE}
    $post(
      ':alarm_clock: ' & $left($replyBy, $now) & ' to reply: ' & $what,
      [
        '*Reply by* ' & $utc($replyBy) & ' (' & $left($replyBy, $now) & '; ' & $case.replyBySource & ')',
        '*Report sent to* ' & $case.sentTo,
        '*Case* ' & $caseId & ': not acknowledged yet.'
      ],
      [
        $replyStep & ' in English by ' & $utc($replyBy) & ', with the corrective actions. Reply even while still investigating; ask in that reply for more time if you need it.',
        'Once you have replied, ' & $ackStep & ': no more reminders, no escalation.'
      ],
      true
    )
  )`;

/** "Overdue": the reply-by passed and nobody acknowledged; `$escalatedTo` says who else hears of it. */
export function overdueMessage(escalatedTo: readonly string[]): string {
  const escalation =
    escalatedTo.length > 0 ? `,\n        ${literal(`*Escalated to* ${escalatedTo.join(" and ")}`)}` : "";
  return `(${CASE_PRELUDE}
    $post(
      ':red_circle: Overdue: the reply-by passed for ' & $what,
      [
        '*Reply by* ' & $utc($replyBy) & ' passed and nobody acknowledged the case: AWS may block the resources or suspend the account.',
        '*Report sent to* ' & $case.sentTo${escalation}
      ],
      [
        $replyStep & ' now, in English, with what you fixed or are fixing; ask in that reply for more time if you need it.',
        'Then ' & $ackStep & (${literal(escalatedTo.includes("PagerDuty") ? ": that also resolves the PagerDuty incident." : ".")})
      ],
      true
    )
  )`;
}

/** "Acknowledged by": who (or that Chatbot does not say), when, how, their note, and what stops. */
export const acknowledgedMessage = `(${CASE_PRELUDE}
    $at := $toMillis($ack.at);
    $post(
      ':ballot_box_with_check: Acknowledged: ' & $what,
      [
        '*Acknowledged by* ' & $ack.by & ', ' & $utc($at) & ($ack.via = 'cli' ? ', with npm run ack' : ', with the Acknowledge button'),
        $type($ack.note) = 'string' and $ack.note != '' ? '*Note* ' & $ack.note,
        $case.follow = true ? (
          $case.overdueAt ? 'It was past its reply-by: the escalation ends here.' : 'Reminders and escalation stop for this case.'
        ) : 'Recorded for this case.'
      ],
      [],
      false
    )
  )`;

/** A notice to the operations topic, which the channel and its emails get: `$title` and `$lines`. */
export const operationsNotice = `(${HELPERS}
    {
      'version': '1.0',
      'source': 'custom',
      'content': {
        'textType': 'client-markdown',
        'title': $cut($opsTitle, ${LIMITS.title}),
        'description': $cut($join($opsLines, '\\n'), ${LIMITS.description}),
        'keywords': ['abuse-alerts', 'operations']
      },
      'metadata': { 'summary': $cut($opsTitle, 200) }
    }
  )`;

/** SNS email: a subject (at most 100 ASCII characters, one line) and a plain-text body. */
export const escalationEmail = `(${CASE_PRELUDE}
    $dashboard := 'https://health.aws.amazon.com/health/home#/account/event-log?eventID=' & $case.eventArn & '&eventTab=details';
    {
      'subject': $substring($replace('Overdue: ' & $what, /[^\\x20-\\x7E]/, '?'), 0, 100),
      'body': $join([
        'The reply-by of an AWS abuse report passed and nobody acknowledged it. AWS may block the resources or suspend the account.',
        '',
        'Account: ' & $case.label,
        'Event: ' & $case.code & ' (' & $case.eventArn & ')',
        'Reply by: ' & $utc($replyBy) & ', passed',
        'Report sent to: ' & $case.sentTo,
        'Case: ' & $caseId,
        '',
        'Reply to the abuse report email now. Then acknowledge the case: the Acknowledge button in Slack, or npm run ack -- --case ' & $caseId & '.',
        'AWS Health Dashboard, signed in to the account: ' & $dashboard
      ], '\\n')
    }
  )`;

/** PagerDuty Events API v2 `trigger`, the case as dedup_key; the connection adds routing_key. */
export const pagerDutyTrigger = `(${CASE_PRELUDE}
    {
      'event_action': 'trigger',
      'dedup_key': $caseId,
      'client': 'abuse-alerts',
      'payload': {
        'summary': $cut('Overdue: ' & $what & ': the reply-by ' & $utc($replyBy) & ' passed', 1024),
        'source': 'abuse-alerts ' & $region,
        'severity': 'critical',
        'timestamp': $fromMillis($replyBy),
        'component': $case.account,
        'group': $case.code,
        'class': 'aws-abuse-report',
        'custom_details': {
          'case': $caseId,
          'account': $case.label,
          'event': $case.eventArn,
          'reply_by': $utc($replyBy),
          'report_sent_to': $case.sentTo
        }
      },
      'links': [{
        'href': 'https://health.aws.amazon.com/health/home#/account/event-log?eventID=' & $case.eventArn & '&eventTab=details',
        'text': 'AWS Health Dashboard (sign in to the account)'
      }]
    }
  )`;

/** PagerDuty Events API v2 `resolve` of the case's incident. */
export const pagerDutyResolve = `{ 'event_action': 'resolve', 'dedup_key': $caseId }`;

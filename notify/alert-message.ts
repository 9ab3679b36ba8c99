import { list, literal } from "./asl";
import type { MessageOptions } from "./message";
import { LIMITS } from "./notification";

/** Advice per kind of message, shown as next steps. */
export const ADVICE = {
  abuse: [
    "Isolate the affected resources: restrict their security groups to what they must reach; snapshot, then stop, the instances involved.",
    "Find the cause: SSH or RDP open to 0.0.0.0/0, an open mail relay or proxy, a compromised application or credentials, content users uploaded.",
  ],
  risk: [
    "Find the exposed access key or user in CloudTrail (Event history, every region) and what it was used for.",
    "Deactivate, then delete, the exposed keys and rotate every credential of that user; keep AWS's quarantine policy attached until then.",
    "Remove IAM users, roles, keys and resources you do not recognize (instances, Lambda functions, spot requests) in every region.",
    "Turn on MFA for the root user and every IAM user with console access.",
    "Answer the AWS Support case about this event once the account is clean.",
  ],
} as const;

/**
 * An abuse report, a risk notice or a test event of either shape: what happened, in whose account,
 * the deadline and what to do. A JSONata block after the prelude, reading the Health event.
 */
export function alertMessage(options: MessageOptions): string {
  return `      $test := $kind = 'test';
      $category := $d.service = 'RISK' ? 'risk' : 'abuse';
      $closed := $d.statusCode = 'closed';
      $code := $d.eventTypeCode;
      $backup := $d.backupEvent = 'true' or $d.backupEvent = true;
      $entities := [$d.affectedEntities.entityValue];
      $shown := $count($entities) > 10 ? $append($entities[[0..9]], 'and ' & ($count($entities) - 10) & ' more') : $entities;
      $shown := $shown.$cut($, ${LIMITS.entity});
      $startMs := $exists($d.startTime) ? $toMillis($iso($d.startTime));
      $deadlineMs := $startMs + 86400000;
      $hoursLeft := $round(($deadlineMs - $toMillis($states.context.State.EnteredTime)) / 3600000, 1);
      $title := $closed
        ? ':white_check_mark: Resolved: AWS ' & ($category = 'abuse' ? 'abuse report ' : 'account risk ') & $code & ' in ' & $label
        : ($category = 'abuse' ? ':rotating_light: AWS abuse report ' : ':closed_lock_with_key: AWS account risk ') & $code & ' in ' & $label;
      $sentTo := $exists($contact.contact.EmailAddress)
        ? 'the security contact ' & $contact.contact.EmailAddress
        : ($exists($contact.error)
          ? 'the security contact if one is set (the lookup failed), else the root address' & ($exists($account.email) ? ' ' & $account.email : '')
          : 'the root address' & ($exists($account.email) ? ' ' & $account.email : '') & ', as the account has no security contact: ' & ${literal(
            options.securityContactConfigured
              ? "run pulumi up --refresh to set the configured one"
              : "set abuse-alerts:securityContact",
          )});
      $deadline := $closed
        ? '*Resolved*: AWS closed this report; no reply is due.'
        : ($category = 'abuse' and $exists($startMs)
          ? '*Reply by* ' & $utc($deadlineMs) & ($hoursLeft >= 0 ? ' (' & $hoursLeft & ' hours left)' : ' (overdue by ' & $abs($hoursLeft) & ' hours)')
          : ($category = 'risk' ? '*Act now*: whoever found the credentials can use them until they are deactivated.'));
      $header := $flat([
        $test ? '*This is a test* sent with npm run send-test-event: nothing to do. A real alert looks like this.',
        $backup ? '_This copy comes from AWS\\u0027s backup region ' & $event.region & '._',
        $contextLines,
        $category = 'abuse' and $not($closed) ? '*Report sent to* ' & $sentTo,
        $exists($startMs) ? '*Started* ' & $utc($startMs),
        $deadline,
        $joined([
          $d.statusCode ? '*Status* ' & $d.statusCode,
          $d.eventRegion ? '*Region* ' & $d.eventRegion
        ], ' · '),
        $count($entities) > 0 ? '*Affected* ' & $join($shown, ', ')
      ]);
      $headerText := $cut($join($header, '\\n'), ${LIMITS.header});
      $words := $d.eventDescription[0].latestDescription;
      $room := ${LIMITS.description} - $length($headerText) - 20;
      {
        'version': '1.0',
        'source': 'custom',
        'id': $event.id,
        'content': {
          'textType': 'client-markdown',
          'title': $cut(($test ? 'TEST :test_tube: ' : '') & $title & ($backup ? ' (backup region copy)' : ''), ${LIMITS.title}),
          'description': $exists($words) ? $headerText & '\\n\\n*AWS says*\\n' & $cut($words, $room) : $headerText,
          'nextSteps': $closed ? [
            'Read AWS\\u0027s closing note in the AWS Health Dashboard of the account.'
          ] : [$flat([
            $test ? '*This is a test*: nothing to do.',
            $d.eventArn ? '*AWS Health Dashboard*, signed in to the account: https://health.aws.amazon.com/health/home#/account/event-log?eventID=' & $d.eventArn & '&eventTab=details',
            $category = 'abuse' ? ${list(ADVICE.abuse)} : ${list(ADVICE.risk)},
            $category = 'abuse' ? 'Reply to the abuse report email (sent to ' & $sentTo & ') in English, within 24 hours, with the corrective actions. Reply even while still investigating, and explain your use case if the activity is legitimate.'
          ]).$cut($, ${LIMITS.nextStep})],
          'keywords': [[$test ? 'test' : $category, $code, $accountId].$cut($, ${LIMITS.keyword})]
        },
        'metadata': {
          'threadId': $accountId & '/' & $d.eventArn,
          'summary': $cut(($test ? 'TEST ' : '') & ($closed ? 'Resolved: ' : '') & ($category = 'abuse' ? 'AWS abuse report ' : 'AWS account risk ') & $code & ' in ' & $label, 200),
          'eventType': $code,
          'relatedResources': [$event.resources],
          'additionalContext': $merge([
            { 'account': $accountId, 'eventArn': $d.eventArn, 'statusCode': $d.statusCode },
            $exists($account.name) ? { 'accountName': $account.name },
            $exists($d.startTime) ? { 'startTime': $d.startTime },
            $backup ? { 'backupRegionCopy': $event.region }
          ])
        }
      }
`;
}

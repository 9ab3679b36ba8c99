import { CallAs, stackInstanceCommand, UNKNOWN_OU } from "../model/stackset-targets";
import { LIMITS } from "./notification";
import { AbuseAlertsConfig, GLOBAL_EVENTS_BACKUP_REGION, GLOBAL_EVENTS_REGION } from "../config/schema";

/**
 * The Chatbot message, built by JSONata in the notify workflow from the event and the account's
 * context. AWS's text is a value in a JSON object that the workflow serializes, so its quotes and
 * newlines need no escaping by hand. Everything a message says comes from here, whether Step
 * Functions evaluates it or `npm run preview-message` and the tests do (with the `jsonata` library).
 * The facts come first and are cut to leave AWS's text at least 2,000 characters, within Chatbot's LIMITS.
 */

/** What a stack's config changes in its messages. */
export interface MessageOptions {
  /** Account tags every message shows (abuse-alerts:accountTags). */
  accountTags: readonly string[];
  /** abuse-alerts:securityContact is set: an account without one is fixed by `pulumi up --refresh`. */
  securityContactConfigured: boolean;
  /** How the forwarder StackSet is administered, for the command a coverage notice gives. */
  stackSetCallAs: CallAs;
}

/** The message options a stack's config gives, with how its StackSet is administered. */
export function messageOptions(config: AbuseAlertsConfig, stackSetCallAs: CallAs): MessageOptions {
  return {
    accountTags: config.accountTags,
    securityContactConfigured: config.securityContact !== undefined,
    stackSetCallAs,
  };
}

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

/** The command of a coverage notice, its account, region and OU filled in by JSONata. */
function stackInstanceCommandExpression(action: "create" | "update", callAs: CallAs): string {
  const template = stackInstanceCommand(action, {
    accountId: "{account}",
    region: "{region}",
    organizationalUnitId: "{ou}",
    callAs,
  });
  return `$replace($replace($replace(${literal(template)}, '{account}', $accountId), '{region}', $region), '{ou}', $ouId)`;
}

const months =
  "{'Jan':'01','Feb':'02','Mar':'03','Apr':'04','May':'05','Jun':'06','Jul':'07','Aug':'08','Sep':'09','Oct':'10','Nov':'11','Dec':'12'}";

/** A JSONata string literal of a text (single-quoted, as Step Functions' JSONata expects inside `{% %}`). */
export const literal = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\u0027")}'`;

/** A JSONata array literal of texts. */
export const list = (items: readonly string[]) => `[${items.map(literal).join(", ")}]`;

/**
 * The message, as one JSONata block. It reads `$event`, `$kind` ('alert', 'test', 'coverage'),
 * `$accountId` and `$context` (the four lookups: account, OU path, tags, contact; each an object
 * with the result or an `error`), and `$states.context.State.EnteredTime` for "hours left".
 */
export function messageExpression(options: MessageOptions): string {
  return `(
    $cut := function($s, $n) { $length($s) > $n ? $substring($s, 0, $n - 1) & '…' : $s };
    $flat := function($xs) { $reduce($xs, function($all, $x) { $append($all, $x) }, []) };
    $iso := function($t) { $contains($t, /^\\d{4}-\\d\\d-\\d\\dT/) ? $t : (
      $p := $split($t, ' ');
      $p[3] & '-' & $lookup(${months}, $p[2]) & '-' & $pad($p[1], -2, '0') & 'T' & $p[4] & 'Z'
    ) };
    $utc := function($ms) { $fromMillis($ms, '[Y0001]-[M01]-[D01] [H01]:[m01] UTC') };
    $d := $event.detail;
    $account := $context[0];
    $ou := $context[1];
    $tags := $context[2];
    $contact := $context[3];
    $label := $exists($account.name) ? $account.name & ' (' & $accountId & ')' : $accountId;
    $joined := function($parts, $separator) { $count($parts) > 0 ? $join($parts, $separator) };
    $why := function($lookup) { $lookup.error.Error & ': ' & $cut($lookup.error.Cause, 160) };
    $missing := [
      $exists($account.error) ? { 'what': 'account name and root email', 'why': $why($account) },
      $exists($ou.error) ? { 'what': 'OU path', 'why': $why($ou) },
      $exists($tags.error) ? { 'what': 'owner tags', 'why': $why($tags) },
      $exists($contact.error) ? { 'what': 'security contact', 'why': $why($contact) }
    ];
    $missingText := $join($map($distinct($missing.why), function($reason) {
      $join([$missing[why = $reason].what], ', ') & ' (' & $reason & ')'
    }), '; ');
    $ouLine := $exists($ou.path) ? '*OU* ' & $join($append(['Root'], $ou.path), ' / ') & ($ou.complete ? '' : ' / …');
    $tagLine := $count($keys($tags.tags)) > 0 ? '*Owner* ' & $join($each($tags.tags, function($v, $k) { $k & ': ' & $v }), ' · ');
    $contextLines := [
      '*Account* ' & $label,
      $ouLine,
      $tagLine,
      $count($missing) > 0 ? '*Context missing*: ' & $missingText
    ];
    $kind = 'coverage' ? (
      $stack := $d.'stack-id';
      $region := $exists($stack) ? $split($stack, ':')[3] : 'an unknown region';
      $status := $d.'status-details'.'detailed-status';
      $reason := $d.'status-details'.'status-reason';
      $suspended := $status = 'SKIPPED_SUSPENDED_ACCOUNT';
      $removing := $d.action = 'DELETE';
      $scp := $contains($reason ? $reason : '', /service control polic/i);
      $ouId := $exists($ou.parentId) ? $ou.parentId : ${literal(UNKNOWN_OU)};
      $lost := $region = ${literal(GLOBAL_EVENTS_REGION)}
        ? 'abuse reports in this account reach nobody until it is fixed.'
        : 'the copies of abuse reports AWS delivers in ' & $region & ' (' & ${literal(GLOBAL_EVENTS_BACKUP_REGION)} & ' is its backup region) are not forwarded; those in ' & ${literal(GLOBAL_EVENTS_REGION)} & ' still are.';
      {
        'version': '1.0',
        'source': 'custom',
        'id': $event.id,
        'content': {
          'textType': 'client-markdown',
          'title': $cut(($removing ? ':warning: Forwarder not removed: ' : ':warning: Not covered: ') & $label & ' in ' & $region & ', forwarder stack ' & $status, ${LIMITS.title}),
          'description': $cut($join($flat([
            $removing
              ? 'The abuse-alerts StackSet could not remove the forwarder here (the account left the target OUs or was excluded, or the region was dropped): its stack may remain.'
              : 'The abuse-alerts StackSet could not deploy the forwarder here: ' & $lost,
            '',
            $contextLines,
            $exists($stack) ? '*Stack* ' & $stack,
            $joined([
              $d.'status-details'.status ? '*Status* ' & $d.'status-details'.status,
              '*Detailed status* ' & $status,
              $d.action ? '*Operation* ' & $d.action
            ], ' · '),
            $reason ? '*AWS says* ' & $reason
          ]), '\\n'), ${LIMITS.description}),
          'nextSteps': [[
            $suspended ? 'The account is suspended: the StackSet deploys to it when it is reinstated. Nothing to do unless it should not be suspended.',
            $scp ? 'A service control policy denies the StackSet: exempt arn:aws:iam::*:role/stacksets-exec-* from it (ArnNotLike aws:PrincipalArn); npm run doctor names the policy.',
            $removing and $not($scp) ? 'Read AWS\\u0027s reason above and fix it, then delete the stack StackSet-abuse-alerts-forwarder-* in that account and region if it is still there.',
            $not($suspended) and $not($removing) and $not($scp) ? 'Read AWS\\u0027s reason above and fix it in that account (a resource of the same name, a missing permission).',
            $not($suspended) and $not($removing) ? 'Then retry, from the account that administers the StackSet: ' & ${stackInstanceCommandExpression("update", options.stackSetCallAs)},
            'npm run coverage lists every account and region without a forwarder, with the fix.'
          ].$cut($, ${LIMITS.nextStep})],
          'keywords': [['coverage', $status, $accountId].$cut($, ${LIMITS.keyword})]
        },
        'metadata': {
          'threadId': 'coverage/' & ($exists($stack) ? $stack : $accountId & '/' & $region),
          'summary': $cut('abuse-alerts: ' & $label & ($removing ? ' keeps its forwarder in ' : ' is not covered in ') & $region, 200),
          'eventType': 'StackInstance' & $status,
          'relatedResources': [$stack],
          'additionalContext': $merge([
            { 'account': $accountId, 'status': $status },
            $exists($account.name) ? { 'accountName': $account.name }
          ])
        }
      }
    ) : (
      $test := $kind = 'test';
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
    )
  )`;
}

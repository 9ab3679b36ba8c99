import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { list, literal } from "./asl";
import type { MessageOptions } from "./message";
import { LIMITS } from "./notification";

/** Advice per kind of report, shown as next steps: what fits the resource reported, before the reply. */
export const ADVICE = {
  /** EC2 instances, their Elastic IPs and network interfaces: DoS, port scanning, intrusion, relays. */
  instances: [
    "Isolate the instances: give them a security group that allows only your own access (or nothing); keep their Elastic IPs so the evidence stays traceable.",
    "Snapshot their EBS volumes for forensics, then stop them (terminating loses the evidence).",
    "Find the open door: SSH or RDP open to 0.0.0.0/0, an open mail relay or proxy, a vulnerable application, leaked keys; VPC Flow Logs show what they talked to.",
  ],
  /** Content served from S3 or CloudFront: phishing, malware, personal data. */
  content: [
    "Take the reported content down: delete the S3 objects or make them private, and invalidate their paths in CloudFront so cached copies go too.",
    "Turn on S3 Block Public Access for the bucket, and the account, unless the content must be public; find out who could upload it (bucket policy, presigned URLs, an upload form).",
    "A phishing or malware page on your own site usually means a compromised site or upload form: fix that, and rotate the site's credentials.",
  ],
  /** Copyright or trademark notices about content. */
  copyright: [
    "Take the content down, or disable access to it: the S3 objects, and their paths in CloudFront (invalidate them so cached copies go too).",
    "If your use is lawful (licensed, fair use), reply with a counter-notice instead: who you are, the material, and why the claim is mistaken.",
  ],
  /** Email sent through SES. */
  email: [
    "Pause sending until the cause is fixed: aws sesv2 put-account-sending-attributes --no-sending-enabled, in the identity's region.",
    "Stop the campaign that drew the complaints; check bounce and complaint rates, and put the complainers on the SES suppression list.",
    "Rotate the SMTP credentials and the IAM keys allowed ses:SendEmail or ses:SendRawEmail: leaked ones are the usual cause.",
  ],
  /** An access key or other credentials reported in an abuse notice. */
  credentials: [
    "Deactivate the access key now (aws iam update-access-key --status Inactive), then delete it and rotate every credential of its user.",
    "Find what the key did in CloudTrail (Event history, every region), and remove what you do not recognize.",
  ],
  /** Any other abuse report. */
  generic: [
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

/** The kinds of abuse report the advice knows. */
export type ReportKind = Exclude<keyof typeof ADVICE, "risk">;

const ADVICE_BY_KIND = `{ ${(Object.keys(ADVICE) as (keyof typeof ADVICE)[])
  .map((kind) => `${literal(kind)}: ${list(ADVICE[kind])}`)
  .join(", ")} }`;

/**
 * The kind of report, from AWS's event type code and the affected entities: an access key is
 * credentials; copyright first, then content (S3 objects, CloudFront), then SES email, then EC2
 * instances, addresses and interfaces (an EC2 spam report is an open relay on an instance).
 */
const REPORT_KIND = `
      $entityText := $join([$d.affectedEntities.entityValue.$string($)], ' ');
      $instances := $contains($entityText, /\\bi-[0-9a-f]{8,17}\\b|eipalloc-|eni-[0-9a-f]|\\b\\d{1,3}(\\.\\d{1,3}){3}\\b/);
      $kind := $category = 'risk' or $contains($code, /CREDENTIAL|ACCESS_?KEY|COMPROMIS/) or $contains($entityText, /\\b(AKIA|ASIA)[A-Z0-9]{16}\\b/) ? 'credentials'
        : $contains($code, /COPYRIGHT|DMCA|TRADEMARK/) ? 'copyright'
        : $contains($code, /PHISH|MALWARE|PII|CONTENT/) or $contains($entityText, /arn:aws:s3:::|arn:aws:cloudfront::|\\.cloudfront\\.net|\\.s3[.-]|s3:\\/\\//) ? 'content'
        : $contains($code, /SES/) or $contains($entityText, /arn:aws:ses:|:identity\\//) or ($contains($code, /SPAM|MAIL/) and $not($contains($code, /EC2/)) and $not($instances)) ? 'email'
        : $contains($code, /EC2|DOS|PORT_?SCAN|INTRUSION|BOTNET|MINING|RELAY|PROXY|SPAM|MAIL/) or $instances ? 'instances'
        : 'generic';`;

/**
 * The reply-by: the notice's own deadline when its text states one ("within 48 hours", "within 5
 * days", at most 30 days), else AWS's usual 24 hours; from the report's start, or its arrival
 * when AWS gives no start. Business days count as days: the earlier reading.
 */
const REPLY_BY = `
      $words := $d.eventDescription[0].latestDescription;
      $stated := $type($words) = 'string' ? $match($words, /within\\s+(\\d{1,3})\\s+(business\\s+days?|days?|hours?)\\b/i)[0];
      $statedMs := $exists($stated) ? $number($stated.groups[0]) * ($contains($lowercase($stated.groups[1]), 'day') ? 86400000 : 3600000);
      $statedMs := $statedMs >= 3600000 and $statedMs <= 2592000000 ? $statedMs;
      $startMs := $exists($d.startTime) ? $toMillis($iso($d.startTime));
      $fromMs := $exists($startMs) ? $startMs : ($type($event.time) = 'string' ? $toMillis($event.time));
      $replyByMs := $category = 'abuse' and $exists($fromMs) ? $fromMs + ($exists($statedMs) ? $statedMs : 86400000);
      $replyBySource := ($exists($statedMs) ? 'as the notice asks: ' & $stated.match : 'AWS\\u0027s usual 24 hours: the notice gives no deadline')
        & ($exists($startMs) ? '' : ', counted from its arrival');`;

/**
 * What a case keeps of its report, and the message shows: a JSONata block after the prelude that
 * returns the facts: the kind of report, the reply-by and where it comes from, where AWS sent the
 * report, and whether the case is followed to its reply-by (an open abuse report, not a test).
 */
export function alertFacts(options: MessageOptions): string {
  return `
      $test := $kind = 'test';
      $category := $d.service = 'RISK' ? 'risk' : 'abuse';
      $closed := $d.statusCode = 'closed';
      $code := $exists($d.eventTypeCode) ? $string($d.eventTypeCode) : 'unknown';${REPORT_KIND}${REPLY_BY}
      $sentTo := $exists($contact.contact.EmailAddress)
        ? 'the security contact ' & $contact.contact.EmailAddress
        : ($exists($contact.error)
          ? 'the security contact if one is set (the lookup failed), else the root address' & ($exists($account.email) ? ' ' & $account.email : '')
          : 'the root address' & ($exists($account.email) ? ' ' & $account.email : '') & ', as the account has no security contact: ' & ${literal(
            options.securityContactConfigured
              ? "the daily reconcile (abuse-alerts-contacts-reconcile, management account) sets the configured one; start it to set it now"
              : "set abuse-alerts:securityContact",
          )});
      {
        'caseId': $caseId,
        'account': $accountId,
        'label': $label,
        'code': $code,
        'category': $category,
        'kind': $kind,
        'test': $test,
        'closed': $closed,
        'eventArn': $exists($d.eventArn) ? $string($d.eventArn) : '',
        'startMs': $exists($startMs) ? $startMs : 0,
        'replyByMs': $exists($replyByMs) ? $replyByMs : 0,
        'replyBySource': $replyBySource,
        'sentTo': $sentTo,
        'threadId': $accountId & '/' & $d.eventArn,
        'follow': $category = 'abuse' and $not($test) and $not($closed) and $exists($replyByMs)
      }
`;
}

/** "6 and 1 hours before the reply-by", as the first post announces the reminders. */
function remindersText(hours: readonly number[]): string {
  if (hours.length === 0) return "No reminders (abuse-alerts:reminders is [])";
  const listed =
    hours.length === 1 ? `${hours[0]}` : `${hours.slice(0, -1).join(", ")} and ${hours[hours.length - 1]}`;
  return `${hours.length === 1 ? "A reminder" : "Reminders"} ${listed} hour${hours.length === 1 && hours[0] === 1 ? "" : "s"} before the reply-by`;
}

/** What the first post of a case says will happen, and how to stop it. */
function casePlan(options: MessageOptions): { followed: string; late: string; recorded: string } {
  const escalation =
    options.escalatedTo.length > 0 ? `, escalated to ${options.escalatedTo.join(" and ")}` : "";
  return {
    followed: `${remindersText(options.reminders)}; at it, an overdue post here${escalation}. Acknowledging stops them.`,
    late: `Past its reply-by already: an overdue post follows here${escalation}. Acknowledging stops it.`,
    recorded: "Acknowledging records who took it.",
  };
}

/** The step that says how to reply: by the reply-by, or now, once it has passed (never "within 24 hours" then). */
const REPLY_STEP = `
      $reply := $overdue
        ? 'Reply to the abuse report email (sent to ' & $f.sentTo & ') now: its reply-by passed ' & $span($now - $replyBy) & ' ago, and AWS may block the resources or suspend the account. Say what you fixed, and ask in that reply for more time if you need it.'
        : 'Reply to the abuse report email (sent to ' & $f.sentTo & ') in English by ' & $utc($replyBy) & ', with the corrective actions. Reply even while still investigating, and explain your use case if the activity is legitimate.';
`;

/**
 * An abuse report, a risk notice or a test event of either shape: what happened, in whose account,
 * the reply-by and what to do. A JSONata block after the prelude, reading the Health event, the
 * case's `$facts`, `$caseState` ('new', 'update', 'off' when the case table failed, 'none' in a
 * dry run) and `$caseId`, `$region` and `$caseMachine` for the Acknowledge button.
 */
export function alertMessage(options: MessageOptions): string {
  const plan = casePlan(options);
  return `      $f := $facts;
      $test := $f.test;
      $category := $f.category;
      $closed := $f.closed;
      $code := $f.code;
      $backup := $d.backupEvent = 'true' or $d.backupEvent = true;
      $kept := $caseState = 'new' or $caseState = 'update';
      $entities := [$d.affectedEntities.entityValue];
      $shown := $count($entities) > 10 ? $append($entities[[0..9]], 'and ' & ($count($entities) - 10) & ' more') : $entities;
      $shown := $shown.$cut($, ${LIMITS.entity});
      $now := $toMillis($states.context.State.EnteredTime);
      $replyBy := $f.replyByMs;
      $overdue := $replyBy > 0 and $now > $replyBy;
      $title := $closed
        ? ':white_check_mark: Resolved: AWS ' & ($category = 'abuse' ? 'abuse report ' : 'account risk ') & $code & ' in ' & $label
        : ($category = 'abuse' ? ':rotating_light: AWS abuse report ' : ':closed_lock_with_key: AWS account risk ') & $code & ' in ' & $label;
      $deadline := $closed
        ? '*Resolved*: AWS closed this report; no reply is due.'
        : ($category = 'abuse' and $replyBy > 0
          ? '*Reply by* ' & $utc($replyBy) & ' (' & $left($replyBy, $now) & ($overdue ? '' : '; ' & $f.replyBySource) & ')'
          : ($category = 'risk' ? '*Act now*: whoever found the credentials can use them until they are deactivated.'));
      $header := $flat([
        $test ? '*This is a test* sent with npm run send-test-event: nothing to do. A real alert looks like this.',
        $backupPosting ? '_Posted from AWS\\u0027s backup region ' & $region & ': the primary region ${GLOBAL_EVENTS_REGION} had not posted this update 15 minutes after the copy arrived._'
          : ($backup ? '_This copy comes from AWS\\u0027s backup region ' & $event.region & '._'),
        $contextLines,
        $category = 'abuse' and $not($closed) ? '*Report sent to* ' & $f.sentTo,
        $f.startMs > 0 ? '*Started* ' & $utc($f.startMs),
        $deadline,
        $joined([
          $d.statusCode ? '*Status* ' & $d.statusCode,
          $d.eventRegion ? '*Region* ' & $d.eventRegion
        ], ' · '),
        $count($entities) > 0 ? '*Affected* ' & $join($shown, ', '),
        $kept ? '*Case* ' & $caseId & ($caseState = 'new' and $not($closed) ? '. ' & ($f.follow ? ($overdue ? ${literal(plan.late)} : ${literal(plan.followed)}) : ${literal(plan.recorded)}) : ''),
        $caseState = 'off' ? '*Case* not kept: the case table failed (' & $caseError.Error & '), so this report has no reminders, no escalation and no Acknowledge button: watch its reply-by yourself.'
      ]);
      $headerText := $cut($join($header, '\\n'), ${LIMITS.header});
      $words := $d.eventDescription[0].latestDescription;
      $room := ${LIMITS.description} - $length($headerText) - 20;
${REPLY_STEP}      {
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
            $category = 'abuse' ? $lookup(${ADVICE_BY_KIND}, $f.kind) : ${list(ADVICE.risk)},
            $category = 'abuse' and $replyBy > 0 ? $reply,
            $kept ? 'Once ' & ($category = 'abuse' ? 'you have replied' : 'it is handled') & ', press Acknowledge (or run npm run ack -- --case ' & $caseId & '): ' & ($f.follow ? 'reminders and escalation stop.' : 'the case records who took it.')
          ]).$cut($, ${LIMITS.nextStep})],
          'keywords': [[$test ? 'test' : $category, $code, $accountId].$cut($, ${LIMITS.keyword})]
        },
        'metadata': {
          'threadId': $f.threadId,
          'summary': $cut(($test ? 'TEST ' : '') & ($closed ? 'Resolved: ' : '') & ($category = 'abuse' ? 'AWS abuse report ' : 'AWS account risk ') & $code & ' in ' & $label, 200),
          'eventType': $code,
          'relatedResources': [$event.resources],
          'enableCustomActions': $kept and $not($closed),
          'additionalContext': $merge([
            { 'account': $accountId, 'eventArn': $f.eventArn },
            $d.statusCode ? { 'statusCode': $d.statusCode },
            $exists($account.name) ? { 'accountName': $account.name },
            $exists($d.startTime) ? { 'startTime': $d.startTime },
            $backup ? { 'backupRegionCopy': $event.region },
            $kept ? { 'caseId': $caseId, 'caseRegion': $region, 'caseMachine': $caseMachine, 'ackExecution': 'ack-' & $caseId }
          ])
        }
      }
`;
}

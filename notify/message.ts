import { CallAs } from "../model/stackset-targets";
import { alertFacts, alertMessage } from "./alert-message";
import { coverageMessage } from "./coverage-message";
import { AbuseAlertsConfig } from "../config/schema";

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
  /** abuse-alerts:securityContact is set: an account without one is fixed by the daily contacts reconcile. */
  securityContactConfigured: boolean;
  /** How the forwarder StackSet is administered, for the command a coverage notice gives. */
  stackSetCallAs: CallAs;
  /** Hours before the reply-by at which an abuse case is reminded (abuse-alerts:reminders). */
  reminders: readonly number[];
  /** Who hears of an overdue case besides the channel (abuse-alerts:escalation), in words; none: nobody. */
  escalatedTo: readonly string[];
}

/** Who an overdue case is escalated to, in words: the emails, and PagerDuty when the stack has a key. */
export function escalationTargets(escalation: { emails: readonly string[]; pagerDuty?: unknown }): string[] {
  const { emails, pagerDuty } = escalation;
  return [...(emails.length > 0 ? [emails.join(", ")] : []), ...(pagerDuty ? ["PagerDuty"] : [])];
}

/** The message options a stack's config gives, with how its StackSet is administered. */
export function messageOptions(config: AbuseAlertsConfig, stackSetCallAs: CallAs): MessageOptions {
  return {
    accountTags: config.accountTags,
    securityContactConfigured: config.securityContact !== undefined,
    stackSetCallAs,
    reminders: config.reminders,
    escalatedTo: escalationTargets(config.escalation),
  };
}

const months =
  "{'Jan':'01','Feb':'02','Mar':'03','Apr':'04','May':'05','Jun':'06','Jul':'07','Aug':'08','Sep':'09','Oct':'10','Nov':'11','Dec':'12'}";

/**
 * JSONata helpers every message shares: $cut (to a length, with …), $flat, $iso (AWS Health's
 * RFC 1123 times as ISO 8601), $utc (a time to read), $joined, $span (a duration in hours, or in
 * days from two days on) and $left ("6 hours left", "overdue by 3.1 days").
 */
export const HELPERS = `
    $cut := function($s, $n) { $length($s) > $n ? $substring($s, 0, $n - 1) & '…' : $s };
    $flat := function($xs) { $reduce($xs, function($all, $x) { $append($all, $x) }, []) };
    $iso := function($t) { $contains($t, /^\\d{4}-\\d\\d-\\d\\dT/) ? $t : (
      $p := $split($t, ' ');
      $p[3] & '-' & $lookup(${months}, $p[2]) & '-' & $pad($p[1], -2, '0') & 'T' & $p[4] & 'Z'
    ) };
    $utc := function($ms) { $fromMillis($ms, '[Y0001]-[M01]-[D01] [H01]:[m01] UTC') };
    $joined := function($parts, $separator) { $count($parts) > 0 ? $join($parts, $separator) };
    $unit := function($n, $word) { $n & ' ' & $word & ($n = 1 ? '' : 's') };
    $span := function($ms) { $ms >= 172800000 ? $unit($round($ms / 86400000, 1), 'day') : $unit($round($ms / 3600000, 1), 'hour') };
    $left := function($until, $now) { $until >= $now ? $span($until - $now) & ' left' : 'overdue by ' & $span($now - $until) };
`;

/**
 * What every message about an event starts from: the helpers, and the account's context as lines
 * ($label, $contextLines), from `$event`, `$accountId` and `$context` (the four lookups: account,
 * OU path, tags, contact; each the result or an `error`).
 */
export const PRELUDE = `${HELPERS}
    $d := $event.detail;
    $account := $context[0];
    $ou := $context[1];
    $tags := $context[2];
    $contact := $context[3];
    $label := $exists($account.name) ? $account.name & ' (' & $accountId & ')' : $accountId;
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
`;

/**
 * The message, as one JSONata block. It reads `$event`, `$kind` ('alert', 'test', 'coverage'),
 * `$accountId` and `$context`, and `$states.context.State.EnteredTime` for "hours left".
 */
export function messageExpression(options: MessageOptions): string {
  return `(${PRELUDE}    $kind = 'coverage' ? (
${coverageMessage(options)}    ) : (
${alertMessage(options)}    )
  )`;
}

/**
 * What the case keeps of an event, and the alert message shows (`$facts`): one JSONata block
 * reading the event and the account's context, like the message.
 */
export function factsExpression(options: MessageOptions): string {
  return `(${PRELUDE}${alertFacts(options)}  )`;
}

import { GLOBAL_EVENTS_REGION } from "../config/schema";
import {
  ACCOUNTS_NAMED_PER_REASON,
  FAILURE_REASONS,
  OTHER_REASON_FIX,
  RESULTS_PAGE_SIZE,
  RESULTS_PAGES,
} from "../model/stackset-failures";
import { CallAs, stackInstanceCommand } from "../model/stackset-targets";
import { literal } from "./asl";
import { HELPERS } from "./message";
import { LIMITS } from "./notification";

/**
 * The coverage summaries: one post for a StackSet operation that failed or was stopped, and one
 * for a window of instance failures no summary covered. Both group the failed instances by AWS's
 * reason (a known kind, or AWS's own words with account IDs and ARNs blanked) and give each
 * group's fix, the accounts (a few named, the rest counted) and the retry command.
 */

/** A value as an array: JSONata makes a one-item result a single value. */
const ARRAY = "$array := function($x) { $append([], $x) };";

/** JSONata helpers over `$failed` (`{ account, region, status, reason }[]`): `$groups`, `$uncovered`. */
function groupsExpression(callAs: CallAs): string {
  const kinds = FAILURE_REASONS.map(
    (reason) => `$contains($r, /${reason.pattern}/i) ? ${literal(reason.key)}`,
  );
  const table = (field: "title" | "fix") =>
    `{ ${FAILURE_REASONS.map((reason) => `${literal(reason.key)}: ${literal(reason[field])}`).join(", ")} }`;
  const retry = stackInstanceCommand("update", {
    accountId: "{accounts}",
    region: "{regions}",
    organizationalUnitId: "{ou}",
    callAs,
  });
  return `
    $kindOf := function($reason) { ( $r := $reason ? $reason : ''; ${kinds.join(" : ")} : '' ) };
    $norm := function($reason) { $cut($replace($replace($reason ? $reason : 'no reason given', /[0-9]{12}/, '<account>'), /arn:aws[^ ,]*/, '<arn>'), 200) };
    $groupOf := function($f) { ( $k := $kindOf($f.reason); $k = '' ? 'AWS says: ' & $norm($f.reason) : $lookup(${table("title")}, $k) ) };
    $fixOf := function($f) { ( $k := $kindOf($f.reason); $k = '' ? ${literal(OTHER_REASON_FIX)} : $lookup(${table("fix")}, $k) ) };
    $retry := function($members) { $replace($replace($replace(${literal(retry)},
      '{accounts}', $join($array($distinct($members.account))[[0..4]], ',')),
      '{regions}', $join($array($distinct($members.region)), ' ')),
      '{ou}', $distinct($members.ou)[0] ? $distinct($members.ou)[0] : ${literal("<the accounts' OU ID>")}) };
    $groups := $map($array($distinct($map($failed, $groupOf))), function($title) { (
      $members := $array($filter($failed, function($f) { $groupOf($f) = $title }));
      $accounts := $array($distinct($members.account));
      {
        'title': $title,
        'fix': $fixOf($members[0]),
        'retry': $retry($members),
        'instances': $count($members),
        'accounts': $accounts,
        'line': '*' & $title & '*: ' & $unit($count($accounts), 'account') & ' (' & $join($array($distinct($members.region)), ', ') & '): ' &
          $join($accounts[[0..${ACCOUNTS_NAMED_PER_REASON - 1}]], ', ') &
          ($count($accounts) > ${ACCOUNTS_NAMED_PER_REASON} ? ' and ' & ($count($accounts) - ${ACCOUNTS_NAMED_PER_REASON}) & ' more' : '')
      }
    ) });
    $uncovered := $count($array($distinct($failed.account)));
    $lost := function($regions) { ${literal(GLOBAL_EVENTS_REGION)} in $regions
      ? 'abuse reports in these accounts reach nobody until it is fixed.'
      : 'the copies of abuse reports AWS delivers in ' & $join($regions, ', ') & ' are not forwarded.' };
    $steps := function($groups) { $flat([
      $map($groups, function($g) { [$cut($g.fix, ${LIMITS.nextStep}), $cut('Then retry: ' & $g.retry, ${LIMITS.nextStep})] }),
      'npm run coverage lists every account and region without a forwarder, and the StackSet\\u0027s last operations.'
    ]) };`;
}

/**
 * The summary of a failed or stopped operation: reads `$event` (the operation's event),
 * `$results` (its failed and cancelled instances), `$token` (a page left unread) and
 * `$readError` (why the results could not be read, when they could not).
 */
export function operationSummary(callAs: CallAs): string {
  return `(${HELPERS}
    ${ARRAY}
    $d := $event.detail;
    $operation := $d.'stack-set-operation-id';
    $status := $d.'status-details'.status;
    $failed := $array($results[status = 'FAILED']);
    $cancelled := $count($array($results[status = 'CANCELLED']));
    ${groupsExpression(callAs)}
    {
      'version': '1.0',
      'source': 'custom',
      'id': $event.id,
      'content': {
        'textType': 'client-markdown',
        'title': $cut(':warning: StackSet rollout ' & $status & ': ' & ($exists($readError.Error) ? 'its results could not be read' : $unit($uncovered, 'account') & ' not covered'), ${LIMITS.title}),
        'description': $cut($join($flat([
          'The abuse-alerts StackSet\\u0027s operation ' & $operation & ' ended ' & $status & '. ' &
            ($uncovered > 0 ? $unit($count($failed), 'stack instance') & ' failed in ' & $unit($uncovered, 'account') & ': ' & $lost($array($distinct($failed.region))) : ($exists($readError.Error) ? '' : 'No stack instance failed.')),
          $cancelled > 0 ? $unit($cancelled, 'stack instance') & ' were cancelled once the failures passed the tolerance: they keep the stack they had (none, for a new one) until the operation runs again.',
          $truncated ? 'Only the first ' & ${RESULTS_PAGE_SIZE * RESULTS_PAGES} & ' results were read: npm run coverage has the rest.',
          $exists($readError.Error) ? 'Its results could not be read (' & $readError.Error & ': ' & $cut($readError.Cause, 200) & '): npm run coverage lists them.',
          '',
          $groups.line
        ]), '\\n'), ${LIMITS.description}),
        'nextSteps': [$steps($groups).$cut($, ${LIMITS.nextStep})],
        'keywords': [['coverage', 'rollout', $status].$cut($, ${LIMITS.keyword})]
      },
      'metadata': {
        'threadId': 'coverage/operation/' & $operation,
        'summary': $cut('abuse-alerts: StackSet rollout ' & $status & ', ' & $unit($uncovered, 'account') & ' not covered', 200),
        'eventType': 'StackSetOperation' & $status,
        'relatedResources': [$d.'stack-set-arn'],
        'additionalContext': { 'operation': $operation, 'status': $status, 'uncovered': $string($uncovered), 'cancelled': $string($cancelled) }
      }
    }
  )`;
}

/**
 * The notice of a window's instance failures that no operation summary covered: reads `$failed`
 * (two or more), `$windowStart` and `$windowEnd` (epoch milliseconds).
 */
export function windowSummary(callAs: CallAs): string {
  return `(${HELPERS}
    ${ARRAY}
    ${groupsExpression(callAs)}
    $from := $fromMillis($windowStart, '[H01]:[m01]');
    $to := $fromMillis($windowEnd, '[H01]:[m01] UTC, [Y0001]-[M01]-[D01]');
    {
      'version': '1.0',
      'source': 'custom',
      'content': {
        'textType': 'client-markdown',
        'title': $cut(':warning: Not covered: ' & $unit($uncovered, 'account') & ' the StackSet could not deploy to, ' & $from & '–' & $to, ${LIMITS.title}),
        'description': $cut($join($flat([
          'Between ' & $from & ' and ' & $to & ' the abuse-alerts StackSet could not deploy the forwarder to ' & $unit($uncovered, 'account') & ' (' & $unit($count($failed), 'stack instance') & '), outside any rollout: accounts that joined or moved into the target OUs. ' & $lost($array($distinct($failed.region))),
          '',
          $groups.line
        ]), '\\n'), ${LIMITS.description}),
        'nextSteps': [$steps($groups).$cut($, ${LIMITS.nextStep})],
        'keywords': [['coverage', 'auto-deployment'].$cut($, ${LIMITS.keyword})]
      },
      'metadata': {
        'threadId': 'coverage/window/' & $string($windowStart),
        'summary': $cut('abuse-alerts: ' & $unit($uncovered, 'account') & ' not covered', 200),
        'eventType': 'StackInstanceFailures',
        'relatedResources': [],
        'additionalContext': { 'uncovered': $string($uncovered), 'instances': $string($count($failed)) }
      }
    }
  )`;
}

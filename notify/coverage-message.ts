import { GLOBAL_EVENTS_BACKUP_REGION, GLOBAL_EVENTS_REGION } from "../config/schema";
import { CallAs, stackInstanceCommand, UNKNOWN_OU } from "../model/stackset-targets";
import { SCP_DENY, SCP_EXEMPTION, STACKSET_STACK_PATTERN } from "../model/stackset-failures";
import { literal } from "./asl";
import type { MessageOptions } from "./message";
import { LIMITS } from "./notification";

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

/**
 * A coverage notice: the forwarder StackSet could not deploy (or remove) an account's forwarder.
 * A JSONata block after the prelude, reading the StackSet's event.
 */
export function coverageMessage(options: MessageOptions): string {
  return `      $stack := $d.'stack-id';
      $region := $exists($stack) ? $split($stack, ':')[3] : 'an unknown region';
      $status := $d.'status-details'.'detailed-status';
      $reason := $d.'status-details'.'status-reason';
      $suspended := $status = 'SKIPPED_SUSPENDED_ACCOUNT';
      $removing := $d.action = 'DELETE';
      $scp := $contains($reason ? $reason : '', /${SCP_DENY.source}/i);
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
            $scp ? ${literal(`A service control policy denies the StackSet: ${SCP_EXEMPTION}.`)},
            $removing and $not($scp) ? ${literal(`Read AWS's reason above and fix it, then delete the stack ${STACKSET_STACK_PATTERN} in that account and region if it is still there.`)},
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
`;
}

import { jsonata, literal, sdk, State, StateMachineDefinition } from "./asl";
import {
  contactArguments,
  leftOutExpression,
  OpsTopic,
  postToOps,
  RETRY_BRIEFLY,
  sameContactExpression,
  ScopeArgs,
  scopeWalk,
  THROTTLED,
} from "./onboarding-scope";
import { SecurityContact } from "../config/schema";

/** The operations topic in us-east-1 is told when the reconcile repaired or failed to repair something. */
export interface ReconcileDefinitionArgs extends ScopeArgs, OpsTopic {
  contact: SecurityContact;
}

/** Accounts whose contacts are read and set at once: the Account API throttles. */
export const RECONCILE_CONCURRENCY = 5;

const OUTCOMES = ["set", "updated", "correct", "skipped", "failed"] as const;

/** One account: skip what is out of scope or not ACTIVE, read the contact, set it only when missing or different. */
function perAccount(args: ReconcileDefinitionArgs): Record<string, State> {
  const done = (outcome: string, reason = "''") =>
    jsonata(`{ 'accountId': $account, 'outcome': '${outcome}', 'reason': ${reason} }`);
  const failed = {
    ErrorEquals: ["States.ALL"],
    Next: "Failed",
    Assign: { failure: jsonata("$states.errorOutput.Error & ': ' & $states.errorOutput.Cause") },
  };
  return {
    "Take account": {
      Type: "Pass",
      Assign: {
        account: jsonata("$states.input.Id"),
        cursor: jsonata("$states.input.Id"),
        ouPath: [],
        parentType: jsonata("''"),
        failure: jsonata("''"),
      },
      Next: "Skip?",
    },
    "Skip?": {
      Type: "Choice",
      Choices: [
        {
          Condition: jsonata(`$states.input.State != 'ACTIVE' or ${leftOutExpression(args, "$account")}`),
          Next: "Skipped",
        },
        {
          Condition: jsonata(`$account = ${literal(args.managementAccountId)}`),
          Next: "Read contact",
        },
      ],
      Default: "Find parent",
    },
    ...scopeWalk("", args, { inScope: "Read contact", outOfScope: "Skipped", failed: "Failed" }),
    "Read contact": {
      Type: "Task",
      Resource: sdk("account", "getAlternateContact"),
      Arguments: jsonata(
        `$account = ${literal(args.managementAccountId)} ? { 'AlternateContactType': 'SECURITY' } : { 'AlternateContactType': 'SECURITY', 'AccountId': $account }`,
      ),
      Retry: THROTTLED,
      Catch: [
        {
          ErrorEquals: ["Account.ResourceNotFoundException"],
          Next: "Set contact",
          Assign: { missing: true },
        },
        failed,
      ],
      Assign: { missing: false },
      Next: "Same?",
      Output: jsonata("$merge([$states.input, { 'current': $states.result.AlternateContact }])"),
    },
    "Same?": {
      Type: "Choice",
      Choices: [
        { Condition: jsonata(sameContactExpression(args.contact, "$states.input.current")), Next: "Correct" },
      ],
      Default: "Set contact",
    },
    "Set contact": {
      Type: "Task",
      Resource: sdk("account", "putAlternateContact"),
      Arguments: contactArguments(args, args.contact, "$account"),
      Retry: THROTTLED,
      Catch: [failed],
      Output: jsonata(`{ 'accountId': $account, 'outcome': $missing ? 'set' : 'updated', 'reason': '' }`),
      End: true,
    },
    Correct: { Type: "Pass", Output: done("correct"), End: true },
    Skipped: { Type: "Pass", Output: done("skipped"), End: true },
    Failed: { Type: "Pass", Output: done("failed", "$failure ? $failure : $scopeError"), End: true },
  };
}

/** The summary, posted only when something was repaired or could not be. */
function summary(args: ReconcileDefinitionArgs): Record<string, State> {
  const repaired = "$totals.set + $totals.updated + $totals.failed";
  const description = `$join(['Set where missing: ' & $string($totals.set), 'Corrected: ' & $string($totals.updated), 'Already correct: ' & $string($totals.correct), 'Skipped (suspended, closing, excluded or out of scope): ' & $string($totals.skipped), 'Failed: ' & $string($totals.failed)] , '\\n') & ($count($notes) > 0 ? '\\n\\n' & $join($notes, '\\n') : '')`;
  const message = `{ 'version': '1.0', 'source': 'custom', 'content': { 'textType': 'client-markdown', 'title': '🛠️ SECURITY contacts reconciled: ' & $string($totals.set + $totals.updated) & ' repaired' & ($totals.failed > 0 ? ', ' & $string($totals.failed) & ' failed' : ''), 'description': ${description}, 'nextSteps': $totals.failed > 0 ? ['Check the Account API trusted access (aws organizations enable-aws-service-access --service-principal account.amazonaws.com), then read the reconcile execution'] : [] }, 'metadata': { 'summary': 'SECURITY contacts reconciled', 'eventType': 'contacts-reconcile' } }`;
  return {
    "Repaired?": {
      Type: "Choice",
      Choices: [{ Condition: jsonata(`${repaired} > 0`), Next: "Post summary" }],
      Default: "Done",
    },
    "Post summary": postToOps(args, message, {
      Output: jsonata("{ 'totals': $totals, 'posted': $states.result.MessageId }"),
      End: true,
    }),
    Done: { Type: "Succeed", Output: jsonata("{ 'totals': $totals }") },
  };
}

/**
 * The daily reconcile of SECURITY contacts (EventBridge Scheduler starts it): a page of
 * ListAccounts per execution, its accounts at RECONCILE_CONCURRENCY at once; then the execution
 * starts the next page's with the totals so far ("continue as new": an execution's history stays
 * small whatever the organization's size), and the last one posts the summary.
 */
export function reconcileDefinition(args: ReconcileDefinitionArgs): StateMachineDefinition {
  const zero = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0]));
  const tally = `{ ${OUTCOMES.map((outcome) => `'${outcome}': $totals.${outcome} + $count($states.result[outcome = '${outcome}'])`).join(", ")} }`;
  return {
    Comment:
      "abuse-alerts: every covered ACTIVE account's SECURITY contact read, and set where missing or different",
    QueryLanguage: "JSONata",
    TimeoutSeconds: 6 * 3600,
    StartAt: "List accounts",
    States: {
      "List accounts": {
        Type: "Task",
        Resource: sdk("organizations", "listAccounts"),
        Arguments: jsonata(
          "$exists($states.input.NextToken) ? { 'NextToken': $states.input.NextToken } : {}",
        ),
        Retry: THROTTLED,
        Assign: {
          accounts: jsonata("$append([], $states.result.Accounts)"),
          nextToken: jsonata("$exists($states.result.NextToken) ? $states.result.NextToken : ''"),
          totals: jsonata(
            `$exists($states.input.totals) ? $states.input.totals : ${JSON.stringify(zero).replace(/"/g, "'")}`,
          ),
          notes: jsonata("$exists($states.input.notes) ? $states.input.notes : []"),
        },
        Next: "Contacts",
      },
      Contacts: {
        Type: "Map",
        Items: jsonata("$accounts"),
        MaxConcurrency: RECONCILE_CONCURRENCY,
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Take account",
          States: perAccount(args),
        },
        Assign: {
          totals: jsonata(tally),
          // Which accounts were repaired or failed, twenty at most.
          notes: jsonata(
            "( $n := $append($notes, $states.result[outcome in ['set', 'updated', 'failed']].(accountId & ': ' & outcome & (reason ? ' (' & reason & ')' : ''))); $count($n) > 20 ? $n[[0..19]] : $n )",
          ),
        },
        Next: "More?",
      },
      "More?": {
        Type: "Choice",
        Choices: [{ Condition: jsonata("$nextToken != ''"), Next: "Next page" }],
        Default: "Repaired?",
      },
      "Next page": {
        Type: "Task",
        Resource: "arn:aws:states:::states:startExecution",
        Arguments: {
          StateMachineArn: jsonata("$states.context.StateMachine.Id"),
          Input: jsonata("{ 'NextToken': $nextToken, 'totals': $totals, 'notes': $notes }"),
        },
        Retry: RETRY_BRIEFLY,
        End: true,
      },
      ...summary(args),
    },
  };
}

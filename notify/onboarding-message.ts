import { list, literal } from "./asl";

/**
 * The one message an onboarding posts, as JSONata over the workflow's variables: the account, its
 * OU, how it joined; the forwarder (covered in each region with the probe's delivery time, or not
 * covered with AWS's reason and the fix); the SECURITY contact. A Chatbot custom notification.
 */
export interface OnboardingMessageArgs {
  regions: readonly string[];
  memberRoleName: string;
  deployment: "direct" | "stackset";
  /** The contact the workflow sets, shown as `Name <email>`; none: the key is not set. */
  contactLabel?: string;
}

/** Variables the message reads: $accountId, $accountName, $ouPath, $trigger, $outcome, $reason, $probes, $contactSet, $contactError. */
export function onboardingMessage(args: OnboardingMessageArgs): string {
  const regions = `$join(${list(args.regions)}, ' and ')`;
  const joined =
    "$trigger = 'CreateAccountResult' ? 'created' : ($trigger = 'MoveAccount' ? 'moved into the scope' : 'joined by invitation')";
  const delivered = "$max($probes[$exists(seconds)].seconds)";
  const missing = "$join($probes[$not($exists(seconds))].region, ' and ')";
  const role = literal(args.memberRoleName);
  const forwarder = [
    `$outcome = 'covered' ? 'Covered in ' & ${regions} & ', probe delivered in ' & $string(${delivered}) & ' s'`,
    `$outcome = 'direct' ? 'Not covered yet: in direct mode the next pulumi up deploys its forwarder'`,
    `$outcome = 'role' ? 'Not covered: cannot assume ' & ${role} & ' (' & $reason & ')'`,
    `$outcome = 'stacks' ? 'Not covered: the forwarder StackSet failed: ' & $reason`,
    `$outcome = 'stacks-timeout' ? 'Not covered: the forwarder StackSet did not reach the account within an hour (' & $reason & ')'`,
    `$outcome = 'probe' ? 'Not covered in ' & ${missing} & ': the probe did not arrive within 10 minutes'`,
    `'Not covered: the OU path could not be read (' & $reason & ')'`,
  ].join(" : ");
  const fix = [
    `$outcome = 'role' ? 'Create ' & ${role} & ' in ' & $accountId & ', trusted by the management account (Organizations creates it in accounts it creates), then: npm run send-test-event -- --account ' & $accountId & ' --wait'`,
    `$outcome = 'stacks' or $outcome = 'stacks-timeout' ? 'Read the instance: aws cloudformation list-stack-instances --stack-set-name abuse-alerts-forwarder --stack-instance-account ' & $accountId & '; fix its cause (often an SCP), then npm run doctor'`,
    `$outcome = 'probe' ? 'Trace it hop by hop: npm run send-test-event -- --account ' & $accountId & ' --region ' & $probes[$not($exists(seconds))][0].region & ' --wait'`,
    `$outcome = 'direct' ? 'Run pulumi up'`,
    `$outcome = 'covered' ? null : 'Run npm run doctor'`,
  ].join(" : ");
  const contact = args.contactLabel
    ? `$contactSet ? 'SECURITY contact set: ' & ${literal(args.contactLabel)} : 'SECURITY contact not set: ' & $contactError & ' (the daily reconcile tries again)'`
    : "'SECURITY contact left as it is: abuse-alerts:securityContact is not set'";
  const title = `($outcome = 'covered' ? '✅ ' : '⚠️ ') & 'Account ' & $accountName & ' (' & $accountId & ') ' & (${joined}) & ($outcome = 'covered' ? ': covered' : ': not covered')`;
  const description = `$join(['*Account:* ' & $accountName & ' (' & $accountId & '), ' & (${joined}), '*OU:* ' & ($count($ouPath) > 0 ? $join($reverse($ouPath), ' / ') : 'unknown'), '*Forwarder:* ' & (${forwarder}), '*Contact:* ' & (${contact})], '\\n')`;
  return `{ 'version': '1.0', 'source': 'custom', 'content': { 'textType': 'client-markdown', 'title': ${title}, 'description': ${description}, 'nextSteps': $append([], [${fix}, ($contactSet or ${args.contactLabel ? "false" : "true"}) ? null : 'Check the Account API trusted access: aws organizations enable-aws-service-access --service-principal account.amazonaws.com'][$type($) = 'string']) }, 'metadata': { 'threadId': 'onboarding-' & $accountId, 'summary': 'Onboarding of ' & $accountId & ': ' & $outcome, 'eventType': 'onboarding', 'additionalContext': { 'accountId': $accountId, 'outcome': $outcome } } }`;
}

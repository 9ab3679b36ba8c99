import { roleArn, stateMachineArn } from "./arns";
import { EventPattern } from "./patterns";

/**
 * Onboarding: an account that joins the scope gets its SECURITY contact and a proven forwarder,
 * announced once, with nobody acting. Organizations records its events in CloudTrail in the
 * management account, us-east-1 only; the rules live on that account's default bus there.
 */

export const ONBOARDING_STATE_MACHINE_NAME = "abuse-alerts-onboarding";
export const RECONCILE_STATE_MACHINE_NAME = "abuse-alerts-contacts-reconcile";
/** A prober per hub region: Step Functions calls no other region, so each region puts its own probe. */
export const proberStateMachineName = (region: string) => `abuse-alerts-prober-${region}`;
export const ONBOARDING_ROLE_NAME = "abuse-alerts-onboarding";
export const proberRoleName = (region: string) => `abuse-alerts-prober-${region}`;
export const RECONCILE_SCHEDULE_ROLE_NAME = "abuse-alerts-contacts-schedule";
/** The central account's role the management account's workflows read probes and post through. */
export const ONBOARDING_RELAY_ROLE_NAME = "abuse-alerts-onboarding-relay";

export const onboardingStateMachineArn = (managementAccountId: string, region: string) =>
  stateMachineArn(region, managementAccountId, ONBOARDING_STATE_MACHINE_NAME);
export const reconcileStateMachineArn = (managementAccountId: string, region: string) =>
  stateMachineArn(region, managementAccountId, RECONCILE_STATE_MACHINE_NAME);
export const proberStateMachineArn = (managementAccountId: string, region: string) =>
  stateMachineArn(region, managementAccountId, proberStateMachineName(region));
export const onboardingRelayRoleArn = (centralAccountId: string) =>
  roleArn(centralAccountId, ONBOARDING_RELAY_ROLE_NAME);

/** The onboarding workflow asks each region's prober for a probe with this event, on its own default bus. */
export const PROBE_REQUEST_SOURCE = "abuse-alerts.onboarding";
export const PROBE_REQUEST_DETAIL_TYPE = "Onboarding probe request";

const ORGANIZATIONS = { source: ["aws.organizations"] };
const SERVICE_EVENT = "AWS Service Event via CloudTrail";
const API_CALL = "AWS API Call via CloudTrail";
const EVENT_SOURCE = ["organizations.amazonaws.com"];

/** Account IDs a pattern leaves out; `anything-but` needs a non-empty list. */
const notExcluded = (excluded: readonly string[]) =>
  excluded.length > 0 ? [{ "anything-but": [...excluded] }] : [{ exists: true }];

/**
 * The three ways an account joins the scope, as patterns on the management account's default bus:
 * - created: `CreateAccountResult`, a service event, only when its state is SUCCEEDED
 *   (Control Tower's account factory calls CreateAccount, so it ends here too);
 * - invited: `AccountJoinedOrganization`, the service event Organizations records in the management
 *   account when an invitation is accepted (AcceptHandshake itself is logged in the invited
 *   account's trail, which the management account's bus never sees); only joinedMethod INVITED,
 *   since a created account has its CreateAccountResult;
 * - moved: a successful `MoveAccount` API call. Whether the destination lies at any depth below a
 *   configured OU, and the source outside them, no pattern can say: the workflow walks both paths.
 * Excluded accounts are left out where the event names the account in a known field; the
 * workflow checks again.
 */
export function onboardingPatterns(
  excluded: readonly string[],
): Record<"created" | "invited" | "moved", EventPattern> {
  return {
    created: {
      ...ORGANIZATIONS,
      "detail-type": [SERVICE_EVENT],
      detail: {
        eventSource: EVENT_SOURCE,
        eventName: ["CreateAccountResult"],
        serviceEventDetails: {
          createAccountStatus: { state: ["SUCCEEDED"], accountId: notExcluded(excluded) },
        },
      },
    },
    invited: {
      ...ORGANIZATIONS,
      "detail-type": [SERVICE_EVENT],
      detail: {
        eventSource: EVENT_SOURCE,
        eventName: ["AccountJoinedOrganization"],
        serviceEventDetails: { joinedMethod: [{ "equals-ignore-case": "invited" }] },
      },
    },
    moved: {
      ...ORGANIZATIONS,
      "detail-type": [API_CALL],
      detail: {
        eventSource: EVENT_SOURCE,
        eventName: ["MoveAccount"],
        errorCode: [{ exists: false }],
        requestParameters: { accountId: notExcluded(excluded) },
      },
    },
  };
}

/**
 * The joining account's ID in any of the three events, as JSONata over the event (`$e`):
 * CreateAccountResult's status, MoveAccount's request, or AccountJoinedOrganization's details.
 */
export const JOINING_ACCOUNT_EXPRESSION =
  "$e.detail.serviceEventDetails.createAccountStatus.accountId ? $e.detail.serviceEventDetails.createAccountStatus.accountId : ($e.detail.requestParameters.accountId ? $e.detail.requestParameters.accountId : $e.detail.serviceEventDetails.accountId)";

/** The probe's item in the state table: one per account and region, each region writing its own. */
export const probePartition = (probeId: string) => `probe#${probeId}`;

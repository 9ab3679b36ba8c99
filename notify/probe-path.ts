import { jsonata, State } from "./asl";
import { PUT_ITEM } from "./case-table";
import { probePartition } from "../model/onboarding";
import { EXPIRES_AT, RETENTION_SECONDS, STATE_TABLE_NAME } from "../model/state-table";

/** Where an onboarding probe's path starts. */
export const PROBE_PATH = "Probe: record arrival";

/** JSONata: the event is an onboarding probe (a test event carrying `detail.probe`). */
export const IS_PROBE = "$kind = 'test' and $exists($event.detail.probe.id)";

/**
 * An onboarding probe reached the central bus: record its arrival, an item per probe and region
 * (a global table keeps the last writer's whole item, so each region writes its own), and post
 * nothing: the onboarding workflow reads the items and posts once for the account.
 */
export function probePath(): Record<string, State> {
  return {
    [PROBE_PATH]: {
      Type: "Task",
      Resource: PUT_ITEM,
      Arguments: {
        TableName: STATE_TABLE_NAME,
        Item: jsonata(
          `{ 'pk': { 'S': '${probePartition("")}' & $event.detail.probe.id }, 'sk': { 'S': $event.region }, 'accountId': { 'S': $accountId }, 'sentAt': { 'S': $event.detail.probe.sentAt }, 'arrivedAt': { 'S': $states.context.State.EnteredTime }, 'execution': { 'S': $states.context.Execution.Id }, '${EXPIRES_AT}': { 'N': $string($floor($toMillis($states.context.State.EnteredTime) / 1000) + ${RETENTION_SECONDS}) } }`,
        ),
      },
      Retry: [
        {
          ErrorEquals: ["States.ALL"],
          IntervalSeconds: 1,
          BackoffRate: 2,
          MaxAttempts: 5,
          JitterStrategy: "FULL",
        },
      ],
      Output: jsonata("{ 'probe': $event.detail.probe.id, 'region': $event.region }"),
      End: true,
    },
  };
}

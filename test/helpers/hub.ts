import { strict as assert } from "node:assert";
import { contextsFromOrganization } from "../../sim/account-context";
import { HubOptions, OfflineHub, Published } from "../../sim/hub";
import { ExecutionResult } from "../../sim/step-functions";
import { sampleEvents } from "../../tools/examples";
import { exampleOrg, MANAGEMENT, SECURITY_CONTACT } from "./example-org";

/** Processed 1 h 45 min after the sample DoS report started (2026-11-19 08:14:03 UTC). */
export const START = new Date("2026-11-19T09:59:03Z");
/** Its reply-by: the notice asks for a reply within 24 hours of its start. */
export const REPLY_BY = new Date("2026-11-20T08:14:03Z");
/** The sample DoS report's case: account 222222222221 and a hash of its eventArn. */
export const DOS_CASE = "222222222221-4f178e4c08f8";
/** A PagerDuty routing key, as the stack's secret holds one. */
export const ROUTING_KEY = "R0ut1ngKeyOfTheOnCallService0032";

export const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
export const HOUR = 3600;

type Event = Record<string, unknown>;
type Detail = Record<string, unknown>;

/** A sample event, to change freely. */
export function sample(name: string): Event {
  const found = sampleEvents().find((fixture) => fixture.name === name);
  assert.ok(found, name);
  return structuredClone(found.event);
}

/** The sample with its detail changed. */
export function withDetail(event: Event, changes: Detail): Event {
  return { ...event, detail: { ...(event.detail as Detail), ...changes } };
}

/** AWS's copy of an event in its backup region. */
export const backupCopy = (event: Event): Event => ({
  ...withDetail(event, { backupEvent: "true" }),
  region: "us-west-2",
});

/** The hub of the example stack: two regions, the example organization's context, [6, 1] reminders. */
export function startHub(options: Partial<HubOptions> = {}): Promise<OfflineHub> {
  const escalatedTo = [
    ...(options.escalation?.emails ? ["oncall@example.com"] : []),
    ...(options.escalation?.pagerDutyRoutingKey ? ["PagerDuty"] : []),
  ];
  return OfflineHub.start({
    start: START,
    directoryAccountId: MANAGEMENT,
    contexts: contextsFromOrganization(exampleOrg(), SECURITY_CONTACT),
    message: {
      accountTags: ["owner", "team", "environment"],
      securityContactConfigured: true,
      stackSetCallAs: "SELF",
      reminders: [6, 1],
      escalatedTo,
    },
    ...options,
  });
}

/** The posts, as [time, region, title]: what the thread reads. */
export const timeline = (posts: Published[]) =>
  posts.map((post) => [post.time.toISOString(), post.region, post.notification?.content.title ?? ""]);

/** Every execution's end, by name (the notify workflow's are numbered). */
export async function ends(
  hub: OfflineHub,
): Promise<{ name: string; region: string; result: ExecutionResult }[]> {
  return Promise.all(
    hub.sfn.all().map(async (started) => ({
      name: started.executionArn.split(":").pop() ?? "",
      region: started.executionArn.split(":")[3],
      result: await started.done,
    })),
  );
}

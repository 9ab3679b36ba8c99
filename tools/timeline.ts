import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { paragraph, renderTable } from "../lib/tables";
import { OfflineHub } from "../sim/hub";
import { PreviewOptions, previewMessageOptions } from "./preview-options";

/** One thing a case does, and when. */
export interface TimelineEntry {
  time: Date;
  what: string;
  text: string;
}

/** What a post is, by the emoji its title starts with. */
function postKind(title: string, first: boolean): string {
  if (title.startsWith(":alarm_clock:")) return "reminder";
  if (title.startsWith(":red_circle:")) return "overdue post";
  if (title.startsWith(":ballot_box_with_check:")) return "acknowledged";
  if (title.startsWith(":white_check_mark:")) return "resolved";
  return first ? "first post" : "update";
}

/** A stand-in routing key: the timeline shows that PagerDuty is called, never the stack's key. */
const OFFLINE_ROUTING_KEY = "0fflinePreviewRoutingKey00000000";

/**
 * The posts a case makes, and when, if nobody acknowledges it: the event delivered at `now` to
 * its region's hub, and the notify and case workflows run offline on a virtual clock against a
 * global table, to the end. The emails and PagerDuty events of its escalation are listed too.
 */
export async function caseTimeline(
  event: Record<string, unknown>,
  options: PreviewOptions & { now: Date },
): Promise<TimelineEntry[]> {
  const region = typeof event.region === "string" ? event.region : GLOBAL_EVENTS_REGION;
  const hub = await OfflineHub.start({
    start: options.now,
    regions: [...new Set([GLOBAL_EVENTS_REGION, region])],
    centralAccountId: options.centralAccountId,
    directoryAccountId: options.directoryAccountId ?? "100000000001",
    contexts: options.contexts ?? {},
    message: previewMessageOptions(options),
    escalation: {
      emails: (options.escalation?.emails.length ?? 0) > 0,
      pagerDutyRoutingKey: options.escalation?.pagerDuty ? OFFLINE_ROUTING_KEY : undefined,
    },
  });
  try {
    void hub.deliver(event, region, options.now);
    await hub.run();
  } finally {
    await hub.stop();
  }
  const entries: TimelineEntry[] = hub.published.map((published, index) => {
    if (published.email) {
      return {
        time: published.time,
        what: "email",
        text: `to ${options.escalation?.emails.join(", ") ?? ""}: ${published.email.subject}`,
      };
    }
    const title = published.notification?.content.title ?? "";
    const what = published.topic === "ops" ? "operations" : postKind(title, index === 0);
    return { time: published.time, what, text: title };
  });
  for (const sent of hub.pagerDuty.events) {
    entries.push({ time: sent.time, what: "PagerDuty", text: `${sent.action}, dedup key ${sent.dedupKey}` });
  }
  return entries.sort((a, b) => a.time.getTime() - b.time.getTime());
}

const utc = (time: Date) => time.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** The timeline as a table, and what stops it. */
export function renderTimeline(entries: readonly TimelineEntry[]): string {
  const followed = entries.some((entry) => entry.what === "overdue post" || entry.what === "reminder");
  const closed = entries.some((entry) => entry.what === "resolved");
  return [
    paragraph(
      "The case's timeline if nobody acknowledges it (the notify and case workflows run offline on a virtual clock):",
    ),
    renderTable(
      ["When", "What", "Post"],
      entries.map((entry) => [utc(entry.time), entry.what, entry.text]),
    ),
    paragraph(
      followed
        ? "Acknowledging (the Acknowledge button, or npm run ack -- --case <id>) stops the steps after it, and so does AWS closing the report."
        : closed
          ? "Nothing is due: AWS closed this report, so there is no reply-by, reminder or escalation."
          : "No reminders: only an open abuse report has a reply-by. Acknowledging records who took it.",
    ),
  ].join("\n");
}

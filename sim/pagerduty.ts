import { Endpoint, HttpRequest, HttpResponse } from "./http";

/**
 * PagerDuty's Events API v2 (`POST https://events.pagerduty.com/v2/enqueue`) offline, as its
 * developer documentation describes it: a `routing_key` of 32 characters; `event_action` trigger,
 * acknowledge or resolve; a `dedup_key` of at most 255 characters (required to acknowledge or
 * resolve); a trigger's `payload` with `summary` (at most 1,024), `source` and `severity`
 * (critical, error, warning or info). A valid event is 202 with its dedup_key; an invalid one,
 * 400. Events with the same routing key and dedup key make one alert, open until resolved.
 */

export interface PagerDutyEvent {
  time: Date;
  routingKey: string;
  action: string;
  dedupKey: string;
  body: Record<string, unknown>;
}

const SEVERITIES = ["critical", "error", "warning", "info"];

/** Why an event is refused, or nothing when it is valid. */
export function invalidEvent(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const text = (value: unknown): value is string => typeof value === "string";
  if (!text(body.routing_key) || body.routing_key.length !== 32) {
    problems.push("routing_key must be a 32 character integration key");
  }
  if (!["trigger", "acknowledge", "resolve"].includes(String(body.event_action))) {
    problems.push("event_action must be trigger, acknowledge or resolve");
  }
  if (body.dedup_key !== undefined && (!text(body.dedup_key) || body.dedup_key.length > 255)) {
    problems.push("dedup_key must be text of at most 255 characters");
  }
  if (body.event_action !== "trigger" && !text(body.dedup_key)) {
    problems.push("dedup_key is required to acknowledge or resolve");
  }
  if (body.event_action === "trigger") {
    const payload = (body.payload ?? {}) as Record<string, unknown>;
    if (!text(payload.summary) || payload.summary.length > 1024) {
      problems.push("payload.summary is required, at most 1024 characters");
    }
    if (!text(payload.source) || payload.source === "") problems.push("payload.source is required");
    if (!SEVERITIES.includes(String(payload.severity))) {
      problems.push("payload.severity must be critical, error, warning or info");
    }
  }
  return problems;
}

export class PagerDutySim {
  /** Every event accepted, in order. */
  readonly events: PagerDutyEvent[] = [];
  /** Answers to give before the next ones, e.g. [429, 500]: rate limited, then an error. */
  readonly failNext: number[] = [];
  private readonly open = new Set<string>();

  /** The Events API endpoint, for an HttpTaskSim. */
  readonly endpoint: Endpoint = (request: HttpRequest): HttpResponse => {
    const status = this.failNext.shift();
    if (status !== undefined) return { status, body: { status: "error", message: `status ${status}` } };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const problems = invalidEvent(body);
    if (problems.length > 0) {
      return {
        status: 400,
        body: { status: "invalid event", message: "Event object is invalid", errors: problems },
      };
    }
    const routingKey = body.routing_key as string;
    const dedupKey =
      typeof body.dedup_key === "string" ? body.dedup_key : `generated-${this.events.length + 1}`;
    const action = String(body.event_action);
    this.events.push({ time: request.time, routingKey, action, dedupKey, body });
    const alert = `${routingKey} ${dedupKey}`;
    if (action === "trigger") this.open.add(alert);
    if (action === "resolve") this.open.delete(alert);
    return { status: 202, body: { status: "success", message: "Event processed", dedup_key: dedupKey } };
  };

  /** Whether the alert of this dedup key is open (triggered, not resolved). */
  isOpen(routingKey: string, dedupKey: string): boolean {
    return this.open.has(`${routingKey} ${dedupKey}`);
  }
}

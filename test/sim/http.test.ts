import { strict as assert } from "node:assert";
import { HTTP_INVOKE, HttpTaskSim } from "../../sim/http";
import { invalidEvent, PagerDutySim } from "../../sim/pagerduty";
import { TaskCall, TaskFailure } from "../../sim/step-functions";

const CONNECTION = "arn:aws:events:us-east-1:111111111111:connection/pagerduty/abc";
const URL = "https://events.pagerduty.com/v2/enqueue";
const KEY = "R0ut1ngKeyOfTheOnCallService0032";

const call = (args: Record<string, unknown>): TaskCall => ({
  state: "Call",
  resource: HTTP_INVOKE,
  arguments: { ApiEndpoint: URL, Method: "POST", Authentication: { ConnectionArn: CONNECTION }, ...args },
  time: new Date("2026-11-20T08:14:03Z"),
  executionArn: "arn:aws:states:us-east-1:111111111111:execution:abuse-alerts-case:case-x",
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "answered",
    (error: unknown) => (error instanceof TaskFailure ? error.error : String(error)),
  );

describe("the HTTP task offline, with EventBridge connections", () => {
  let http: HttpTaskSim;
  let pagerDuty: PagerDutySim;
  beforeEach(() => {
    http = new HttpTaskSim();
    pagerDuty = new PagerDutySim();
    http.connect(CONNECTION, { headers: { "X-Abuse-Alerts": "pagerduty" }, bodies: { routing_key: KEY } });
    http.serve(URL, pagerDuty.endpoint);
  });

  it("merges the connection's body parameters into the request, the connection's value winning", async () => {
    const answer = (await http.answer(
      call({
        RequestBody: { event_action: "resolve", dedup_key: "case-1", routing_key: "from the definition" },
      }),
    )) as { StatusCode: number; ResponseBody: { dedup_key: string } };
    assert.equal(answer.StatusCode, 202);
    assert.equal(answer.ResponseBody.dedup_key, "case-1");
    assert.deepEqual(http.requests[0].body, {
      event_action: "resolve",
      dedup_key: "case-1",
      routing_key: KEY,
    });
    assert.equal(http.requests[0].headers["X-Abuse-Alerts"], "pagerduty");
    assert.equal(pagerDuty.events[0].routingKey, KEY);
  });

  it("fails as Step Functions does: a text body with body parameters, a reserved header, an unknown connection, no answer, a refusal", async () => {
    assert.equal(await failure(http.answer(call({ RequestBody: "event_action=trigger" }))), "States.Runtime");
    assert.equal(
      await failure(http.answer(call({ Headers: { Authorization: "Token x" }, RequestBody: {} }))),
      "States.Runtime",
    );
    assert.equal(
      await failure(
        http.answer(call({ Authentication: { ConnectionArn: `${CONNECTION}-gone` }, RequestBody: {} })),
      ),
      "Events.ConnectionResource.ResourceNotFound",
    );
    assert.equal(
      await failure(http.answer(call({ ApiEndpoint: "https://example.com/v2", RequestBody: {} }))),
      "States.Http.Socket",
    );
    assert.equal(
      await failure(http.answer(call({ RequestBody: { event_action: "trigger" } }))),
      "States.Http.StatusCode.400",
      "PagerDuty refuses a trigger without its payload",
    );
    pagerDuty.failNext.push(429);
    assert.equal(
      await failure(http.answer(call({ RequestBody: { event_action: "resolve", dedup_key: "x" } }))),
      "States.Http.StatusCode.429",
    );
  });
});

describe("PagerDuty's Events API v2 offline", () => {
  const trigger = {
    routing_key: KEY,
    event_action: "trigger",
    dedup_key: "case-1",
    payload: { summary: "Overdue", source: "abuse-alerts", severity: "critical" },
  };

  it("takes a valid trigger, and refuses what the API refuses", () => {
    assert.deepEqual(invalidEvent(trigger), []);
    assert.deepEqual(invalidEvent({ ...trigger, routing_key: "short" }), [
      "routing_key must be a 32 character integration key",
    ]);
    assert.deepEqual(invalidEvent({ ...trigger, payload: { ...trigger.payload, severity: "high" } }), [
      "payload.severity must be critical, error, warning or info",
    ]);
    assert.deepEqual(
      invalidEvent({ ...trigger, payload: { ...trigger.payload, summary: "x".repeat(1025) } }),
      ["payload.summary is required, at most 1024 characters"],
    );
    assert.deepEqual(invalidEvent({ routing_key: KEY, event_action: "resolve" }), [
      "dedup_key is required to acknowledge or resolve",
    ]);
  });

  it("keeps one alert per routing key and dedup key, open until resolved", () => {
    const pagerDuty = new PagerDutySim();
    const send = (body: object) =>
      pagerDuty.endpoint({
        url: URL,
        method: "POST",
        headers: {},
        query: {},
        body,
        connectionArn: "",
        time: new Date(),
      });
    void send(trigger);
    assert.ok(pagerDuty.isOpen(KEY, "case-1"));
    void send({ routing_key: KEY, event_action: "resolve", dedup_key: "case-1" });
    assert.ok(!pagerDuty.isOpen(KEY, "case-1"));
  });
});

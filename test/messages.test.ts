import { strict as assert } from "node:assert";
import {
  abuseNextSteps,
  coverageTransformer,
  messageTransformer,
  RISK_NEXT_STEPS,
} from "../components/messages";
import { parseCustomNotification } from "../components/notification";
import { centralRules } from "../components/rules";
import { deliveredEvent, testEventEntry } from "../components/test-event";
import { applyTransformer, MAX_TEMPLATE_LENGTH, validateTransformer } from "../eventbridge/transformer";
import { previewEvent } from "../scripts/preview";
import { renderPreview } from "../scripts/preview";
import { fixtureEvents, stackSetEvents } from "./helpers/fixtures";

type Health = { account: string; region: string; detail: Record<string, unknown> };
const descriptionOf = (event: Record<string, unknown>) =>
  ((event as Health).detail.eventDescription as { latestDescription: string }[])[0].latestDescription;

describe("Chatbot messages from the central rules' input transformers", () => {
  const laterPages = ["abuse/email-spam-page-2"]; // not posted at all: see below
  const posted = [...fixtureEvents("abuse"), ...fixtureEvents("risk")].filter(
    (fixture) => !laterPages.includes(fixture.name),
  );
  for (const { name, event } of posted) {
    it(`${name}: a valid, complete custom notification`, () => {
      const preview = previewEvent(event);
      assert.equal(preview.rules.length, 1, "exactly one rule posts it");
      const [{ rule, notification, error, message }] = preview.rules;
      assert.ok(notification, `${error}\n${message}`);
      const health = event as unknown as Health;
      const code = health.detail.eventTypeCode as string;
      assert.equal(notification.version, "1.0");
      assert.equal(notification.source, "custom");
      assert.equal(notification.content.textType, "client-markdown");
      assert.match(
        notification.content.title ?? "",
        new RegExp(
          `^:[a-z_]+: AWS (abuse report|account risk) ${code} in account ${health.account} \\(${health.region}\\)$`,
        ),
      );
      assert.equal(
        notification.content.description,
        descriptionOf(event),
        "AWS's own words, quotes, newlines and all",
      );
      const steps = notification.content.nextSteps ?? [];
      assert.deepEqual(
        steps.slice(-(rule.category === "abuse" ? abuseNextSteps(undefined) : RISK_NEXT_STEPS).length),
        rule.category === "abuse" ? abuseNextSteps(undefined) : RISK_NEXT_STEPS,
      );
      if (rule.category === "abuse")
        assert.match(
          steps[0],
          /Reply within 24 hours\* of the report \(started [A-Z][a-z]{2}, \d\d \w{3} \d{4}/,
        );
      assert.ok(
        steps.some((step) => step.includes(`eventID=${health.detail.eventArn as string}`)),
        "links the event in AWS Health",
      );
      assert.ok(steps.some((step) => step.startsWith("*Status*")));
      assert.equal(notification.metadata?.threadId, `${health.account}/${health.detail.eventArn as string}`);
      assert.equal(notification.metadata?.eventType, code);
      assert.deepEqual(notification.metadata?.relatedResources, (event as { resources: string[] }).resources);
      assert.deepEqual(notification.content.keywords, [rule.category, code, health.account]);
    });
  }

  it("names what a risk event affects, though its resources list is empty", () => {
    const [{ event }] = fixtureEvents("risk").filter(
      (fixture) => fixture.name === "risk/credentials-exposed",
    );
    const [{ notification }] = previewEvent(event).rules;
    assert.ok(notification?.content.nextSteps?.includes("*Affected* [AKIAIOSFODNN7EXAMPLE]"));
  });

  it("keeps non-ASCII text intact", () => {
    const [{ event }] = fixtureEvents("abuse").filter((fixture) => fixture.name === "abuse/copyright-dmca");
    const [{ notification }] = previewEvent(event).rules;
    assert.match(
      notification?.content.description ?? "",
      /Müller & Söhne .* „Der Sommer“ .* 東京映像株式会社 «Natsu»/,
    );
  });

  it("lists every resource of a long list", () => {
    const [{ event }] = fixtureEvents("abuse").filter(
      (fixture) => fixture.name === "abuse/port-scanning-many-resources",
    );
    const [{ notification }] = previewEvent(event).rules;
    assert.equal(notification?.metadata?.relatedResources?.length, 40);
    const line = notification?.content.nextSteps?.find((step) => step.startsWith("*Affected*")) ?? "";
    assert.equal(line.match(/i-0[0-9a-f]{16}/g)?.length, 40);
  });

  it("puts an update and a second delivery of an event in the same Slack thread", () => {
    const events = Object.fromEntries(fixtureEvents("abuse").map((fixture) => [fixture.name, fixture.event]));
    const thread = (event: Record<string, unknown>) =>
      previewEvent(event).rules[0].notification?.metadata?.threadId;
    const open = events["abuse/dos-report"];
    assert.equal(thread(events["abuse/dos-report-closed"]), thread(open));
    assert.equal(
      thread({ ...open, id: "another-delivery", region: "us-west-2" }),
      thread(open),
      "backup-region copy",
    );
    assert.notEqual(thread(events["abuse/pii-content-removal"]), thread(open));
  });

  it("does not post a later page of a paged event again", () => {
    const [{ event }] = fixtureEvents("abuse").filter(
      (fixture) => fixture.name === "abuse/email-spam-page-2",
    );
    const preview = previewEvent(event);
    assert.equal(preview.forwarded, true);
    assert.deepEqual(preview.rules, []);
    assert.deepEqual(renderPreview(event), {
      text: "Nothing would be posted: member accounts forward it, but no central rule posts it (a later page of a paged event is not posted again).",
      posted: false,
    });
  });

  it("fits EventBridge's limits: defined placeholders only, at most 100 paths and 8192 characters", () => {
    for (const rule of centralRules(["abuse", "risk"])) {
      validateTransformer(rule.transformer);
      assert.ok(rule.transformer.inputTemplate.length < MAX_TEMPLATE_LENGTH);
      // Free text never sits inside quotes, where EventBridge would not escape it.
      assert.match(rule.transformer.inputTemplate, /"description":<description>/);
      assert.doesNotMatch(rule.transformer.inputTemplate, /"<description>|<description>"/);
    }
  });
});

describe("test events", () => {
  const now = new Date("2026-11-21T10:00:00Z");
  for (const category of ["abuse", "risk"] as const) {
    it(`${category}: forwarded like a real event, posted by the test rule only, titled TEST`, () => {
      const entry = testEventEntry({
        category,
        accountId: "222222222221",
        region: "us-east-1",
        sentBy: "arn:aws:sts::100000000001:assumed-role/Admin/me",
        now,
      });
      const event = deliveredEvent(entry, { id: "test-id", accountId: "222222222221", region: "us-east-1" });
      const preview = previewEvent(event);
      assert.equal(preview.forwarded, true);
      assert.deepEqual(
        preview.rules.map((rule) => rule.rule.name),
        [`abuse-alerts-${category}-test`],
      );
      const notification = preview.rules[0].notification;
      assert.ok(notification, preview.rules[0].error);
      assert.match(notification.content.title ?? "", /^TEST :test_tube: /);
      assert.match(
        notification.content.description,
        /^TEST\. This event was sent by arn:aws:sts::100000000001:assumed-role\/Admin\/me/,
      );
      assert.match(notification.content.nextSteps?.[0] ?? "", /This is a test\*/);
      assert.equal(notification.metadata?.summary?.startsWith("TEST "), true);
    });
  }

  it("never posts a real event with the TEST title, nor a test event with the real one", () => {
    const testRules = centralRules(["abuse", "risk"]).filter((rule) => rule.test);
    for (const { event } of fixtureEvents("abuse")) {
      assert.ok(previewEvent(event).rules.every((preview) => !preview.rule.test));
    }
    assert.equal(testRules.length, 2);
    for (const rule of testRules)
      assert.deepEqual((rule.pattern as { source: string[] }).source, ["abuse-alerts.test"]);
  });

  it("ignores a test-source event that is not shaped like a Health abuse or risk event", () => {
    const entry = testEventEntry({
      category: "abuse",
      accountId: "222222222221",
      region: "us-east-1",
      sentBy: "me",
      now,
    });
    const event = deliveredEvent(entry, { id: "x", accountId: "222222222221", region: "us-east-1" });
    const notHealth = { ...event, detail: { ...event.detail, service: "EC2" } };
    assert.equal(previewEvent(notHealth).forwarded, false);
    assert.deepEqual(previewEvent(notHealth).rules, []);
  });

  it("the abuse and risk messages differ in their advice", () => {
    const abuse = messageTransformer("abuse", { test: false }).inputTemplate;
    const risk = messageTransformer("risk", { test: false }).inputTemplate;
    assert.match(abuse, /Reply within 24 hours/);
    assert.doesNotMatch(risk, /Reply within 24 hours/);
    assert.match(risk, /CloudTrail/);
  });
});

describe("coverage alerts: a failed stack instance of the forwarder StackSet", () => {
  for (const name of ["instance-failed-scp", "instance-suspended"]) {
    it(`${name}: a valid custom notification naming the stack, its status and AWS's reason`, () => {
      const { event } = stackSetEvents().find((fixture) => fixture.name === name) ?? assert.fail(name);
      const detail = event.detail as { "stack-id": string; "status-details": Record<string, string> };
      const message = applyTransformer(coverageTransformer(), event as never, {
        ruleArn: "arn:aws:events:us-east-1:111111111111:rule/abuse-alerts/abuse-alerts-coverage",
        ruleName: "abuse-alerts-coverage",
        ingestionTime: "2026-11-20T09:12:45Z",
      });
      const notification = parseCustomNotification(message);
      assert.match(notification.content.description, new RegExp(detail["stack-id"].replace(/[/.]/g, "\\$&")));
      assert.match(notification.content.title ?? "", new RegExp(detail["status-details"]["detailed-status"]));
      assert.equal(notification.content.nextSteps?.[0], detail["status-details"]["status-reason"]);
      assert.equal(notification.metadata?.threadId, `coverage/${detail["stack-id"]}`);
    });
  }
});

describe("the abuse message says where AWS sent the report", () => {
  const { event } =
    fixtureEvents("abuse").find((fixture) => fixture.name === "abuse/dos-report") ?? assert.fail();
  const replyStepOf = (securityContactEmail?: string) =>
    previewEvent(event, { securityContactEmail }).rules[0].notification?.content.nextSteps?.find((step) =>
      step.startsWith("Reply to the abuse report email"),
    );

  it("the configured security contact's address, when set", () => {
    assert.match(
      replyStepOf("secops@example.com") ?? "",
      /\(sent to the security contact secops@example.com\)/,
    );
  });

  it("the account's root address otherwise, with the key that fixes it", () => {
    assert.match(
      replyStepOf() ?? "",
      /\(sent to the account's root email address, as no security contact is set: set abuse-alerts:securityContact\)/,
    );
  });
});

import { strict as assert } from "node:assert";
import { OfflineHub } from "../../sim/hub";
import { deliveredEvent, testEventEntry } from "../../model/test-event";
import { fromItem } from "../../model/state-table";
import { SLACK_ACKNOWLEDGER } from "../../notify/case-definition";
import { invalidEvent } from "../../sim/pagerduty";
import { MANAGEMENT } from "../helpers/example-org";
import {
  at,
  backupCopy,
  DOS_CASE,
  ends,
  HOUR,
  REPLY_BY,
  ROUTING_KEY,
  sample,
  START,
  startHub,
  timeline,
  withDetail,
} from "../helpers/hub";

const DOS_TITLE = ":rotating_light: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)";
const THREAD = `222222222221/${String((sample("abuse/dos-report").detail as Record<string, unknown>).eventArn)}`;

/** An update of the sample report: AWS changed its text at `time`, the report still open. */
const updated = (time: Date, status = "open") =>
  withDetail(sample("abuse/dos-report"), {
    lastUpdatedTime: time.toUTCString(),
    statusCode: status,
    eventDescription: [
      { language: "en_US", latestDescription: `Update of ${time.toISOString()}: ${status}.` },
    ],
  });

describe("a case posts once per update, however AWS delivers it (offline hub, two regions, virtual clock)", () => {
  let hub: OfflineHub;
  afterEach(() => hub.stop());

  it("a duplicate delivery, at the same moment or a second later, posts once", async () => {
    hub = await startHub();
    const report = sample("abuse/dos-report");
    void hub.deliver(report, "us-east-1", START);
    void hub.deliver(report, "us-east-1", START);
    void hub.deliver(report, "us-east-1", at(START, 1));
    await hub.run(at(START, HOUR));
    assert.deepEqual(timeline(hub.posts()), [[START.toISOString(), "us-east-1", DOS_TITLE]]);
    await hub.run();
    const notify = (await ends(hub)).filter((end) => end.name.startsWith("offline-"));
    assert.deepEqual(
      notify.map((end) => (end.result.output as { duplicate?: boolean }).duplicate ?? false),
      [false, true, true],
    );
  });

  it("an event without lastUpdatedTime or statusCode (as aws-health-tools' samples) posts once, its update recorded with '-' for both", async () => {
    hub = await startHub();
    const report = sample("abuse/dos-report");
    const detail = { ...(report.detail as Record<string, unknown>) };
    delete detail.lastUpdatedTime;
    delete detail.statusCode;
    const bare = { ...report, detail };
    void hub.deliver(bare, "us-east-1", START);
    void hub.deliver(bare, "us-east-1", at(START, 2));
    void hub.deliver({ ...bare, account: MANAGEMENT }, "us-east-1", at(START, 5));
    await hub.run(at(START, HOUR));
    assert.deepEqual(timeline(hub.posts()), [[START.toISOString(), "us-east-1", DOS_TITLE]]);
    const record = (await hub.table.items("us-east-1")).map((item) => fromItem(item));
    const updates = record.filter((item) => String(item.sk).startsWith("update#"));
    assert.deepEqual(
      updates.map((item) => [item.lastUpdatedTime, item.statusCode]),
      [["-", "-"]],
    );
  });

  it("the management account's copy (AWS Health's organizational view) posts once, in the same thread", async () => {
    hub = await startHub();
    const report = sample("abuse/dos-report");
    void hub.deliver(report, "us-east-1", START);
    void hub.deliver({ ...report, account: MANAGEMENT }, "us-east-1", at(START, 3));
    await hub.run(at(START, HOUR));
    assert.equal(hub.posts().length, 1);
    assert.equal(hub.posts()[0].notification?.metadata?.threadId, THREAD);
  });

  for (const delay of [0, 20]) {
    it(`the backup region's copy ${delay ? `${delay} s later` : "at the same moment"} posts nothing: the primary's claim reached it first`, async () => {
      hub = await startHub();
      const report = sample("abuse/dos-report");
      void hub.deliver(report, "us-east-1", START);
      void hub.deliver(backupCopy(report), "us-west-2", at(START, delay));
      await hub.run(at(START, HOUR));
      assert.deepEqual(timeline(hub.posts()), [[START.toISOString(), "us-east-1", DOS_TITLE]]);
      await hub.run();
      const west = (await ends(hub)).find((end) => end.region === "us-west-2");
      assert.deepEqual(west?.result.output, { duplicate: true, case: DOS_CASE, update: "4dcc51d28b29" });
      assert.equal(west?.result.stopDate.getTime(), at(START, delay + 900).getTime(), "after 15 minutes");
    });
  }

  it("the backup region's copy alone posts after 15 minutes, saying why, and its region follows the case", async () => {
    hub = await startHub();
    void hub.deliver(backupCopy(sample("abuse/dos-report")), "us-west-2", START);
    await hub.run();
    const [first, ...rest] = hub.posts();
    assert.equal(first.time.toISOString(), at(START, 900).toISOString());
    assert.equal(first.region, "us-west-2");
    assert.equal(first.notification?.content.title, `${DOS_TITLE} (backup region copy)`);
    assert.match(
      first.notification?.content.description ?? "",
      /^_Posted from AWS's backup region us-west-2: the primary region us-east-1 had not posted this update 15 minutes after the copy arrived\._/,
    );
    assert.ok(
      rest.length > 0 && rest.every((post) => post.region === "us-west-2"),
      "reminders from us-west-2",
    );
    const followers = (await ends(hub)).filter((end) => end.name === `case-${DOS_CASE}`);
    assert.deepEqual(
      followers.map((end) => end.region),
      ["us-west-2"],
    );
  });

  it("an update posts once, in the case's thread, and starts no second set of reminders", async () => {
    hub = await startHub();
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    const update = updated(at(START, 2 * HOUR));
    void hub.deliver(update, "us-east-1", at(START, 2 * HOUR));
    void hub.deliver(backupCopy(update), "us-west-2", at(START, 2 * HOUR + 5));
    await hub.run(at(START, 3 * HOUR));
    const posts = hub.posts();
    assert.equal(posts.length, 2);
    assert.deepEqual(
      posts.map((post) => post.notification?.metadata?.threadId),
      [THREAD, THREAD],
    );
    assert.match(
      posts[0].notification?.content.description ?? "",
      /\*Case\* 222222222221-4f178e4c08f8\. Reminders/,
    );
    assert.match(posts[1].notification?.content.description ?? "", /\*Case\* 222222222221-4f178e4c08f8\n/);
    assert.match(posts[1].notification?.content.description ?? "", /Update of 2026-11-19T11:59:03.000Z/);
    await hub.run();
    const followers = (await ends(hub)).filter((end) => end.name.startsWith("case-"));
    assert.equal(followers.length, 1);
    assert.deepEqual(
      hub.posts().map((post) => post.notification?.content.title?.split(":")[1]),
      ["rotating_light", "rotating_light", "alarm_clock", "alarm_clock", "red_circle"],
    );
  });

  it("a risk notice is a case too: one post however delivered, recorded, no reminders", async () => {
    hub = await startHub();
    const notice = sample("risk/credentials-exposed");
    void hub.deliver(notice, "us-east-1", START);
    void hub.deliver(notice, "us-east-1", at(START, 2));
    void hub.deliver(backupCopy(notice), "us-west-2", START);
    await hub.run();
    assert.equal(hub.posts().length, 1);
    assert.match(
      hub.posts()[0].notification?.content.description ?? "",
      /\*Case\* 333333333333-[0-9a-f]{12}\. Acknowledging records who took it\./,
    );
    assert.ok(
      (await ends(hub)).every((end) => !end.name.startsWith("case-")),
      "no follower",
    );
    const record = (await hub.table.items("us-east-1"))
      .map(fromItem)
      .find((item) => item.sk === "case#us-east-1");
    assert.equal(record?.category, "risk");
    assert.equal(record?.follow, false);
  });

  it("a test event: one post however often delivered, at once in any region, and no reminders", async () => {
    hub = await startHub();
    const entry = testEventEntry({
      category: "abuse",
      accountId: "222222222221",
      region: "us-west-2",
      sentBy: "me",
      now: START,
    });
    const event = deliveredEvent(entry, { id: "test-1", accountId: "222222222221", region: "us-west-2" });
    void hub.deliver(event, "us-west-2", START);
    void hub.deliver(event, "us-west-2", at(START, 1));
    await hub.run();
    assert.deepEqual(
      timeline(hub.posts()).map(([time, region]) => [time, region]),
      [[START.toISOString(), "us-west-2"]],
      "a test is not AWS's copy: it does not wait for the primary region",
    );
    assert.match(hub.posts()[0].notification?.content.title ?? "", /^TEST :test_tube: /);
    assert.ok((await ends(hub)).every((end) => !end.name.startsWith("case-")));
  });

  it("a case-table outage does not stop the alert: it goes out at once, saying reminders are off, with no button", async () => {
    hub = await startHub();
    hub.table.outage("us-east-1");
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    await hub.run();
    const [post, ...others] = hub.posts();
    assert.equal(others.length, 0);
    assert.ok(post.time.getTime() - START.getTime() < 10_000, "after a few quick retries, not minutes");
    assert.match(
      post.notification?.content.description ?? "",
      /\*Case\* not kept: the case table failed \(DynamoDb?\.InternalServerError\), so this report has no reminders, no escalation and no Acknowledge button: watch its reply-by yourself\./,
    );
    assert.equal(post.notification?.metadata?.enableCustomActions, false);
    assert.equal(post.notification?.metadata?.additionalContext?.ackExecution, undefined);
    assert.ok((await ends(hub)).every((end) => !end.name.startsWith("case-")));
  });
});

describe("an open abuse case: reminders, overdue, escalation, acknowledgement (offline hub, virtual clock)", () => {
  let hub: OfflineHub;
  afterEach(() => hub.stop());

  it("is reminded 6 and 1 hours before its reply-by, then posted overdue and escalated by email and PagerDuty", async () => {
    hub = await startHub({ escalation: { emails: true, pagerDutyRoutingKey: ROUTING_KEY } });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    await hub.run();
    assert.deepEqual(timeline(hub.posts()), [
      [START.toISOString(), "us-east-1", DOS_TITLE],
      [
        at(REPLY_BY, -6 * HOUR).toISOString(),
        "us-east-1",
        ":alarm_clock: 6 hours left to reply: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
      ],
      [
        at(REPLY_BY, -HOUR).toISOString(),
        "us-east-1",
        ":alarm_clock: 1 hour left to reply: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
      ],
      [
        REPLY_BY.toISOString(),
        "us-east-1",
        ":red_circle: Overdue: the reply-by passed for AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
      ],
    ]);
    const [, reminder, , overdue] = hub.posts();
    for (const post of hub.posts()) assert.equal(post.notification?.metadata?.threadId, THREAD);
    assert.match(
      reminder.notification?.content.description ?? "",
      /^\*Reply by\* 2026-11-20 08:14 UTC \(6 hours left; as the notice asks: within 24 hours\)\n\*Report sent to\* the security contact secops@example.com/,
    );
    assert.match(
      reminder.notification?.content.nextSteps?.[0] ?? "",
      /^Reply to the abuse report email \(sent to the security contact secops@example.com\) in English by 2026-11-20 08:14 UTC/,
    );
    assert.equal(reminder.notification?.metadata?.additionalContext?.ackExecution, `ack-${DOS_CASE}`);
    assert.match(
      overdue.notification?.content.description ?? "",
      /\*Escalated to\* oncall@example.com and PagerDuty/,
    );
    assert.doesNotMatch(
      JSON.stringify(overdue.notification),
      /within 24 hours\)|reply within 24 hours/i,
      "past the reply-by, no '24 hours' to reply",
    );

    const [email] = hub.published.filter((entry) => entry.topic === "escalation");
    assert.equal(email.time.toISOString(), REPLY_BY.toISOString());
    assert.equal(
      email.email?.subject,
      "Overdue: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
    );
    assert.match(email.email?.body ?? "", /Account: shop-prod \(222222222221\)\nEvent: AWS_ABUSE_DOS_REPORT/);
    assert.equal(
      hub.posts().filter((post) => post.topicArn.endsWith(":abuse-alerts-escalation")).length,
      0,
      "the channel gets the overdue post once",
    );

    const [trigger] = hub.pagerDuty.events;
    assert.deepEqual(
      [trigger.time.toISOString(), trigger.action, trigger.dedupKey, trigger.routingKey],
      [REPLY_BY.toISOString(), "trigger", DOS_CASE, ROUTING_KEY],
    );
    assert.deepEqual(invalidEvent(trigger.body), []);
    assert.ok(hub.pagerDuty.isOpen(ROUTING_KEY, DOS_CASE));
    // The key reached PagerDuty through the connection: the task never held it.
    const httpCalls = (await ends(hub)).flatMap((end) =>
      end.result.calls.filter((call) => call.resource.endsWith(":http:invoke")),
    );
    assert.equal(httpCalls.length, 1);
    assert.doesNotMatch(JSON.stringify(httpCalls), new RegExp(ROUTING_KEY));
    const record = (await hub.table.items("us-east-1"))
      .map(fromItem)
      .find((item) => item.sk === "case#us-east-1");
    assert.deepEqual(
      [record?.remindersSent, record?.pagerDuty, record?.overdueAt],
      [2, "triggered", REPLY_BY.toISOString()],
    );
  });

  it("a routed account's case: the reminders and the overdue post reach the route's channel too, with its note", async () => {
    const route = { name: "shop", organizationalUnits: [], accounts: ["222222222221"], tags: {} };
    hub = await startHub({ routes: [route] });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    await hub.run();
    const routeTopic = hub.topicArn("us-east-1", "abuse-alerts-route-shop");
    const byTopic = (arn: string) => hub.posts().filter((post) => post.topicArn === arn);
    assert.deepEqual(
      byTopic(routeTopic).map((post) => post.time.toISOString()),
      [START, at(REPLY_BY, -6 * HOUR), at(REPLY_BY, -HOUR), REPLY_BY].map((time) => time.toISOString()),
    );
    assert.equal(byTopic(hub.topicArn("us-east-1")).length, 4, "and the central channel, each once");
    for (const post of byTopic(routeTopic)) {
      assert.match(
        post.notification?.content.description ?? "",
        /^\*Routed to shop\*: account 222222222221\n/,
      );
    }
  });

  it("acknowledged with the Slack button: the thread hears of it at once, and nothing follows", async () => {
    hub = await startHub({ escalation: { emails: true, pagerDutyRoutingKey: ROUTING_KEY } });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    const acknowledged = at(START, 2 * HOUR);
    void hub.startCase("us-east-1", `ack-${DOS_CASE}`, acknowledged);
    void hub.startCase("us-east-1", `ack-${DOS_CASE}`, acknowledged); // a double click: the same execution
    await hub.run();
    assert.deepEqual(timeline(hub.posts()), [
      [START.toISOString(), "us-east-1", DOS_TITLE],
      [
        acknowledged.toISOString(),
        "us-east-1",
        ":ballot_box_with_check: Acknowledged: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
      ],
    ]);
    const ack = hub.posts()[1].notification;
    assert.equal(
      ack?.content.description,
      `*Acknowledged by* ${SLACK_ACKNOWLEDGER}, 2026-11-19 11:59 UTC, with the Acknowledge button\nReminders and escalation stop for this case.`,
    );
    assert.equal(ack?.metadata?.enableCustomActions, false, "no button on the acknowledgement");
    assert.deepEqual(
      hub.published.filter((entry) => entry.topic !== "alert"),
      [],
    );
    assert.deepEqual(hub.pagerDuty.events, []);
    const follower = (await ends(hub)).find((end) => end.name === `case-${DOS_CASE}`);
    assert.equal(
      follower?.result.stopDate.toISOString(),
      at(REPLY_BY, -6 * HOUR).toISOString(),
      "it stops at its first check",
    );
  });

  it("acknowledged after the reply-by: PagerDuty's incident is resolved, once", async () => {
    hub = await startHub({ escalation: { emails: false, pagerDutyRoutingKey: ROUTING_KEY } });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    void hub.startCase("us-east-1", `ack-${DOS_CASE}`, at(REPLY_BY, HOUR));
    await hub.run();
    assert.deepEqual(
      hub.pagerDuty.events.map((event) => [event.time.toISOString(), event.action, event.dedupKey]),
      [
        [REPLY_BY.toISOString(), "trigger", DOS_CASE],
        [at(REPLY_BY, HOUR).toISOString(), "resolve", DOS_CASE],
      ],
    );
    assert.ok(!hub.pagerDuty.isOpen(ROUTING_KEY, DOS_CASE));
    assert.match(
      hub.posts().at(-1)?.notification?.content.description ?? "",
      /It was past its reply-by: the escalation ends here\./,
    );
  });

  it("AWS closing the case after 3 hours: a resolved post, no reminders; closing after the escalation resolves PagerDuty", async () => {
    hub = await startHub({ escalation: { emails: true, pagerDutyRoutingKey: ROUTING_KEY } });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    void hub.deliver(updated(at(START, 3 * HOUR), "closed"), "us-east-1", at(START, 3 * HOUR));
    await hub.run();
    assert.deepEqual(
      timeline(hub.posts()).map(([time, , title]) => [time, title.split(":")[1]]),
      [
        [START.toISOString(), "rotating_light"],
        [at(START, 3 * HOUR).toISOString(), "white_check_mark"],
      ],
    );
    assert.deepEqual(hub.pagerDuty.events, []);
    await hub.stop();

    hub = await startHub({ escalation: { emails: true, pagerDutyRoutingKey: ROUTING_KEY } });
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    void hub.deliver(updated(at(REPLY_BY, 2 * HOUR), "closed"), "us-east-1", at(REPLY_BY, 2 * HOUR));
    await hub.run();
    assert.deepEqual(
      hub.pagerDuty.events.map((event) => [event.time.toISOString(), event.action]),
      [
        [REPLY_BY.toISOString(), "trigger"],
        [at(REPLY_BY, 2 * HOUR).toISOString(), "resolve"],
      ],
    );
  });

  it("an escalation that fails goes to the operations topic; a throttled one is retried", async () => {
    hub = await startHub({ escalation: { emails: true, pagerDutyRoutingKey: ROUTING_KEY } });
    hub.pagerDuty.failNext.push(400);
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    await hub.run();
    const notices = hub.published.filter((entry) => entry.topic === "ops");
    assert.equal(notices.length, 1);
    assert.equal(
      notices[0].notification?.content.title,
      `:warning: Escalation of overdue case ${DOS_CASE} failed`,
    );
    assert.match(
      notices[0].notification?.content.description ?? "",
      /- PagerDuty trigger: States\.Http\.StatusCode\.400/,
    );
    assert.equal(
      hub.published.filter((entry) => entry.topic === "escalation").length,
      1,
      "the email went out",
    );
    await hub.stop();

    hub = await startHub({ escalation: { pagerDutyRoutingKey: ROUTING_KEY } });
    hub.pagerDuty.failNext.push(429, 503);
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    await hub.run();
    assert.deepEqual(
      hub.published.filter((entry) => entry.topic === "ops"),
      [],
    );
    assert.equal(hub.pagerDuty.events.length, 1);
  });

  it("takes the reply-by the notice states (within 48 hours, within 5 days), and reminds before it", async () => {
    hub = await startHub();
    const words = "Please reply within 48 hours with the actions you took.";
    void hub.deliver(
      withDetail(sample("abuse/dos-report"), {
        eventDescription: [{ language: "en_US", latestDescription: words }],
      }),
      "us-east-1",
      START,
    );
    await hub.run();
    const start = new Date("2026-11-19T08:14:03Z");
    assert.deepEqual(
      hub.posts().map((post) => post.time.toISOString()),
      [START, at(start, 42 * HOUR), at(start, 47 * HOUR), at(start, 48 * HOUR)].map((time) =>
        time.toISOString(),
      ),
    );
    assert.match(
      hub.posts()[0].notification?.content.description ?? "",
      /\*Reply by\* 2026-11-21 08:14 UTC \(46\.2 hours left; as the notice asks: within 48 hours\)/,
    );
    await hub.stop();

    hub = await startHub();
    void hub.deliver(
      withDetail(sample("abuse/dos-report"), {
        eventDescription: [{ language: "en_US", latestDescription: "Respond within 5 days." }],
      }),
      "us-east-1",
      START,
    );
    await hub.run(at(START, 60));
    assert.match(
      hub.posts()[0].notification?.content.description ?? "",
      /\*Reply by\* 2026-11-24 08:14 UTC \(4\.9 days left; as the notice asks: within 5 days\)/,
    );
  });

  it("a case execution started by hand does no more than the named one: no second follower, nothing for an unknown case", async () => {
    hub = await startHub();
    void hub.deliver(sample("abuse/dos-report"), "us-east-1", START);
    void hub.startCase("us-east-1", `settle-${DOS_CASE}-manual`, at(START, 60));
    void hub.startCase("us-east-1", "ack-222222222221-000000000000", at(START, 60));
    void hub.startCase("us-west-2", `ack-${DOS_CASE}`, at(START, 60));
    await hub.run(at(START, 2 * HOUR));
    assert.deepEqual(timeline(hub.posts()), [[START.toISOString(), "us-east-1", DOS_TITLE]]);
    await hub.run();
    const byName = Object.fromEntries(
      (await ends(hub)).map((end) => [`${end.region} ${end.name}`, end.result.output]),
    );
    assert.deepEqual(byName[`us-east-1 settle-${DOS_CASE}-manual`], {
      case: DOS_CASE,
      acknowledged: false,
      closed: false,
    });
    assert.match(JSON.stringify(byName["us-east-1 ack-222222222221-000000000000"]), /nothing to do here/);
    assert.match(
      JSON.stringify(byName[`us-west-2 ack-${DOS_CASE}`]),
      /no case 222222222221-4f178e4c08f8 was posted from us-west-2/,
    );
    assert.equal(Object.keys(byName).filter((name) => name.includes(" case-")).length, 1);
  });
});

import { strict as assert } from "node:assert";
import { join } from "node:path";
import { asFromAccount, previewEvent, previewMessage, renderPreview } from "../../tools/preview";
import { EVENTS_DIR, sampleEvents, stackSetSampleEvents } from "../../tools/examples";
import { contextsFromOrganization } from "../../sim/account-context";
import { configOfStackFile, readStackConfig } from "../../config/stack-file";
import { EXAMPLE_ORG_PATH, exampleOrg, MANAGEMENT } from "../helpers/example-org";
import { routesStackFile } from "../helpers/offline";

type Event = Record<string, unknown>;
const sample = (name: string): Event => {
  const found = [...sampleEvents(), ...stackSetSampleEvents()].find((fixture) => fixture.name === name);
  assert.ok(found, name);
  return found.event;
};
const detailOf = (event: Event) => event.detail as Record<string, unknown>;

describe("preview-message --account: the event as if about another account", () => {
  it("sets a Health event's account and affectedAccount, and leaves the file's event as it was", () => {
    const original = sample("abuse/dos-report");
    const before = JSON.stringify(original);
    const moved = asFromAccount(original, "333333333333");
    assert.equal(moved.account, "333333333333");
    assert.equal(detailOf(moved).affectedAccount, "333333333333");
    assert.equal(JSON.stringify(original), before);
    // An organizational view's copy, delivered to another account: the impacted one changes.
    const delivered = asFromAccount(
      { ...original, detail: { ...detailOf(original), affectedAccount: "1" } },
      "333333333333",
    );
    assert.equal(detailOf(delivered).affectedAccount, "333333333333");
  });

  it("moves a coverage notice's stack to the account, keeping the StackSet's own account on the event", () => {
    const notice = sample("instance-failed-scp");
    const moved = asFromAccount(notice, "222222222222");
    assert.equal(moved.account, notice.account);
    assert.match(
      String(detailOf(moved)["stack-id"]),
      /^arn:aws:cloudformation:eu-west-1:222222222222:stack\/StackSet-/,
    );
    assert.equal(detailOf(moved).affectedAccount, undefined);
  });

  it("gives another event only a new account: no affectedAccount a Health event alone carries", () => {
    const finding = asFromAccount(sample("negative/guardduty-finding"), "222222222222");
    assert.equal(finding.account, "222222222222");
    assert.equal(detailOf(finding).affectedAccount, undefined);
  });

  it("makes the workflow look up that account, for a Health event and a coverage notice", async () => {
    const contexts = contextsFromOrganization(exampleOrg(), undefined);
    const options = {
      contexts,
      directoryAccountId: MANAGEMENT,
      coverage: true,
      now: new Date("2026-11-21T00:00:00Z"),
    };
    for (const name of ["abuse/dos-report", "instance-failed-scp"]) {
      const preview = await previewEvent(asFromAccount(sample(name), "222222222222"), options);
      assert.match(preview.notification?.content.title ?? "", /payments-prod \(222222222222\)/, name);
    }
  });
});

describe("the case's timeline in preview-message and plan", () => {
  const contexts = contextsFromOrganization(exampleOrg(), undefined);
  const options = { contexts, directoryAccountId: MANAGEMENT, now: new Date("2026-11-19T09:59:03Z") };

  it("an open abuse report: the first post, the reminders, the overdue post and its escalation, each with its time", async () => {
    const { text } = await renderPreview(sample("abuse/dos-report"), {
      ...options,
      escalation: { emails: ["oncall@example.com"], pagerDuty: true },
    });
    const timeline = text.slice(text.indexOf("The case's timeline"), text.indexOf("SNS message"));
    const rows = timeline
      .split("\n")
      .filter((line) => /^│ 2026-/.test(line))
      .map((line) =>
        line
          .split("│")
          .map((cell) => cell.trim())
          .slice(1, 3),
      );
    assert.deepEqual(rows, [
      ["2026-11-19 09:59 UTC", "first post"],
      ["2026-11-20 02:14 UTC", "reminder"],
      ["2026-11-20 07:14 UTC", "reminder"],
      ["2026-11-20 08:14 UTC", "overdue post"],
      ["2026-11-20 08:14 UTC", "email"],
      ["2026-11-20 08:14 UTC", "PagerDuty"],
    ]);
    assert.match(timeline, /to oncall@example.com: Overdue: AWS abuse report/);
    assert.match(timeline, /trigger, dedup key 222222222221-4f178e4c08f8/);
    assert.match(
      timeline,
      /Acknowledging \(the Acknowledge button, or npm run ack -- --case <id>\) stops the steps after it/,
    );
  });

  it("a risk notice: one post, and why there are no reminders", async () => {
    const { text } = await renderPreview(sample("risk/credentials-exposed"), { ...options, now: undefined });
    assert.match(
      text,
      /No reminders: only an open abuse report has a reply-by\. Acknowledging records who took it\./,
    );
  });

  it("a report AWS closed: one resolved post, and nothing due", async () => {
    const { text } = await renderPreview(sample("abuse/dos-report-closed"), { ...options, now: undefined });
    const timeline = text.slice(text.indexOf("The case's timeline"), text.indexOf("SNS message"));
    assert.match(timeline, /│ resolved +│ :white_check_mark: Resolved: AWS abuse report/);
    assert.doesNotMatch(timeline, /│ reminder|│ overdue post|No reminders: only/);
    assert.match(
      timeline,
      /Nothing is due: AWS closed this report, so there is no reply-by, reminder or escalation\./,
    );
  });

  it("a coverage notice has no timeline: it is posted once", async () => {
    const { text, posted } = await renderPreview(sample("instance-failed-scp"), {
      ...options,
      now: undefined,
      coverage: true,
    });
    assert.ok(posted);
    assert.doesNotMatch(text, /timeline/);
  });
});

describe("preview-message with routes: which channels get the post", () => {
  const config = () => {
    const path = routesStackFile();
    return configOfStackFile(path, readStackConfig(path));
  };
  const preview = (account: string) =>
    previewMessage(join(EVENTS_DIR, "abuse", "dos-report.json"), {
      config: config(),
      org: EXAMPLE_ORG_PATH,
      account,
    });

  it("an account two routes match: the central channel and both, each with its opening line", async () => {
    const { text, posted } = await preview("222222222222");
    assert.ok(posted);
    const flat = text.replace(/\s+/g, " ");
    assert.match(flat, /Posted to 3 channels, the same message opening with a line of its own in each/);
    assert.match(
      flat,
      /│ Slack channel C0123456789 │ \(central\) │ \*Also sent to\* prod \(OU Prod\) · payments │/,
    );
    assert.match(flat, /│ Slack channel C0PRODTEAM1 │ prod │ \*Routed to prod\*: OU Prod │/);
    assert.match(flat, /│ Microsoft Teams channel │ payments │ \*Routed to payments\*: tag team: payments │/);
  });

  it("an account nested below a route's OU, one listed by ID, and one no route matches", async () => {
    assert.match(
      (await preview("222222222223")).text.replace(/\s+/g, " "),
      /Posted to 2 channels.*\*Routed to prod\*: OU Prod/,
    );
    assert.match(
      (await preview("333333333333")).text.replace(/\s+/g, " "),
      /Posted to 2 channels.*\*Routed to shop-dev\*: account 333333333333/,
    );
    const none = (await preview("111111111112")).text.replace(/\s+/g, " ");
    assert.match(none, /Posted to 1 channel, .*\*Also sent to\* no team: no route matches this account/);
  });

  it("an account outside the organization: its lookups fail, so the post stays central and says why", async () => {
    const { text } = await preview("999999999999");
    assert.match(
      text.replace(/\s+/g, " "),
      /Posted to 1 channel, .*\*Routing could not be decided\*: OU path \(Organizations.AccountNotFoundException: You specified an account that doesn't exist \(999999999999\).\); tags \(/,
    );
  });

  it("says nothing of channels for a stack without routes", async () => {
    const { text } = await previewMessage(join(EVENTS_DIR, "abuse", "dos-report.json"), {
      org: EXAMPLE_ORG_PATH,
      account: "222222222222",
    });
    assert.doesNotMatch(text, /Posted to|Also sent to|Routed to/);
  });
});

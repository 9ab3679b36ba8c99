import { exampleNotifyArgs } from "../helpers/offline";
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deliveredEvent, testEventEntry } from "../../model/test-event";
import { routeTopicArn } from "../../model/names";
import { RouteTarget } from "../../model/routes";
import { notifyDefinition } from "../../notify/definition";
import { CustomNotification, LIMITS, parseCustomNotification } from "../../notify/notification";
import { AccountContexts, contextHandler } from "../../sim/account-context";
import { runStateMachine, TaskCall, TaskFailure } from "../../sim/step-functions";
import { EVENTS_DIR, STACKSET_EVENTS_DIR } from "../../tools/examples";
import { MANAGEMENT } from "../helpers/example-org";

/**
 * The notify workflow with routes, run offline on context of its own (not the sample
 * organization's): every alert reaches the central topic and the topic of exactly the routes
 * that match its account, each post saying why it is there.
 */

const REGION = "us-east-1";
const CENTRAL_ACCOUNT = "111111111111";
const CENTRAL = `arn:aws:sns:${REGION}:${CENTRAL_ACCOUNT}:abuse-alerts`;
const topic = (route: string) => routeTopicArn(REGION, CENTRAL_ACCOUNT, route);

const routes: RouteTarget[] = [
  {
    name: "payments",
    organizationalUnits: ["ou-held-payments"],
    accounts: [],
    tags: {},
    topicArn: topic("payments"),
  },
  { name: "data", organizationalUnits: [], accounts: [], tags: { team: "data" }, topicArn: topic("data") },
  { name: "web", organizationalUnits: [], accounts: ["500000000003"], tags: {}, topicArn: topic("web") },
  {
    name: "prod-shop",
    organizationalUnits: [],
    accounts: [],
    tags: { team: "shop", environment: "prod" },
    topicArn: topic("prod-shop"),
  },
];

const definition = notifyDefinition(
  exampleNotifyArgs(REGION, CENTRAL_ACCOUNT, { message: { accountTags: ["owner"] }, routes }),
);

/** Accounts the sample organization does not have: two levels under Payments, tagged, listed, neither. */
const HELD_OUT: AccountContexts = {
  "500000000001": {
    name: "payments-eu",
    ouPath: ["Workloads", "Payments", "EU"],
    ouIds: ["r-held", "ou-held-workload", "ou-held-payments", "ou-held-paymenteu"],
    tags: { owner: "bob@example.com", team: "payments" },
    securityContact: null,
  },
  "500000000002": {
    name: "lake",
    ouPath: ["Analytics"],
    ouIds: ["r-held", "ou-held-analytic"],
    tags: { team: "data", environment: "prod" },
    securityContact: null,
  },
  "500000000003": {
    name: "www",
    ouPath: ["Workloads"],
    ouIds: ["r-held", "ou-held-workload"],
    tags: { team: "data" },
    securityContact: null,
  },
  "500000000004": {
    name: "shop-dev",
    ouPath: ["Workloads", "Shop"],
    ouIds: ["r-held", "ou-held-workload", "ou-held-shop0001"],
    tags: { team: "shop", environment: "dev" },
    securityContact: null,
  },
};

const read = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
type Event = Record<string, unknown> & { detail: Record<string, unknown> };
/** A sample event as if about another account. */
const about = (file: string, accountId: string): Event => {
  const event = read(file);
  return {
    ...event,
    account: accountId,
    detail: { ...(event.detail as object), affectedAccount: accountId },
  };
};
const dosReport = (accountId: string) => about(join(EVENTS_DIR, "abuse", "dos-report.json"), accountId);

interface Post {
  topicArn: string;
  notification: CustomNotification;
}

/** Runs the workflow on an event; every SNS publish, by topic. */
async function run(event: unknown, lookups?: (call: TaskCall) => Promise<unknown>) {
  const posts: Post[] = [];
  const sample = contextHandler(HELD_OUT, {
    directoryAccountId: MANAGEMENT,
    published: (message, topicArn) =>
      posts.push({ topicArn, notification: parseCustomNotification(message) }),
  });
  const result = await runStateMachine(definition, event, {
    now: new Date("2026-11-19T09:59:03Z"),
    handler: (call) => (lookups && !call.resource.endsWith("sns:publish") ? lookups(call) : sample(call)),
  });
  assert.equal(result.status, "SUCCEEDED", JSON.stringify(result.error));
  return posts;
}

const topics = (posts: Post[]) => posts.map((post) => post.topicArn).sort();
const firstLine = (post: Post | undefined) => post?.notification.content.description.split("\n")[0];
const postTo = (posts: Post[], topicArn: string) => posts.find((post) => post.topicArn === topicArn);

describe("routes: the workflow posts to the central topic and each matching route's", () => {
  it("an account two OUs below a route's OU reaches that route, saying through which OU", async () => {
    const posts = await run(dosReport("500000000001"));
    assert.deepEqual(topics(posts), [CENTRAL, topic("payments")].sort());
    assert.equal(firstLine(postTo(posts, topic("payments"))), "*Routed to payments*: OU Payments");
    assert.equal(firstLine(postTo(posts, CENTRAL)), "*Also sent to* payments (OU Payments)");
    // The same message in both channels, but for that first line.
    const [central, routed] = [postTo(posts, CENTRAL), postTo(posts, topic("payments"))];
    assert.equal(central?.notification.content.title, routed?.notification.content.title);
    assert.equal(
      central?.notification.content.description.split("\n\n").slice(1).join("\n\n"),
      routed?.notification.content.description.split("\n\n").slice(1).join("\n\n"),
    );
    assert.equal(central?.notification.metadata?.threadId, routed?.notification.metadata?.threadId);
  });

  it("a tagged account reaches the route of its tag, and one route of two tags only when both match", async () => {
    const lake = await run(dosReport("500000000002"));
    assert.deepEqual(topics(lake), [CENTRAL, topic("data")].sort());
    assert.equal(firstLine(postTo(lake, topic("data"))), "*Routed to data*: tag team: data");
    const shopDev = await run(dosReport("500000000004"));
    assert.deepEqual(topics(shopDev), [CENTRAL], "team shop, but environment dev");
    assert.equal(
      firstLine(postTo(shopDev, CENTRAL)),
      "*Also sent to* no team: no route matches this account",
    );
  });

  it("a listed account reaches its route, and every other route it matches", async () => {
    const posts = await run(dosReport("500000000003"));
    assert.deepEqual(topics(posts), [CENTRAL, topic("data"), topic("web")].sort());
    assert.equal(firstLine(postTo(posts, topic("web"))), "*Routed to web*: account 500000000003");
    assert.equal(
      firstLine(postTo(posts, CENTRAL)),
      "*Also sent to* data (tag team: data) · web (account 500000000003)",
    );
  });

  it("routes risk notices and test events too, so a team can try its route", async () => {
    const riskPosts = await run(about(join(EVENTS_DIR, "risk", "credentials-exposed.json"), "500000000002"));
    assert.deepEqual(topics(riskPosts), [CENTRAL, topic("data")].sort());
    const now = new Date("2026-11-19T09:00:00Z");
    const entry = testEventEntry({
      category: "abuse",
      accountId: "500000000001",
      region: REGION,
      sentBy: "me",
      now,
    });
    const test = await run(deliveredEvent(entry, { id: "t-1", accountId: "500000000001", region: REGION }));
    assert.deepEqual(topics(test), [CENTRAL, topic("payments")].sort());
    assert.match(postTo(test, topic("payments"))?.notification.content.title ?? "", /^TEST /);
  });

  it("keeps coverage notices central, whatever the account", async () => {
    const notice = read(join(STACKSET_EVENTS_DIR, "instance-failed-scp.json"));
    const detail = notice.detail as Record<string, string>;
    const posts = await run({
      ...notice,
      detail: { ...detail, "stack-id": detail["stack-id"].replace(/:\d{12}:/, ":500000000001:") },
    });
    assert.deepEqual(topics(posts), [CENTRAL]);
    assert.doesNotMatch(firstLine(posts[0]) ?? "", /Routed|Also sent/);
  });

  it("when the OU lookup fails, posts centrally only and says routing could not be decided, and why", async () => {
    const sample = contextHandler(HELD_OUT, { directoryAccountId: MANAGEMENT });
    const posts = await run(dosReport("500000000003"), (call) =>
      call.resource.endsWith("listParents")
        ? Promise.reject(
            new TaskFailure(
              "Organizations.AccessDeniedException",
              "not authorized to perform: organizations:ListParents",
            ),
          )
        : sample(call),
    );
    assert.deepEqual(topics(posts), [CENTRAL], "not even web, whose account is listed");
    assert.equal(
      firstLine(posts[0]),
      "*Routing could not be decided*: OU path (Organizations.AccessDeniedException: not authorized to perform: organizations:ListParents); only this channel has this alert",
    );
  });

  it("when the tags lookup fails, and when every lookup does, the same", async () => {
    const sample = contextHandler(HELD_OUT, { directoryAccountId: MANAGEMENT });
    const noTags = await run(dosReport("500000000002"), (call) =>
      call.resource.endsWith("listTagsForResource")
        ? Promise.reject(new TaskFailure("States.Timeout", "timed out"))
        : sample(call),
    );
    assert.deepEqual(topics(noTags), [CENTRAL]);
    assert.match(
      firstLine(noTags[0]) ?? "",
      /^\*Routing could not be decided\*: tags \(States.Timeout: timed out\)/,
    );
    const nothing = await run(dosReport("500000000001"), () =>
      Promise.reject(new TaskFailure("States.Timeout", "timed out")),
    );
    assert.deepEqual(topics(nothing), [CENTRAL]);
    assert.match(
      firstLine(nothing[0]) ?? "",
      /^\*Routing could not be decided\*: OU path \(States.Timeout: timed out\); tags \(States.Timeout: timed out\)/,
    );
  });

  it("a dry run returns the targets with the message, and publishes nothing", async () => {
    const sample = contextHandler(HELD_OUT, { directoryAccountId: MANAGEMENT });
    const result = await runStateMachine(
      definition,
      { dryRun: true, event: dosReport("500000000001") },
      {
        now: new Date("2026-11-19T09:59:03Z"),
        handler: (call) =>
          call.resource.endsWith("sns:publish") ? assert.fail("a dry run publishes") : sample(call),
      },
    );
    const output = result.output as { targets: { topicArn: string }[] };
    assert.deepEqual(
      output.targets.map((target) => target.topicArn),
      [CENTRAL, topic("payments")],
    );
  });

  it("keeps each post within Chatbot's limits when the note is long and AWS's text fills the description", async () => {
    const event = dosReport("500000000001");
    const [words] = event.detail.eventDescription as Record<string, string>[];
    event.detail.eventDescription = [{ ...words, latestDescription: "x".repeat(20_000) }];
    const long: AccountContexts = {
      "500000000001": { ...HELD_OUT["500000000001"], ouPath: ["Workloads", "P".repeat(128), "EU"] },
    };
    const posts: Post[] = [];
    const sample = contextHandler(long, {
      directoryAccountId: MANAGEMENT,
      published: (message, topicArn) =>
        posts.push({ topicArn, notification: parseCustomNotification(message) }),
    });
    await runStateMachine(definition, event, { now: new Date("2026-11-19T09:59:03Z"), handler: sample });
    assert.equal(posts.length, 2);
    for (const post of posts) {
      const description = post.notification.content.description;
      assert.ok([...description].length <= LIMITS.description, `${[...description].length}`);
      assert.ok(description.endsWith("…"));
    }
  });
});

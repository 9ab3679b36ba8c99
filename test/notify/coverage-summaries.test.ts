import { strict as assert } from "node:assert";
import { stackSetCoveragePattern } from "../../model/patterns";
import { SCP_EXEMPTION } from "../../model/stackset-failures";
import { OfflineHub } from "../../sim/hub";
import { matchesPattern } from "../../sim/eventbridge";
import { TaskCall } from "../../sim/step-functions";
import { stackSetSampleEvents } from "../../tools/examples";
import { at, ends, HOUR, startHub, timeline } from "../helpers/hub";

/** A StackSet sample event, to change freely. */
function sample(name: string): Record<string, unknown> {
  const found = stackSetSampleEvents().find((fixture) => fixture.name === name);
  assert.ok(found, name);
  return structuredClone<Record<string, unknown>>(found.event);
}

const STACKSET_ARN =
  "arn:aws:cloudformation:us-east-1:100000000001:stackset/abuse-alerts-forwarder:3f3a3fbe-c937-4eb3-a87d-e36a0af3f663";
const SCP_REASON = (account: string) =>
  `ResourceLogicalId:ForwarderRole, ResourceType:AWS::IAM::Role, ResourceStatusReason:User: arn:aws:sts::${account}:assumed-role/stacksets-exec-9f2c/StackSet-abuse-alerts-forwarder is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${account}:role/abuse-alerts-stackset-us-east-1 with an explicit deny in a service control policy.`;
const EXISTS_REASON =
  "ResourceLogicalId:DeadLetterQueue, ResourceType:AWS::SQS::Queue, ResourceStatusReason:abuse-alerts-stackset-dlq already exists.";
const SUSPENDED_REASON = "Account is suspended: the operation skipped it.";

/** A StackSet operation offline: RUNNING until it ends, then its final status; its results, paged. */
interface Operation {
  id: string;
  start: Date;
  end: Date;
  status: "FAILED" | "STOPPED" | "SUCCEEDED";
  results: {
    Account: string;
    Region: string;
    Status: string;
    StatusReason?: string;
    OrganizationalUnitId: string;
  }[];
}

/** CloudFormation's two read calls, as the workflow makes them through the directory role. */
function cloudFormation(operations: Operation[], calls: TaskCall[]) {
  return (call: TaskCall): Promise<unknown> => {
    calls.push(call);
    const args = call.arguments as {
      OperationId?: string;
      MaxResults: number;
      NextToken?: string;
      StackSetName: string;
    };
    assert.equal(args.StackSetName, "abuse-alerts-forwarder");
    if (call.resource.endsWith(":listStackSetOperations")) {
      const summaries = operations
        .filter((operation) => operation.start <= call.time)
        .map((operation) => ({
          OperationId: operation.id,
          Status: call.time < operation.end ? "RUNNING" : operation.status,
        }));
      return Promise.resolve({ Summaries: summaries.slice(0, args.MaxResults) });
    }
    const operation = operations.find((candidate) => candidate.id === args.OperationId);
    assert.ok(operation, args.OperationId);
    const from = Number(args.NextToken ?? "0");
    const page = operation.results.slice(from, from + args.MaxResults);
    const next =
      from + args.MaxResults < operation.results.length ? String(from + args.MaxResults) : undefined;
    return Promise.resolve({ Summaries: page, ...(next ? { NextToken: next } : {}) });
  };
}

const account = (index: number) => String(600000000000 + index);

/** A stack instance's event, as CloudFormation emits it in the StackSet's account. */
function instanceEvent(accountId: string, status: string, reason: string, time: Date, region = "us-east-1") {
  const event = sample("instance-failed-scp") as { detail: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  return {
    ...event,
    id: `instance-${accountId}-${region}-${status}`,
    time: time.toISOString(),
    detail: {
      ...event.detail,
      "stack-id": `arn:aws:cloudformation:${region}:${accountId}:stack/StackSet-abuse-alerts-forwarder-6e84/f61d`,
      action: "CREATE",
      "status-details": { status: "OUTDATED", "status-reason": reason, "detailed-status": status },
    },
  };
}

function operationEvent(operation: Operation) {
  return {
    ...sample("operation-failed"),
    id: `operation-${operation.id}`,
    time: operation.end.toISOString(),
    detail: {
      "stack-set-arn": STACKSET_ARN,
      "stack-set-operation-id": operation.id,
      "status-details": { status: operation.status },
    },
  };
}

/** Delivered as the central coverage rule does: only what its pattern takes. */
function deliver(hub: OfflineHub, event: Record<string, unknown>, time: Date): boolean {
  if (!matchesPattern(stackSetCoveragePattern(), event as never)) return false;
  void hub.deliver(event, "us-east-1", time);
  return true;
}

describe("coverage notices as summaries, on the virtual clock", () => {
  let hub: OfflineHub;
  afterEach(() => hub?.stop());

  it("a bad rollout: one summary (200 failed accounts by reason, 40 cancelled counted), no suspended account, then one new account's own notice", async () => {
    const start = at(new Date("2026-11-19T09:59:03Z"), 0);
    const rollout: Operation = {
      id: "ce69adce-2221-4483-8c4b-c51f284f25e8",
      start,
      end: at(start, 12 * 60),
      status: "FAILED",
      results: [
        ...Array.from({ length: 200 }, (_, index) => ({
          Account: account(index),
          Region: "us-east-1",
          Status: "FAILED",
          StatusReason: index < 180 ? SCP_REASON(account(index)) : EXISTS_REASON,
          OrganizationalUnitId: "ou-ex12-workload1",
        })),
        ...Array.from({ length: 40 }, (_, index) => ({
          Account: account(300 + index),
          Region: "us-east-1",
          Status: "CANCELLED",
          StatusReason: "Cancelled since failure tolerance has exceeded",
          OrganizationalUnitId: "ou-ex12-workload1",
        })),
        ...Array.from({ length: 10 }, (_, index) => ({
          Account: account(400 + index),
          Region: "us-east-1",
          Status: "FAILED",
          StatusReason: SUSPENDED_REASON,
          OrganizationalUnitId: "ou-ex12-workload1",
        })),
        ...Array.from({ length: 50 }, (_, index) => ({
          Account: account(500 + index),
          Region: "us-east-1",
          Status: "SUCCEEDED",
          OrganizationalUnitId: "ou-ex12-workload1",
        })),
      ],
    };
    const calls: TaskCall[] = [];
    hub = await startHub({ regions: ["us-east-1"], start, cloudFormation: cloudFormation([rollout], calls) });

    let delivered = 0;
    // 200 failures over ten minutes, 40 cancellations and 10 suspended accounts skipped.
    for (let index = 0; index < 200; index++) {
      const reason = index < 180 ? SCP_REASON(account(index)) : EXISTS_REASON;
      delivered += Number(
        deliver(
          hub,
          instanceEvent(account(index), "FAILED", reason, at(start, index * 3)),
          at(start, index * 3),
        ),
      );
    }
    for (let index = 0; index < 40; index++) {
      delivered += Number(
        deliver(
          hub,
          instanceEvent(account(300 + index), "CANCELLED", "Cancelled", at(start, 600)),
          at(start, 600),
        ),
      );
    }
    for (let index = 0; index < 10; index++) {
      delivered += Number(
        deliver(
          hub,
          instanceEvent(account(400 + index), "SKIPPED_SUSPENDED_ACCOUNT", SUSPENDED_REASON, at(start, 600)),
          at(start, 600),
        ),
      );
    }
    assert.equal(delivered, 200, "cancelled and suspended instances are not even forwarded");
    deliver(hub, operationEvent(rollout), rollout.end);
    // Two hours later, an account joins a target OU and its auto-deployment fails.
    const joined = at(start, 2 * HOUR);
    deliver(hub, instanceEvent("222222222223", "FAILED", SCP_REASON("222222222223"), joined), joined);
    await hub.run();

    const posts = hub.posts();
    assert.deepEqual(
      timeline(posts).map(([, , title]) => title),
      [
        ":warning: StackSet rollout FAILED: 200 accounts not covered",
        ":warning: Not covered: shop-prod-eu (222222222223) in us-east-1, forwarder stack FAILED",
      ],
    );
    const summary = posts[0].notification;
    assert.ok(summary);
    const description = summary.content.description;
    assert.match(
      description,
      /200 stack instances failed in 200 accounts: abuse reports in these accounts reach nobody/,
    );
    assert.match(description, /40 stack instances were cancelled/);
    assert.match(
      description,
      /\*A service control policy denies the StackSet\*: 180 accounts \(us-east-1\): 600000000000, /,
    );
    assert.match(description, /and 160 more/);
    assert.match(description, /\*A resource of the same name already exists\*: 20 accounts/);
    for (let index = 0; index < 10; index++)
      assert.ok(!description.includes(account(400 + index)), "no suspended account");
    assert.ok(!description.includes(account(300)), "cancelled ones are counted, not named");
    assert.ok(summary.content.nextSteps?.some((step) => step.includes(SCP_EXEMPTION)));
    assert.ok(
      summary.content.nextSteps?.some((step) =>
        step.includes("--deployment-targets OrganizationalUnitIds=ou-ex12-workload1,Accounts=600000000000,"),
      ),
    );
    assert.equal(summary.metadata?.additionalContext?.cancelled, "40");
    // Its 300 results were read in three pages; the windows asked whether the rollout still ran.
    const pages = calls.filter((call) => call.resource.endsWith(":listStackSetOperationResults"));
    assert.deepEqual(
      pages.map((call) => (call.arguments as { NextToken?: string }).NextToken ?? ""),
      ["", "100", "200"],
    );
    assert.ok(calls.some((call) => call.resource.endsWith(":listStackSetOperations")));
    assert.ok(
      posts[1].time.getTime() - joined.getTime() <= 17 * 60 * 1000,
      "the new account's notice within its window",
    );
    const results = await ends(hub);
    assert.deepEqual(
      results.filter(({ result }) => result.status !== "SUCCEEDED").map(({ name }) => name),
      [],
    );
  });

  it("a burst outside any rollout (an SCP blocking every auto-deployment): 200 accounts in ten minutes, one post", async () => {
    const start = new Date("2026-11-19T11:00:30Z");
    hub = await startHub({ regions: ["us-east-1"], start, cloudFormation: cloudFormation([], []) });
    for (let index = 0; index < 200; index++) {
      const time = at(start, index * 3);
      deliver(hub, instanceEvent(account(index), "FAILED", SCP_REASON(account(index)), time), time);
    }
    await hub.run();
    const posts = hub.posts();
    assert.equal(posts.length, 1);
    const notice = posts[0].notification;
    assert.ok(notice);
    assert.equal(
      notice.content.title,
      ":warning: Not covered: 200 accounts the StackSet could not deploy to, 11:00–11:15 UTC, 2026-11-19",
    );
    assert.match(
      notice.content.description,
      /\*A service control policy denies the StackSet\*: 200 accounts \(us-east-1\)/,
    );
    assert.equal(posts[0].time.toISOString(), "2026-11-19T11:16:00.000Z");
  });

  it("the same failure delivered twice is one account, one post", async () => {
    const start = new Date("2026-11-19T11:00:30Z");
    hub = await startHub({ regions: ["us-east-1"], start, cloudFormation: cloudFormation([], []) });
    const event = instanceEvent("222222222221", "FAILED", EXISTS_REASON, start);
    deliver(hub, event, start);
    deliver(hub, event, at(start, 40));
    await hub.run();
    assert.deepEqual(
      timeline(hub.posts()).map(([, , title]) => title),
      [":warning: Not covered: shop-prod (222222222221) in us-east-1, forwarder stack FAILED"],
    );
  });

  it("a rollout whose results cannot be read still posts its summary, saying where to look", async () => {
    const start = new Date("2026-11-19T11:00:30Z");
    hub = await startHub({ regions: ["us-east-1"], start });
    const rollout: Operation = {
      id: "op-unreadable",
      start,
      end: at(start, 60),
      status: "STOPPED",
      results: [],
    };
    deliver(hub, operationEvent(rollout), rollout.end);
    await hub.run();
    const [post] = hub.posts();
    assert.equal(
      post.notification?.content.title,
      ":warning: StackSet rollout STOPPED: its results could not be read",
    );
    assert.match(post.notification?.content.description ?? "", /npm run coverage lists them/);
  });
});

import { exampleNotifyArgs } from "../helpers/offline";
import { strict as assert } from "node:assert";
import jsonata from "jsonata";
import { CustomNotification } from "../../notify/notification";
import { centralRules } from "../../model/rules";
import { deliveredEvent, testEventEntry } from "../../model/test-event";
import { AccountContexts, contextHandler, contextsFromOrganization } from "../../sim/account-context";
import { StateMachineDefinition } from "../../notify/asl";
import { notifyDefinition } from "../../notify/definition";
import { runStateMachine, TaskCall, TaskFailure } from "../../sim/step-functions";
import { LIMITS } from "../../notify/notification";
import { ADVICE } from "../../notify/alert-message";
import { previewEvent, PreviewOptions, RenderedPreview, renderPreview } from "../../tools/preview";
import { exampleOrg, MANAGEMENT, SECURITY_CONTACT } from "../helpers/example-org";
import { sampleEvents, stackSetSampleEvents } from "../../tools/examples";

type Event = Record<string, unknown>;
// asl-validator ships no types: the part of its API the tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText(separator?: string): string };
type Health = {
  id: string;
  account: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
};

const DIRECTORY_ROLE = `arn:aws:iam::${MANAGEMENT}:role/abuse-alerts-directory`;
const TOPIC = "arn:aws:sns:us-east-1:111111111111:abuse-alerts";
const definition = notifyDefinition(exampleNotifyArgs("us-east-1", "111111111111"));
/** What the lookups find: the example organization's names, emails, OUs and tags, and the contact the stack sets. */
const CONTEXTS = contextsFromOrganization(exampleOrg(), SECURITY_CONTACT);
/** Processed 1 h 45 min after the sample DoS report started (Thu, 19 Nov 2026 08:14:03 GMT). */
const NOW = new Date("2026-11-19T09:59:03Z");

const events = Object.fromEntries(
  [
    ...sampleEvents(),
    ...stackSetSampleEvents().map((fixture) => ({ ...fixture, name: `stackset/${fixture.name}` })),
  ].map((fixture) => [fixture.name, fixture.event]),
);
const event = (name: string) => structuredClone(events[name] ?? assert.fail(`no fixture ${name}`));

async function notificationOf(subject: Event, options: PreviewOptions = {}): Promise<CustomNotification> {
  const preview = await previewEvent(subject, {
    contexts: CONTEXTS,
    directoryAccountId: MANAGEMENT,
    now: NOW,
    ...options,
  });
  assert.ok(preview.notification, `${preview.error ?? "nothing posted"}\n${preview.message ?? ""}`);
  return preview.notification;
}

/** Chatbot's documented limits, and no trace of a field AWS left out. */
function assertFitsChatbot(notification: CustomNotification) {
  const { content } = notification;
  assert.ok((content.title ?? "").length <= LIMITS.title, "title");
  assert.ok(content.description.length <= LIMITS.description, "description");
  for (const step of content.nextSteps ?? []) assert.ok(step.length <= LIMITS.nextStep, step);
  for (const keyword of content.keywords ?? []) assert.ok(keyword.length <= LIMITS.keyword, keyword);
  assert.doesNotMatch(JSON.stringify(notification), /undefined|null|NaN/);
}

/** A preview's text as one line: it is wrapped to the terminal's width. */
const oneLine = (preview: RenderedPreview) => ({ ...preview, text: preview.text.replace(/\n/g, " ") });

/** The same workflow with a route of each kind of selector, and quotes in a tag value. */
const routedDefinition = notifyDefinition({
  topicArn: TOPIC,
  opsTopicArn: "arn:aws:sns:us-east-1:111111111111:abuse-alerts-ops",
  caseStateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-case",
  directoryAccountId: MANAGEMENT,
  message: {
    accountTags: ["owner"],
    securityContactConfigured: false,
    stackSetCallAs: "SELF",
    reminders: [6, 1],
    escalatedTo: [],
  },
  routes: [
    {
      name: "payments",
      topicArn: "arn:aws:sns:us-east-1:111111111111:abuse-alerts-route-payments",
      organizationalUnits: ["ou-ex12-prod0001"],
      accounts: ["222222222222"],
      tags: { team: 'o\'brien \\ "data"' },
    },
  ],
});

describe("the notify workflow's definition", () => {
  for (const [label, subject] of [
    ["without routes", definition],
    ["with routes", routedDefinition],
  ] as const) {
    it(`${label}: is valid Amazon States Language in JSONata mode (asl-validator, paths and ARNs checked)`, () => {
      const result = aslValidator(subject, { checkPaths: true, checkArn: true });
      assert.ok(result.isValid, result.errorsText("\n"));
      assert.equal(subject.QueryLanguage, "JSONata");
      assert.equal(subject.TimeoutSeconds, 86400);
    });

    it(`${label}: has only single-line JSONata expressions that the reference implementation parses`, () => {
      const expressions: string[] = [];
      const walk = (value: unknown) => {
        if (typeof value === "string" && value.startsWith("{%")) expressions.push(value);
        else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
      };
      walk(subject);
      assert.ok(expressions.length > 20);
      for (const expression of expressions) {
        assert.match(expression, /^\{% .+ %\}$/);
        assert.doesNotMatch(expression, /\n/);
        assert.doesNotThrow(() => jsonata(expression.slice(3, -3)), expression.slice(0, 120));
      }
    });
  }

  it("runs every lookup as the directory role, and publishes with retries for hours", () => {
    const tasks: { name: string; state: Record<string, unknown> }[] = [];
    const walk = (states: StateMachineDefinition["States"]) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === "Task") tasks.push({ name, state });
        const graphs = [
          ...((state.Branches ?? []) as object[]),
          ...(state.ItemProcessor ? [state.ItemProcessor] : []),
        ];
        for (const graph of graphs as { States: StateMachineDefinition["States"] }[]) walk(graph.States);
      }
    };
    walk(definition.States);
    // The lookups: every call to Organizations and Account Management.
    const lookups = tasks.filter((task) => /:(organizations|account):/.test(String(task.state.Resource)));
    // Each path (alerts, coverage notices) looks the account up the same way.
    assert.deepEqual(
      [...new Set(lookups.map((task) => String(task.state.Resource).split(":::")[1]))].sort(),
      [
        "aws-sdk:account:getAlternateContact",
        "aws-sdk:organizations:describeAccount",
        "aws-sdk:organizations:describeOrganizationalUnit",
        "aws-sdk:organizations:listParents",
        "aws-sdk:organizations:listTagsForResource",
      ],
    );
    for (const lookup of lookups) assert.deepEqual(lookup.state.Credentials, { RoleArn: DIRECTORY_ROLE });
    const publish = tasks.find((task) => task.name === "Publish to a target")?.state ?? assert.fail();
    assert.deepEqual(tasks.find((task) => task.name === "Coverage: Publish to a target")?.state, publish);
    assert.equal(publish.Resource, "arn:aws:states:::sns:publish");
    const [retry] = publish.Retry as {
      IntervalSeconds: number;
      BackoffRate: number;
      MaxDelaySeconds: number;
      MaxAttempts: number;
    }[];
    let waited = 0;
    for (let attempt = 0; attempt < retry.MaxAttempts; attempt++) {
      waited += Math.min(retry.IntervalSeconds * retry.BackoffRate ** attempt, retry.MaxDelaySeconds);
    }
    assert.ok(waited >= 5 * 3600, `${(waited / 3600).toFixed(1)} hours of retries at most`);
  });
});

describe("the message, evaluated with the reference JSONata implementation", () => {
  for (const name of Object.keys(events).filter(
    (key) => /^(abuse|risk)\//.test(key) && key !== "abuse/email-spam-page-2",
  )) {
    it(`${name}: a valid notification within Chatbot's limits, naming the account, with AWS's words`, async () => {
      const subject = event(name) as unknown as Health;
      const accountId = (subject.detail.affectedAccount as string | undefined) ?? subject.account;
      const notification = await notificationOf(subject);
      assertFitsChatbot(notification);
      const context = CONTEXTS[accountId];
      assert.match(notification.content.title ?? "", new RegExp(`in ${context.name} \\(${accountId}\\)`));
      const description = notification.content.description;
      assert.ok(
        description.includes(
          `*AWS says*\n${(subject.detail.eventDescription as { latestDescription: string }[])[0].latestDescription}`,
        ),
        "AWS's text, quotes, newlines and all",
      );
      assert.match(
        description,
        new RegExp(`\\*OU\\* Root${(context.ouPath ?? []).map((ou) => ` / ${ou}`).join("")}\n`),
      );
      assert.equal(notification.metadata?.threadId, `${accountId}/${String(subject.detail.eventArn)}`);
      assert.deepEqual(notification.metadata?.relatedResources, subject.resources);
      assert.equal(notification.content.keywords?.[2], accountId);
    });
  }

  it("says whose account it is, who got the email, its reply-by and where that comes from, and the case", async () => {
    const notification = await notificationOf(event("abuse/dos-report"));
    assert.equal(
      notification.content.title,
      ":rotating_light: AWS abuse report AWS_ABUSE_DOS_REPORT in shop-prod (222222222221)",
    );
    const lines = notification.content.description.split("\n");
    assert.deepEqual(lines.slice(0, 9), [
      "*Account* shop-prod (222222222221)",
      "*OU* Root / Workloads / Prod",
      "*Owner* owner: alice@example.com · team: shop · environment: prod",
      "*Report sent to* the security contact secops@example.com",
      "*Started* 2026-11-19 08:14 UTC",
      // 22.25: JSONata's $round rounds half to even. The sample says "within 24 hours" itself.
      "*Reply by* 2026-11-20 08:14 UTC (22.2 hours left; as the notice asks: within 24 hours)",
      "*Status* open · *Region* us-east-1",
      "*Affected* i-0a1b2c3d4e5f60718",
      "*Case* 222222222221-4f178e4c08f8. Reminders 6 and 1 hours before the reply-by; at it, an overdue post here. Acknowledging stops them.",
    ]);
    assert.doesNotMatch(notification.content.description, /cost-center/, "only the configured tags");
    const steps = notification.content.nextSteps ?? [];
    assert.match(steps[0], /^\*AWS Health Dashboard\*.*eventID=arn:aws:health:global::event\/ABUSE\//);
    assert.match(
      steps.at(-2) ?? "",
      /^Reply to the abuse report email \(sent to the security contact secops@example.com\) in English by 2026-11-20 08:14 UTC/,
    );
    assert.equal(
      steps.at(-1),
      "Once you have replied, press Acknowledge (or run npm run ack -- --case 222222222221-4f178e4c08f8): reminders and escalation stop.",
    );
    const late = await notificationOf(event("abuse/dos-report"), { now: new Date("2026-11-20T11:14:03Z") });
    assert.match(late.content.description, /\*Reply by\* 2026-11-20 08:14 UTC \(overdue by 3 hours\)\n/);
    assert.match(late.content.description, /\*Case\* 222222222221-4f178e4c08f8\. Past its reply-by already/);
  });

  it("a closed update says the report is resolved and no reply is due", async () => {
    const notification = await notificationOf(event("abuse/dos-report-closed"));
    assert.match(notification.content.title ?? "", /^:white_check_mark: Resolved: AWS abuse report/);
    assert.match(notification.content.description, /\*Resolved\*: AWS closed this report; no reply is due\./);
    assert.doesNotMatch(JSON.stringify(notification.content), /Reply by|Reply within|Reply to the abuse/);
    assert.equal(
      notification.metadata?.threadId,
      (await notificationOf(event("abuse/dos-report"))).metadata?.threadId,
      "the update lands in the report's thread",
    );
  });

  it("risk: act now, and the credential advice", async () => {
    const notification = await notificationOf(event("risk/credentials-exposed"));
    assert.match(
      notification.content.title ?? "",
      /^:closed_lock_with_key: AWS account risk AWS_RISK_CREDENTIALS_EXPOSED in shop-dev \(333333333333\)$/,
    );
    assert.match(notification.content.description, /\*Act now\*/);
    assert.match(notification.content.description, /\*Affected\* AKIAIOSFODNN7EXAMPLE/);
    assert.ok(notification.content.nextSteps?.some((step) => step.includes("CloudTrail")));
    assert.doesNotMatch(JSON.stringify(notification), /Reply to the abuse/);
  });

  it("leaves out what AWS left out, instead of showing it blank", async () => {
    const subject = event("abuse/dos-report") as unknown as Health;
    for (const field of [
      "startTime",
      "eventRegion",
      "statusCode",
      "affectedEntities",
      "eventDescription",
      "lastUpdatedTime",
    ]) {
      delete subject.detail[field];
    }
    const notification = await notificationOf(subject);
    assertFitsChatbot(notification);
    const description = notification.content.description;
    for (const gone of ["*Started*", "*Status*", "*Region*", "*Affected*", "*AWS says*"]) {
      assert.ok(!description.includes(gone), gone);
    }
    // Without a start, the 24 hours count from the report's arrival, and the message says so.
    assert.match(
      description,
      /\*Reply by\* 2026-11-20 08:14 UTC \(22\.2 hours left; AWS's usual 24 hours: the notice gives no deadline, counted from its arrival\)/,
    );
    assert.doesNotMatch(description, /\n\n|: \n|: $/m);
    delete (subject as unknown as Event).time;
    const timeless = (await notificationOf(subject)).content.description;
    assert.ok(!timeless.includes("*Reply by*"), "no start and no arrival time: no reply-by to tell");
  });

  it("reads many affected resources as a spaced list, cut with 'and N more'", async () => {
    const notification = await notificationOf(event("abuse/port-scanning-many-resources"));
    const affected =
      notification.content.description.split("\n").find((line) => line.startsWith("*Affected*")) ?? "";
    assert.equal(affected.match(/i-0[0-9a-f]{16}/g)?.length, 10);
    assert.match(affected, /, i-0[0-9a-f]{16}, and 30 more$/);
    assert.equal(notification.metadata?.relatedResources?.length, 40);
  });

  it("says so when it is AWS's copy from its backup region, posted as the primary did not, in the same thread", async () => {
    const notification = await notificationOf(event("abuse/phishing-backup-region"));
    assert.match(notification.content.title ?? "", /\(backup region copy\)$/);
    assert.match(
      notification.content.description,
      /^_Posted from AWS's backup region us-west-2: the primary region us-east-1 had not posted this update 15 minutes after the copy arrived\._/,
    );
    const original = event("abuse/phishing-backup-region") as unknown as Health;
    delete original.detail.backupEvent;
    assert.equal(
      (await notificationOf(original as unknown as Event)).metadata?.threadId,
      notification.metadata?.threadId,
    );
  });

  it("keeps quotes, backslashes, newlines and non-ASCII text intact, and cuts a very long report to Chatbot's 8,000", async () => {
    const tricky =
      'She said "stop" \\ then {"json": true}\n\tnext line: Müller & Söhne, 東京, «Natsu», emoji 🚨';
    const subject = event("abuse/dos-report") as unknown as Health;
    (subject.detail.eventDescription as { latestDescription: string }[])[0].latestDescription = tricky;
    assert.ok((await notificationOf(subject)).content.description.endsWith(`*AWS says*\n${tricky}`));

    (subject.detail.eventDescription as { latestDescription: string }[])[0].latestDescription = "x".repeat(
      50_000,
    );
    const long = await notificationOf(subject);
    assertFitsChatbot(long);
    assert.ok(long.content.description.length > 7900);
    assert.ok(long.content.description.endsWith("x…"));
    assert.match(
      long.content.description,
      /^\*Account\* shop-prod/,
      "the facts come first, whatever the report's length",
    );
  });

  it("uses detail.affectedAccount over the delivering account", async () => {
    const subject = event("abuse/dos-report") as unknown as Health;
    subject.account = MANAGEMENT; // delivered by AWS Health's organizational view
    const notification = await notificationOf(subject);
    assert.match(notification.content.title ?? "", /shop-prod \(222222222221\)$/);
  });

  it("says where the email went: the contact found, else the root address, else that it could not tell", async () => {
    const without: AccountContexts = {
      ...CONTEXTS,
      "222222222221": { ...CONTEXTS["222222222221"], securityContact: null },
    };
    const root = await notificationOf(event("abuse/dos-report"), { contexts: without });
    assert.match(
      root.content.description,
      /\*Report sent to\* the root address aws-shop-prod@example.com, as the account has no security contact: set abuse-alerts:securityContact/,
    );
    // The stack sets one: this account joined since the last pulumi up, or its contact was removed.
    const missed = await notificationOf(event("abuse/dos-report"), {
      contexts: without,
      securityContactConfigured: true,
    });
    assert.match(
      missed.content.description,
      /as the account has no security contact: the daily reconcile \(abuse-alerts-contacts-reconcile, management account\) sets the configured one; start it to set it now/,
    );
    const unknown = await notificationOf(event("abuse/dos-report"), {
      handler: failing("account:getAlternateContact"),
    });
    assert.match(
      unknown.content.description,
      /the security contact if one is set \(the lookup failed\), else the root address aws-shop-prod@example.com/,
    );
  });

  it("looks up the management account's own contact without naming it", async () => {
    const calls: TaskCall[] = [];
    const handler = contextHandler(CONTEXTS, { directoryAccountId: MANAGEMENT });
    const subject = event("abuse/dos-report") as unknown as Health;
    subject.detail.affectedAccount = MANAGEMENT;
    await notificationOf(subject, {
      handler: (call) => {
        calls.push(call);
        return handler(call);
      },
    });
    const contact = calls.find((call) => call.resource.endsWith("getAlternateContact"));
    assert.deepEqual(contact?.arguments, { AlternateContactType: "SECURITY" });
  });

  it("stops the OU path at five levels, AWS's deepest, and says it is cut", async () => {
    const deep: AccountContexts = {
      "222222222221": { ...CONTEXTS["222222222221"], ouPath: ["A", "B", "C", "D", "E", "F"] },
    };
    const notification = await notificationOf(event("abuse/dos-report"), { contexts: deep });
    assert.match(notification.content.description, /\*OU\* Root \/ B \/ C \/ D \/ E \/ F \/ …\n/);
  });
});

describe("the next steps fit the kind of report", () => {
  const steps = async (subject: Event) => (await notificationOf(subject)).content.nextSteps ?? [];
  const withCode = (code: string, entities: string[]) => {
    const subject = event("abuse/dos-report") as unknown as Health;
    subject.detail.eventTypeCode = code;
    subject.detail.affectedEntities = entities.map((entityValue) => ({ entityValue }));
    return subject as unknown as Event;
  };
  const cases: [string, Event, RegExp, RegExp | undefined][] = [
    [
      "EC2 instances (a DoS report)",
      event("abuse/dos-report"),
      /^Isolate the instances/,
      /counter-notice|SES/,
    ],
    [
      "EC2 instances (port scanning)",
      event("abuse/port-scanning-many-resources"),
      /^Snapshot their EBS volumes/,
      /S3/,
    ],
    [
      "an Elastic IP",
      withCode("AWS_ABUSE_INTRUSION_REPORT", ["eipalloc-0a1b2c3d4e5f60718"]),
      /^Isolate the instances/,
      undefined,
    ],
    [
      "S3 content (personal data)",
      event("abuse/pii-content-removal"),
      /^Take the reported content down: delete the S3 objects/,
      /security group/,
    ],
    [
      "CloudFront content (phishing)",
      event("abuse/phishing-backup-region"),
      /phishing or malware page/,
      /security group/,
    ],
    ["a copyright notice", event("abuse/copyright-dmca"), /counter-notice/, /security group|stop them/],
    [
      "SES spam",
      event("abuse/ses-spam"),
      /^Pause sending until the cause is fixed: aws sesv2 put-account-sending-attributes/,
      /security group/,
    ],
    [
      "EC2 spam (an open relay)",
      withCode("AWS_ABUSE_EC2_EMAIL_SPAM_REPORT", ["i-0b1c2d3e4f5a60819"]),
      /^Find the open door/,
      /SES/,
    ],
    [
      "an exposed access key",
      withCode("AWS_ABUSE_EXPOSED_CREDENTIALS_REPORT", ["AKIAIOSFODNN7EXAMPLE"]),
      /^Deactivate the access key now/,
      /security group/,
    ],
    [
      "anything else",
      withCode("AWS_ABUSE_OTHER_REPORT", []),
      /^Isolate the affected resources/,
      /counter-notice|SES|S3 objects/,
    ],
  ];
  for (const [kind, subject, expected, absent] of cases) {
    it(`${kind}`, async () => {
      const found = await steps(subject);
      assert.ok(
        found.some((step) => expected.test(step)),
        found.join("\n"),
      );
      if (absent) assert.ok(!found.some((step) => absent.test(step)), found.join("\n"));
    });
  }

  it("a risk notice keeps the credential advice", async () => {
    const found = await steps(event("risk/iam-quarantine"));
    assert.ok(found.includes(ADVICE.risk[0]));
  });

  it("past the reply-by, says to reply now, never 'within 24 hours', and counts long overdue times in days", async () => {
    const late = await notificationOf(event("abuse/dos-report"), { now: new Date("2026-11-23T11:14:03Z") });
    const ours = [
      late.content.description.split("\n\n*AWS says*")[0],
      ...(late.content.nextSteps ?? []),
    ].join("\n");
    assert.doesNotMatch(ours, /within 24 hours/i);
    assert.match(ours, /\*Reply by\* 2026-11-20 08:14 UTC \(overdue by 3\.1 days\)/);
    assert.match(
      ours,
      /Reply to the abuse report email \(sent to the security contact secops@example.com\) now: its reply-by passed 3\.1 days ago/,
    );
  });
});

/** The sample context, with one kind of lookup failing as AWS would refuse it. */
function failing(action: string, error = "Organizations.AccessDeniedException") {
  const sample = contextHandler(CONTEXTS, { directoryAccountId: MANAGEMENT });
  return (call: TaskCall) =>
    call.resource.endsWith(action)
      ? Promise.reject(
          new TaskFailure(
            error,
            `User: arn:aws:sts::100000000001:assumed-role/abuse-alerts-directory/x is not authorized to perform: ${action}`,
          ),
        )
      : sample(call);
}

describe("every lookup is best-effort: the message goes out and says what is missing", () => {
  const cases: [string, RegExp, RegExp][] = [
    [
      "organizations:describeAccount",
      /account name and root email \(Organizations.AccessDeniedException: User: /,
      /in 222222222221$/,
    ],
    ["organizations:listParents", /OU path \(Organizations.AccessDeniedException/, /shop-prod/],
    [
      "organizations:describeOrganizationalUnit",
      /OU path \(Organizations.AccessDeniedException/,
      /shop-prod/,
    ],
    ["organizations:listTagsForResource", /owner tags \(Organizations.AccessDeniedException/, /shop-prod/],
    ["account:getAlternateContact", /security contact \(Organizations.AccessDeniedException/, /shop-prod/],
  ];
  for (const [action, missing, title] of cases) {
    it(`${action} refused`, async () => {
      const notification = await notificationOf(event("abuse/dos-report"), { handler: failing(action) });
      assertFitsChatbot(notification);
      assert.match(notification.content.description, /\*Context missing\*: /);
      assert.match(notification.content.description, missing);
      assert.match(notification.content.title ?? "", title);
      assert.ok(notification.content.description.includes("*AWS says*"));
    });
  }

  it("retries throttling before counting a lookup as failed", async () => {
    let throttled = 0;
    const sample = contextHandler(CONTEXTS, { directoryAccountId: MANAGEMENT });
    const notification = await notificationOf(event("abuse/dos-report"), {
      handler: (call) => {
        if (call.resource.endsWith("describeAccount") && throttled < 2) {
          throttled += 1;
          return Promise.reject(new TaskFailure("Organizations.TooManyRequestsException", "Rate exceeded"));
        }
        return sample(call);
      },
    });
    assert.equal(throttled, 2);
    assert.doesNotMatch(notification.content.description, /Context missing/);
  });

  it("with every lookup refused, still publishes the report", async () => {
    const notification = await notificationOf(event("abuse/dos-report"), {
      handler: () => Promise.reject(new TaskFailure("States.Timeout", "the lookup timed out")),
    });
    assert.equal(
      notification.content.title,
      ":rotating_light: AWS abuse report AWS_ABUSE_DOS_REPORT in 222222222221",
    );
    assert.match(
      notification.content.description,
      /\*Context missing\*: account name and root email, OU path, owner tags, security contact \(States.Timeout: the lookup timed out\)/,
    );
  });
});

describe("the workflow's ends: publish with retries, or fail loudly; a dry run returns the message", () => {
  const run = (input: unknown, publish: (call: TaskCall) => Promise<unknown>) => {
    const sample = contextHandler(CONTEXTS, { directoryAccountId: MANAGEMENT });
    return runStateMachine(definition, input, {
      now: NOW,
      handler: (call) => (call.resource.endsWith("sns:publish") ? publish(call) : sample(call)),
    });
  };

  it("publishes the message as a string to the alert topic, retrying a failure", async () => {
    let attempts = 0;
    const result = await run(event("abuse/dos-report"), (call) => {
      attempts += 1;
      if (attempts < 3) return Promise.reject(new TaskFailure("SNS.KMSThrottlingException", "slow down"));
      const args = call.arguments as { TopicArn: string; Message: string };
      assert.equal(args.TopicArn, TOPIC);
      assert.equal((JSON.parse(args.Message) as CustomNotification).source, "custom");
      return Promise.resolve({ MessageId: "m-1" });
    });
    assert.equal(result.status, "SUCCEEDED");
    assert.deepEqual(result.output, { published: ["m-1"] });
    assert.equal(attempts, 3);
  });

  it("fails the execution, which the ExecutionsFailed alarm reports, when publishing never works", async () => {
    const result = await run(event("abuse/dos-report"), () =>
      Promise.reject(new TaskFailure("SNS.AuthorizationErrorException", "not authorized")),
    );
    assert.equal(result.status, "FAILED");
    assert.equal(result.error?.Error, "SNS.AuthorizationErrorException");
    assert.equal(
      result.calls.filter((call) => call.resource.endsWith("sns:publish")).length,
      31,
      "1 try and 30 retries",
    );
  });

  it("a dry run returns the message and the context found, and publishes nothing", async () => {
    const result = await run({ dryRun: true, event: event("abuse/dos-report") }, () =>
      assert.fail("a dry run publishes"),
    );
    assert.equal(result.status, "SUCCEEDED");
    const output = result.output as { message: CustomNotification; context: unknown[] };
    assert.match(output.message.content.title ?? "", /shop-prod/);
    assert.deepEqual(output.context[0], { name: "shop-prod", email: "aws-shop-prod@example.com" });
  });
});

describe("test events and coverage notices, through the same builder", () => {
  for (const category of ["abuse", "risk"] as const) {
    it(`${category} test event: taken by the test rule only, titled TEST, nothing to do`, async () => {
      const entry = testEventEntry({
        category,
        accountId: "222222222221",
        region: "us-east-1",
        sentBy: "arn:aws:sts::100000000001:assumed-role/Admin/me",
        now: NOW,
      });
      const subject = deliveredEvent(entry, {
        id: "test-id",
        accountId: "222222222221",
        region: "us-east-1",
      });
      const preview = await previewEvent(subject, {
        contexts: CONTEXTS,
        directoryAccountId: MANAGEMENT,
        now: NOW,
      });
      assert.equal(preview.forwarded, true);
      assert.deepEqual(
        preview.rules.map((rule) => rule.name),
        [`abuse-alerts-${category}-test`],
      );
      const notification = preview.notification ?? assert.fail(preview.error);
      assert.match(notification.content.title ?? "", /^TEST :test_tube: .* in shop-prod \(222222222221\)$/);
      assert.match(
        notification.content.description,
        /^\*This is a test\* sent with npm run send-test-event: nothing to do/,
      );
      assert.equal(notification.content.keywords?.[0], "test");
      assert.equal(notification.metadata?.summary?.startsWith("TEST "), true);
    });
  }

  it("never posts a real event as a test, nor a test as a real event", async () => {
    for (const name of Object.keys(events).filter((key) => key.startsWith("abuse/"))) {
      const preview = await previewEvent(event(name));
      assert.ok(
        preview.rules.every((rule) => !rule.test),
        name,
      );
    }
    for (const rule of centralRules(["abuse", "risk"]).filter((candidate) => candidate.test)) {
      assert.deepEqual((rule.pattern as { source: string[] }).source, ["abuse-alerts.test"]);
    }
  });

  it("a failed stack instance: the account by name, its region, AWS's reason and the fix for an SCP", async () => {
    const notification = await notificationOf({
      ...event("stackset/instance-failed-scp"),
      detail: {
        ...(event("stackset/instance-failed-scp").detail as object),
        "stack-id":
          "arn:aws:cloudformation:eu-west-1:222222222222:stack/StackSet-abuse-alerts-forwarder-6e84/f61d",
      },
    });
    assertFitsChatbot(notification);
    assert.equal(
      notification.content.title,
      ":warning: Not covered: payments-prod (222222222222) in eu-west-1, forwarder stack FAILED",
    );
    assert.match(
      notification.content.description,
      /\*AWS says\* ResourceLogicalId:ForwarderRole, .*explicit deny in a service control policy/,
    );
    assert.match(notification.content.nextSteps?.[0] ?? "", /exempt arn:aws:iam::\*:role\/stacksets-exec-\*/);
    assert.equal(
      notification.metadata?.threadId?.startsWith(
        "coverage/arn:aws:cloudformation:eu-west-1:222222222222:stack/",
      ),
      true,
    );
  });

  it("a failed stack instance: the command that retries it, for the account's own OU, as the StackSet's administrator", async () => {
    const failed = {
      ...event("stackset/instance-failed-scp"),
      detail: {
        ...(event("stackset/instance-failed-scp").detail as object),
        "stack-id":
          "arn:aws:cloudformation:us-east-1:222222222222:stack/StackSet-abuse-alerts-forwarder-6e84/f61d",
        "status-details": {
          status: "OUTDATED",
          "detailed-status": "FAILED",
          "status-reason":
            "ResourceLogicalId:ForwarderRule, ResourceStatusReason:abuse-alerts-forward already exists.",
        },
      },
    };
    const command = (steps: readonly string[] | undefined) =>
      (steps ?? []).find((step) => step.startsWith("Then retry")) ?? assert.fail("no retry step");
    const self = await notificationOf(failed);
    assertFitsChatbot(self);
    assert.match(self.content.description, /reach nobody until it is fixed/);
    assert.match(self.content.nextSteps?.[0] ?? "", /^Read AWS's reason above and fix it in that account/);
    assert.equal(
      command(self.content.nextSteps),
      "Then retry, from the account that administers the StackSet: aws cloudformation update-stack-instances " +
        "--stack-set-name abuse-alerts-forwarder --region us-east-1 --regions us-east-1 " +
        "--deployment-targets OrganizationalUnitIds=ou-ex12-prod0001,Accounts=222222222222,AccountFilterType=INTERSECTION",
    );
    const delegated = await notificationOf(failed, { stackSetCallAs: "DELEGATED_ADMIN" });
    assertFitsChatbot(delegated);
    assert.match(command(delegated.content.nextSteps), / --call-as DELEGATED_ADMIN$/);
    const unknownOu = await notificationOf(failed, { handler: failing("organizations:listParents") });
    assert.match(
      command(unknownOu.content.nextSteps),
      /OrganizationalUnitIds=<the account's OU ID>,Accounts=222222222222,/,
    );
  });

  it("outside us-east-1, says only the copies delivered in that region are lost", async () => {
    const notification = await notificationOf(event("stackset/instance-failed-scp"));
    assert.match(
      notification.content.description,
      /the copies of abuse reports AWS delivers in eu-west-1 \(us-west-2 is its backup region\) are not forwarded; those in us-east-1 still are\./,
    );
  });

  it("a failed removal: says the forwarder stack may remain, and gives no create-or-update retry", async () => {
    const removal = event("stackset/instance-failed-scp");
    (removal.detail as Record<string, unknown>).action = "DELETE";
    (removal.detail as Record<string, unknown>)["status-details"] = {
      status: "INOPERABLE",
      "detailed-status": "FAILED",
      "status-reason": "Stack could not be deleted: ForwarderQueue DELETE_FAILED",
    };
    const notification = await notificationOf(removal);
    assertFitsChatbot(notification);
    assert.match(
      notification.content.title ?? "",
      /^:warning: Forwarder not removed: 555555555551 in eu-west-1/,
    );
    assert.match(
      notification.content.description,
      /could not remove the forwarder here .*its stack may remain/,
    );
    assert.match(
      notification.content.nextSteps?.[0] ?? "",
      /delete the stack StackSet-abuse-alerts-forwarder-\* in that account and region if it is still there/,
    );
    assert.ok(notification.content.nextSteps?.every((step) => !step.includes("update-stack-instances")));
    assert.match(notification.metadata?.summary ?? "", /keeps its forwarder in eu-west-1/);
  });

  it("a notice without the stack's ARN is still posted, saying what it could not tell", async () => {
    const malformed = event("stackset/instance-failed-scp");
    delete (malformed.detail as Record<string, unknown>)["stack-id"];
    const preview = await previewEvent(malformed, { contexts: CONTEXTS, now: NOW });
    const notification = preview.notification ?? assert.fail(`${preview.error ?? ""}`);
    assertFitsChatbot(notification);
    assert.match(
      notification.content.title ?? "",
      /Not covered: unknown in an unknown region, forwarder stack FAILED/,
    );
    assert.match(notification.content.description, /\*Context missing\*/);
    assert.equal(notification.metadata?.threadId, "coverage/unknown/an unknown region");
  });

  it("a suspended account the StackSet skipped, or a cancelled instance: never posted", async () => {
    for (const name of ["stackset/instance-suspended", "stackset/instance-cancelled"]) {
      const preview = await renderPreview(event(name));
      assert.equal(preview.posted, false, name);
      assert.match(
        oneLine(preview).text,
        /counted in its operation's summary, not posted on its own|never posted: npm run coverage lists it/,
      );
    }
    // Even if one reached the workflow, it would end without a call, let alone a post.
    const execution = await runStateMachine(routedDefinition, event("stackset/instance-suspended"), {
      handler: () => Promise.reject(new Error("no call expected")),
      now: NOW,
    });
    assert.equal(execution.status, "SUCCEEDED");
    assert.equal(execution.path.at(-1), "Coverage: not posted");
    assert.deepEqual(execution.calls, []);
  });

  it("the previews say when nothing would be posted", async () => {
    assert.deepEqual(oneLine(await renderPreview(event("abuse/email-spam-page-2"))), {
      text: "Nothing would be posted: member accounts forward it, but no central rule posts it (a later page of a paged event is not posted again).",
      posted: false,
      invalid: false,
    });
    assert.equal((await renderPreview(event("negative/guardduty-finding"))).posted, false);
    assert.equal((await renderPreview(event("stackset/instance-succeeded"))).posted, false);
    assert.deepEqual(
      oneLine(await renderPreview(event("stackset/instance-failed-scp"), { coverage: false })),
      {
        text: "Nothing would be posted: it is a coverage notice of the forwarder StackSet, which only a stack with abuse-alerts:deployment stackset posts (this one is direct).",
        posted: false,
        invalid: false,
      },
    );
  });

  it("an event of a category the stack leaves out: says so, and which key to change", async () => {
    assert.deepEqual(oneLine(await renderPreview(event("abuse/dos-report"), { categories: ["risk"] })), {
      text: "Nothing would be posted: it is an AWS Health abuse event, and this stack's abuse-alerts:categories is [risk]: add abuse to post such events.",
      posted: false,
      invalid: false,
    });
    const risk = oneLine(await renderPreview(event("risk/credentials-exposed"), { categories: ["abuse"] }));
    assert.match(risk.text, /AWS Health risk event, and this stack's abuse-alerts:categories is \[abuse\]/);
  });
});

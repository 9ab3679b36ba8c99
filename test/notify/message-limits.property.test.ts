import { strict as assert } from "node:assert";
import fc from "fast-check";
import jsonata from "jsonata";
import { CustomNotification, parseCustomNotification } from "../../notify/notification";
import { acknowledgedMessage, overdueMessage, reminderMessage } from "../../notify/case-message";
import { POSTED_INSTANCE_STATUSES } from "../../model/stackset-failures";
import { operationSummary, windowSummary } from "../../notify/coverage-summary";
import { COMMERCIAL_REGIONS } from "../../config/schema";
import { AccountContext, AccountContexts } from "../../sim/account-context";
import { LIMITS } from "../../notify/notification";
import { RouteConfig } from "../../config/routes";
import { EventPreview, previewEvent, PreviewOptions } from "../../tools/preview";
import { MANAGEMENT } from "../helpers/example-org";
import { sampleEvents, stackSetSampleEvents } from "../../tools/examples";

type Event = Record<string, unknown>;
type Detail = Record<string, unknown>;

/**
 * Lengths are counted in code points, as the workflow's JSONata ($length, $substring) and the
 * project's Chatbot schema (parseCustomNotification) count them.
 */
const length = (text: string) => [...text].length;

/** Chatbot's documented limits, a valid custom notification, and no trace of a field AWS left out. */
function assertFitsChatbot(preview: EventPreview, input: unknown): CustomNotification {
  assert.equal(preview.error, undefined, `${preview.error ?? ""}\n${(preview.message ?? "").slice(0, 2000)}`);
  const notification = preview.notification;
  assert.ok(notification, "a notification is produced");
  const { content } = notification;
  assert.ok(length(content.title ?? "") <= LIMITS.title, `title of ${length(content.title ?? "")}`);
  assert.ok(
    length(content.description) <= LIMITS.description,
    `description of ${length(content.description)}`,
  );
  assert.ok(content.description.length > 0, "a description");
  for (const step of content.nextSteps ?? []) assert.ok(length(step) <= LIMITS.nextStep, step);
  for (const keyword of content.keywords ?? []) assert.ok(length(keyword) <= LIMITS.keyword, keyword);
  assertNoTraceOfMissingFields(preview.message ?? "", input);
  return notification;
}

/** Every text of a value, keys included, as it is: not JSON-escaped. */
function texts(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...texts(inner)]);
  }
  return [];
}

/** Where a missing field shows when a builder concatenates it: a null value, or the word itself. */
const MISSING_WORD = /(?<![\p{L}\p{N}_])(undefined|NaN|null)(?![\p{L}\p{N}_])/gu;

/**
 * No trace of a field AWS left out: no null value anywhere in the message, and no word "null",
 * "undefined" or "NaN" in a field unless the input's own text holds it. The words are looked for
 * in each field's text, not in the message's JSON: there a line break before "ulla" reads "\nulla".
 */
function assertNoTraceOfMissingFields(message: string, input: unknown) {
  const walk = (value: unknown, path: string): void => {
    assert.notEqual(value, null, `${path} is null in ${message}`);
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value as object)) walk(inner, `${path}.${key}`);
    } else if (typeof value === "string") {
      for (const [word] of value.matchAll(MISSING_WORD)) {
        const quoted = texts(input).some((text) => text.includes(word));
        assert.ok(quoted, `${path} holds "${word}", which the input does not: ${JSON.stringify(value)}`);
      }
    }
  };
  walk(JSON.parse(message) as unknown, "message");
}

/** AWS's text in the message: whole, or cut where the message ran out of room, ending with "…". */
function assertQuoted(description: string, marker: string, words: string) {
  const at = description.indexOf(marker);
  assert.ok(at >= 0, `${JSON.stringify(marker)} in the description`);
  const quoted = description.slice(at + marker.length);
  if (quoted.startsWith(words)) return;
  assert.ok(
    quoted.endsWith("…"),
    `AWS's text is whole or cut with "…": ${JSON.stringify(quoted.slice(-80))}`,
  );
  assert.ok(words.startsWith(quoted.slice(0, -1)), "what is kept of AWS's text is its beginning");
}

// Text of every kind AWS or a person could put in a field: quotes, backslashes, newlines, JSON and
// JSONata syntax, Markdown, accents, CJK, emoji (astral, joined), a line separator.
const SPECIALS = [
  '"',
  "'",
  "\\",
  "\n",
  "\r\n",
  "\t",
  "{",
  "}",
  "{%",
  "%}",
  "$",
  "&",
  "`",
  "*",
  "_",
  "<",
  ">",
  "…",
  "é",
  "ß",
  "東京",
  "𠀀",
  "🚨",
  "😀",
  "👩‍💻",
  "\u2028",
];
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789.,:-/") },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
);

/** Text of at most `max` code points: short and random, or a random piece repeated to a random length. */
function text(max: number, unitArbitrary: fc.Arbitrary<string> = unit): fc.Arbitrary<string> {
  const piece = fc.string({ unit: unitArbitrary, minLength: 1, maxLength: 24 });
  return fc.oneof(
    fc.string({ unit: unitArbitrary, maxLength: Math.min(max, 40) }),
    fc.tuple(piece, fc.integer({ min: 0, max })).map(([chunk, size]) => {
      const points = [...chunk];
      return points.length > size ? "" : chunk.repeat(Math.floor(size / points.length));
    }),
    // At the limit, or near it.
    fc
      .tuple(piece, fc.integer({ min: Math.max(0, max - 3), max }))
      .map(([chunk, size]) => [...chunk.repeat(Math.ceil(size / [...chunk].length))].slice(0, size).join("")),
  );
}

/** Printable ASCII: what Organizations takes in an account name ([\u0020-\u007E], at most 50). */
const ascii = fc.constantFrom(...Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)));
/** Letters, digits, spaces and _.:/=+-@, of any script: what Organizations takes in a tag. */
const tagUnit = fc.constantFrom(..."abcxyz ABC019_.:/=+-@", "é", "ß", "東", "𠀀", "\u00a0");

const ACCOUNT_ID = fc.constantFrom("222222222221", "333333333333", MANAGEMENT, "444444444444");

/** An account's context as the lookups find it, at AWS's limits: name 50, email 64, OU names 128, five levels, tags 128/256. */
const contextArbitrary = (tagKeys: readonly string[]): fc.Arbitrary<AccountContext> =>
  fc.record(
    {
      name: text(50, ascii).filter((name) => name.length > 0),
      email: fc.constantFrom("root@example.com", `${"r".repeat(50)}@example.com`, 'o"dd\\name@example.com'),
      ouPath: fc.array(
        text(128).filter((name) => name.length > 0),
        { maxLength: 5 },
      ),
      tags: fc
        .tuple(
          fc.subarray([...tagKeys]),
          fc.dictionary(text(128, tagUnit), text(256, tagUnit), { maxKeys: 20 }),
          fc.array(text(256, tagUnit), { minLength: 10, maxLength: 10 }),
        )
        .map(([shown, others, values]) => ({
          ...others,
          ...Object.fromEntries(shown.map((key, index) => [key, values[index]])),
        })),
      securityContact: fc.option(
        fc.record({
          name: text(64).filter((value) => value.length > 0),
          title: text(50).filter((value) => value.length > 0),
          emailAddress: fc.constantFrom("secops@example.com", `${"s".repeat(240)}@example.com`),
          phoneNumber: fc.constantFrom("+1-206-555-0100", "(0) 123 456 789 012 345 6"),
        }),
      ),
    },
    { requiredKeys: [] },
  );

/**
 * Routes that often match, so that their notes open the posts: by account, and by the OUs the
 * sample lookups make up (ou-offl-<account><depth>), whose names run to 128 characters.
 */
const routesArbitrary: fc.Arbitrary<RouteConfig[]> = fc
  .uniqueArray(fc.string({ unit: fc.constantFrom(..."abcxyz019-"), minLength: 1, maxLength: 32 }), {
    maxLength: 4,
  })
  .chain((names) =>
    fc.tuple(
      ...names.map((name, index) =>
        fc.record({
          name: fc.constant(name),
          channel: fc.constant({
            kind: "slack" as const,
            workspaceId: "T0123456789",
            channelId: `C0ROUTE000${index}`,
          }),
          organizationalUnits: fc.subarray(
            ["222222222221", "333333333333", MANAGEMENT].flatMap((id) =>
              [1, 2, 3, 4, 5].map((depth) => `ou-offl-${id}0${depth}`),
            ),
          ),
          accounts: fc.subarray(["222222222221", "333333333333", MANAGEMENT, "444444444444"]),
          tags: fc.constant({}),
        }),
      ),
    ),
  );

/** The stack's accountTags (at most 10 keys), and what the lookups find for a few accounts, some unknown. */
const stackArbitrary = fc
  .uniqueArray(
    text(128, tagUnit).filter((key) => /^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,128}$/u.test(key)),
    {
      maxLength: 10,
    },
  )
  .chain((accountTags) =>
    fc.record({
      accountTags: fc.constant(accountTags),
      contexts: fc.dictionary(ACCOUNT_ID, contextArbitrary(accountTags), { maxKeys: 4 }),
      securityContactConfigured: fc.boolean(),
      stackSetCallAs: fc.constantFrom("SELF" as const, "DELEGATED_ADMIN" as const),
      routes: routesArbitrary,
    }),
  );

const DAY = 86_400_000;
/** When AWS says the event started: ISO 8601 (with or without milliseconds), RFC 1123 as AWS Health writes it, or not at all. */
const startArbitrary = fc.option(
  fc.tuple(
    fc.date({
      min: new Date("2020-01-01T00:00:00Z"),
      max: new Date("2035-12-31T23:59:59Z"),
      noInvalidDate: true,
    }),
    fc.constantFrom("iso", "iso-seconds", "rfc1123"),
  ),
  { nil: undefined },
);
const formatted = ([date, form]: [Date, string]) =>
  form === "rfc1123"
    ? date.toUTCString()
    : form === "iso"
      ? date.toISOString()
      : date.toISOString().replace(/\.\d{3}Z$/, "Z");

const healthFixtures = [...sampleEvents("abuse"), ...sampleEvents("risk")];

/**
 * An AWS Health abuse or risk event from a real sample, with AWS's fields pushed to their extremes:
 * a description of up to 50,000 characters, up to 300 affected entities of up to `entityLength`
 * characters each (AWS allows 1,224), event type codes up to AWS's 100.
 */
const healthEventArbitrary = (entityLength: number) =>
  fc
    .record({
      fixture: fc.constantFrom(...healthFixtures),
      description: fc.oneof(
        { weight: 1, arbitrary: fc.constant("absent" as const) },
        { weight: 1, arbitrary: fc.constant("empty list" as const) },
        { weight: 6, arbitrary: text(50_000) },
      ),
      entities: fc.oneof(
        fc.array(text(entityLength), { maxLength: 12 }),
        fc
          .tuple(fc.nat(300), text(entityLength))
          .map(([count, value]) => Array.from({ length: count }, (_, index) => `${value}${index}`)),
      ),
      code: fc.oneof(
        fc.constant(undefined),
        fc.stringMatching(/^AWS_(ABUSE|RISK)_[A-Z0-9_]{1,91}$/),
        fc.constant(`AWS_ABUSE_${"X".repeat(90)}`),
      ),
      statusCode: fc.constantFrom("open", "closed", "upcoming"),
      start: startArbitrary,
      processedAfter: fc.integer({ min: -DAY, max: 3 * DAY }),
      account: ACCOUNT_ID,
      affectedAccountGiven: fc.boolean(),
      backup: fc.constantFrom(undefined, "true", "false"),
    })
    .map((generated) => {
      const event = structuredClone(generated.fixture.event);
      const detail = event.detail as Detail;
      if (generated.description === "absent") delete detail.eventDescription;
      else if (generated.description === "empty list") detail.eventDescription = [];
      else detail.eventDescription = [{ language: "en_US", latestDescription: generated.description }];
      detail.affectedEntities = generated.entities.map((entityValue) => ({
        entityValue,
        status: "IMPAIRED",
      }));
      if (generated.code !== undefined) detail.eventTypeCode = generated.code;
      detail.statusCode = generated.statusCode;
      if (generated.start) detail.startTime = formatted(generated.start);
      else delete detail.startTime;
      if (generated.affectedAccountGiven) detail.affectedAccount = generated.account;
      else {
        delete detail.affectedAccount;
        event.account = generated.account;
      }
      if (generated.backup === undefined) delete detail.backupEvent;
      else detail.backupEvent = generated.backup;
      const startMs = generated.start?.[0].getTime() ?? Date.parse("2026-11-19T08:14:03Z");
      return { event, now: new Date(startMs + generated.processedAfter) };
    });

const coverageFixtures = stackSetSampleEvents().filter((fixture) =>
  ["instance-failed-scp"].includes(fixture.name),
);

/** A failed stack instance of the forwarder StackSet: any region, any account, AWS's reason any text. */
const coverageEventArbitrary = fc
  .record({
    fixture: fc.constantFrom(...coverageFixtures),
    region: fc.oneof(
      fc.constantFrom(...COMMERCIAL_REGIONS),
      fc.stringMatching(/^[a-z]{2}(-[a-z]{1,12}){1,3}-\d{1,2}$/),
    ),
    account: ACCOUNT_ID,
    stackGiven: fc.nat(9).map((roll) => roll > 0),
    reason: fc.option(text(10_000), { nil: undefined }),
    status: fc.constantFrom(...POSTED_INSTANCE_STATUSES),
    action: fc.constantFrom(undefined, "CREATE", "UPDATE", "DELETE"),
  })
  .map((generated) => {
    const event = structuredClone(generated.fixture.event);
    const detail = event.detail as Detail;
    const status = detail["status-details"] as Detail;
    if (generated.stackGiven) {
      detail["stack-id"] =
        `arn:aws:cloudformation:${generated.region}:${generated.account}:stack/StackSet-abuse-alerts-forwarder-6e84f2e0-f223-4b38-ac9c-d7a7ac2e8ef4/f61d15a0-7af9-11ed-a39d-068d53de7052`;
    } else delete detail["stack-id"];
    if (generated.reason === undefined) delete status["status-reason"];
    else status["status-reason"] = generated.reason;
    status["detailed-status"] = generated.status;
    if (generated.action === undefined) delete detail.action;
    else detail.action = generated.action;
    return { event };
  });

/** The stack a message is built for: its accountTags and settings, and what the lookups find. */
type Stack = {
  accountTags: string[];
  contexts: AccountContexts;
  securityContactConfigured: boolean;
  stackSetCallAs: "SELF" | "DELEGATED_ADMIN";
  routes?: RouteConfig[];
};

async function preview(event: Event, stack: Stack, now?: Date) {
  const options: PreviewOptions = {
    coverage: true,
    directoryAccountId: MANAGEMENT,
    accountTags: stack.accountTags,
    securityContactConfigured: stack.securityContactConfigured,
    stackSetCallAs: stack.stackSetCallAs,
    contexts: stack.contexts,
    routes: stack.routes,
    now,
  };
  return previewEvent(event, options);
}

/** The properties every posted abuse or risk event must have; a later page (no rule) posts nothing. */
async function checkHealthEvent({ event, now }: { event: Event; now: Date }, stack: Stack): Promise<boolean> {
  const result = await preview(event, stack, now);
  const detail = event.detail as Detail;
  if (result.rules.length === 0) {
    // Only a later page of a paged event is left to no rule.
    assert.notEqual(detail.page, "1");
    return false;
  }
  const notification = assertFitsChatbot(result, { event, stack });
  // Every route's post, its note first, within the limits too.
  for (const post of result.posts?.slice(1) ?? []) {
    const routed = parseCustomNotification(post.message).content.description;
    assert.ok(length(routed) <= LIMITS.description, `a route's description of ${length(routed)}`);
    assert.match(routed, /^\*Routed to [a-z0-9-]+\*: /);
  }
  const words = (detail.eventDescription as { latestDescription?: string }[] | undefined)?.[0]
    ?.latestDescription;
  if (words !== undefined) assertQuoted(notification.content.description, "\n\n*AWS says*\n", words);
  else assert.ok(!notification.content.description.includes("*AWS says*"));
  return true;
}

describe("Chatbot's limits for any event and account (fast-check)", () => {
  it("an abuse or risk event a central rule takes gives a valid message within every limit, AWS's text in it", async () => {
    let posted = 0;
    await fc.assert(
      // Affected entities of up to 256 characters (resource IDs, most ARNs); AWS's 1,224 below.
      fc.asyncProperty(healthEventArbitrary(256), stackArbitrary, async (generated, stack) => {
        if (await checkHealthEvent(generated, stack)) posted++;
      }),
      { numRuns: 400 },
    );
    assert.ok(posted > 250, `${posted} posted`);
  });

  // AWS Health allows entity values of 1,224 characters: ten of them once pushed the description
  // past 8,000 (abuse/dos-report with 7 of them gave 9,022), and Chatbot drops such a message.
  it("affected entities as long as AWS allows (1,224 characters) still give a message within the limits", async () => {
    const dos = healthFixtures.find((fixture) => fixture.name === "abuse/dos-report")?.event ?? {};
    const event = structuredClone(dos);
    (event.detail as Detail).affectedEntities = Array.from({ length: 7 }, (_, index) => ({
      entityValue: `${index}${"x".repeat(1223)}`,
    }));
    const stack: Stack = {
      accountTags: [],
      contexts: {},
      securityContactConfigured: false,
      stackSetCallAs: "SELF",
    };
    await fc.assert(
      fc.asyncProperty(healthEventArbitrary(1224), stackArbitrary, async (generated, generatedStack) => {
        await checkHealthEvent(generated, generatedStack);
      }),
      { numRuns: 200, examples: [[{ event, now: new Date("2026-11-19T09:59:03Z") }, stack]] },
    );
  });

  it("a coverage notice gives a valid message within every limit, AWS's reason in it", async () => {
    await fc.assert(
      fc.asyncProperty(coverageEventArbitrary, stackArbitrary, async ({ event }, stack) => {
        const result = await preview(event, stack);
        assert.deepEqual(
          result.rules.map((rule) => rule.key),
          ["coverage"],
        );
        const notification = assertFitsChatbot(result, { event, stack });
        // Every route's post, its note first, within the limits too.
        for (const post of result.posts?.slice(1) ?? []) {
          const routed = parseCustomNotification(post.message).content.description;
          assert.ok(length(routed) <= LIMITS.description, `a route's description of ${length(routed)}`);
          assert.match(routed, /^\*Routed to [a-z0-9-]+\*: /);
        }
        const reason = ((event.detail as Detail)["status-details"] as Detail)["status-reason"] as
          string | undefined;
        if (reason) assertQuoted(notification.content.description, "\n*AWS says* ", reason);
      }),
      { numRuns: 250 },
    );
  });
});

/** A rollout's or a window's failed and cancelled instances: many accounts, regions, any reason. */
const failuresArbitrary = fc.array(
  fc.record({
    account: fc.oneof(ACCOUNT_ID, fc.stringMatching(/^\d{12}$/)),
    region: fc.oneof(
      fc.constantFrom(...COMMERCIAL_REGIONS),
      fc.stringMatching(/^[a-z]{2}(-[a-z]{1,12}){1,3}-\d{1,2}$/),
    ),
    status: fc.constantFrom("FAILED", "FAILED", "CANCELLED"),
    reason: fc.option(
      fc.oneof(
        text(2000),
        fc.constant(
          "User: arn:aws:sts::222222222221:assumed-role/x is not authorized ... explicit deny in a service control policy",
        ),
        fc.constant("abuse-alerts-stackset-dlq already exists"),
      ),
      { nil: undefined },
    ),
    ou: fc.option(fc.stringMatching(/^ou-[a-z0-9]{4}-[a-z0-9]{8}$/), { nil: undefined }),
  }),
  { minLength: 2, maxLength: 400 },
);

describe("Chatbot's limits for the coverage summaries (fast-check)", () => {
  it("a rollout's summary: valid, within every limit, for any results", async () => {
    await fc.assert(
      fc.asyncProperty(
        failuresArbitrary,
        fc.constantFrom("FAILED", "STOPPED"),
        fc.boolean(),
        fc.constantFrom<"SELF" | "DELEGATED_ADMIN">("SELF", "DELEGATED_ADMIN"),
        async (results, status, unread, callAs) => {
          const bindings = {
            event: {
              id: "e",
              detail: {
                "stack-set-arn":
                  "arn:aws:cloudformation:us-east-1:100000000001:stackset/abuse-alerts-forwarder:x",
                "stack-set-operation-id": "ce69adce-2221-4483-8c4b-c51f284f25e8",
                "status-details": { status },
              },
            },
            results: unread ? [] : results,
            token: unread ? "" : "next",
            readError: unread ? { Error: "CloudFormation.AccessDenied", Cause: "denied" } : {},
          };
          const notification = (await jsonata(operationSummary(callAs)).evaluate({}, bindings)) as unknown;
          const message = JSON.stringify(notification);
          const parsed = parseCustomNotification(message);
          assertFitsChatbot(
            { forwarded: true, rules: [], message, notification: parsed },
            { results, bindings },
          );
          const failed = new Set(
            results.filter((result) => result.status === "FAILED").map((result) => result.account),
          );
          if (!unread)
            assert.match(parsed.content.title ?? "", new RegExp(`: ${failed.size} accounts? not covered`));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("a window's notice: valid, within every limit, for any failures", async () => {
    await fc.assert(
      fc.asyncProperty(failuresArbitrary, async (failures) => {
        const failed = failures.map((failure) => ({ ...failure, status: "FAILED" }));
        const bindings = {
          failed,
          windowStart: Date.parse("2026-11-19T11:00:00Z"),
          windowEnd: Date.parse("2026-11-19T11:15:00Z"),
        };
        const notification = (await jsonata(windowSummary("SELF")).evaluate({}, bindings)) as unknown;
        const message = JSON.stringify(notification);
        const parsed = parseCustomNotification(message);
        assertFitsChatbot({ forwarded: true, rules: [], message, notification: parsed }, { failures });
      }),
      { numRuns: 80 },
    );
  });
});

/** A case as its item holds it, with the values a first post records, at their extremes. */
const caseArbitrary = fc.record({
  label: fc.oneof(
    text(50, ascii).map((name) => `${name} (222222222221)`),
    fc.constant("222222222221"),
  ),
  code: fc.stringMatching(/^AWS_ABUSE_[A-Z0-9_]{1,90}$/),
  sentTo: fc.oneof(
    fc.constant("the security contact secops@example.com"),
    text(300).map((email) => `the root address ${email}, as the account has no security contact`),
  ),
  replyBySource: fc.constantFrom(
    "as the notice asks: within 48 hours",
    "AWS\u0027s usual 24 hours: the notice gives no deadline, counted from its arrival",
  ),
  replyByMs: fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2030-01-01T00:00:00Z") }),
  category: fc.constantFrom("abuse", "risk", "test"),
  follow: fc.boolean(),
  overdueAt: fc.option(fc.constant("2026-11-20T08:14:03Z"), { nil: undefined }),
  at: fc.integer({ min: -30 * DAY, max: 30 * DAY }),
  ack: fc.record({
    by: fc.oneof(
      fc.constant("someone in the Slack channel (Chatbot does not say who)"),
      text(2048, ascii).map((name) => `arn:aws:sts::111111111111:assumed-role/SecOps/${name}`),
    ),
    via: fc.constantFrom("slack", "cli"),
    note: fc.option(text(500), { nil: undefined }),
  }),
});

describe("Chatbot's limits for every post of a case (fast-check)", () => {
  const posts = {
    reminder: reminderMessage,
    overdue: overdueMessage(["oncall@example.com, cto@example.com", "PagerDuty"]),
    acknowledged: acknowledgedMessage,
  };
  for (const [name, expression] of Object.entries(posts)) {
    it(`${name}: a valid notification within every limit, for any case`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArbitrary, async (generated) => {
          const { at, ack, ...item } = generated;
          const now = new Date(item.replyByMs + at);
          const bindings = {
            case: {
              ...item,
              account: "222222222221",
              eventArn: "arn:aws:health:global::event/ABUSE/X/Y",
              threadId: "t",
            },
            ack: { ...ack, at: now.toISOString() },
            caseId: "222222222221-4f178e4c08f8",
            region: "us-east-1",
            caseMachine: "arn:aws:states:us-east-1:111111111111:stateMachine:abuse-alerts-case",
            states: { context: { State: { EnteredTime: now.toISOString() } } },
          };
          const notification = (await jsonata(expression).evaluate({}, bindings)) as unknown;
          const message = JSON.stringify(notification);
          const parsed = parseCustomNotification(message);
          assertFitsChatbot({ forwarded: true, rules: [], message, notification: parsed }, generated);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe("the property tests' own check for traces of missing fields", () => {
  const dos = () =>
    structuredClone(healthFixtures.find((fixture) => fixture.name === "abuse/dos-report")?.event ?? {});
  const stack: Stack = {
    accountTags: [],
    contexts: {},
    securityContactConfigured: false,
    stackSetCallAs: "SELF",
  };
  const now = new Date("2026-11-19T09:59:03Z");

  it("passes AWS's text that starts where the builder put a line break (\\n + ulla reads \\nulla in JSON)", async () => {
    const event = dos();
    (event.detail as Detail).eventDescription = [{ language: "en_US", latestDescription: "ulla pariatur" }];
    assert.ok(await checkHealthEvent({ event, now }, stack));
  });

  it("refuses a null value, and the word null, undefined or NaN that the input does not hold", async () => {
    const preview = await previewEvent(dos(), { contexts: {}, now });
    const message = JSON.parse(preview.message ?? "{}") as { content: Record<string, unknown> };
    const altered = (change: (content: Record<string, unknown>) => void): EventPreview => {
      const copy = structuredClone(message);
      change(copy.content);
      return { ...preview, message: JSON.stringify(copy) };
    };
    assert.doesNotThrow(() => assertFitsChatbot(preview, {}));
    assert.throws(
      () =>
        assertFitsChatbot(
          altered((content) => (content.keywords = [null])),
          {},
        ),
      /message.content.keywords\[0\] is null/,
    );
    for (const word of ["null", "undefined", "NaN"]) {
      const account = altered((content) => (content.description = `*Account* ${word} (222222222221)`));
      assert.throws(
        () => assertFitsChatbot(account, {}),
        new RegExp(`holds "${word}", which the input does not`),
      );
      assert.doesNotThrow(
        () => assertFitsChatbot(account, { name: `a ${word} name` }),
        "the input's own word",
      );
    }
  });

  it("fails with fast-check's seed and path, to replay the case, and the assertion as its cause", async () => {
    const preview = await previewEvent(dos(), { contexts: {}, now });
    assert.throws(
      () =>
        fc.assert(
          fc.property(fc.constantFrom("null", "ok"), (word) => {
            const content = { ...preview.notification?.content, description: `*Account* ${word}` };
            assertFitsChatbot(
              { ...preview, message: JSON.stringify({ ...preview.notification, content }) },
              {},
            );
          }),
          { numRuns: 20, seed: 42 },
        ),
      (error: Error) => {
        assert.match(error.message, /seed: 42, path: "\d+(:\d+)*"/);
        // Mocha prints the assertion that failed as the error's cause.
        assert.match(String((error.cause as Error).message), /holds "null", which the input does not/);
        return true;
      },
    );
  });
});

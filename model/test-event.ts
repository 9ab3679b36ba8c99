import { Category } from "../config/schema";
import { CATEGORY_SERVICE, TEST_SOURCE } from "./patterns";

/** A PutEvents entry, as the SDK takes it. */
export interface TestEventEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time: Date;
  EventBusName: string;
}

const SAMPLE_CODE: Record<Category, string> = {
  abuse: "AWS_ABUSE_DOS_REPORT",
  risk: "AWS_RISK_CREDENTIALS_EXPOSED",
};

/** RFC 1123, as AWS Health writes its times: "Thu, 19 Nov 2026 08:14:03 GMT". */
const healthTime = (time: Date) => time.toUTCString();

/**
 * A synthetic event with the shape of an AWS Health abuse or risk event, under the test source,
 * for an account's default bus: it travels the forwarder, the central bus and Chatbot like a
 * real report, and the central test rule titles it TEST.
 */
export function testEventEntry(options: {
  category: Category;
  accountId: string;
  region: string;
  sentBy: string;
  now: Date;
  /** A probe: the central workflow records its arrival (notify/probe-path.ts) instead of posting it. */
  probeId?: string;
}): TestEventEntry {
  const { category, accountId, region, sentBy, now } = options;
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  const code = SAMPLE_CODE[category];
  const resource =
    category === "abuse"
      ? `arn:aws:ec2:${region}:${accountId}:instance/i-0abc0test0000000`
      : "AKIATESTEXAMPLEKEY00";
  return {
    Source: TEST_SOURCE,
    DetailType: category === "abuse" ? "AWS Health Abuse Event" : "AWS Health Event",
    Resources: [resource],
    Time: now,
    EventBusName: "default",
    Detail: JSON.stringify({
      eventArn: `arn:aws:health:global::event/${CATEGORY_SERVICE[category]}/${code}/abuse-alerts-test-${stamp}`,
      service: CATEGORY_SERVICE[category],
      eventTypeCode: code,
      eventTypeCategory: "issue",
      eventScopeCode: "ACCOUNT_SPECIFIC",
      communicationId: `abuse-alerts-test-${stamp}`,
      startTime: healthTime(now),
      lastUpdatedTime: healthTime(now),
      statusCode: "open",
      eventRegion: region,
      eventDescription: [
        {
          language: "en_US",
          latestDescription:
            `TEST. This event was sent by ${sentBy} with npm run send-test-event to check that ${category} alerts ` +
            `from account ${accountId} reach this channel. It is not a real report: nothing to do.`,
        },
      ],
      affectedEntities: [{ entityValue: resource, status: "IMPAIRED" }],
      affectedAccount: accountId,
      page: "1",
      totalPages: "1",
      ...(options.probeId ? { probe: { id: options.probeId, sentAt: now.toISOString() } } : {}),
    }),
  };
}

/** The entry as EventBridge delivers it to rules: the envelope around `detail`. */
export function deliveredEvent(
  entry: TestEventEntry,
  options: { id: string; accountId: string; region: string },
) {
  return {
    version: "0",
    id: options.id,
    "detail-type": entry.DetailType,
    source: entry.Source,
    account: options.accountId,
    time: entry.Time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: options.region,
    resources: entry.Resources,
    detail: JSON.parse(entry.Detail) as Record<string, unknown>,
  };
}

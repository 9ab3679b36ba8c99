import { CloudWatchClient, MetricDataQuery, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";

/** A topic's deliveries in one minute: every subscriber and every message of that minute, not one message. */
export interface MinuteDeliveries {
  minute: Date;
  delivered: number;
  failed: number;
}

const MINUTE = 60_000;
export const floorToMinute = (at: Date): Date => new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);

const QUERIES = {
  delivered: "NumberOfNotificationsDelivered",
  failed: "NumberOfNotificationsFailed",
} as const;

function query(id: keyof typeof QUERIES, topicName: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/SNS",
        MetricName: QUERIES[id],
        Dimensions: [{ Name: "TopicName", Value: topicName }],
      },
      // SNS sends these at 1-minute intervals; Sum is a valid statistic of both.
      Period: 60,
      Stat: "Sum",
    },
  };
}

/**
 * The topic's AWS/SNS NumberOfNotificationsDelivered and NumberOfNotificationsFailed per minute, from
 * `since`'s minute to the end of `now`'s, oldest first; minutes without a datapoint are left out.
 * GetMetricData is paginated, and a metric's values may continue on the next page.
 */
export async function minuteDeliveries(
  client: CloudWatchClient,
  topicName: string,
  since: Date,
  now: Date,
): Promise<MinuteDeliveries[]> {
  const minutes = new Map<number, MinuteDeliveries>();
  const pages = paginateGetMetricData(
    { client },
    {
      MetricDataQueries: [query("delivered", topicName), query("failed", topicName)],
      StartTime: floorToMinute(since),
      EndTime: new Date(floorToMinute(now).getTime() + MINUTE),
      ScanBy: "TimestampAscending",
    },
  );
  for await (const page of pages) {
    for (const result of page.MetricDataResults ?? []) {
      const id = result.Id as keyof typeof QUERIES;
      (result.Timestamps ?? []).forEach((timestamp, index) => {
        const key = timestamp.getTime();
        const minute = minutes.get(key) ?? { minute: new Date(key), delivered: 0, failed: 0 };
        minute[id] += result.Values?.[index] ?? 0;
        minutes.set(key, minute);
      });
    }
  }
  return [...minutes.values()].sort((a, b) => a.minute.getTime() - b.minute.getTime());
}

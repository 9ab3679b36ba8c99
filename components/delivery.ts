import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { queueArn } from "../model/names";
import { deadLetterQueuePolicy } from "../model/policies";

/** EventBridge's own limits, made explicit: retry for 24 hours, up to 185 times, then dead-letter. */
export const RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };

/** SQS's longest retention, so a failed event waits two weeks for someone to look. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

export interface DeadLetterQueueArgs {
  region: string;
  accountId: string;
  queueName: string;
  /** The one rule whose failed deliveries the queue takes. */
  ruleArn: pulumi.Input<string>;
}

/**
 * A standard queue in the rule's region (EventBridge takes no FIFO queue and none elsewhere),
 * encrypted with SQS-managed keys, which need no key grant, with its policy inline.
 */
export function deadLetterQueue(
  name: string,
  args: DeadLetterQueueArgs,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  const arn = queueArn(args.region, args.accountId, args.queueName);
  return new aws.sqs.Queue(
    name,
    {
      region: args.region,
      name: args.queueName,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      policy: pulumi
        .output(args.ruleArn)
        .apply((ruleArn) => JSON.stringify(deadLetterQueuePolicy(arn, ruleArn))),
    },
    opts,
  );
}

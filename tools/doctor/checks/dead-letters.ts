import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { AwsCredentialIdentity } from "@smithy/types";
import { credentialsOf } from "../../../accounts/probe";
import { describeError, errorCode } from "../../../accounts/errors";
import { Discovery } from "../../../accounts/discover";
import { stackSetAdministration } from "../../../model/stackset-targets";
import {
  CENTRAL_BUS_NAME,
  centralDlqName,
  FORWARDER_DLQ_NAME,
  STACKSET_DLQ_NAME,
  STACKSET_FAILURES_DLQ_NAME,
} from "../../../model/names";
import { centralRules } from "../../../model/rules";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../../../config/schema";
import { DoctorCheck, Finding } from "../types";

const CHECK = "dead letters";

/** Messages in a queue, visible or in flight; undefined when the queue does not exist. */
async function queueDepth(client: SQSClient, queueName: string): Promise<number | undefined> {
  try {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  } catch (error) {
    if (["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"].includes(errorCode(error)))
      return undefined;
    throw error;
  }
}

interface QueueLocation {
  accountId: string;
  region: string;
  queueName: string;
}

/**
 * Every dead-letter queue the stack has: each covered account's forwarder queue per region (the
 * StackSet's or the direct forwarder's), the central rules' queues, and in stackset mode the queue
 * of the rule that forwards the StackSet's failures from the caller's account.
 */
function deadLetterQueues(
  config: AbuseAlertsConfig,
  discovery: Pick<Discovery, "caller" | "managementAccountId" | "covered" | "skipped" | "outsideUnits">,
): QueueLocation[] {
  const stackSet = config.deployment === "stackset";
  const direct = stackSet
    ? new Set(stackSetAdministration(discovery).direct)
    : new Set(discovery.covered.map((account) => account.id));
  const forwarders = discovery.covered.flatMap((account) =>
    config.regions.map((region) => ({
      accountId: account.id,
      region,
      queueName: direct.has(account.id) ? FORWARDER_DLQ_NAME : STACKSET_DLQ_NAME,
    })),
  );
  const central = config.regions.flatMap((region) =>
    centralRules(config.categories, { coverage: stackSet && region === GLOBAL_EVENTS_REGION }).map(
      (rule) => ({
        accountId: config.centralAccountId,
        region,
        queueName: centralDlqName(rule.key),
      }),
    ),
  );
  const failures = stackSet
    ? [
        {
          accountId: discovery.caller.accountId,
          region: GLOBAL_EVENTS_REGION,
          queueName: STACKSET_FAILURES_DLQ_NAME,
        },
      ]
    : [];
  return [...forwarders, ...central, ...failures];
}

/**
 * Every forwarder and central dead-letter queue, in every region: an event there is a report
 * nobody saw. Read through the member role, in the accounts it reaches.
 */
export const deadLettersCheck: DoctorCheck = {
  name: CHECK,
  async run({ config, clients, discovery, limit, progress, memberAccess }) {
    const reachable = new Map<string, AwsCredentialIdentity | undefined>();
    for (const outcome of await memberAccess()) {
      if (outcome.status !== "failed") reachable.set(outcome.accountId, credentialsOf(outcome));
    }
    const queues = deadLetterQueues(config, discovery).filter((queue) => reachable.has(queue.accountId));
    const bar = progress("reading dead-letter queues", queues.length);
    const findings = await Promise.all(
      queues.map(({ accountId, region, queueName }) =>
        limit(async (): Promise<Finding | undefined> => {
          const subject = `account ${accountId}, ${region}`;
          try {
            const depth = await queueDepth(clients.sqs(region, reachable.get(accountId)), queueName);
            if (depth === undefined) {
              return {
                check: CHECK,
                status: "warn",
                subject,
                detail: `queue ${queueName} does not exist`,
                fix: "run pulumi up (or npm run coverage): the account is not deployed yet",
              };
            }
            if (depth === 0) return undefined;
            return {
              check: CHECK,
              status: "fail",
              subject,
              detail: `${depth} event(s) failed delivery and wait in ${queueName}`,
              fix:
                `handle each report now: the message body is the AWS Health event (aws sqs receive-message --attribute-names All ` +
                `--message-attribute-names All; ERROR_CODE and ERROR_MESSAGE say why it failed); fix the cause; replay what reached ` +
                `the central bus ${CENTRAL_BUS_NAME} from its archive; then delete the messages`,
            };
          } catch (error) {
            // Unread is not empty: an unreadable queue may hold lost alerts.
            return {
              check: CHECK,
              status: "fail",
              subject,
              detail: `cannot read ${queueName}: ${describeError(error)}`,
              fix: "allow sqs:GetQueueUrl and sqs:GetQueueAttributes to the member role, then run the doctor again",
            };
          } finally {
            bar.tick();
          }
        }),
      ),
    );
    bar.stop();
    const problems = findings.filter((finding): finding is Finding => finding !== undefined);
    if (!problems.some((finding) => finding.status === "fail")) {
      problems.push({
        check: CHECK,
        status: "ok",
        subject: `${queues.length} queues`,
        detail: "no dead letters waiting",
      });
    }
    return problems;
  },
};

import { ChatbotClient } from "@aws-sdk/client-chatbot";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import type pLimit from "p-limit";
import { awsClient } from "../../accounts/clients";
import type { Discovery } from "../../accounts/discover";
import { createStsClient } from "../../accounts/identity";
import { createOrganizationsClient } from "../../accounts/organizations";
import type { AwsOrganizationDirectory } from "../../accounts/organizations";
import type { ProbeOutcome } from "../../accounts/probe";
import { AbuseAlertsConfig, GLOBAL_EVENTS_REGION } from "../../config/schema";
import { CHATBOT_API_REGION } from "../../model/names";
import type { ProgressFactory } from "../../lib/progress";

export type Status = "ok" | "warn" | "fail";

export interface Finding {
  /** The check that found it; the report groups findings by check, in the order they ran. */
  check: string;
  status: Status;
  /** Account, region or resource the finding is about. */
  subject: string;
  detail: string;
  fix?: string;
  /** The doctor could check nothing after it (no credentials, no Organizations access). */
  stopped?: boolean;
}

/** The AWS clients the checks use; tests hand in clients stubbed by aws-sdk-client-mock. */
export interface DoctorClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  /** Chatbot's API, in the central account (credentials) or the caller's. */
  chatbot: (credentials?: AwsCredentialIdentity) => ChatbotClient;
  sqs: (region: string, credentials?: AwsCredentialIdentity) => SQSClient;
  /** CloudFormation where the StackSet is administered (us-east-1), with the caller's credentials. */
  cloudformation: CloudFormationClient;
  /** Step Functions in a hub region, in the central account (credentials) or the caller's. */
  sfn: (region: string, credentials?: AwsCredentialIdentity) => SFNClient;
}

/** What every check may use: the config, the clients, who runs, and the accounts in scope. */
export interface DoctorContext {
  config: AbuseAlertsConfig;
  clients: DoctorClients;
  discovery: Discovery;
  directory: AwsOrganizationDirectory;
  /** Bounds the per-account calls of every check together. */
  limit: ReturnType<typeof pLimit>;
  progress: ProgressFactory;
  /** Milliseconds between reads of a dry run's execution. */
  pollIntervalMs: number;
  /** The member role tried in every covered account, once, whichever check asks first. */
  memberAccess: () => Promise<ProbeOutcome[]>;
  /** How to act in one account: its credentials (none: the caller's own), or undefined when out of reach. */
  reach: (accountId: string) => Promise<{ credentials?: AwsCredentialIdentity } | undefined>;
}

/** One thing that can stop an alert, checked before `pulumi up`: a module of its own in doctor/checks. */
export interface DoctorCheck {
  readonly name: string;
  /** Whether the check concerns this stack; all do unless they say otherwise. */
  applies?(config: AbuseAlertsConfig): boolean;
  run(context: DoctorContext): Promise<Finding[]>;
}

/** The clients of a real run, with the ambient credentials or an account's own. */
export function awsDoctorClients(): DoctorClients {
  return {
    sts: createStsClient(),
    organizations: createOrganizationsClient(),
    chatbot: (credentials) => awsClient(ChatbotClient, CHATBOT_API_REGION, credentials),
    sqs: (region, credentials) => awsClient(SQSClient, region, credentials),
    cloudformation: awsClient(CloudFormationClient, GLOBAL_EVENTS_REGION),
    sfn: (region, credentials) => awsClient(SFNClient, region, credentials),
  };
}

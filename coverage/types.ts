import type { AccountClient } from "@aws-sdk/client-account";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

/** Whether one thing an account needs is in place. */
export type CoverageStatus = "ok" | "missing" | "outdated" | "failed" | "unknown";

/** One account, one region (or "global"), one thing it needs. */
export interface CoverageRow {
  accountId: string;
  name: string;
  region: string;
  /** What is checked: the forwarder (StackSet or direct), or the security contact. */
  item: string;
  status: CoverageStatus;
  /** What was found: the stack instance's status and reason, the rule's state. */
  detail: string;
  fix?: string;
}

/** The AWS clients the audit uses; tests hand in clients stubbed by aws-sdk-client-mock. */
export interface CoverageClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  /** CloudFormation where the StackSet is administered. */
  cloudformation: CloudFormationClient;
  eventBridge: (region: string, credentials?: AwsCredentialIdentity) => EventBridgeClient;
  /** Account Management, with the caller's credentials or those of the management account's member role. */
  account: (credentials?: AwsCredentialIdentity) => AccountClient;
}

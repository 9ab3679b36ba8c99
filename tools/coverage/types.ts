import { AccountClient } from "@aws-sdk/client-account";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { awsClient } from "../../accounts/clients";
import { createStsClient } from "../../accounts/identity";
import { createOrganizationsClient } from "../../accounts/organizations";
import { GLOBAL_EVENTS_REGION } from "../../config/schema";

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

/** The clients of a real run, with the ambient credentials or an account's own. */
export function awsCoverageClients(): CoverageClients {
  return {
    sts: createStsClient(),
    organizations: createOrganizationsClient(),
    // The StackSet is administered in the region the program deploys it from.
    cloudformation: awsClient(CloudFormationClient, GLOBAL_EVENTS_REGION),
    eventBridge: (region, credentials) => awsClient(EventBridgeClient, region, credentials),
    // Account Management is a global service answered in us-east-1.
    account: (credentials) => awsClient(AccountClient, GLOBAL_EVENTS_REGION, credentials),
  };
}

import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { roleArn } from "../model/arns";

/**
 * Short-lived credentials of the member role in an account: 15 minutes unless asked (role chaining
 * caps a session at an hour). Errors are the service's own.
 */
export async function assumeMemberRole(
  sts: STSClient,
  accountId: string,
  roleName: string,
  sessionName: string,
  durationSeconds = 900,
): Promise<AwsCredentialIdentity> {
  const { Credentials: credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn(accountId, roleName),
      RoleSessionName: sessionName,
      DurationSeconds: durationSeconds,
    }),
  );
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`sts:AssumeRole into ${roleArn(accountId, roleName)} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

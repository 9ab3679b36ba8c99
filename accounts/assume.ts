import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";

/** The role the program assumes in a member account. */
export function memberRoleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

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
      RoleArn: memberRoleArn(accountId, roleName),
      RoleSessionName: sessionName,
      DurationSeconds: durationSeconds,
    }),
  );
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`sts:AssumeRole into ${memberRoleArn(accountId, roleName)} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

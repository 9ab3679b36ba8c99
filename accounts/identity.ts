import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { errorCode, errorMessage } from "./errors";
import { withRetries } from "./retry";
import { Caller, DiscoveryError } from "./types";

/** STS in us-east-1, where the global events and the Organizations API live. */
export function createStsClient(region = "us-east-1"): STSClient {
  return withRetries(new STSClient({ region, maxAttempts: 1 }));
}

/** Which account and principal the program runs as. */
export async function getCaller(sts: STSClient): Promise<Caller> {
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: identity.Account ?? "", arn: identity.Arn ?? "" };
  } catch (error) {
    throw new DiscoveryError(
      `sts:GetCallerIdentity failed (${errorCode(error)}: ${errorMessage(error)}): no usable AWS credentials. ` +
        `Sign in as the management account or an Organizations delegated administrator (e.g. \`aws sso login\`, AWS_PROFILE) and run again.`,
    );
  }
}

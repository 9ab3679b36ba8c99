import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { errorCode, errorMessage, networkFailure } from "./errors";
import { awsClient } from "./clients";
import { Caller, DiscoveryError } from "./types";

/** STS in us-east-1, where the global events and the Organizations API live. */
export function createStsClient(region = "us-east-1"): STSClient {
  return awsClient(STSClient, region);
}

/** Whose credentials a command wants, said when it has none: most read the organization. */
export const SIGN_IN_ORGANIZATION =
  "Sign in as the management account or an Organizations delegated administrator (e.g. `aws sso login`, AWS_PROFILE) and run again.";

/** For the commands that read the case table, in the central (security) account. */
export const SIGN_IN_CENTRAL =
  "Sign in as the central (security) account, or as an account whose member role reaches it with --stack (e.g. `aws sso login`, AWS_PROFILE) and run again.";

/**
 * Why no credentials were found, as precisely as the environment tells: the SDK answers a
 * misspelt AWS_PROFILE and no credentials at all with the same "Could not load credentials".
 */
async function missingCredentials(env: NodeJS.ProcessEnv, signIn: string): Promise<string> {
  const profile = env.AWS_PROFILE;
  if (profile) {
    const files = await loadSharedConfigFiles({
      filepath: env.AWS_SHARED_CREDENTIALS_FILE,
      configFilepath: env.AWS_CONFIG_FILE,
      ignoreCache: true,
    });
    const known = [
      ...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]),
    ].sort();
    if (!known.includes(profile)) {
      return (
        `AWS_PROFILE is "${profile}", but no profile of that name is in ${env.AWS_CONFIG_FILE ?? "~/.aws/config"} ` +
        `or ${env.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials"} (profiles there: ${known.join(", ") || "none"}). ` +
        "Fix AWS_PROFILE (`aws configure list-profiles`), or create the profile (`aws configure sso`)."
      );
    }
    return `the profile "${profile}" (AWS_PROFILE) gave no credentials: sign in again (\`aws sso login --profile ${profile}\`) and run again.`;
  }
  return `no AWS credentials were found (no AWS_PROFILE, no AWS_ACCESS_KEY_ID, no SSO session). ${signIn}`;
}

/** Which account and principal the program runs as; the error says whether it is the network or the credentials. */
export async function getCaller(
  sts: STSClient,
  env: NodeJS.ProcessEnv = process.env,
  signIn = SIGN_IN_ORGANIZATION,
): Promise<Caller> {
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: identity.Account ?? "", arn: identity.Arn ?? "" };
  } catch (error) {
    const network = networkFailure(error);
    if (network) throw new DiscoveryError(`sts:GetCallerIdentity failed: ${network}`);
    if (errorCode(error) === "CredentialsProviderError") {
      throw new DiscoveryError(`sts:GetCallerIdentity failed: ${await missingCredentials(env, signIn)}`);
    }
    throw new DiscoveryError(
      `sts:GetCallerIdentity failed (${errorCode(error)}: ${errorMessage(error)}): the credentials were refused. ${signIn}`,
    );
  }
}

import type { AwsCredentialIdentity } from "@smithy/types";
import { CommandSender, withRetries } from "./retry";

/** An SDK v3 client class, as the commands build them. */
type ClientClass<Client> = new (config: {
  region: string;
  credentials?: AwsCredentialIdentity;
  maxAttempts: number;
}) => Client;

/**
 * The one way the project builds an AWS client: in a region, with the ambient credentials or an
 * assumed role's, retried on throttling and transient errors by `withRetries` (the client's own
 * retries off, so attempts do not multiply).
 */
export function awsClient<Client extends CommandSender>(
  Client: ClientClass<Client>,
  region: string,
  credentials?: AwsCredentialIdentity,
): Client {
  return withRetries(new Client({ region, credentials, maxAttempts: 1 }));
}

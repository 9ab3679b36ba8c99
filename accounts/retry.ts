import { StandardRetryStrategy, isThrottlingError, isTransientError } from "@smithy/core/retry";
import type { RetryErrorType, SdkError, StandardRetryBackoffStrategy } from "@smithy/types";

/** Anything with the SDK v3 `send(command)` shape. */
export interface CommandSender {
  send(command: never, ...rest: never[]): Promise<unknown>;
}

export interface RetryOptions {
  /** Attempts per call, the first included (default 8: Organizations throttles hard in large orgs). */
  maxAttempts?: number;
  /** How long to wait before each retry; the SDK's exponential backoff with jitter unless a test replaces it. */
  backoff?: StandardRetryBackoffStrategy;
}

// Organizations answers this while another request changes the same object; its docs say "try again later".
const RETRYABLE_CLIENT_ERRORS = new Set(["ConcurrentModificationException"]);

function errorType(error: unknown): RetryErrorType | undefined {
  if (!(error instanceof Error)) return undefined;
  const sdkError = error as SdkError;
  if (isThrottlingError(sdkError) || RETRYABLE_CLIENT_ERRORS.has(error.name)) return "THROTTLING";
  if (isTransientError(sdkError)) return "TRANSIENT";
  return undefined;
}

/**
 * The client with `send` retried on throttling and transient errors by the SDK's own
 * StandardRetryStrategy (it waits the backoff, and keeps a retry quota shared by the client's calls).
 * Retrying above `send` rather than in the client's middleware keeps it in play for the SDK's
 * paginators and for clients stubbed by aws-sdk-client-mock. Build the client with `maxAttempts: 1`
 * so attempts do not multiply.
 */
export function withRetries<Client extends CommandSender>(
  client: Client,
  options: RetryOptions = {},
): Client {
  const strategy = new StandardRetryStrategy({
    maxAttempts: options.maxAttempts ?? 8,
    backoff: options.backoff,
  });
  const send = async (...args: unknown[]): Promise<unknown> => {
    let token = await strategy.acquireInitialRetryToken(client.constructor.name);
    for (;;) {
      try {
        const output = await (client.send as (...sendArgs: unknown[]) => Promise<unknown>)(...args);
        strategy.recordSuccess(token);
        return output;
      } catch (error) {
        const type = errorType(error);
        if (!type) throw error;
        try {
          token = await strategy.refreshRetryTokenForRetry(token, { errorType: type });
        } catch {
          throw error; // attempts or retry quota used up: the caller sees the service's own error
        }
      }
    }
  };
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === "send" ? send : Reflect.get(target, property, receiver),
  });
}

import * as pulumi from "@pulumi/pulumi";
import { discoverAccounts, Discovery, DiscoverySources, SourcesFactory } from "./accounts/discover";
import { getCaller, createStsClient } from "./accounts/identity";
import { AwsOrganizationDirectory, createOrganizationsClient } from "./accounts/organizations";
import { DiscoveryError } from "./accounts/types";
import { loadConfig } from "./config/read";
import { ConfigError, configWarnings } from "./config/schema";

async function awsSources(): Promise<DiscoverySources> {
  const caller = await getCaller(createStsClient());
  return {
    caller,
    directory: new AwsOrganizationDirectory(createOrganizationsClient(), { callerArn: caller.arn }),
  };
}

/** Errors a person fixes in config or credentials print as plain messages, without a stack trace. */
function asRunError(error: unknown): unknown {
  return error instanceof ConfigError || error instanceof DiscoveryError
    ? new pulumi.RunError(error.message)
    : error;
}

/**
 * The Pulumi program: validate config, discover accounts, declare resources, export outputs.
 * `pulumi up` calls it without arguments; `npm run plan` and the tests pass an offline organization.
 */
async function abuseAlerts(sources: SourcesFactory = awsSources) {
  let discovery: Discovery;
  try {
    const config = loadConfig();
    configWarnings(config).forEach((warning) => void pulumi.log.warn(warning));
    discovery = await discoverAccounts(config, await sources());
  } catch (error) {
    throw asRunError(error);
  }
  discovery.warnings.forEach((warning) => void pulumi.log.warn(warning));
  return {
    coveredAccountIds: discovery.covered.map((account) => account.id),
    skippedAccounts: discovery.skipped.map(({ id, reason }) => ({ id, reason })),
  };
}

export = abuseAlerts;

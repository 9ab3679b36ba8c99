import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { performance } from "node:perf_hooks";
import { fileCaller } from "../../accounts/org-file";
import { AwsOrganizationDirectory } from "../../accounts/organizations";
import { probeMemberRoles } from "../../accounts/probe";
import { readStackConfig } from "../../config/stack-file";
import { Deployment } from "../../config/schema";
import { runOffline } from "../../sim/pulumi-runner";
import { mockOrganizations } from "../../sim/fake-organizations";
import { syntheticOrganization } from "../../sim/synthetic-org";
import { join } from "node:path";

export interface BenchResult {
  deployment: Deployment;
  /** Whether the stack sets every covered account's SECURITY contact: one resource per account. */
  securityContact: boolean;
  /** Accounts in the organization. */
  accounts: number;
  covered: number;
  /** The program's run, discovery included, module loading excluded. */
  wallMs: number;
  /** The process's peak resident memory, module loading included. */
  peakRssMb: number;
  /** Resources Pulumi would manage: AWS resources, components and providers. */
  resources: number;
  providers: number;
  /** Resources of the stack that grow with each covered account. */
  perAccount: number;
  /** Organizations requests (every page) and STS AssumeRole requests the run makes. */
  organizationsCalls: number;
  stsCalls: number;
}

const EXAMPLE_STACK = join(__dirname, "..", "..", "Pulumi.prod.yaml");

/**
 * Runs the real program under Pulumi's mocks against a synthetic organization of `size` accounts,
 * with discovery over a fake Organizations (AWS's 20 items per page) and the member-role probe
 * over a fake STS, so the calls counted are those a real run makes.
 */
export async function measure(
  deployment: Deployment,
  size: number,
  securityContact = false,
): Promise<BenchResult> {
  const organization = syntheticOrganization(size);
  const caller = fileCaller(organization);
  const stackConfig = readStackConfig(EXAMPLE_STACK);
  delete stackConfig["abuse-alerts:organizationId"];
  if (!securityContact) delete stackConfig["abuse-alerts:securityContact"];
  Object.assign(stackConfig, {
    "abuse-alerts:deployment": deployment,
    "abuse-alerts:accounts": JSON.stringify({ exclude: [] }),
    "abuse-alerts:maxDirectAccounts": String(size),
  });
  const organizations = mockOrganizations(organization, { pageSize: 20 });
  const sts = new STSClient({ region: "us-east-1" });
  const stsMock = mockClient(sts);
  stsMock.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: new Date() },
  });
  const started = performance.now();
  const { outputs, resources } = await runOffline({
    stackConfig,
    organization,
    organizationSource: `a synthetic organization of ${size} accounts`,
    stack: "bench",
    directory: new AwsOrganizationDirectory(organizations.client, { callerArn: caller.arn }),
    probe: (accountIds, roleName) =>
      probeMemberRoles(sts, accountIds, { roleName, callerAccountId: caller.accountId }),
  });
  const wallMs = performance.now() - started;
  // What grows with each member account (neither the caller's nor the central one): its provider,
  // forwarder and their children, and its security contact, all named after the account.
  const members = new Set(
    (outputs.coveredAccountIds as string[]).filter(
      (id) => id !== caller.accountId && id !== stackConfig["abuse-alerts:centralAccountId"],
    ),
  );
  const ofMember = (resource: { name: string }) =>
    members.has(/(?:^|-)(\d{12})(?:-|$)/.exec(resource.name)?.[1] ?? "");
  return {
    deployment,
    securityContact,
    accounts: size,
    covered: (outputs.coveredAccountIds as string[]).length,
    wallMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    resources: resources.length,
    providers: resources.filter((resource) => resource.type === "pulumi:providers:aws").length,
    perAccount: members.size === 0 ? 0 : resources.filter(ofMember).length / members.size,
    organizationsCalls: organizations.calls.length,
    stsCalls: stsMock.commandCalls(AssumeRoleCommand).length,
  };
}

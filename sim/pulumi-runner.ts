import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { DiscoverySources } from "../accounts/discover";
import { ANOTHER_ORGANIZATION_FILE } from "../accounts/errors";
import { fileCaller, FileOrganizationDirectory, OrganizationFile } from "../accounts/org-file";
import { OrganizationDirectory } from "../accounts/types";
import { PROJECT } from "../config/schema";
import { UserError } from "../lib/errors";

/** A resource the program declared, as the engine would receive it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** URN of the parent component; empty for the stack's direct children. */
  parent: string;
  /** URN of the explicit provider; empty for components and providers. */
  provider: string;
  protect: boolean;
  /** Kept in AWS when Pulumi deletes it. */
  retainOnDelete: boolean;
  /** URNs of the resources whose outputs it takes: the engine creates those first. */
  dependencies: string[];
  /** Account and region the resource lands in, from its provider's allowedAccountIds and its region. */
  account: string;
  region: string;
}

export interface OfflineRun {
  outputs: Record<string, unknown>;
  resources: PlannedResource[];
}

/**
 * The program stopped with a message for the user (a RunError, which `pulumi up` prints alone);
 * `resources` holds what it had declared by then (nothing, for config and discovery errors).
 */
export class OfflineRunError extends UserError {
  constructor(
    message: string,
    readonly resources: PlannedResource[],
  ) {
    super(message);
    this.name = "OfflineRunError";
  }
}

const PULUMI_BOOKKEEPING = /@pulumi[\\/]pulumi[\\/](runtime[\\/]debuggable|resource)\.js$/;

/**
 * Runs `work` with Pulumi's own stack traces left empty. Pulumi records a trace for every promise
 * (for leak reports) and every resource (for source positions), and under ts-node each is
 * source-mapped: a 1,000-account plan spent 50 of its 76 seconds formatting traces nobody reads.
 * Every other error keeps its full trace.
 */
export async function withoutBookkeepingTraces<T>(work: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a static hook, put back as it was
  const original = Error.prepareStackTrace;
  const format = original?.bind(Error);
  Error.prepareStackTrace = (error, frames) => {
    if (PULUMI_BOOKKEEPING.test(frames[0]?.getFileName() ?? "")) return "";
    if (format) return format(error, frames) as unknown;
    const at = (frame: NodeJS.CallSite) =>
      `    at ${frame.getFunctionName() ?? "<anonymous>"} (${frame.getFileName()}:${frame.getLineNumber()}:${frame.getColumnNumber()})`;
    return [String(error), ...frames.map(at)].join("\n");
  };
  try {
    return await work();
  } finally {
    Error.prepareStackTrace = original;
  }
}

type Program = (sources: () => Promise<DiscoverySources>) => Promise<Record<string, unknown>>;

/** Plausible ARNs so that policies built from them read as they would in AWS. */
function fakeOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  account: string,
  region: string,
) {
  const physical = typeof inputs.name === "string" ? inputs.name : name;
  switch (type) {
    case "aws:cloudwatch/eventBus:EventBus":
      return { arn: `arn:aws:events:${region}:${account}:event-bus/${physical}` };
    case "aws:cloudwatch/eventRule:EventRule": {
      const bus =
        typeof inputs.eventBusName === "string" && inputs.eventBusName !== "default"
          ? `${inputs.eventBusName}/`
          : "";
      return { arn: `arn:aws:events:${region}:${account}:rule/${bus}${physical}`, name: physical };
    }
    case "aws:cloudwatch/eventArchive:EventArchive":
      return { arn: `arn:aws:events:${region}:${account}:archive/${physical}` };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${region}:${account}:${physical}` };
    case "aws:sqs/queue:Queue":
      return {
        arn: `arn:aws:sqs:${region}:${account}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${account}/${physical}`,
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${account}:role/${physical}`, name: physical };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${account}:policy/${physical}` };
    case "aws:sfn/stateMachine:StateMachine":
      return { arn: `arn:aws:states:${region}:${account}:stateMachine:${physical}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:${region}:${account}:log-group:${physical}` };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:${region}:${account}:key/${name}`, keyId: name };
    case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
      return {
        chatConfigurationArn: `arn:aws:chatbot::${account}:chat-configuration/slack-channel/${String(inputs.configurationName)}`,
      };
    default:
      return {};
  }
}

/** The account a provider is pinned to. The engine hands provider settings over as JSON text. */
function providerAccount(inputs: Record<string, unknown>): string | undefined {
  const allowed = inputs.allowedAccountIds;
  const ids = (typeof allowed === "string" ? JSON.parse(allowed) : allowed) as string[] | undefined;
  return ids?.[0];
}

function resolved<T>(value: T): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => pulumi.output(value).apply((plain) => resolve(plain)));
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
}

/**
 * Runs the real Pulumi program under Pulumi's mocks against a sample organization: no AWS
 * credentials, no Pulumi CLI. Returns the stack outputs and every resource declared.
 */
export async function runOffline(options: {
  stackConfig: Record<string, string>;
  organization: OrganizationFile;
  /** Where the organization comes from, for messages: its file's path. */
  organizationSource: string;
  stack: string;
  /** Called as the engine mock takes each resource: how many are done, of how many declared so far. */
  onProgress?: (done: number, declared: number) => void;
  /** A stand-in for the member-role probe `pulumi up` runs; the plan runs none. */
  probe?: DiscoverySources["probe"];
  /** Answers Organizations' questions; the organization file itself unless given (the bench counts AWS calls). */
  directory?: OrganizationDirectory;
  /** The outputs of the stack's last update, as the program reads them back; none: a first deployment. */
  previousOutputs?: Record<string, unknown>;
}): Promise<OfflineRun> {
  const providers = new Map<string, { account: string; region: string }>();
  const registered = new Map<
    string,
    Omit<PlannedResource, "urn" | "inputs" | "account" | "region" | "custom">
  >();
  const declared: Omit<
    PlannedResource,
    "parent" | "provider" | "protect" | "retainOnDelete" | "dependencies"
  >[] = [];
  const caller = fileCaller(options.organization);
  let sequence = 0;
  let requested = 0;

  pulumi.runtime.setAllConfig(options.stackConfig);
  await pulumi.runtime.setMocks(
    {
      newResource(args: MockResourceArgs) {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const id = `${args.name}-id-${++sequence}`;
        const urn = `urn:pulumi:${options.stack}::${PROJECT}::${args.type}::${args.name}`;
        const providerUrn = args.provider?.split("::").slice(0, -1).join("::") ?? "";
        const home = providers.get(providerUrn);
        const account =
          args.type === "pulumi:providers:aws"
            ? (providerAccount(inputs) ?? caller.accountId)
            : (home?.account ?? "");
        // IAM and Account Management are global services.
        const region = /^aws:(iam|account)\//.test(args.type)
          ? "global"
          : typeof inputs.region === "string"
            ? inputs.region
            : (home?.region ?? "");
        if (args.type === "pulumi:providers:aws") providers.set(urn, { account, region });
        if (args.type === "pulumi:pulumi:StackReference") {
          // A read of this stack's own outputs, not something deployed.
          return {
            id: args.name,
            state: { name: args.name, outputs: options.previousOutputs ?? {}, secretOutputNames: [] },
          };
        }
        options.onProgress?.(declared.length + 1, requested);
        declared.push({
          urn,
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs,
          account,
          region,
        });
        return { id, state: { ...inputs, ...fakeOutputs(args.type, args.name, inputs, account, region) } };
      },
      call: (args) => {
        throw new Error(`the program made an unexpected provider call: ${args.token}`);
      },
    },
    PROJECT,
    options.stack,
    false,
    "organization", // what a self-managed backend calls every organization
  );
  // The mock monitor drops parent, provider and protect before calling newResource; record them here.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    requested += 1;
    registered.set(`${request.getType()}::${request.getName()}`, {
      type: request.getType(),
      name: request.getName(),
      parent: request.getParent(),
      provider: request.getProvider().split("::").slice(0, -1).join("::"),
      protect: request.getProtect() ?? false,
      retainOnDelete: request.getRetainondelete() ?? false,
      dependencies: request.getDependenciesList(),
    });
    return register(request, callback);
  };

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mocks are in place
  const program = require("../index") as Program;
  const sources = () =>
    Promise.resolve({
      caller,
      origin: `the organization file ${options.organizationSource}`,
      elsewhere: ANOTHER_ORGANIZATION_FILE,
      directory:
        options.directory ?? new FileOrganizationDirectory(options.organization, options.organizationSource),
      probe: options.probe,
    });
  const planned = () =>
    declared.map((resource) => {
      const extra = registered.get(`${resource.type}::${resource.name}`);
      return {
        ...resource,
        parent: extra?.parent ?? "",
        provider: extra?.provider ?? "",
        protect: extra?.protect ?? false,
        retainOnDelete: extra?.retainOnDelete ?? false,
        dependencies: extra?.dependencies ?? [],
      };
    });
  try {
    return await withoutBookkeepingTraces(async () => {
      const outputs = (await resolved(await program(sources))) as Record<string, unknown>;
      // Resources whose inputs wait on other resources register later; wait for every registration.
      await pulumi.runtime.disconnect();
      return { outputs, resources: planned() };
    });
  } catch (error) {
    if (pulumi.RunError.isInstance(error)) throw new OfflineRunError(error.message, planned());
    throw error;
  }
}

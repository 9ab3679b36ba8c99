import * as pulumi from "@pulumi/pulumi";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { DiscoverySources } from "../accounts/discover";
import { ANOTHER_ORGANIZATION_FILE } from "../accounts/errors";
import { fileCaller, FileOrganizationDirectory, OrganizationFile } from "../accounts/org-file";
import { OrganizationDirectory } from "../accounts/types";
import { PROJECT } from "../config/schema";
import { UserError } from "../lib/errors";
import {
  chatConfigurationArn,
  connectionArn,
  customActionArn,
  eventArchiveArn,
  eventBusArn,
  eventRuleArn,
  keyArn,
  logGroupArn,
  policyArn,
  queueArn,
  queueUrl,
  roleArn,
  stateMachineArn,
  tableArn,
  topicArn,
} from "../model/arns";

/** A resource the program declared, as the engine would receive it. */
export interface PlannedResource {
  /** The URN the engine gives it: the parents' types, then its own, joined by `$`. */
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
  /** Deleted before its replacement is created. */
  deleteBeforeReplace: boolean;
  /** The URNs it may have had in the state before (its aliases, resolved as the engine resolves them). */
  aliases: string[];
  /** Input paths whose changes the engine ignores. */
  ignoreChanges: string[];
  /** How long the engine waits for the provider: create, update, delete ("" for the provider's default). */
  customTimeouts: { create: string; update: string; delete: string };
  /** URNs of the resources whose outputs it takes: the engine creates those first. */
  dependencies: string[];
  /** Paths of the inputs the engine is handed as secrets (e.g. `authParameters.apiKey.value`): it encrypts them in the state. */
  secretInputs: string[];
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

/** Plausible outputs, ARNs above all, so that policies built from them read as they would in AWS. */
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
      return { arn: eventBusArn(region, account, physical) };
    case "aws:cloudwatch/eventRule:EventRule": {
      const bus = typeof inputs.eventBusName === "string" ? inputs.eventBusName : "default";
      return { arn: eventRuleArn(region, account, physical, bus), name: physical };
    }
    case "aws:cloudwatch/eventArchive:EventArchive":
      return { arn: eventArchiveArn(region, account, physical) };
    case "aws:sns/topic:Topic":
      return { arn: topicArn(region, account, physical) };
    case "aws:sqs/queue:Queue":
      return { arn: queueArn(region, account, physical), url: queueUrl(region, account, physical) };
    case "aws:iam/role:Role":
      return { arn: roleArn(account, physical), name: physical };
    case "aws:iam/policy:Policy":
      return { arn: policyArn(account, physical) };
    case "aws:sfn/stateMachine:StateMachine":
      return { arn: stateMachineArn(region, account, physical) };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: logGroupArn(region, account, physical) };
    case "aws:kms/key:Key":
      return { arn: keyArn(region, account, name), keyId: name };
    case "aws:dynamodb/table:Table":
      return { arn: tableArn(region, account, physical), name: physical };
    case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
      return {
        chatConfigurationArn: chatConfigurationArn(
          account,
          "slack-channel",
          String(inputs.configurationName),
        ),
      };
    case "aws:cloudwatch/eventConnection:EventConnection":
      return {
        arn: `${connectionArn(region, account, physical)}/offline-${name}`,
        secretArn: `arn:aws:secretsmanager:${region}:${account}:secret:events!connection/${physical}/offline-${name}`,
      };
    case "aws:cloudcontrol/resource:Resource":
      return {
        properties: cloudControlProperties(String(inputs.typeName), String(inputs.desiredState), account),
      };
    case "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration":
      return {
        chatConfigurationArn: chatConfigurationArn(
          account,
          "microsoft-teams-channel",
          String(inputs.configurationName),
        ),
      };
    default:
      return {};
  }
}

/** What Cloud Control reads back: the desired state with the ARN the type adds. */
function cloudControlProperties(typeName: string, desiredState: string, account: string): string {
  const state = JSON.parse(desiredState) as Record<string, unknown>;
  const arns: Record<string, () => Record<string, string>> = {
    "AWS::Chatbot::CustomAction": () => ({
      CustomActionArn: customActionArn(account, String(state.ActionName)),
    }),
    "AWS::Chatbot::SlackChannelConfiguration": () => ({
      Arn: chatConfigurationArn(account, "slack-channel", String(state.ConfigurationName)),
    }),
  };
  return JSON.stringify({ ...state, ...(arns[typeName]?.() ?? {}) });
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
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getAliasesList(): { getUrn(): string; getSpec(): AliasSpec | undefined }[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): unknown } | undefined;
}

/** An alias as the SDK sends it: a name (and optionally a type or parent) relative to the resource. */
interface AliasSpec {
  getName(): string;
  getType(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}

/** What the engine is told of a resource at registration: the mock monitor keeps none of it. */
type Registration = Pick<
  PlannedResource,
  | "parent"
  | "provider"
  | "protect"
  | "retainOnDelete"
  | "deleteBeforeReplace"
  | "aliases"
  | "ignoreChanges"
  | "customTimeouts"
  | "dependencies"
  | "secretInputs"
>;

/** Where a registration's inputs hold values marked secret, which the mock monitor unwraps. */
function secretPaths(value: unknown, path = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return [path];
  return Object.entries(record).flatMap(([key, inner]) =>
    secretPaths(inner, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key),
  );
}

/**
 * The engine's side of an offline run: takes each resource as the mock monitor registers and
 * creates it, places it in its provider's account and region, and answers with plausible outputs.
 * URNs are the real engine's (the mock's carry only the nearest parent's type).
 */
class Recorder {
  private readonly providers = new Map<string, { account: string; region: string }>();
  private readonly registrations = new Map<string, Registration>();
  /** Qualified types (parents' types joined by `$`) by the mock's URN. */
  private readonly qualifiedTypes = new Map<string, string>();
  /** Qualified types by type and name. */
  private readonly byTypeAndName = new Map<string, string>();
  private readonly declared: Omit<PlannedResource, keyof Registration>[] = [];
  private requested = 0;
  private sequence = 0;

  constructor(
    private readonly stack: string,
    private readonly defaultAccount: string,
    private readonly onProgress?: (done: number, declared: number) => void,
    private readonly previousOutputs: Record<string, unknown> = {},
  ) {}

  private urn(qualifiedType: string, name: string): string {
    return `urn:pulumi:${this.stack}::${PROJECT}::${qualifiedType}::${name}`;
  }

  /** Called for every registration, before the mock monitor drops parent, provider and protect. */
  register(request: RegisterRequest): void {
    this.requested += 1;
    const parent = request.getParent();
    const parentType = parent ? this.qualifiedTypes.get(parent) : undefined;
    const qualified = parentType ? `${parentType}$${request.getType()}` : request.getType();
    // The mock names a child by its nearest parent's type only.
    const mockType = parent
      ? `${parent.split("::")[2].split("$").pop()}$${request.getType()}`
      : request.getType();
    this.qualifiedTypes.set(this.urn(mockType, request.getName()), qualified);
    this.byTypeAndName.set(`${request.getType()}::${request.getName()}`, qualified);
    const timeouts = request.getCustomtimeouts();
    this.registrations.set(this.urn(qualified, request.getName()), {
      parent: parentType ? this.urn(parentType, parent.split("::")[3]) : "",
      provider: request.getProvider().split("::").slice(0, -1).join("::"),
      protect: request.getProtect() ?? false,
      retainOnDelete: request.getRetainondelete() ?? false,
      deleteBeforeReplace: request.getDeletebeforereplace(),
      aliases: request.getAliasesList().map((alias) => {
        const spec = alias.getSpec();
        if (!spec) return alias.getUrn();
        // A spec with only a name keeps the resource's type and parent (the engine's rule).
        const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() || parent;
        const aliasParentType = aliasParent ? this.qualifiedTypes.get(aliasParent) : undefined;
        const type = spec.getType() || request.getType();
        return this.urn(
          aliasParentType ? `${aliasParentType}$${type}` : type,
          spec.getName() || request.getName(),
        );
      }),
      ignoreChanges: request.getIgnorechangesList(),
      customTimeouts: {
        create: timeouts?.getCreate() ?? "",
        update: timeouts?.getUpdate() ?? "",
        delete: timeouts?.getDelete() ?? "",
      },
      dependencies: request.getDependenciesList(),
      secretInputs: secretPaths(request.getObject()?.toJavaScript()),
    });
  }

  newResource(args: MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.type === "pulumi:pulumi:StackReference") {
      // A read of this stack's own outputs, not something deployed.
      return {
        id: args.name,
        state: { name: args.name, outputs: this.previousOutputs, secretOutputNames: [] },
      };
    }
    const providerUrn = args.provider?.split("::").slice(0, -1).join("::") ?? "";
    const home = this.providers.get(providerUrn);
    const provider = args.type === "pulumi:providers:aws";
    const account = provider ? (providerAccount(inputs) ?? this.defaultAccount) : (home?.account ?? "");
    // IAM and Account Management are global services.
    const region = /^aws:(iam|account)\//.test(args.type)
      ? "global"
      : typeof inputs.region === "string"
        ? inputs.region
        : (home?.region ?? "");
    // Names are unique in this program (the tests check it), so type and name find the registration.
    const urn = this.urn(this.byTypeAndName.get(`${args.type}::${args.name}`) ?? args.type, args.name);
    // Providers have no parent: the mock's URN is the engine's.
    if (provider) this.providers.set(urn, { account, region });
    this.onProgress?.(this.declared.length + 1, this.requested);
    this.declared.push({
      urn,
      type: args.type,
      name: args.name,
      custom: args.custom ?? false,
      inputs,
      account,
      region,
    });
    const state = { ...inputs, ...fakeOutputs(args.type, args.name, inputs, account, region) };
    return { id: `${args.name}-id-${++this.sequence}`, state };
  }

  /** Every resource declared so far, with what its registration said. */
  planned(): PlannedResource[] {
    return this.declared.map((resource) => ({
      parent: "",
      provider: "",
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
      aliases: [],
      ignoreChanges: [],
      customTimeouts: { create: "", update: "", delete: "" },
      dependencies: [],
      secretInputs: [],
      ...resource,
      ...this.registrations.get(resource.urn),
    }));
  }
}

export interface OfflineOptions {
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
  /** The config keys Pulumi holds encrypted (`pulumi config set --secret`). */
  secretKeys?: string[];
}

/**
 * Runs the real Pulumi program under Pulumi's mocks against a sample organization: no AWS
 * credentials, no Pulumi CLI. Returns the stack outputs and every resource declared.
 */
export async function runOffline(options: OfflineOptions): Promise<OfflineRun> {
  const caller = fileCaller(options.organization);
  const recorder = new Recorder(options.stack, caller.accountId, options.onProgress, options.previousOutputs);
  pulumi.runtime.setAllConfig(options.stackConfig, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => recorder.newResource(args),
      call: (args) => {
        throw new Error(`the program made an unexpected provider call: ${args.token}`);
      },
    },
    PROJECT,
    options.stack,
    false,
    "organization", // what a self-managed backend calls every organization
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(request: RegisterRequest, callback: unknown): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    recorder.register(request);
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
  try {
    return await withoutBookkeepingTraces(async () => {
      const outputs = (await resolved(await program(sources))) as Record<string, unknown>;
      // Resources whose inputs wait on other resources register later; wait for every registration.
      await pulumi.runtime.disconnect();
      return { outputs, resources: recorder.planned() };
    });
  } catch (error) {
    if (pulumi.RunError.isInstance(error)) throw new OfflineRunError(error.message, recorder.planned());
    throw error;
  }
}

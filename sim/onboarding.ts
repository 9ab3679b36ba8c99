import { OrganizationFile } from "../accounts/org-file";
import { Category } from "../config/schema";
import { onboardingDefinition, OnboardingDefinitionArgs } from "../notify/onboarding-definition";
import { proberDefinition } from "../notify/prober-definition";
import { reconcileDefinition, ReconcileDefinitionArgs } from "../notify/reconcile-definition";
import { parseCustomNotification, CustomNotification } from "../notify/notification";
import {
  onboardingStateMachineArn,
  PROBE_REQUEST_SOURCE,
  proberStateMachineArn,
  reconcileStateMachineArn,
} from "../model/onboarding";
import { centralPattern, forwarderPattern } from "../model/patterns";
import { matchesPattern } from "./eventbridge";
import { OfflineHub } from "./hub";
import { StartedExecution, StepFunctionsSim, TaskCall, TaskFailure } from "./step-functions";

/**
 * The management account offline, beside an OfflineHub on the same clock: the onboarding,
 * reconcile and prober workflows, Organizations over an organization file, the Account API's
 * contacts, the StackSet's instances as a test scripts them, and member accounts whose forwarder
 * takes a probe to the hub's central bus (where the real notify workflow records it) once their
 * stack instance is CURRENT (stackset mode) or when the test says (direct mode).
 */

type Contact = { Name: string; Title: string; EmailAddress: string; PhoneNumber: string };

/** A stack instance's story: pending until `readyAt`, then CURRENT or the failure given. */
export interface ScriptedInstance {
  region: string;
  readyAt: Date;
  failed?: { detailedStatus: string; reason: string };
}

export interface ManagementSimOptions {
  hub: OfflineHub;
  organization: OrganizationFile;
  categories: readonly Category[];
  onboarding: OnboardingDefinitionArgs;
  reconcile?: ReconcileDefinitionArgs;
  /** Seconds from a probe's put on the member bus to the central bus. */
  forwardingSeconds?: number;
}

export class ManagementSim {
  readonly sfn: StepFunctionsSim;
  /** SECURITY contacts by account. */
  readonly contacts = new Map<string, Contact>();
  readonly instances = new Map<string, ScriptedInstance[]>();
  /** Accounts whose member role cannot be assumed. */
  readonly unreachable = new Set<string>();
  /** Failures the Account API answers with, in order, per account (then it succeeds). */
  readonly contactFailures = new Map<string, string[]>();
  /** Regions whose forwarder drops probes, per account. */
  readonly brokenForwarders = new Map<string, string[]>();
  readonly posts: { time: Date; notification: CustomNotification; executionArn: string }[] = [];
  readonly calls: TaskCall[] = [];
  private readonly parents = new Map<string, { Id: string; Type: string }>();
  private readonly accounts = new Map<string, { Id: string; Name: string; State: string }>();

  constructor(private readonly options: ManagementSimOptions) {
    this.sfn = new StepFunctionsSim(options.hub.clock, (call) => this.answer(call));
    const management = options.onboarding.managementAccountId;
    this.sfn.register(
      onboardingStateMachineArn(management, "us-east-1"),
      onboardingDefinition(options.onboarding),
    );
    if (options.reconcile)
      this.sfn.register(
        reconcileStateMachineArn(management, "us-east-1"),
        reconcileDefinition(options.reconcile),
      );
    for (const region of options.onboarding.regions) {
      this.sfn.register(
        proberStateMachineArn(management, region),
        proberDefinition({
          memberRoleName: options.onboarding.memberRoleName,
          categories: options.categories,
        }),
      );
    }
    this.index(options.organization.root, undefined);
  }

  private index(unit: OrganizationFile["root"], parent?: { Id: string; Type: string }): void {
    if (parent) this.parents.set(unit.id, parent);
    const self = { Id: unit.id, Type: unit.id.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" };
    for (const account of unit.accounts ?? []) {
      this.parents.set(account.id, self);
      this.accounts.set(account.id, { Id: account.id, Name: account.name, State: account.state });
    }
    for (const child of unit.organizationalUnits ?? []) this.index(child, self);
  }

  /** An account joins (or moves) under `parentId`. */
  place(account: { id: string; name: string; state?: string }, parentId: string): void {
    this.accounts.set(account.id, { Id: account.id, Name: account.name, State: account.state ?? "ACTIVE" });
    this.parents.set(account.id, {
      Id: parentId,
      Type: parentId.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT",
    });
  }

  /** The rule on the management account's default bus starts the onboarding workflow. */
  onboard(event: unknown): StartedExecution {
    return this.sfn.startExecution(
      onboardingStateMachineArn(this.options.onboarding.managementAccountId, "us-east-1"),
      structuredClone(event),
    );
  }

  /** The daily schedule starts the reconcile. */
  reconcile(): StartedExecution {
    return this.sfn.startExecution(
      reconcileStateMachineArn(this.options.onboarding.managementAccountId, "us-east-1"),
      {},
    );
  }

  private assumable(call: TaskCall): string | undefined {
    const roleArn = (call.credentials as { RoleArn?: string } | undefined)?.RoleArn;
    if (!roleArn) return undefined;
    const account = roleArn.split(":")[4];
    if (this.unreachable.has(account))
      throw new TaskFailure(
        "States.TaskFailed",
        `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    return account;
  }

  private answer(call: TaskCall): Promise<unknown> {
    this.calls.push(call);
    return this.dispatch(call);
  }

  private async dispatch(call: TaskCall): Promise<unknown> {
    const action = call.resource.replace(/^arn:aws:states:::(aws-sdk:)?/, "");
    const args = call.arguments as Record<string, unknown>;
    this.assumable(call);
    switch (action) {
      case "organizations:listParents":
        return { Parents: [this.parents.get(args.ChildId as string)].filter(Boolean) };
      case "organizations:describeAccount": {
        const account = this.accounts.get(args.AccountId as string);
        if (!account) throw new TaskFailure("Organizations.AccountNotFoundException", "no such account");
        return { Account: account };
      }
      case "organizations:listAccounts":
        return this.listAccounts(args.NextToken as string | undefined);
      case "account:putAlternateContact":
        return this.putContact(args);
      case "account:getAlternateContact": {
        const contact = this.contacts.get(
          (args.AccountId as string) ?? this.options.onboarding.managementAccountId,
        );
        if (!contact)
          throw new TaskFailure(
            "Account.ResourceNotFoundException",
            "No contact of the requested type was found",
          );
        return { AlternateContact: { AlternateContactType: "SECURITY", ...contact } };
      }
      case "cloudformation:listStackInstances":
        return { Summaries: this.summaries(args.StackInstanceAccount as string) };
      case "eventbridge:describeEventBus":
        return { Name: "default" };
      case "events:putEvents":
        return this.requestProbes(args.Entries as { Source: string; Detail: string }[], call);
      case "eventbridge:putEvents":
        return this.forward(args.Entries as { Source: string; DetailType: string; Detail: string }[], call);
      case "dynamodb:getItem":
        return this.options.hub.table.answer(call);
      case "sns:publish":
        return this.publish(args, call);
      default:
        throw new Error(`the management sim does not answer ${call.resource}`);
    }
  }

  private listAccounts(token?: string) {
    const all = [...this.accounts.values()];
    const start = token ? Number(token) : 0;
    const next = start + 20 < all.length ? String(start + 20) : undefined;
    return { Accounts: all.slice(start, start + 20), ...(next ? { NextToken: next } : {}) };
  }

  private putContact(args: Record<string, unknown>) {
    const accountId = (args.AccountId as string | undefined) ?? this.options.onboarding.managementAccountId;
    const failure = this.contactFailures.get(accountId)?.shift();
    if (failure) throw new TaskFailure(failure, `${failure} (offline)`);
    const { Name, Title, EmailAddress, PhoneNumber } = args as Contact;
    this.contacts.set(accountId, { Name, Title, EmailAddress, PhoneNumber });
    return {};
  }

  private summaries(accountId: string) {
    const now = this.options.hub.clock.now().getTime();
    return (this.instances.get(accountId) ?? []).map((instance) => {
      const ready = now >= instance.readyAt.getTime();
      const failed = ready && instance.failed;
      return {
        Region: instance.region,
        Account: accountId,
        Status: failed ? "OUTDATED" : ready ? "CURRENT" : "OUTDATED",
        StackInstanceStatus: {
          DetailedStatus: failed ? instance.failed?.detailedStatus : ready ? "SUCCEEDED" : "RUNNING",
        },
        ...(failed ? { StatusReason: instance.failed?.reason } : {}),
      };
    });
  }

  /** The management account's default bus: each probe request, forwarded to its region, starts that region's prober. */
  private requestProbes(entries: { Source: string; Detail: string }[], call: TaskCall) {
    const later = new Date(call.time.getTime() + 1000);
    for (const entry of entries.filter((candidate) => candidate.Source === PROBE_REQUEST_SOURCE)) {
      const detail = JSON.parse(entry.Detail) as { region: string };
      const event = { source: PROBE_REQUEST_SOURCE, "detail-type": "Onboarding probe request", detail };
      this.options.hub.clock.at(later, () => {
        this.sfn.startExecution(
          proberStateMachineArn(this.options.onboarding.managementAccountId, detail.region),
          event,
        );
      });
    }
    return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `request-${index}` })) };
  }

  /** A member account's default bus, in the prober's region: its forwarder takes the probe to the central bus. */
  private forward(entries: { Source: string; DetailType: string; Detail: string }[], call: TaskCall) {
    const accountId = this.assumable(call) ?? "";
    const region = call.executionArn.split(":")[3];
    const stackReady = this.summaries(accountId).some(
      (summary) => summary.Region === region && summary.Status === "CURRENT",
    );
    const forwarding = stackReady && !(this.brokenForwarders.get(accountId) ?? []).includes(region);
    const at = new Date(call.time.getTime() + (this.options.forwardingSeconds ?? 2) * 1000);
    for (const entry of entries) {
      const event = {
        version: "0",
        id: `probe-${accountId}-${region}`,
        "detail-type": entry.DetailType,
        source: entry.Source,
        account: accountId,
        time: call.time.toISOString(),
        region,
        resources: [],
        detail: JSON.parse(entry.Detail) as Record<string, unknown>,
      };
      const central = this.options.categories.some((category) =>
        matchesPattern(centralPattern(category, { test: true }), event as never),
      );
      if (forwarding && matchesPattern(forwarderPattern(this.options.categories), event as never) && central)
        void this.options.hub.deliver(event, region, at);
    }
    return { FailedEntryCount: 0, Entries: entries.map((_, index) => ({ EventId: `probe-${index}` })) };
  }

  private publish(args: Record<string, unknown>, call: TaskCall) {
    this.posts.push({
      time: call.time,
      notification: parseCustomNotification(args.Message as string),
      executionArn: call.executionArn,
    });
    return { MessageId: `onboarding-${this.posts.length}` };
  }
}

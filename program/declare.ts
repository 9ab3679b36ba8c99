import * as pulumi from "@pulumi/pulumi";
import { AccountForwarder } from "../components/account-forwarder";
import { CentralHub } from "../components/central-hub";
import { DirectoryRole } from "../components/directory-role";
import { StackSetFailureForwarder } from "../components/stackset-failure-forwarder";
import { StackSetForwarder } from "../components/stackset-forwarder";
import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { notifyStateMachineArn } from "../model/names";
import { messageOptions } from "../notify/message";
import { Prepared } from "./prepare";
import { AccountProviders } from "./providers";

/** The central account's hub, and the directory role its workflows look accounts up with. */
export function declareHub(prepared: Prepared, providers: AccountProviders): CentralHub {
  const { config, discovery, targets, directoryAccountId } = prepared;
  const hub = new CentralHub(
    "central",
    {
      centralAccountId: config.centralAccountId,
      organizationId: discovery.organizationId,
      regions: config.regions,
      categories: config.categories,
      slack: config.slack,
      notifyEmails: config.notifyEmails,
      archiveRetentionDays: config.archiveRetentionDays,
      stackSetRegion: targets ? GLOBAL_EVENTS_REGION : undefined,
      directoryAccountId,
      message: messageOptions(config, targets?.callAs ?? "SELF"),
      escalation: {
        emails: config.escalation.emails,
        // A secret in the state too, whatever way the stack file holds it.
        pagerDutyRoutingKey: config.escalation.pagerDuty
          ? pulumi.secret(config.escalation.pagerDuty.routingKey)
          : undefined,
      },
      routes: config.routes,
    },
    { provider: providers.of(config.centralAccountId) },
  );
  new DirectoryRole(
    "directory",
    {
      workflowRoleArns: hub.workflowRoleArns,
      stateMachineArns: config.regions.map((region) =>
        notifyStateMachineArn(region, config.centralAccountId),
      ),
    },
    { provider: providers.of(directoryAccountId) },
  );
  return hub;
}

/** A forwarder per direct account; in stackset mode, the StackSet and the forwarding of its failures. */
export function declareForwarders(prepared: Prepared, providers: AccountProviders, hub: CentralHub): void {
  const { config, discovery, targets, directAccounts } = prepared;
  for (const accountId of directAccounts) {
    new AccountForwarder(
      `forwarder-${accountId}`,
      { accountId, categories: config.categories, centralBusArns: hub.busArns },
      { provider: providers.of(accountId) },
    );
  }
  if (!targets) return;
  // StackSets are administered, and emit their events, in the caller's account and region.
  const administrator = { provider: providers.of(discovery.caller.accountId) };
  new StackSetForwarder(
    "stackset",
    {
      centralAccountId: config.centralAccountId,
      categories: config.categories,
      regions: config.regions,
      targets,
    },
    administrator,
  );
  new StackSetFailureForwarder(
    "stackset-failures",
    {
      accountId: discovery.caller.accountId,
      region: GLOBAL_EVENTS_REGION,
      centralBusArn: hub.busArns[GLOBAL_EVENTS_REGION],
    },
    administrator,
  );
}

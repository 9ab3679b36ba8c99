import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { busForwarderRole, forwardToBus, loggedStateMachine } from "./delivery";
import { Category, SecurityContact } from "../config/schema";
import { eventBusArn, topicArn } from "../model/arns";
import { OPS_TOPIC_NAME } from "../model/names";
import { EventPattern } from "../model/patterns";
import {
  ONBOARDING_ROLE_NAME,
  ONBOARDING_STATE_MACHINE_NAME,
  onboardingPatterns,
  PROBE_REQUEST_DETAIL_TYPE,
  PROBE_REQUEST_SOURCE,
  proberRoleName,
  proberStateMachineName,
  RECONCILE_SCHEDULE_ROLE_NAME,
  RECONCILE_STATE_MACHINE_NAME,
} from "../model/onboarding";
import {
  OnboardingScope,
  onboardingRolePolicy,
  proberRolePolicy,
  reconcileRolePolicy,
  startProberPolicy,
} from "../model/onboarding-policies";
import { serviceTrustPolicy, startExecutionPolicy, stepFunctionsTrustPolicy } from "../model/policies";
import { onboardingDefinition } from "../notify/onboarding-definition";
import { proberDefinition } from "../notify/prober-definition";
import { reconcileDefinition } from "../notify/reconcile-definition";

/** Arguments of the onboarding of joining accounts, in the management account. */
export interface OnboardingWorkflowArgs {
  scope: OnboardingScope;
  /** The hub regions: a prober in each. */
  regions: readonly string[];
  categories: readonly Category[];
  deployment: "direct" | "stackset";
  callAs: "SELF" | "DELEGATED_ADMIN";
  /** Set on joining accounts and reconciled daily; none: contacts are left as they are. */
  contact?: SecurityContact;
}

/** Organizations records its events in us-east-1 only; the onboarding workflow and its rules live there. */
const HOME = "us-east-1";

/** A logged Standard state machine of the management account, and its role with one inline policy. */
function workflow(
  parent: pulumi.Resource,
  name: string,
  args: {
    roleName: string;
    accountId: string;
    policy: object;
    region: string;
    stateMachineName: string;
    definition: object;
  },
) {
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      name: args.roleName,
      assumeRolePolicy: JSON.stringify(stepFunctionsTrustPolicy(args.accountId)),
      inlinePolicies: [{ name: "calls", policy: JSON.stringify(args.policy) }],
    },
    { parent },
  );
  const machine = loggedStateMachine(
    name,
    {
      region: args.region,
      stateMachineName: args.stateMachineName,
      roleArn: role.arn,
      definition: JSON.stringify(args.definition),
    },
    { parent },
  );
  return { role, machine };
}

/**
 * In the management account, us-east-1: three rules on the default bus (account created, invitation
 * accepted, account moved) start the onboarding workflow; a prober per hub region puts its probes
 * (probe requests reach other regions through a rule to that region's default bus); and, when the
 * stack sets a SECURITY contact, a daily schedule starts the reconcile. O(regions) resources,
 * whatever the organization's size.
 */
export class OnboardingWorkflow extends pulumi.ComponentResource {
  public readonly stateMachineArn: pulumi.Output<string>;
  /** The roles the central relay trusts. */
  public readonly workflowRoleArns: pulumi.Output<string>[];

  constructor(name: string, args: OnboardingWorkflowArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:OnboardingWorkflow", name, {}, opts);
    const { scope } = args;
    const management = scope.managementAccountId;
    const { role, machine } = workflow(this, name, {
      roleName: ONBOARDING_ROLE_NAME,
      accountId: management,
      policy: onboardingRolePolicy(scope),
      region: HOME,
      stateMachineName: ONBOARDING_STATE_MACHINE_NAME,
      definition: onboardingDefinition({
        ...scope,
        regions: args.regions,
        deployment: args.deployment,
        callAs: args.callAs,
        contact: args.contact,
        opsTopicArn: topicArn(HOME, scope.centralAccountId, OPS_TOPIC_NAME),
      }),
    });
    const startRole = new aws.iam.Role(
      `${name}-events-role`,
      {
        name: `${ONBOARDING_ROLE_NAME}-events`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
        inlinePolicies: [
          { name: "start", policy: machine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))) },
        ],
      },
      { parent: this },
    );
    for (const [kind, pattern] of Object.entries(onboardingPatterns(scope.excluded))) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${kind}`,
        {
          region: HOME,
          name: `abuse-alerts-onboard-${kind}`,
          description: `abuse-alerts: onboard an account ${kind}`,
          eventPattern: JSON.stringify(pattern),
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${kind}-target`,
        { region: HOME, rule: rule.name, targetId: "onboarding", arn: machine.arn, roleArn: startRole.arn },
        { parent: this },
      );
    }
    this.probers(name, args);
    const roles = [role.arn];
    if (args.contact) roles.push(this.reconcile(name, args, args.contact));
    this.stateMachineArn = machine.arn;
    this.workflowRoleArns = roles;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn });
  }

  /** A prober per region, started by probe requests; requests for another region are forwarded to its default bus. */
  private probers(name: string, args: OnboardingWorkflowArgs): void {
    const management = args.scope.managementAccountId;
    for (const region of args.regions) {
      const prefix = `${name}-prober-${region}`;
      const { machine } = workflow(this, prefix, {
        roleName: proberRoleName(region),
        accountId: management,
        policy: proberRolePolicy(args.scope),
        region,
        stateMachineName: proberStateMachineName(region),
        definition: proberDefinition({
          memberRoleName: args.scope.memberRoleName,
          categories: args.categories,
        }),
      });
      const pattern = {
        source: [PROBE_REQUEST_SOURCE],
        "detail-type": [PROBE_REQUEST_DETAIL_TYPE],
        detail: { region: [region] },
      };
      const rule = new aws.cloudwatch.EventRule(
        `${prefix}-rule`,
        {
          region,
          name: `abuse-alerts-probe-${region}`,
          description: "abuse-alerts: an onboarding probe",
          eventPattern: JSON.stringify(pattern),
        },
        { parent: this },
      );
      const startRole = new aws.iam.Role(
        `${prefix}-events-role`,
        {
          name: `${proberRoleName(region)}-events`,
          assumeRolePolicy: JSON.stringify(serviceTrustPolicy("events.amazonaws.com")),
          inlinePolicies: [{ name: "start", policy: JSON.stringify(startProberPolicy(management, region)) }],
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${prefix}-target`,
        { region, rule: rule.name, targetId: "prober", arn: machine.arn, roleArn: startRole.arn },
        { parent: this },
      );
      if (region !== HOME) this.crossRegion(prefix, management, region, pattern);
    }
  }

  /** Step Functions calls no other region: a probe request crosses on EventBridge, bus to bus. */
  private crossRegion(prefix: string, management: string, region: string, pattern: EventPattern): void {
    const bus = eventBusArn(region, management, "default");
    const forwarder = busForwarderRole(
      `${prefix}-relay`,
      {
        roleName: `abuse-alerts-probe-relay-${region}`,
        description: `abuse-alerts: probe requests to ${region}`,
        busArns: [bus],
      },
      { parent: this },
    );
    forwardToBus(
      `${prefix}-relay`,
      {
        region: HOME,
        accountId: management,
        ruleName: `abuse-alerts-probe-to-${region}`,
        description: `abuse-alerts: onboarding probe requests for ${region}`,
        pattern,
        queueName: `abuse-alerts-probe-to-${region}-dlq`,
        busArn: bus,
        roleArn: forwarder.arn,
      },
      { parent: this },
    );
  }

  /** The daily reconcile of contacts, started by EventBridge Scheduler. */
  private reconcile(
    name: string,
    args: OnboardingWorkflowArgs,
    contact: SecurityContact,
  ): pulumi.Output<string> {
    const { scope } = args;
    const prefix = `${name}-reconcile`;
    const { role, machine } = workflow(this, prefix, {
      roleName: `${ONBOARDING_ROLE_NAME}-reconcile`,
      accountId: scope.managementAccountId,
      policy: reconcileRolePolicy(scope),
      region: HOME,
      stateMachineName: RECONCILE_STATE_MACHINE_NAME,
      definition: reconcileDefinition({
        ...scope,
        contact,
        opsTopicArn: topicArn(HOME, scope.centralAccountId, OPS_TOPIC_NAME),
      }),
    });
    const scheduleRole = new aws.iam.Role(
      `${prefix}-schedule-role`,
      {
        name: RECONCILE_SCHEDULE_ROLE_NAME,
        assumeRolePolicy: JSON.stringify(
          serviceTrustPolicy("scheduler.amazonaws.com", {
            StringEquals: { "aws:SourceAccount": scope.managementAccountId },
          }),
        ),
        inlinePolicies: [
          { name: "start", policy: machine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))) },
        ],
      },
      { parent: this },
    );
    new aws.scheduler.Schedule(
      `${prefix}-schedule`,
      {
        region: HOME,
        name: "abuse-alerts-contacts-daily",
        description: "abuse-alerts: the daily reconcile of SECURITY contacts",
        scheduleExpression: "rate(1 day)",
        flexibleTimeWindow: { mode: "FLEXIBLE", maximumWindowInMinutes: 60 },
        target: {
          arn: machine.arn,
          roleArn: scheduleRole.arn,
          input: "{}",
          retryPolicy: { maximumRetryAttempts: 3 },
        },
      },
      { parent: this },
    );
    return role.arn;
  }
}

import { connectionArn, topicArn } from "../model/arns";
import {
  ALERT_TOPIC_NAME,
  caseStateMachineArn,
  ESCALATION_TOPIC_NAME,
  notifyStateMachineArn,
  OPS_TOPIC_NAME,
  PAGERDUTY_CONNECTION_NAME,
  PAGERDUTY_EVENTS_URL,
} from "../model/names";
import { caseDefinition } from "../notify/case-definition";
import { notifyDefinition } from "../notify/definition";
import { MessageOptions } from "../notify/message";
import { RouteSelectors, routeTargetsIn } from "../model/routes";
import { CustomNotification, parseCustomNotification } from "../notify/notification";
import { AccountContexts, contextHandler } from "./account-context";
import { VirtualClock } from "./clock";
import { GlobalTableSim } from "./dynamodb";
import { HttpTaskSim } from "./http";
import { PagerDutySim } from "./pagerduty";
import { StartedExecution, StepFunctionsSim, TaskCall, TaskFailure } from "./step-functions";

/**
 * The central account's hub offline: in each region the notify and case workflows, from their
 * real definitions, on one virtual clock, against one global table (dynalite per region), with
 * the account lookups answered from sample context, SNS recorded (alert, operations and
 * escalation topics), and PagerDuty's Events API behind the HTTP task's connection. Events are
 * delivered to a region at a time of the test's choosing; a day of a case runs in milliseconds.
 */

export interface HubOptions {
  start: Date;
  regions?: readonly string[];
  centralAccountId?: string;
  /** The management account, whose directory role the lookups run as. */
  directoryAccountId: string;
  contexts: AccountContexts;
  message: MessageOptions;
  escalation?: { emails?: boolean; pagerDutyRoutingKey?: string };
  /** Owning teams' routes: posts of the accounts they select also go to their topics. */
  routes?: readonly RouteSelectors[];
  replicationSeconds?: number;
  /** Answers the workflow's CloudFormation calls (the StackSet's operations and their results); none: access denied. */
  cloudFormation?: (call: TaskCall) => Promise<unknown>;
}

/** Something published to a topic: a post in a thread, an operations notice, or an escalation email. */
export interface Published {
  time: Date;
  region: string;
  topic: "alert" | "ops" | "escalation";
  topicArn: string;
  /** A post or notice, as Chatbot reads it; none for an email. */
  notification?: CustomNotification;
  /** An email's subject and body. */
  email?: { subject: string; body: string };
  executionArn: string;
}

export class OfflineHub {
  readonly clock: VirtualClock;
  readonly http = new HttpTaskSim();
  readonly pagerDuty = new PagerDutySim();
  readonly published: Published[] = [];
  readonly sfn: StepFunctionsSim;
  readonly regions: readonly string[];
  readonly central: string;
  /** SNS fails in these regions until cleared, as during an outage. */
  readonly snsDown = new Set<string>();

  private constructor(
    private readonly options: HubOptions,
    readonly table: GlobalTableSim,
    clock: VirtualClock,
  ) {
    this.clock = clock;
    this.regions = options.regions ?? ["us-east-1", "us-west-2"];
    this.central = options.centralAccountId ?? "111111111111";
    const lookups = contextHandler(options.contexts, { directoryAccountId: options.directoryAccountId });
    this.sfn = new StepFunctionsSim(this.clock, (call) => this.answer(call, lookups));
    for (const region of this.regions) this.register(region);
  }

  static async start(options: HubOptions): Promise<OfflineHub> {
    const clock = new VirtualClock(options.start);
    const table = await GlobalTableSim.start({
      clock,
      regions: options.regions ?? ["us-east-1", "us-west-2"],
      replicationSeconds: options.replicationSeconds,
    });
    return new OfflineHub(options, table, clock);
  }

  stop(): Promise<void> {
    return this.table.stop();
  }

  topicArn(region: string, name = ALERT_TOPIC_NAME): string {
    return topicArn(region, this.central, name);
  }

  notifyArn(region: string): string {
    return notifyStateMachineArn(region, this.central);
  }

  caseArn(region: string): string {
    return caseStateMachineArn(region, this.central);
  }

  private register(region: string): void {
    const { escalation } = this.options;
    const connection = `${connectionArn(region, this.central, PAGERDUTY_CONNECTION_NAME)}/offline`;
    if (escalation?.pagerDutyRoutingKey) {
      this.http.connect(connection, {
        headers: { "X-Abuse-Alerts": "pagerduty" },
        bodies: { routing_key: escalation.pagerDutyRoutingKey },
      });
    }
    this.http.serve(PAGERDUTY_EVENTS_URL, this.pagerDuty.endpoint);
    const ops = this.topicArn(region, OPS_TOPIC_NAME);
    this.sfn.register(
      this.notifyArn(region),
      notifyDefinition({
        topicArn: this.topicArn(region),
        opsTopicArn: ops,
        caseStateMachineArn: this.caseArn(region),
        directoryAccountId: this.options.directoryAccountId,
        message: this.options.message,
        routes: routeTargetsIn(region, this.central, this.options.routes ?? []),
      }),
    );
    this.sfn.register(
      this.caseArn(region),
      caseDefinition({
        stateMachineArn: this.caseArn(region),
        opsTopicArn: ops,
        reminders: this.options.message.reminders,
        escalation: {
          topicArn: escalation?.emails ? this.topicArn(region, ESCALATION_TOPIC_NAME) : undefined,
          pagerDutyConnectionArn: escalation?.pagerDutyRoutingKey ? connection : undefined,
          to: this.options.message.escalatedTo,
        },
      }),
    );
  }

  /** The event reaches the central bus of `region` at `time`, and its rule starts the notify workflow. */
  deliver(event: unknown, region: string, time: Date = this.clock.now()): Promise<StartedExecution> {
    return new Promise((resolve, reject) =>
      this.clock.at(time, () => {
        try {
          resolve(this.sfn.startExecution(this.notifyArn(region), structuredClone(event)));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  }

  /** A case execution by name, as the Acknowledge button or npm run ack starts one, at `time`. */
  startCase(region: string, name: string, time: Date = this.clock.now()): Promise<StartedExecution> {
    return new Promise((resolve, reject) =>
      this.clock.at(time, () => {
        try {
          resolve(this.sfn.startExecution(this.caseArn(region), {}, name));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  }

  /** Runs every execution and timer, to the end or up to `until`. */
  run(until?: Date): Promise<void> {
    return this.clock.run(until);
  }

  /** The posts in the channel's threads: what was published to the alert topics. */
  posts(): Published[] {
    return this.published.filter((entry) => entry.topic === "alert");
  }

  private answer(call: TaskCall, lookups: (call: TaskCall) => Promise<unknown>): Promise<unknown> {
    if (this.table.handles(call.resource)) return this.table.answer(call);
    if (this.http.handles(call.resource)) return this.http.answer(call);
    if (call.resource === "arn:aws:states:::sns:publish") return Promise.resolve(this.publish(call));
    if (call.resource.startsWith("arn:aws:states:::aws-sdk:cloudformation:")) {
      if (this.options.cloudFormation) return this.options.cloudFormation(call);
      return Promise.reject(
        new TaskFailure("CloudFormation.CloudFormationException", "not answered offline"),
      );
    }
    return lookups(call);
  }

  private publish(call: TaskCall): { MessageId: string } {
    const region = call.executionArn.split(":")[3];
    if (this.snsDown.has(region))
      throw new TaskFailure("SNS.InternalErrorException", "SNS is down (offline outage)");
    const args = call.arguments as { TopicArn: string; Message: string; Subject?: string };
    const name = args.TopicArn.split(":").pop();
    const topic = name === OPS_TOPIC_NAME ? "ops" : name === ESCALATION_TOPIC_NAME ? "escalation" : "alert";
    this.published.push({
      time: call.time,
      region,
      topic,
      topicArn: args.TopicArn,
      executionArn: call.executionArn,
      ...(topic === "escalation"
        ? { email: { subject: args.Subject ?? "", body: args.Message } }
        : { notification: parseCustomNotification(args.Message) }),
    });
    return { MessageId: `offline-${this.published.length}` };
  }
}

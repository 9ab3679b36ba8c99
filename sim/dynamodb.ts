import {
  AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { AddressInfo } from "node:net";
import { executionArn } from "../model/arns";
import { PARTITION_KEY, SORT_KEY, STATE_TABLE_NAME } from "../model/state-table";
import { VirtualClock } from "./clock";
import { TaskCall, TaskFailure } from "./step-functions";

/**
 * A DynamoDB global table offline: one real DynamoDB implementation (dynalite, in memory) per
 * region, with AWS's replication between them modelled on the virtual clock. A write in one
 * region reaches the others `replicationSeconds` later (about a second in AWS), and the last
 * writer wins: a replica keeps the newer of two versions of an item. A conditional write is
 * checked against its own region's replica only, as in AWS. Step Functions' DynamoDB tasks (the
 * optimized integration and the AWS SDK one) are answered here, in the region of the execution;
 * so are commands (npm run ack, npm run cases) through `client(region)`, whose writes replicate too.
 */

type Item = Record<string, AttributeValue>;
type Key = Record<string, AttributeValue>;

interface Dynalite {
  listen(port: number, callback: () => void): void;
  address(): AddressInfo;
  close(callback: () => void): void;
}

const OPTIMIZED = /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/;
const SDK = /^arn:aws:states:::aws-sdk:dynamodb:(getItem|putItem|updateItem|deleteItem|query)$/;

const regionOf = (executionArn: string) => executionArn.split(":")[3];
const keyText = (key: Key) => JSON.stringify([key[PARTITION_KEY], key[SORT_KEY]]);

export interface GlobalTableOptions {
  clock: VirtualClock;
  /** The hub regions, each with its replica. */
  regions: readonly string[];
  tableName?: string;
  /** How long a write takes to reach the other replicas (default 1 s). */
  replicationSeconds?: number;
}

export class GlobalTableSim {
  readonly tableName: string;
  /** Each replica as the twin itself reads and writes it: these writes do not replicate again. */
  private readonly clients = new Map<string, DynamoDBClient>();
  /** Each replica as a command sees it: its writes replicate like the workflows'. */
  private readonly commandClients = new Map<string, DynamoDBClient>();
  private readonly servers: Dynalite[] = [];
  /** The version of each item in each replica: [virtual time, sequence], for last-writer-wins. */
  private readonly versions = new Map<string, [number, number]>();
  private readonly outages = new Map<string, string>();
  private sequence = 0;

  private constructor(private readonly options: GlobalTableOptions) {
    this.tableName = options.tableName ?? STATE_TABLE_NAME;
  }

  /** A replica in every region, each its own in-memory DynamoDB, with the table created. */
  static async start(options: GlobalTableOptions): Promise<GlobalTableSim> {
    const table = new GlobalTableSim(options);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no types
    const dynalite = require("dynalite") as (options: Record<string, number>) => Dynalite;
    for (const region of options.regions) {
      const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
      await new Promise<void>((resolve) => server.listen(0, resolve));
      table.servers.push(server);
      const client = new DynamoDBClient({
        region,
        endpoint: `http://127.0.0.1:${server.address().port}`,
        credentials: { accessKeyId: "offline", secretAccessKey: "offline" },
        maxAttempts: 1,
      });
      table.clients.set(region, client);
      table.commandClients.set(region, table.replicating(region, server.address().port));
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: PARTITION_KEY, AttributeType: "S" },
            { AttributeName: SORT_KEY, AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: PARTITION_KEY, KeyType: "HASH" },
            { AttributeName: SORT_KEY, KeyType: "RANGE" },
          ],
        }),
      );
    }
    return table;
  }

  async stop(): Promise<void> {
    [...this.clients.values(), ...this.commandClients.values()].forEach((client) => client.destroy());
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(resolve))));
  }

  /** A client of a region's replica whose writes reach the other replicas, as AWS replicates them. */
  private replicating(region: string, port: number): DynamoDBClient {
    const client = new DynamoDBClient({
      region,
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "offline", secretAccessKey: "offline" },
      maxAttempts: 1,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (/^(PutItem|UpdateItem|DeleteItem)Command$/.test(context.commandName ?? "")) {
          const input = args.input as { Key?: unknown; Item?: unknown };
          await this.written(region, input.Key ?? input.Item);
        }
        return output;
      },
      { step: "initialize", name: "replicateOffline" },
    );
    return client;
  }

  /** The replica of a region, as a command reads and writes it (npm run cases, npm run ack, tests). */
  client(region: string): DynamoDBClient {
    const client = this.commandClients.get(region);
    if (!client) throw new Error(`no replica in ${region}`);
    return client;
  }

  /** The replica as the twin itself uses it. */
  private replica(region: string): DynamoDBClient {
    const client = this.clients.get(region);
    if (!client) throw new Error(`no replica in ${region}`);
    return client;
  }

  /** Every request to a region's replica fails with this error until `restore`. */
  outage(region: string, error = "InternalServerError"): void {
    this.outages.set(region, error);
  }

  restore(region: string): void {
    this.outages.delete(region);
  }

  /** Every item of a region's replica. */
  async items(region: string): Promise<Item[]> {
    const { Items } = await this.replica(region).send(new ScanCommand({ TableName: this.tableName }));
    return Items ?? [];
  }

  handles(resource: string): boolean {
    return OPTIMIZED.test(resource) || SDK.test(resource);
  }

  /** A Step Functions DynamoDB task, in the region of its execution. */
  async answer(call: TaskCall): Promise<unknown> {
    const optimized = OPTIMIZED.exec(call.resource);
    const action = (optimized ?? SDK.exec(call.resource))?.[1];
    if (!action) throw new Error(`not a DynamoDB task: ${call.resource}`);
    // The two integrations name the service differently in their errors.
    const prefix = optimized ? "DynamoDB" : "DynamoDb";
    const region = regionOf(call.executionArn);
    const down = this.outages.get(region);
    if (down)
      throw new TaskFailure(`${prefix}.${down}`, `the ${region} replica is unavailable (offline outage)`);
    const input: Record<string, unknown> = {
      ...(call.arguments as Record<string, unknown>),
      TableName: this.tableName,
    };
    try {
      const output = await this.send(region, action, input);
      if (action !== "getItem" && action !== "query") await this.written(region, input.Key ?? input.Item);
      return output;
    } catch (error) {
      const name = (error as Error).name;
      throw new TaskFailure(`${prefix}.${name}`, (error as Error).message);
    }
  }

  private send(region: string, action: string, input: Record<string, unknown>): Promise<unknown> {
    const client = this.replica(region);
    switch (action) {
      case "getItem":
        return client.send(new GetItemCommand(input as never));
      case "putItem":
        return client.send(new PutItemCommand(input as never));
      case "updateItem":
        return client.send(new UpdateItemCommand(input as never));
      case "deleteItem":
        return client.send(new DeleteItemCommand(input as never));
      default:
        return client.send(new QueryCommand(input as never));
    }
  }

  /** After a write, the item as it now is reaches the other replicas, unless a newer write got there first. */
  private async written(region: string, keyOrItem: unknown): Promise<void> {
    const item = keyOrItem as Item;
    const key = { [PARTITION_KEY]: item[PARTITION_KEY], [SORT_KEY]: item[SORT_KEY] };
    const version: [number, number] = [this.options.clock.now().getTime(), ++this.sequence];
    this.versions.set(`${region} ${keyText(key)}`, version);
    const { Item: current } = await this.replica(region).send(
      new GetItemCommand({ TableName: this.tableName, Key: key }),
    );
    const at = new Date(version[0] + (this.options.replicationSeconds ?? 1) * 1000);
    for (const other of this.options.regions.filter((candidate) => candidate !== region)) {
      this.options.clock.at(at, () => this.replicate(other, key, current, version));
    }
  }

  private async replicate(
    region: string,
    key: Key,
    item: Item | undefined,
    version: [number, number],
  ): Promise<void> {
    const slot = `${region} ${keyText(key)}`;
    const held = this.versions.get(slot);
    if (held && (held[0] > version[0] || (held[0] === version[0] && held[1] > version[1]))) return;
    this.versions.set(slot, version);
    const client = this.replica(region);
    if (item) await client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
    else await client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key }));
  }
}

/**
 * A case table that has never seen the case, for a one-off preview that needs no dynalite: a
 * read finds nothing, a write succeeds, and the case workflow starts. Undefined for other tasks.
 */
export function unseenCaseHandler(call: TaskCall): Promise<unknown> | undefined {
  if (/^arn:aws:states:::(aws-sdk:)?dynamodb:query$/.test(call.resource)) {
    return Promise.resolve({ Items: [], Count: 0, ScannedCount: 0 });
  }
  if (OPTIMIZED.test(call.resource) || SDK.test(call.resource)) return Promise.resolve({});
  if (call.resource === "arn:aws:states:::states:startExecution") {
    const { StateMachineArn, Name } = call.arguments as { StateMachineArn: string; Name: string };
    return Promise.resolve({
      ExecutionArn: executionArn(StateMachineArn, Name),
      StartDate: call.time.toISOString(),
    });
  }
  return undefined;
}

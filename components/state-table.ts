import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EXPIRES_AT, PARTITION_KEY, SORT_KEY, STATE_TABLE_NAME } from "../model/state-table";

/** Arguments of the workflows' state table. */
export interface StateTableArgs {
  /** Where the table is created; the other regions get replicas. */
  primaryRegion: string;
  /** The hub regions: each workflow reads and writes its own region's replica. */
  regions: readonly string[];
}

/**
 * One DynamoDB global table (version 2019.11.21) for the state the workflows keep (see
 * model/state-table.ts): on demand, a replica in every hub region, point-in-time recovery in each,
 * TTL on `expiresAt` so closed cases leave after a year, encrypted at rest with DynamoDB's own key.
 * Streams are on because replicas need them (leaving them unset shows a diff at every run,
 * terraform-provider-aws#43625). Protected and deletion-protected: losing it loses open cases.
 */
export class StateTable extends pulumi.ComponentResource {
  /** The table's name, the same in every region. */
  public readonly tableName: pulumi.Output<string>;

  constructor(name: string, args: StateTableArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("abuse-alerts:index:StateTable", name, {}, opts);
    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        region: args.primaryRegion,
        name: STATE_TABLE_NAME,
        billingMode: "PAY_PER_REQUEST",
        hashKey: PARTITION_KEY,
        rangeKey: SORT_KEY,
        attributes: [
          { name: PARTITION_KEY, type: "S" },
          { name: SORT_KEY, type: "S" },
        ],
        ttl: { attributeName: EXPIRES_AT, enabled: true },
        pointInTimeRecovery: { enabled: true },
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        deletionProtectionEnabled: true,
        replicas: args.regions
          .filter((region) => region !== args.primaryRegion)
          .map((regionName) => ({ regionName, pointInTimeRecovery: true, deletionProtectionEnabled: true })),
      },
      { parent: this, protect: true },
    );
    this.tableName = table.name;
    this.registerOutputs({ tableName: this.tableName });
  }
}

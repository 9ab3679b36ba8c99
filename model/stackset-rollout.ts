/**
 * How long `pulumi up` waits for a StackSet operation. pulumi-aws takes terraform-provider-aws's
 * defaults: 30 minutes for a StackSet update (`stack_set.go`, `StackSetUpdatedDefaultTimeout`) and
 * for each instance operation (`stack_set_instance.go`), after which `pulumi up` fails while
 * CloudFormation carries on. A template change of a large organization runs far longer.
 */

/** How a StackSet operation proceeds (its operation preferences). */
export interface RolloutShape {
  /** Accounts acted on at once in each region, as a percentage of the region's accounts. */
  maxConcurrentPercentage: number;
  regionConcurrencyType: "PARALLEL" | "SEQUENTIAL";
  regions: number;
}

/**
 * The slowest wave: a wave ends with its slowest stack. Our stack (a role, a queue, its policy, a
 * rule) takes 2–5 minutes; IAM's eventual consistency and CloudFormation's throttling of many
 * stacks at once make a slow one take several times that.
 */
export const MINUTES_PER_WAVE = 20;

/**
 * With managed execution, an operation queues behind the one running (an auto-deployment, or a
 * previous `pulumi up` that timed out): the wait covers one whole other rollout before ours.
 */
export const QUEUED_ROLLOUTS = 1;

/**
 * Minutes a rollout of this shape can take: ⌈100 / percentage⌉ waves per region, the regions in
 * parallel or one after the other, each wave at most MINUTES_PER_WAVE, plus a rollout queued ahead.
 */
export function rolloutMinutes(shape: RolloutShape): number {
  const wavesPerRegion = Math.ceil(100 / shape.maxConcurrentPercentage);
  const waves = shape.regionConcurrencyType === "PARALLEL" ? wavesPerRegion : wavesPerRegion * shape.regions;
  return waves * MINUTES_PER_WAVE * (1 + QUEUED_ROLLOUTS);
}

/** The rollout's wait as Pulumi's customTimeouts take it (a Go duration). */
export function rolloutTimeout(shape: RolloutShape): string {
  const minutes = rolloutMinutes(shape);
  return `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

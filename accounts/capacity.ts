import { DiscoveryError } from "./types";

/**
 * Memory of one pulumi-aws provider plugin process, in MB, as measured in pulumi-aws#5226 and
 * #5860. In direct mode every covered account has its own provider, so one `pulumi up` runs one
 * such process per account at once.
 */
export const PROVIDER_MEMORY_MB = { low: 170, high: 430 } as const;

const gigabytes = (megabytes: number) => `${(megabytes / 1000).toFixed(1)} GB`;

/** Refuses direct mode for more accounts than the limit, with the numbers and the way out. */
export function checkDirectCapacity(coveredAccounts: number, limit: number): void {
  if (coveredAccounts <= limit) return;
  const { low, high } = PROVIDER_MEMORY_MB;
  throw new DiscoveryError(
    `abuse-alerts:deployment direct would cover ${coveredAccounts} accounts with one AWS provider each: ` +
      `${coveredAccounts} provider processes of ${low}-${high} MB (pulumi-aws#5226, #5860), ` +
      `${gigabytes(coveredAccounts * low)} to ${gigabytes(coveredAccounts * high)} for one pulumi up, ` +
      `above the limit of ${limit} accounts (abuse-alerts:maxDirectAccounts).\n` +
      `Set abuse-alerts:deployment to stackset: one CloudFormation StackSet covers any number of accounts with at most ` +
      `three providers, and covers new accounts as they join. Or, on a machine with the memory, raise ` +
      `abuse-alerts:maxDirectAccounts to ${coveredAccounts} or more.`,
  );
}

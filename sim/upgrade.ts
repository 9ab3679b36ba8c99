import { PlannedResource } from "./pulumi-runner";

/** A resource as the stack's checkpoint holds it: what decides what a delete does. */
export type CheckpointResource = Pick<
  PlannedResource,
  "urn" | "type" | "custom" | "protect" | "retainOnDelete" | "account"
>;

/** What `pulumi up` does to a resource the program no longer declares. */
export interface UpgradeDelete {
  urn: string;
  type: string;
  account: string;
  /** The provider's Delete runs: the resource goes from AWS, not only from the state. */
  providerDelete: boolean;
  /** The engine refuses: a protected resource is never deleted. */
  refused: boolean;
}

/**
 * The deletes of an update from the checkpoint `old` to the program's new graph, as the engine
 * plans and applies them (pulumi/pulumi pkg/resource/deploy/step.go, DeleteStep.Apply): a
 * resource of the checkpoint the program no longer declares is deleted; a protected one is
 * refused; one that is retainOnDelete in the checkpoint (the OLD state's flag, `s.old.RetainOnDelete`)
 * leaves the state without the provider's Delete; a component has no Delete; any other custom
 * resource is deleted through its provider.
 */
export function upgradeDeletes(
  old: readonly CheckpointResource[],
  next: readonly PlannedResource[],
): UpgradeDelete[] {
  const declared = new Set(next.map((resource) => resource.urn));
  return old
    .filter((resource) => !declared.has(resource.urn))
    .map((resource) => ({
      urn: resource.urn,
      type: resource.type,
      account: resource.account,
      refused: resource.protect,
      providerDelete: !resource.protect && resource.custom && !resource.retainOnDelete,
    }));
}

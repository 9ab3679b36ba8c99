import { isDeepStrictEqual } from "node:util";
import { PlannedResource } from "./pulumi-runner";

/**
 * What `pulumi up` would do to a stack's state for a program's declarations, as the engine
 * decides it: a declaration finds its old state by URN or by one of its aliases; ignored input
 * paths keep their old values; a change to an input the provider cannot update in place (its
 * ForceNew fields) replaces the resource; state nothing claims is deleted. A delete or a
 * replacement's delete is carried out unless the old state says retainOnDelete (the engine reads
 * the state, not the program: pulumi/pulumi#13428).
 */

/** A resource in the state of the last update. */
export interface StateResource {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  retainOnDelete?: boolean;
}

export type StepKind = "same" | "update" | "replace" | "create" | "delete";

export interface PlanStep {
  kind: StepKind;
  urn: string;
  type: string;
  /** The URN in the old state, when a declaration found one (through an alias, it differs). */
  oldUrn?: string;
  /** A delete (or a replacement's delete) that the provider carries out in AWS. */
  deletesInAws: boolean;
  deleteBeforeReplace?: boolean;
}

/** Inputs whose change replaces a resource, by type: the provider's ForceNew fields. */
export const REPLACE_ON_CHANGE: Record<string, readonly string[]> = {
  // terraform-provider-aws stack_set_instance.go: stack_set_name, region, account_id and every
  // field of deployment_targets are ForceNew.
  "aws:cloudformation/stackSetInstance:StackSetInstance": [
    "stackSetName",
    "stackSetInstanceRegion",
    "accountId",
    "deploymentTargets",
  ],
  // stack_set.go: name is ForceNew.
  "aws:cloudformation/stackSet:StackSet": ["name"],
};

function withIgnored(
  inputs: Record<string, unknown>,
  old: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  const result = structuredClone(inputs);
  for (const path of paths) {
    const keys = path.split(".");
    const oldValue = keys.reduce<unknown>(
      (value, key) => (value as Record<string, unknown> | undefined)?.[key],
      old,
    );
    let target = result;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    const last = keys[keys.length - 1];
    if (oldValue === undefined) delete target[last];
    else target[last] = oldValue;
  }
  return result;
}

/** The steps of an update from `state` to `planned` (custom resources only). */
export function planUpdate(state: readonly StateResource[], planned: readonly PlannedResource[]): PlanStep[] {
  const byUrn = new Map(state.map((resource) => [resource.urn, resource]));
  const claimed = new Set<string>();
  const steps: PlanStep[] = [];
  for (const resource of planned.filter((candidate) => candidate.custom)) {
    const oldUrn = [resource.urn, ...resource.aliases].find((urn) => byUrn.has(urn) && !claimed.has(urn));
    const old = oldUrn ? byUrn.get(oldUrn) : undefined;
    if (!old || !oldUrn) {
      steps.push({ kind: "create", urn: resource.urn, type: resource.type, deletesInAws: false });
      continue;
    }
    claimed.add(oldUrn);
    const inputs = withIgnored(resource.inputs, old.inputs, resource.ignoreChanges);
    const changed = Object.keys({ ...inputs, ...old.inputs }).filter(
      (key) => !isDeepStrictEqual(inputs[key], old.inputs[key]),
    );
    const replaces = changed.some((key) => REPLACE_ON_CHANGE[resource.type]?.includes(key));
    steps.push({
      kind: replaces ? "replace" : changed.length > 0 ? "update" : "same",
      urn: resource.urn,
      type: resource.type,
      oldUrn,
      deletesInAws: replaces && !old.retainOnDelete,
      deleteBeforeReplace: resource.deleteBeforeReplace,
    });
  }
  for (const old of state.filter((resource) => !claimed.has(resource.urn))) {
    steps.push({ kind: "delete", urn: old.urn, type: old.type, deletesInAws: !old.retainOnDelete });
  }
  return steps;
}

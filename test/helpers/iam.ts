import { runSimulation } from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../../model/policies";

export interface Request {
  /** A role ARN, or a service principal such as events.amazonaws.com. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  context?: Record<string, string>;
  identityPolicies?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
}

/**
 * IAM's decision for one request, by @cloud-copilot/iam-simulate: cross-account requests need
 * both the identity and the resource policy; service principals only the resource policy.
 * A policy the simulator cannot parse fails the test.
 */
export async function decide(request: Request): Promise<"Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied"> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: request.context ?? {},
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({
        name: `identity-${index}`,
        policy,
      })),
      // SCPs are not under test here and do not apply to service principals.
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") throw new Error(`simulation failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

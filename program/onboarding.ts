import { OnboardingRelay } from "../components/onboarding-relay";
import { OnboardingWorkflow } from "../components/onboarding-workflow";
import { Prepared } from "./prepare";
import { AccountProviders } from "./providers";

/**
 * Onboarding in the management account (its workflows, probers and the daily contact reconcile)
 * and the relay they read probes and post through in the central account. Contacts are no longer
 * Pulumi resources: the workflows set them, so the stack's size does not grow with the organization.
 */
export function declareOnboarding(prepared: Prepared, providers: AccountProviders): void {
  const { config, discovery, targets, directoryAccountId } = prepared;
  const scope = {
    managementAccountId: directoryAccountId,
    centralAccountId: config.centralAccountId,
    organizationId: discovery.organizationId,
    organizationalUnits: config.accounts.organizationalUnits,
    excluded: config.accounts.exclude,
    explicit: config.accounts.explicit?.map((account) => account.id),
    memberRoleName: config.memberRoleName,
  };
  const onboarding = new OnboardingWorkflow(
    "onboarding",
    {
      scope,
      regions: config.regions,
      categories: config.categories,
      deployment: config.deployment,
      callAs: targets?.callAs ?? "SELF",
      contact: config.securityContact,
    },
    { provider: providers.of(directoryAccountId) },
  );
  new OnboardingRelay(
    "onboarding-relay",
    { scope, workflowRoleArns: onboarding.workflowRoleArns },
    { provider: providers.of(config.centralAccountId) },
  );
}

import { paginateListDelegatedAdministrators } from "@aws-sdk/client-organizations";
import { describeError } from "../../../accounts/errors";
import { collectPages } from "../../../accounts/organizations";
import { DoctorContext, Finding } from "../types";

/**
 * Whether the caller may act for the organization on a service: as the management account, or
 * as a delegated administrator registered for the service's principal. The finding when it may
 * not (or cannot be told), undefined when it may.
 */
export async function delegatedAdministratorProblem(
  { clients, discovery }: DoctorContext,
  check: string,
  servicePrincipal: string,
  service: string,
): Promise<Finding | undefined> {
  const caller = discovery.caller.accountId;
  if (caller === discovery.managementAccountId) return undefined;
  const subject = `account ${caller}`;
  const fix =
    `from the management account: aws organizations register-delegated-administrator --account-id ${caller} ` +
    `--service-principal ${servicePrincipal}; or run from the management account`;
  try {
    const administrators = await collectPages(
      paginateListDelegatedAdministrators(
        { client: clients.organizations },
        { ServicePrincipal: servicePrincipal },
      ),
      (page) => page.DelegatedAdministrators,
    );
    if (administrators.some((administrator) => administrator.Id === caller)) return undefined;
    const registered = administrators.map((administrator) => administrator.Id).join(", ") || "none";
    return {
      check,
      status: "fail",
      subject,
      detail: `neither the management account (${discovery.managementAccountId ?? "?"}) nor a ${service} delegated administrator (registered: ${registered})`,
      fix,
    };
  } catch (error) {
    return {
      check,
      status: "fail",
      subject,
      detail: `organizations:ListDelegatedAdministrators failed: ${describeError(error)}`,
      fix,
    };
  }
}

import {
  paginateListAWSServiceAccessForOrganization,
  paginateListDelegatedAdministrators,
} from "@aws-sdk/client-organizations";
import { describeError } from "../../accounts/errors";
import { collectPages } from "../../accounts/organizations";
import { DoctorCheck, Finding } from "../types";

const CHECK = "security contact";

/** Account Management's service principal in Organizations. */
export const ACCOUNT_MANAGEMENT_PRINCIPAL = "account.amazonaws.com";

/**
 * Setting the SECURITY contact of member accounts needs trusted access for Account Management,
 * and the management account or an Account Management delegated administrator to run from.
 */
export const contactAccessCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.securityContact !== undefined,
  async run({ clients, discovery }) {
    const subject = "organization";
    const caller = discovery.caller.accountId;
    const enable = `from the management account: aws organizations enable-aws-service-access --service-principal ${ACCOUNT_MANAGEMENT_PRINCIPAL}`;
    const findings: Finding[] = [];
    try {
      const enabled = await collectPages(
        paginateListAWSServiceAccessForOrganization({ client: clients.organizations }, {}),
        (page) => page.EnabledServicePrincipals,
      );
      findings.push(
        enabled.some((service) => service.ServicePrincipal === ACCOUNT_MANAGEMENT_PRINCIPAL)
          ? { check: CHECK, status: "ok", subject, detail: "trusted access for Account Management is on" }
          : {
              check: CHECK,
              status: "fail",
              subject,
              detail:
                "trusted access for Account Management is off: pulumi up cannot set the member accounts' SECURITY contact",
              fix: enable,
            },
      );
    } catch (error) {
      findings.push({
        check: CHECK,
        status: "fail",
        subject,
        detail: `organizations:ListAWSServiceAccessForOrganization failed: ${describeError(error)}`,
        fix: `${enable}; run from the management account or the Account Management delegated administrator`,
      });
    }
    if (caller === discovery.managementAccountId) return findings;
    const register = `from the management account: aws organizations register-delegated-administrator --account-id ${caller} --service-principal ${ACCOUNT_MANAGEMENT_PRINCIPAL}`;
    try {
      const administrators = await collectPages(
        paginateListDelegatedAdministrators(
          { client: clients.organizations },
          { ServicePrincipal: ACCOUNT_MANAGEMENT_PRINCIPAL },
        ),
        (page) => page.DelegatedAdministrators,
      );
      if (!administrators.some((administrator) => administrator.Id === caller)) {
        findings.push({
          check: CHECK,
          status: "fail",
          subject: `account ${caller}`,
          detail:
            "neither the management account nor the Account Management delegated administrator: it cannot set other accounts' contacts",
          fix: `${register}; or run from the management account`,
        });
      }
    } catch (error) {
      findings.push({
        check: CHECK,
        status: "fail",
        subject: `account ${caller}`,
        detail: `organizations:ListDelegatedAdministrators failed: ${describeError(error)}`,
        fix: `${register}; or run from the management account`,
      });
    }
    return findings;
  },
};

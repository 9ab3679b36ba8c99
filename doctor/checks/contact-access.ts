import { paginateListAWSServiceAccessForOrganization } from "@aws-sdk/client-organizations";
import { describeError } from "../../accounts/errors";
import { collectPages } from "../../accounts/organizations";
import { DoctorCheck, Finding } from "../types";
import { delegatedAdministratorProblem } from "./delegated-admin";

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
  async run(context) {
    const { clients } = context;
    const subject = "organization";
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
    const problem = await delegatedAdministratorProblem(
      context,
      CHECK,
      ACCOUNT_MANAGEMENT_PRINCIPAL,
      "Account Management",
    );
    if (problem) findings.push(problem);
    return findings;
  },
};

import { paginateListAWSServiceAccessForOrganization } from "@aws-sdk/client-organizations";
import { describeError } from "../../../accounts/errors";
import { collectPages } from "../../../accounts/organizations";
import { ACCOUNT_MANAGEMENT_PRINCIPAL, ENABLE_ACCOUNT_MANAGEMENT } from "../../../model/names";
import { DoctorCheck, Finding } from "../types";
import { delegatedAdministratorProblem } from "./delegated-admin";

const CHECK = "security contact";

/**
 * The alerts read each account's SECURITY contact through Account Management, which needs trusted
 * access for it: without, every alert says it cannot tell where AWS's email went (a warning), and
 * with abuse-alerts:securityContact set, `pulumi up` cannot set the contacts either (a failure),
 * nor run from an account that is neither the management account nor its delegated administrator.
 */
export const contactAccessCheck: DoctorCheck = {
  name: CHECK,
  async run(context) {
    const { clients, config } = context;
    const setsContacts = config.securityContact !== undefined;
    const missing = setsContacts ? "fail" : "warn";
    const consequence = setsContacts
      ? "pulumi up cannot set the member accounts' SECURITY contact, and the alerts cannot read it"
      : "the alerts cannot read the accounts' SECURITY contact, so they cannot say where AWS's email went";
    const subject = "organization";
    const enable = `from the management account: ${ENABLE_ACCOUNT_MANAGEMENT}`;
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
              status: missing,
              subject,
              detail: `trusted access for Account Management is off: ${consequence}`,
              fix: enable,
            },
      );
    } catch (error) {
      findings.push({
        check: CHECK,
        status: missing,
        subject,
        detail: `organizations:ListAWSServiceAccessForOrganization failed: ${describeError(error)}`,
        fix: `run from the management account (or a delegated administrator) to check; ${enable}`,
      });
    }
    if (!setsContacts) return findings;
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

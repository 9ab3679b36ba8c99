import { paginateListDelegatedAdministrators } from "@aws-sdk/client-organizations";
import { describeError } from "../../accounts/errors";
import { collectPages } from "../../accounts/organizations";
import { DoctorCheck } from "../types";

const CHECK = "stackset admin";

/** The service principal of CloudFormation StackSets in Organizations, for delegated administrators. */
export const STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com";

/**
 * Who may administer the StackSet: the management account, or an account registered as a
 * StackSets delegated administrator (the program then manages it with callAs DELEGATED_ADMIN).
 */
export const stackSetAdminCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.deployment === "stackset",
  async run({ clients, discovery }) {
    const caller = discovery.caller.accountId;
    const subject = `account ${caller}`;
    if (caller === discovery.managementAccountId) {
      return [
        { check: CHECK, status: "ok", subject, detail: "run from the management account (callAs SELF)" },
      ];
    }
    const register = `from the management account: aws organizations register-delegated-administrator --account-id ${caller} --service-principal ${STACKSETS_PRINCIPAL}`;
    try {
      const administrators = await collectPages(
        paginateListDelegatedAdministrators(
          { client: clients.organizations },
          { ServicePrincipal: STACKSETS_PRINCIPAL },
        ),
        (page) => page.DelegatedAdministrators,
      );
      if (administrators.some((administrator) => administrator.Id === caller)) {
        return [
          {
            check: CHECK,
            status: "ok",
            subject,
            detail:
              "a StackSets delegated administrator: the StackSet is managed with callAs DELEGATED_ADMIN",
          },
        ];
      }
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: `neither the management account (${discovery.managementAccountId ?? "?"}) nor a StackSets delegated administrator (registered: ${administrators.map((administrator) => administrator.Id).join(", ") || "none"})`,
          fix: `${register}; or run from the management account`,
        },
      ];
    } catch (error) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: `organizations:ListDelegatedAdministrators failed: ${describeError(error)}`,
          fix: `${register}; or run from the management account`,
        },
      ];
    }
  },
};

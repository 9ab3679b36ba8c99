import { DoctorCheck } from "../types";
import { delegatedAdministratorProblem } from "./delegated-admin";

const CHECK = "stackset admin";

/** The service principal of CloudFormation StackSets in Organizations, for delegated administrators. */
const STACKSETS_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com";

/**
 * Who may administer the StackSet: the management account, or an account registered as a
 * StackSets delegated administrator (the program then manages it with callAs DELEGATED_ADMIN).
 */
export const stackSetAdminCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.deployment === "stackset",
  async run(context) {
    const problem = await delegatedAdministratorProblem(context, CHECK, STACKSETS_PRINCIPAL, "StackSets");
    if (problem) return [problem];
    const management = context.discovery.caller.accountId === context.discovery.managementAccountId;
    return [
      {
        check: CHECK,
        status: "ok",
        subject: `account ${context.discovery.caller.accountId}`,
        detail: management
          ? "run from the management account (callAs SELF)"
          : "a StackSets delegated administrator: the StackSet is managed with callAs DELEGATED_ADMIN",
      },
    ];
  },
};

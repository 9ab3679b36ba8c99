import { DescribeOrganizationsAccessCommand } from "@aws-sdk/client-cloudformation";
import { describeError } from "../../../accounts/errors";
import { stackSetAdministration } from "../../../model/stackset-targets";
import { DoctorCheck } from "../types";

const CHECK = "stackset access";

/**
 * A service-managed StackSet needs trusted access between CloudFormation StackSets and
 * Organizations, turned on from the management account. CloudFormation's own answer is read,
 * as the caller would manage the StackSet (SELF or DELEGATED_ADMIN).
 */
export const stackSetAccessCheck: DoctorCheck = {
  name: CHECK,
  applies: (config) => config.deployment === "stackset",
  async run({ clients, discovery }) {
    const { callAs } = stackSetAdministration(discovery);
    const subject = `account ${discovery.caller.accountId}`;
    const enable =
      "from the management account: aws cloudformation activate-organizations-access (or CloudFormation console > StackSets > Activate trusted access)";
    try {
      const { Status } = await clients.cloudformation.send(
        new DescribeOrganizationsAccessCommand({ CallAs: callAs }),
      );
      if (Status === "ENABLED") {
        return [
          {
            check: CHECK,
            status: "ok",
            subject,
            detail: `trusted access for CloudFormation StackSets is on (callAs ${callAs})`,
          },
        ];
      }
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: `trusted access for CloudFormation StackSets is ${Status ?? "unknown"}: a service-managed StackSet cannot deploy`,
          fix: enable,
        },
      ];
    } catch (error) {
      return [
        {
          check: CHECK,
          status: "fail",
          subject,
          detail: `cloudformation:DescribeOrganizationsAccess (callAs ${callAs}) failed: ${describeError(error)}`,
          fix:
            callAs === "DELEGATED_ADMIN"
              ? "register this account as a StackSets delegated administrator (see the stackset admin check), or run from the management account"
              : enable,
        },
      ];
    }
  },
};

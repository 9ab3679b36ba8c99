import { EXAMPLE_ORG_PATH } from "../../tools/examples";
import { readOrganizationFile } from "../../accounts/org-file";

export { EXAMPLE_ORG_PATH };

/** The sample organization that `npm run plan` uses: 11 accounts, OUs three levels deep, every state. */
export const exampleOrg = () => readOrganizationFile(EXAMPLE_ORG_PATH);

export const MANAGEMENT = "100000000001";
export const CENTRAL = "111111111111";
export const managementCaller = {
  accountId: MANAGEMENT,
  arn: `arn:aws:sts::${MANAGEMENT}:assumed-role/Admin/me`,
};

/** The smallest valid stack config: the two required keys. */
export const minimalConfig = {
  centralAccountId: CENTRAL,
  slack: { workspaceId: "T0123456789", channelId: "C0123456789" },
};

/** The accounts Pulumi.prod.yaml covers in the example organization, sorted. */
export const PROD_COVERED = [
  MANAGEMENT,
  CENTRAL,
  "111111111112",
  "222222222221",
  "222222222222",
  "222222222223",
  "333333333333",
];

/** The security contact of Pulumi.prod.yaml. */
export const SECURITY_CONTACT = {
  name: "Security Operations",
  title: "Security desk",
  emailAddress: "secops@example.com",
  phoneNumber: "+1-206-555-0100",
};

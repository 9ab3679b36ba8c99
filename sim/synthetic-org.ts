import { OrganizationalUnitNode, OrganizationFile } from "../accounts/org-file";
import { OrgAccount } from "../accounts/types";

const SYNTHETIC_MANAGEMENT = "100000000001";
const SYNTHETIC_CENTRAL = "111111111111";

/** Accounts per OU, as large organizations group them (AWS allows up to 5 OU levels under the root). */
const ACCOUNTS_PER_UNIT = 50;
const UNITS_PER_PARENT = 10;

/**
 * An organization of `size` accounts: the management account at the root, the central account in
 * a Security OU, and the members in OUs of 50 under workload OUs, two levels deep, one in every
 * 100 suspended. Deterministic, so runs can be compared.
 */
export function syntheticOrganization(size: number): OrganizationFile {
  const members: OrgAccount[] = Array.from({ length: Math.max(0, size - 2) }, (_, index) => ({
    id: String(200000000000 + index),
    name: `workload-${index}`,
    state: index % 100 === 99 ? "SUSPENDED" : "ACTIVE",
  }));
  const leaves: OrganizationalUnitNode[] = [];
  for (let start = 0; start < members.length; start += ACCOUNTS_PER_UNIT) {
    const number = leaves.length;
    leaves.push({
      id: `ou-syn1-leaf${String(number).padStart(4, "0")}`,
      name: `Team-${number}`,
      accounts: members.slice(start, start + ACCOUNTS_PER_UNIT),
    });
  }
  const groups: OrganizationalUnitNode[] = [];
  for (let start = 0; start < leaves.length; start += UNITS_PER_PARENT) {
    const number = groups.length;
    groups.push({
      id: `ou-syn1-grp${String(number).padStart(5, "0")}`,
      name: `Workloads-${number}`,
      organizationalUnits: leaves.slice(start, start + UNITS_PER_PARENT),
    });
  }
  return {
    organization: { id: "o-synthetic01", managementAccountId: SYNTHETIC_MANAGEMENT },
    root: {
      id: "r-syn1",
      name: "Root",
      accounts: [{ id: SYNTHETIC_MANAGEMENT, name: "management", state: "ACTIVE" }],
      organizationalUnits: [
        {
          id: "ou-syn1-security",
          name: "Security",
          accounts: [{ id: SYNTHETIC_CENTRAL, name: "security-tooling", state: "ACTIVE" }],
        },
        ...groups,
      ],
    },
  };
}

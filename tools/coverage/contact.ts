import { AccountClient, AlternateContact, GetAlternateContactCommand } from "@aws-sdk/client-account";
import { describeError, errorCode } from "../../accounts/errors";
import { ENABLE_ACCOUNT_MANAGEMENT } from "../../model/names";
import { SecurityContact } from "../../config/schema";
import { CoverageRow } from "./types";

/** The configured fields, as the Account Management API names them, and when two values are the same. */
const FIELDS: {
  key: keyof SecurityContact;
  api: keyof AlternateContact;
  same: (found: string, wanted: string) => boolean;
}[] = [
  { key: "name", api: "Name", same: (found, wanted) => found === wanted },
  { key: "title", api: "Title", same: (found, wanted) => found === wanted },
  {
    key: "emailAddress",
    api: "EmailAddress",
    same: (found, wanted) => found.toLowerCase() === wanted.toLowerCase(),
  },
  // Spaces, dashes and parentheses in a number are presentation.
  {
    key: "phoneNumber",
    api: "PhoneNumber",
    same: (found, wanted) => found.replace(/[\s()-]/g, "") === wanted.replace(/[\s()-]/g, ""),
  },
];

/**
 * Whether an account's SECURITY alternate contact is the configured one. `accountId` is left out
 * for the account whose credentials the client has (the management account may not name itself).
 */
export async function securityContactRow(
  client: AccountClient,
  account: { id: string; name: string },
  expected: SecurityContact,
  options: { nameAccount: boolean },
): Promise<CoverageRow> {
  const base = { accountId: account.id, name: account.name, region: "global", item: "security contact" };
  try {
    const { AlternateContact: found } = await client.send(
      new GetAlternateContactCommand({
        AlternateContactType: "SECURITY",
        AccountId: options.nameAccount ? account.id : undefined,
      }),
    );
    const differences = FIELDS.filter(
      ({ key, api, same }) => !same(String(found?.[api] ?? ""), expected[key]),
    );
    if (differences.length === 0) return { ...base, status: "ok", detail: `${expected.emailAddress}` };
    return {
      ...base,
      status: "outdated",
      detail: `differs from abuse-alerts:securityContact in ${differences.map(({ key }) => key).join(", ")} (set to ${found?.EmailAddress ?? "?"})`,
      // --refresh: Pulumi does not see a contact changed outside it without reading it back.
      fix: "run pulumi up --refresh: it sets the configured contact again",
    };
  } catch (error) {
    if (errorCode(error) === "ResourceNotFoundException") {
      return {
        ...base,
        status: "missing",
        detail: "no SECURITY contact: AWS writes abuse reports to the root address",
        fix: "run pulumi up --refresh (an account that joined since the last one gets its contact; a removed one is set again)",
      };
    }
    return {
      ...base,
      status: "unknown",
      detail: `account:GetAlternateContact failed: ${describeError(error)}`,
      fix:
        "turn on trusted access for Account Management from the management account " +
        `(${ENABLE_ACCOUNT_MANAGEMENT}), and run from the ` +
        "management account or the Account Management delegated administrator",
    };
  }
}

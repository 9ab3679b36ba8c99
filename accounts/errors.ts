import { DiscoveryError, OrganizationalUnit } from "./types";

/** The service error's code, as the SDK v3 puts it in `name`. */
export function errorCode(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "Code: message", or what to do when AWS could not be reached at all. */
export function describeError(error: unknown): string {
  return networkFailure(error) ?? `${errorCode(error)}: ${errorMessage(error)}`;
}

// Node's and the SDK's names for a request that never reached AWS.
const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const NETWORK_NAMES = new Set(["TimeoutError", "NetworkingError", "RequestTimeout"]);

/**
 * When a call failed because AWS could not be reached at all (no DNS, no route, a proxy in the
 * way), what to tell the person: it is the network, not the credentials or the permissions.
 */
export function networkFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (!NETWORK_CODES.has(code) && !NETWORK_NAMES.has(error.name)) return undefined;
  return (
    `AWS could not be reached (${error.message}). This is the network, not the credentials: ` +
    `check the connection, DNS, a proxy (HTTPS_PROXY) or a VPN, and run again.`
  );
}

const ORGANIZATIONS_ACCESS =
  "Run with credentials of the organization's management account or of an Organizations delegated administrator " +
  "(organizations:DescribeOrganization, ListAccounts, ListAccountsForParent, ListOrganizationalUnitsForParent, DescribeAccount, DescribeOrganizationalUnit, ListParents, ListRoots), " +
  "or list the accounts in abuse-alerts:accounts.explicit, which makes no Organizations call.";

/** Turns an Organizations error into a message that names the operation, the credentials and the fix. */
export function organizationsError(error: unknown, operation: string, callerArn?: string): DiscoveryError {
  const code = errorCode(error);
  const who = callerArn ? `the credentials ${callerArn}` : "these credentials";
  switch (code) {
    case "AWSOrganizationsNotInUseException":
      return new DiscoveryError(
        `organizations:${operation} failed: the account of ${who} is not in an AWS Organization (${code}). ${ORGANIZATIONS_ACCESS}`,
        code,
      );
    case "AccessDeniedException":
    case "AccessDenied":
      return new DiscoveryError(
        `organizations:${operation} failed: ${who} may not read AWS Organizations (${code}: ${errorMessage(error)}). ${ORGANIZATIONS_ACCESS}`,
        code,
      );
    default: {
      const network = networkFailure(error);
      return new DiscoveryError(
        network
          ? `organizations:${operation} failed: ${network}`
          : `organizations:${operation} failed with ${who}: ${code}: ${errorMessage(error)}`,
        code,
      );
    }
  }
}

/**
 * An OU that AWS Organizations does not know, or that an organization file does not list, with
 * the organization's OU it was likely meant to be.
 */
export function unknownOrganizationalUnit(
  organizationalUnitId: string,
  file: string | undefined,
  meant: OrganizationalUnit | undefined,
  /** The key that names it, and the error Organizations answered with. */
  { key, code }: { key: string; code: string } = {
    key: "abuse-alerts:accounts.organizationalUnits",
    code: "ParentNotFoundException",
  },
): string {
  const where = file === undefined ? `this organization (${code})` : `the organization file ${file}`;
  const fix = meant
    ? `; did you mean ${meant.id} (${meant.name})?`
    : file === undefined
      ? `; check the ID with \`aws organizations describe-organizational-unit --organizational-unit-id ${organizationalUnitId}\``
      : `; check the ID, or ${ANOTHER_ORGANIZATION_FILE}`;
  return `${key}: ${organizationalUnitId} is not an OU of ${where}${fix}`;
}

/** Offline, the way to a different organization than the file's. */
export const ANOTHER_ORGANIZATION_FILE =
  "pass --org with a file of your own organization (npm run export-org writes one)";

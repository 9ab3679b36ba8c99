import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  OrganizationsServiceException,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { accountsBelow, OrganizationFile, OrganizationalUnitNode } from "../accounts/org-file";
import { withRetries } from "../accounts/retry";
import { AttachedScp } from "../accounts/scp";
import { OrgAccount } from "../accounts/types";

/** A service error shaped as the SDK v3 throws it. */
export function serviceError(name: string, message = `${name} (mocked)`, httpStatusCode = 400) {
  return new OrganizationsServiceException({
    name,
    message,
    $fault: "client",
    $metadata: { httpStatusCode },
  });
}

function allUnits(unit: OrganizationalUnitNode): OrganizationalUnitNode[] {
  return [unit, ...(unit.organizationalUnits ?? []).flatMap(allUnits)];
}

const toAccount = (account: OrgAccount) => ({
  Id: account.id,
  Name: account.name,
  State: account.state as "ACTIVE",
  Arn: `arn:aws:organizations::100000000001:account/o-x/${account.id}`,
});

/** One page of items; the token is the index of the next item. */
function page<T>(items: T[], token: string | undefined, pageSize: number) {
  const start = token ? Number(token) : 0;
  const next = start + pageSize;
  return { items: items.slice(start, next), NextToken: next < items.length ? String(next) : undefined };
}

type CommandName =
  | "DescribeOrganization"
  | "ListAccounts"
  | "ListAccountsForParent"
  | "ListOrganizationalUnitsForParent"
  | "DescribeAccount"
  | "ListParents"
  | "ListPoliciesForTarget"
  | "DescribePolicy"
  | "ListRoots"
  | "ListDelegatedAdministrators"
  | "ListAWSServiceAccessForOrganization";

const FULL_AWS_ACCESS: AttachedScp = {
  id: "p-FullAWSAccess",
  name: "FullAWSAccess",
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

export interface OrganizationsMockOptions {
  /** Items per page, small so that every list spans several pages. */
  pageSize?: number;
  /** Milliseconds each call takes, so that concurrent calls overlap. */
  latency?: number;
  /** SCPs per target (root, OU or account ID); FullAWSAccess where absent. */
  scps?: Record<string, AttachedScp[]>;
  /** Delegated administrators per service principal. */
  delegatedAdministrators?: Record<string, string[]>;
  /** Service principals with trusted access; StackSets and Account Management when absent. */
  trustedServices?: string[];
}

/**
 * An Organizations client backed by aws-sdk-client-mock and an organization tree, paginating every
 * list: the tests' AWS, and the bench's, which counts the calls a real run makes.
 * `send` is wrapped in the project's retries, with an instant backoff that is recorded.
 */
export function mockOrganizations(file: OrganizationFile, options: OrganizationsMockOptions = {}) {
  const pageSize = options.pageSize ?? 2;
  const client = new OrganizationsClient({ region: "us-east-1", maxAttempts: 1 });
  const mock = mockClient(client);
  const stats = { inFlight: 0, maxInFlight: 0 };
  /** Every call as `Command ParentId@NextToken`, recorded when made (paginators reuse their input object). */
  const calls: string[] = [];
  /** Errors a command throws before it answers normally, one per call. */
  const failures = new Map<CommandName, Error[]>();
  /** The retry count of each backoff the SDK's strategy computed. */
  const backoffs: number[] = [];
  const timed =
    <I extends { ParentId?: string; NextToken?: string }, O>(
      command: CommandName,
      handler: (input: I) => O,
    ) =>
    async (input: I): Promise<O> => {
      calls.push(`${command} ${input.ParentId ?? ""}@${input.NextToken ?? 0}`);
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, options.latency ?? 0));
        const failure = failures.get(command)?.shift();
        if (failure) throw failure;
        return handler(input);
      } finally {
        stats.inFlight -= 1;
      }
    };
  const units = allUnits(file.root);
  const unitsById = new Map(units.map((candidate) => [candidate.id, candidate]));
  const everyAccount = accountsBelow(file.root);
  const unit = (id: string | undefined) => {
    const found = unitsById.get(id ?? "");
    if (!found)
      throw serviceError(
        "ParentNotFoundException",
        `We can't find a root or OU with the ParentId that you specified.`,
      );
    return found;
  };

  mock.on(DescribeOrganizationCommand).callsFake(
    timed("DescribeOrganization", () => ({
      Organization: { Id: file.organization.id, MasterAccountId: file.organization.managementAccountId },
    })),
  );
  mock.on(ListAccountsCommand).callsFake(
    timed("ListAccounts", (input: { NextToken?: string }) => {
      const { items, NextToken } = page(everyAccount, input.NextToken, pageSize);
      return { Accounts: items.map(toAccount), NextToken };
    }),
  );
  mock.on(ListAccountsForParentCommand).callsFake(
    timed("ListAccountsForParent", (input: { ParentId?: string; NextToken?: string }) => {
      const { items, NextToken } = page(unit(input.ParentId).accounts ?? [], input.NextToken, pageSize);
      return { Accounts: items.map(toAccount), NextToken };
    }),
  );
  mock.on(ListOrganizationalUnitsForParentCommand).callsFake(
    timed("ListOrganizationalUnitsForParent", (input: { ParentId?: string; NextToken?: string }) => {
      const children = unit(input.ParentId).organizationalUnits ?? [];
      const { items, NextToken } = page(children, input.NextToken, pageSize);
      return { OrganizationalUnits: items.map((child) => ({ Id: child.id, Name: child.name })), NextToken };
    }),
  );
  mock.on(DescribeAccountCommand).callsFake(
    timed("DescribeAccount", (input: { AccountId?: string; ParentId?: string; NextToken?: string }) => {
      const account = everyAccount.find((candidate) => candidate.id === input.AccountId);
      if (!account) throw serviceError("AccountNotFoundException");
      return { Account: toAccount(account) };
    }),
  );

  const parentOf = (childId: string | undefined) => {
    const parent = units.find(
      (candidate) =>
        (candidate.accounts ?? []).some((account) => account.id === childId) ||
        (candidate.organizationalUnits ?? []).some((ou) => ou.id === childId),
    );
    if (!parent) throw serviceError("ChildNotFoundException");
    return parent;
  };
  const scpsOf = (targetId: string) => options.scps?.[targetId] ?? [FULL_AWS_ACCESS];
  const allScps = () => [FULL_AWS_ACCESS, ...Object.values(options.scps ?? {}).flat()];
  mock.on(ListParentsCommand).callsFake(
    timed("ListParents", (input: { ChildId?: string; ParentId?: string; NextToken?: string }) => {
      const parent = parentOf(input.ChildId);
      return {
        Parents: [{ Id: parent.id, Type: parent.id.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" }],
      };
    }),
  );
  mock.on(ListPoliciesForTargetCommand).callsFake(
    timed("ListPoliciesForTarget", (input: { TargetId?: string; ParentId?: string; NextToken?: string }) => {
      const { items, NextToken } = page(scpsOf(input.TargetId ?? ""), input.NextToken, pageSize);
      return { Policies: items.map((policy) => ({ Id: policy.id, Name: policy.name })), NextToken };
    }),
  );
  mock.on(DescribePolicyCommand).callsFake(
    timed("DescribePolicy", (input: { PolicyId?: string; ParentId?: string; NextToken?: string }) => {
      const policy = allScps().find((candidate) => candidate.id === input.PolicyId);
      if (!policy) throw serviceError("PolicyNotFoundException");
      return {
        Policy: {
          PolicySummary: { Id: policy.id, Name: policy.name },
          Content: JSON.stringify(policy.document),
        },
      };
    }),
  );

  mock
    .on(ListRootsCommand)
    .callsFake(timed("ListRoots", () => ({ Roots: [{ Id: file.root.id, Name: file.root.name }] })));
  mock.on(ListDelegatedAdministratorsCommand).callsFake(
    timed("ListDelegatedAdministrators", (input: { ServicePrincipal?: string; NextToken?: string }) => {
      const ids = options.delegatedAdministrators?.[input.ServicePrincipal ?? ""] ?? [];
      const { items, NextToken } = page(ids, input.NextToken, pageSize);
      return {
        DelegatedAdministrators: items.map((id) => ({ Id: id, State: "ACTIVE" as const })),
        NextToken,
      };
    }),
  );
  mock.on(ListAWSServiceAccessForOrganizationCommand).callsFake(
    timed("ListAWSServiceAccessForOrganization", (input: { NextToken?: string }) => {
      const services = options.trustedServices ?? [
        "member.org.stacksets.cloudformation.amazonaws.com",
        "account.amazonaws.com",
      ];
      const { items, NextToken } = page(services, input.NextToken, pageSize);
      return { EnabledServicePrincipals: items.map((ServicePrincipal) => ({ ServicePrincipal })), NextToken };
    }),
  );

  const retrying = withRetries(client, {
    backoff: {
      computeNextBackoffDelay: (retryCount) => {
        backoffs.push(retryCount);
        return 0;
      },
      setDelayBase: () => undefined,
    },
  });
  const fail = (command: CommandName, ...errors: Error[]) => failures.set(command, errors);
  return { client: retrying, mock, calls, fail, backoffs, stats };
}

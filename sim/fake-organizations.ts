import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DescribeOrganizationalUnitCommand,
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
  | "DescribeOrganizationalUnit"
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

interface PagedInput {
  ParentId?: string;
  NextToken?: string;
}

/** An organization tree answering Organizations' read calls, every list in pages. */
class FakeOrganization {
  private readonly units: OrganizationalUnitNode[];
  private readonly unitsById: Map<string, OrganizationalUnitNode>;
  private readonly accounts: OrgAccount[];

  constructor(
    private readonly file: OrganizationFile,
    private readonly options: OrganizationsMockOptions,
    private readonly pageSize: number,
  ) {
    this.units = allUnits(file.root);
    this.unitsById = new Map(this.units.map((candidate) => [candidate.id, candidate]));
    this.accounts = accountsBelow(file.root);
  }

  private unit(id: string | undefined): OrganizationalUnitNode {
    const found = this.unitsById.get(id ?? "");
    if (!found)
      throw serviceError(
        "ParentNotFoundException",
        `We can't find a root or OU with the ParentId that you specified.`,
      );
    return found;
  }

  private parentOf(childId: string | undefined): OrganizationalUnitNode {
    const parent = this.units.find(
      (candidate) =>
        (candidate.accounts ?? []).some((account) => account.id === childId) ||
        (candidate.organizationalUnits ?? []).some((ou) => ou.id === childId),
    );
    if (!parent) throw serviceError("ChildNotFoundException");
    return parent;
  }

  private scpsOf = (targetId: string) => this.options.scps?.[targetId] ?? [FULL_AWS_ACCESS];

  describeOrganization = () => ({
    Organization: {
      Id: this.file.organization.id,
      MasterAccountId: this.file.organization.managementAccountId,
    },
  });

  listAccounts = (input: PagedInput) => {
    const { items, NextToken } = page(this.accounts, input.NextToken, this.pageSize);
    return { Accounts: items.map(toAccount), NextToken };
  };

  listAccountsForParent = (input: PagedInput) => {
    const { items, NextToken } = page(
      this.unit(input.ParentId).accounts ?? [],
      input.NextToken,
      this.pageSize,
    );
    return { Accounts: items.map(toAccount), NextToken };
  };

  listOrganizationalUnitsForParent = (input: PagedInput) => {
    const children = this.unit(input.ParentId).organizationalUnits ?? [];
    const { items, NextToken } = page(children, input.NextToken, this.pageSize);
    return { OrganizationalUnits: items.map((child) => ({ Id: child.id, Name: child.name })), NextToken };
  };

  describeAccount = (input: PagedInput & { AccountId?: string }) => {
    const account = this.accounts.find((candidate) => candidate.id === input.AccountId);
    if (!account) throw serviceError("AccountNotFoundException");
    return { Account: toAccount(account) };
  };

  describeOrganizationalUnit = (input: PagedInput & { OrganizationalUnitId?: string }) => {
    const unit = this.unitsById.get(input.OrganizationalUnitId ?? "");
    if (!unit || unit === this.file.root) throw serviceError("OrganizationalUnitNotFoundException");
    return { OrganizationalUnit: { Id: unit.id, Name: unit.name } };
  };

  listParents = (input: PagedInput & { ChildId?: string }) => {
    const parent = this.parentOf(input.ChildId);
    return {
      Parents: [{ Id: parent.id, Type: parent.id.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" }],
    };
  };

  listPoliciesForTarget = (input: { TargetId?: string; NextToken?: string }) => {
    const { items, NextToken } = page(this.scpsOf(input.TargetId ?? ""), input.NextToken, this.pageSize);
    return { Policies: items.map((policy) => ({ Id: policy.id, Name: policy.name })), NextToken };
  };

  describePolicy = (input: PagedInput & { PolicyId?: string }) => {
    const policy = [FULL_AWS_ACCESS, ...Object.values(this.options.scps ?? {}).flat()].find(
      (candidate) => candidate.id === input.PolicyId,
    );
    if (!policy) throw serviceError("PolicyNotFoundException");
    return {
      Policy: {
        PolicySummary: { Id: policy.id, Name: policy.name },
        Content: JSON.stringify(policy.document),
      },
    };
  };

  listRoots = () => ({ Roots: [{ Id: this.file.root.id, Name: this.file.root.name }] });

  listDelegatedAdministrators = (input: { ServicePrincipal?: string; NextToken?: string }) => {
    const ids = this.options.delegatedAdministrators?.[input.ServicePrincipal ?? ""] ?? [];
    const { items, NextToken } = page(ids, input.NextToken, this.pageSize);
    return { DelegatedAdministrators: items.map((id) => ({ Id: id, State: "ACTIVE" as const })), NextToken };
  };

  listAWSServiceAccessForOrganization = (input: { NextToken?: string }) => {
    const services = this.options.trustedServices ?? [
      "member.org.stacksets.cloudformation.amazonaws.com",
      "account.amazonaws.com",
    ];
    const { items, NextToken } = page(services, input.NextToken, this.pageSize);
    return { EnabledServicePrincipals: items.map((ServicePrincipal) => ({ ServicePrincipal })), NextToken };
  };
}

/**
 * An Organizations client backed by aws-sdk-client-mock and an organization tree, paginating every
 * list: the tests' AWS, and the bench's, which counts the calls a real run makes.
 * `send` is wrapped in the project's retries, with an instant backoff that is recorded.
 */
export function mockOrganizations(file: OrganizationFile, options: OrganizationsMockOptions = {}) {
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
    <I extends PagedInput, O>(command: CommandName, handler: (input: I) => O) =>
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
  const org = new FakeOrganization(file, options, options.pageSize ?? 2);
  mock.on(DescribeOrganizationCommand).callsFake(timed("DescribeOrganization", org.describeOrganization));
  mock.on(ListAccountsCommand).callsFake(timed("ListAccounts", org.listAccounts));
  mock.on(ListAccountsForParentCommand).callsFake(timed("ListAccountsForParent", org.listAccountsForParent));
  mock
    .on(ListOrganizationalUnitsForParentCommand)
    .callsFake(timed("ListOrganizationalUnitsForParent", org.listOrganizationalUnitsForParent));
  mock.on(DescribeAccountCommand).callsFake(timed("DescribeAccount", org.describeAccount));
  mock
    .on(DescribeOrganizationalUnitCommand)
    .callsFake(timed("DescribeOrganizationalUnit", org.describeOrganizationalUnit));
  mock.on(ListParentsCommand).callsFake(timed("ListParents", org.listParents));
  mock.on(ListPoliciesForTargetCommand).callsFake(timed("ListPoliciesForTarget", org.listPoliciesForTarget));
  mock.on(DescribePolicyCommand).callsFake(timed("DescribePolicy", org.describePolicy));
  mock.on(ListRootsCommand).callsFake(timed("ListRoots", org.listRoots));
  mock
    .on(ListDelegatedAdministratorsCommand)
    .callsFake(timed("ListDelegatedAdministrators", org.listDelegatedAdministrators));
  mock
    .on(ListAWSServiceAccessForOrganizationCommand)
    .callsFake(timed("ListAWSServiceAccessForOrganization", org.listAWSServiceAccessForOrganization));

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

import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  OrganizationsServiceException,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { OrganizationFile, OrganizationalUnitNode } from "../../accounts/org-file";
import { withRetries } from "../../accounts/retry";
import { OrgAccount } from "../../accounts/types";

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

function allAccounts(unit: OrganizationalUnitNode): OrgAccount[] {
  return allUnits(unit).flatMap((node) => node.accounts ?? []);
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
  | "DescribeAccount";

export interface OrganizationsMockOptions {
  /** Items per page, small so that every list spans several pages. */
  pageSize?: number;
  /** Milliseconds each call takes, so that concurrent calls overlap. */
  latency?: number;
}

/**
 * An Organizations client backed by aws-sdk-client-mock and an organization tree, paginating every list.
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
  const unit = (id: string | undefined) => {
    const found = units.find((candidate) => candidate.id === id);
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
      const { items, NextToken } = page(allAccounts(file.root), input.NextToken, pageSize);
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
      const account = allAccounts(file.root).find((candidate) => candidate.id === input.AccountId);
      if (!account) throw serviceError("AccountNotFoundException");
      return { Account: toAccount(account) };
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

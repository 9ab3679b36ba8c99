import * as aws from "@pulumi/aws";
import { GLOBAL_EVENTS_REGION } from "../config/schema";
import { roleArn } from "../model/arns";

/**
 * The provider of one account, pinned to it with allowedAccountIds. The account the program runs
 * in uses the ambient credentials; every other one is reached through the member role.
 */
function accountProvider(accountId: string, memberRoleName: string, callerAccountId: string): aws.Provider {
  return new aws.Provider(`account-${accountId}`, {
    region: GLOBAL_EVENTS_REGION,
    allowedAccountIds: [accountId],
    assumeRoles:
      accountId === callerAccountId
        ? undefined
        : [{ roleArn: roleArn(accountId, memberRoleName), sessionName: "abuse-alerts" }],
    defaultTags: { tags: { "managed-by": "abuse-alerts" } },
  });
}

/** One provider per account, by account ID; `of` refuses an account without one. */
export class AccountProviders {
  private readonly providers: Map<string, aws.Provider>;

  constructor(accountIds: readonly string[], memberRoleName: string, callerAccountId: string) {
    this.providers = new Map(
      accountIds.map((id) => [id, accountProvider(id, memberRoleName, callerAccountId)]),
    );
  }

  /** Without it a resource would land wherever the ambient credentials point. */
  of(accountId: string): aws.Provider {
    const provider = this.providers.get(accountId);
    if (!provider) throw new Error(`no provider was declared for account ${accountId}`);
    return provider;
  }
}

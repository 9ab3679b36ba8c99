import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecurityContact } from "../config/schema";

/** Arguments of the SECURITY alternate contacts of the covered accounts. */
export interface SecurityContactsArgs {
  contact: SecurityContact;
  /** Covered accounts, set through the caller's credentials with their accountId. */
  accountIds: readonly string[];
  /** The account the program runs in: it sets its own contact without accountId. */
  callerAccountId: string;
  /**
   * The management account, when covered and not the caller: the Account Management API refuses
   * it naming itself, and a delegated administrator may only name member accounts, so it sets its
   * own contact, without accountId, through its own provider.
   */
  management?: { accountId: string; provider: aws.Provider };
}

/**
 * The SECURITY alternate contact of every covered account: AWS's abuse team writes there, and to
 * the root address only when none is set. An existing contact is overwritten (PutAlternateContact
 * is an upsert); on delete the contact stays, so `pulumi destroy` or an account leaving the scope
 * never leaves an account without one. Needs trusted access for account.amazonaws.com.
 */
export class SecurityContacts extends pulumi.ComponentResource {
  constructor(name: string, args: SecurityContactsArgs, opts: pulumi.ComponentResourceOptions) {
    super("abuse-alerts:index:SecurityContacts", name, {}, opts);
    for (const accountId of args.accountIds) {
      const own = accountId === args.callerAccountId;
      const viaManagement = accountId === args.management?.accountId;
      new aws.account.AlternativeContact(
        `${name}-${accountId}`,
        {
          accountId: own || viaManagement ? undefined : accountId,
          alternateContactType: "SECURITY",
          ...args.contact,
        },
        {
          parent: this,
          provider: viaManagement ? args.management?.provider : undefined,
          retainOnDelete: true,
        },
      );
    }
    this.registerOutputs({});
  }
}

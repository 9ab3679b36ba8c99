import { strict as assert } from "node:assert";
import { PlannedResource } from "../../sim/pulumi-runner";
import { exampleOrg, MANAGEMENT, PROD_COVERED, SECURITY_CONTACT } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

const CONTACT_TYPE = "aws:account/alternativeContact:AlternativeContact";
const contactsOf = (resources: PlannedResource[]) =>
  resources.filter((resource) => resource.type === CONTACT_TYPE);
const providerAccount = (resources: PlannedResource[], contact: PlannedResource) =>
  resources.find((resource) => resource.urn === contact.provider)?.account;

describe("the SECURITY alternate contact of every covered account", () => {
  for (const deployment of ["direct", "stackset"]) {
    it(`${deployment}: one per covered account, through the caller's provider, the management account without accountId`, async () => {
      const { resources } = await runProgram(prodConfigWith({ deployment }));
      const contacts = contactsOf(resources);
      assert.deepEqual(
        contacts.map((contact) => contact.name.replace("security-contacts-", "")).sort(),
        PROD_COVERED,
      );
      for (const contact of contacts) {
        const accountId = contact.name.replace("security-contacts-", "");
        assert.equal(contact.inputs.alternateContactType, "SECURITY");
        assert.equal(contact.inputs.name, SECURITY_CONTACT.name);
        assert.equal(contact.inputs.title, SECURITY_CONTACT.title);
        assert.equal(contact.inputs.emailAddress, SECURITY_CONTACT.emailAddress);
        assert.equal(contact.inputs.phoneNumber, SECURITY_CONTACT.phoneNumber);
        assert.equal(contact.retainOnDelete, true, "a destroy never blanks an account's contact");
        assert.equal(
          providerAccount(resources, contact),
          MANAGEMENT,
          "declared with the caller's credentials",
        );
        assert.equal(contact.inputs.accountId, accountId === MANAGEMENT ? undefined : accountId);
      }
    });
  }

  it("declares nothing for skipped accounts: excluded, suspended, closed, pending closure", async () => {
    const { resources } = await runProgram(prodConfigWith());
    const names = contactsOf(resources).map((contact) => contact.name);
    for (const skipped of ["333333333331", "333333333332", "444444444441", "444444444442"]) {
      assert.ok(!names.includes(`security-contacts-${skipped}`), skipped);
    }
  });

  it("from a delegated administrator: the management account sets its own through its provider, the caller its own", async () => {
    const delegated = "111111111112";
    const organization = {
      ...exampleOrg(),
      caller: { accountId: delegated, arn: `arn:aws:sts::${delegated}:assumed-role/Admin/me` },
    };
    for (const deployment of ["direct", "stackset"]) {
      const { resources } = await runProgram(prodConfigWith({ deployment }), { organization });
      const byAccount = new Map(
        contactsOf(resources).map((contact) => [contact.name.replace("security-contacts-", ""), contact]),
      );
      const management = byAccount.get(MANAGEMENT) ?? assert.fail("management account contact");
      assert.equal(management.inputs.accountId, undefined);
      assert.equal(providerAccount(resources, management), MANAGEMENT);
      const own = byAccount.get(delegated) ?? assert.fail("caller's contact");
      assert.equal(own.inputs.accountId, undefined);
      assert.equal(providerAccount(resources, own), delegated);
      const member = byAccount.get("222222222221") ?? assert.fail("member contact");
      assert.equal(member.inputs.accountId, "222222222221");
      assert.equal(providerAccount(resources, member), delegated);
    }
  });

  it("is left alone when abuse-alerts:securityContact is not set", async () => {
    const { resources } = await runProgram(prodConfigWith({ securityContact: undefined }));
    assert.deepEqual(contactsOf(resources), []);
  });
});

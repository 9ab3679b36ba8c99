import { strict as assert } from "node:assert";
import { CheckpointResource, upgradeDeletes } from "../../sim/upgrade";
import { exampleOrg, MANAGEMENT, PROD_COVERED } from "../helpers/example-org";
import { prodConfigWith, runProgram } from "../helpers/offline";

const CONTACT_TYPE = "aws:account/alternativeContact:AlternativeContact";
const PROJECT_URN = "urn:pulumi:test::abuse-alerts";

/**
 * The SECURITY contacts as the last release's checkpoint holds them (components/security-contacts.ts
 * until this change, unchanged since commit 41db102): a SecurityContacts component and an
 * AlternativeContact per covered account under it, each declared `retainOnDelete: true`.
 */
function releasedContacts(accounts: readonly string[]): CheckpointResource[] {
  const component = `${PROJECT_URN}::abuse-alerts:index:SecurityContacts::security-contacts`;
  return [
    {
      urn: component,
      type: "abuse-alerts:index:SecurityContacts",
      custom: false,
      protect: false,
      retainOnDelete: false,
      account: MANAGEMENT,
    },
    ...accounts.map((id) => ({
      urn: `${PROJECT_URN}::abuse-alerts:index:SecurityContacts$${CONTACT_TYPE}::security-contacts-${id}`,
      type: CONTACT_TYPE,
      custom: true,
      protect: false,
      retainOnDelete: true,
      account: MANAGEMENT,
    })),
  ];
}

describe("SECURITY contacts are no longer Pulumi resources", () => {
  for (const deployment of ["direct", "stackset"]) {
    it(`${deployment}: no AlternativeContact is declared; the onboarding workflows set them`, async () => {
      const { resources } = await runProgram(prodConfigWith({ deployment }));
      assert.deepEqual(
        resources.filter((resource) => resource.type === CONTACT_TYPE),
        [],
      );
      const machines = resources.filter((resource) => resource.type === "aws:sfn/stateMachine:StateMachine");
      const reconcile = machines.find((machine) => machine.inputs.name === "abuse-alerts-contacts-reconcile");
      assert.ok(reconcile, "the daily reconcile");
      assert.equal(reconcile.account, MANAGEMENT, "in the management account, which the Account API answers");
      assert.match(
        String(reconcile.inputs.definition),
        /"Resource":"arn:aws:states:::aws-sdk:account:putAlternateContact"/,
      );
    });
  }

  it("the update after upgrading deletes nothing in the accounts: the released contacts were retainOnDelete", async () => {
    const { resources } = await runProgram(prodConfigWith());
    const checkpoint: CheckpointResource[] = [...resources, ...releasedContacts(PROD_COVERED)];
    const deletes = upgradeDeletes(checkpoint, resources);
    assert.equal(deletes.length, PROD_COVERED.length + 1, "the contacts and their component leave the state");
    assert.deepEqual(
      deletes.filter((step) => step.providerDelete),
      [],
      "no provider Delete: no contact is blanked",
    );
    assert.deepEqual(
      deletes.filter((step) => step.refused),
      [],
    );
  });

  it("the same update would blank every contact had they not been retainOnDelete (the check can fail)", async () => {
    const { resources } = await runProgram(prodConfigWith());
    const unretained = releasedContacts(PROD_COVERED).map((resource) => ({
      ...resource,
      retainOnDelete: false,
    }));
    const deletes = upgradeDeletes([...resources, ...unretained], resources);
    assert.equal(deletes.filter((step) => step.providerDelete).length, PROD_COVERED.length);
  });

  it("skipped accounts get nothing in the workflows either: the excluded account only to be refused", async () => {
    const { resources } = await runProgram(prodConfigWith(), { organization: exampleOrg() });
    const role = resources.find((resource) => resource.name === "onboarding-prober-us-east-1-role");
    assert.ok(role);
    const policy = JSON.stringify(role.inputs.inlinePolicies);
    assert.match(policy, /NeverExcluded.*333333333331/);
  });
});

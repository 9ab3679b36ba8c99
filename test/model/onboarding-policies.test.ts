import { strict as assert } from "node:assert";
import {
  OnboardingScope,
  onboardingRolePolicy,
  proberRolePolicy,
  reconcileRolePolicy,
  relayRolePolicy,
  relayTrustPolicy,
} from "../../model/onboarding-policies";
import { topicKeyPolicy } from "../../model/policies";
import { decide } from "../helpers/iam";
import { CENTRAL, MANAGEMENT } from "../helpers/example-org";

const ORG = "o-exampleorg1";
const ROLE = "OrganizationAccountAccessRole";
const WORKFLOW = `arn:aws:iam::${MANAGEMENT}:role/abuse-alerts-onboarding`;
const scope = (changes: Partial<OnboardingScope> = {}): OnboardingScope => ({
  managementAccountId: MANAGEMENT,
  centralAccountId: CENTRAL,
  organizationId: ORG,
  organizationalUnits: ["ou-ex12-workload1"],
  excluded: ["333333333331"],
  memberRoleName: ROLE,
  ...changes,
});

/** Assuming the member role of `account`, whose OU path is `path`, in organization `org`. */
const assume = (policy: ReturnType<typeof proberRolePolicy>, account: string, path: string, org = ORG) =>
  decide({
    principal: WORKFLOW,
    action: "sts:AssumeRole",
    resource: `arn:aws:iam::${account}:role/${ROLE}`,
    resourceAccount: account,
    context: { "aws:ResourceOrgPaths": `${org}/r-ex12/${path}`, "aws:ResourceOrgID": org },
    identityPolicies: [policy],
    // The member role trusts the management account, as Organizations creates it.
    resourcePolicy: {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` }, Action: "sts:AssumeRole" },
      ],
    },
  });

describe("onboarding roles (IAM policy simulator)", () => {
  it("assume the member role only in covered accounts: under the OUs at any depth, never excluded ones", async () => {
    const policy = proberRolePolicy(scope());
    assert.equal(
      await assume(policy, "222222222223", "ou-ex12-workload1/ou-ex12-prod0001/ou-ex12-prodeu01/"),
      "Allowed",
    );
    assert.equal(await assume(policy, "222222222221", "ou-ex12-workload1/ou-ex12-prod0001/"), "Allowed");
    assert.equal(await assume(policy, "111111111112", "ou-ex12-security1/"), "ImplicitlyDenied");
    assert.equal(
      await assume(policy, "333333333331", "ou-ex12-workload1/ou-ex12-dev00001/"),
      "ExplicitlyDenied",
    );
    assert.equal(
      await assume(policy, "222222222221", "ou-ex12-workload1/", "o-otherorg123"),
      "ImplicitlyDenied",
    );
  });

  it("with no OUs configured, any account of the organization, and no other's", async () => {
    const policy = proberRolePolicy(scope({ organizationalUnits: [] }));
    assert.equal(await assume(policy, "111111111112", "ou-ex12-security1/"), "Allowed");
    assert.equal(
      await assume(policy, "999999999999", "ou-zz99-other001/", "o-otherorg123"),
      "ImplicitlyDenied",
    );
  });

  it("with explicit accounts, exactly those", async () => {
    const policy = proberRolePolicy(scope({ explicit: ["222222222221"], excluded: [] }));
    assert.equal(await assume(policy, "222222222221", "ou-ex12-workload1/"), "Allowed");
    assert.equal(await assume(policy, "222222222222", "ou-ex12-workload1/"), "ImplicitlyDenied");
  });

  const requests: [string, string, string][] = [
    ["organizations:ListParents", "*", "Allowed"],
    [
      "organizations:DescribeAccount",
      `arn:aws:organizations::${MANAGEMENT}:account/${ORG}/222222222224`,
      "Allowed",
    ],
    ["account:PutAlternateContact", `arn:aws:account::${MANAGEMENT}:account/${ORG}/222222222224`, "Allowed"],
    ["account:PutAlternateContact", `arn:aws:account::${MANAGEMENT}:account`, "Allowed"],
    [
      "cloudformation:ListStackInstances",
      `arn:aws:cloudformation:us-east-1:${MANAGEMENT}:stackset/abuse-alerts-forwarder:3f3a`,
      "Allowed",
    ],
    ["events:PutEvents", `arn:aws:events:us-east-1:${MANAGEMENT}:event-bus/default`, "Allowed"],
    ["sts:AssumeRole", `arn:aws:iam::${CENTRAL}:role/abuse-alerts-onboarding-relay`, "Allowed"],
    [
      "account:DeleteAlternateContact",
      `arn:aws:account::${MANAGEMENT}:account/${ORG}/222222222224`,
      "ImplicitlyDenied",
    ],
    ["organizations:CreateAccount", "*", "ImplicitlyDenied"],
    [
      "cloudformation:DeleteStackInstances",
      `arn:aws:cloudformation:us-east-1:${MANAGEMENT}:stackset/abuse-alerts-forwarder:3f3a`,
      "ImplicitlyDenied",
    ],
    ["events:PutEvents", `arn:aws:events:us-east-1:${MANAGEMENT}:event-bus/other`, "ImplicitlyDenied"],
    ["sts:AssumeRole", `arn:aws:iam::${CENTRAL}:role/abuse-alerts-directory`, "ImplicitlyDenied"],
  ];
  for (const [action, resource, expected] of requests) {
    it(`onboarding workflow: ${action} on ${resource.split(":").slice(-1)[0]}: ${expected}`, async () => {
      const decision = await decide({
        principal: WORKFLOW,
        action,
        resource,
        resourceAccount: resource.split(":")[4] || MANAGEMENT,
        identityPolicies: [onboardingRolePolicy(scope())],
        resourcePolicy: resource.includes(":role/") ? relayTrustPolicy([WORKFLOW]) : undefined,
      });
      assert.equal(decision, expected);
    });
  }

  it("reconcile: reads and sets contacts, lists accounts, starts its own next page; nothing else", async () => {
    const policy = reconcileRolePolicy(scope());
    const ask = (action: string, resource: string) =>
      decide({
        principal: WORKFLOW,
        action,
        resource,
        resourceAccount: MANAGEMENT,
        identityPolicies: [policy],
      });
    assert.equal(
      await ask("account:GetAlternateContact", `arn:aws:account::${MANAGEMENT}:account/${ORG}/222222222221`),
      "Allowed",
    );
    assert.equal(await ask("organizations:ListAccounts", "*"), "Allowed");
    assert.equal(
      await ask(
        "states:StartExecution",
        `arn:aws:states:us-east-1:${MANAGEMENT}:stateMachine:abuse-alerts-contacts-reconcile`,
      ),
      "Allowed",
    );
    assert.equal(
      await ask(
        "states:StartExecution",
        `arn:aws:states:us-east-1:${MANAGEMENT}:stateMachine:abuse-alerts-onboarding`,
      ),
      "ImplicitlyDenied",
    );
    assert.equal(
      await ask(
        "account:PutAlternateContact",
        `arn:aws:account::${MANAGEMENT}:account/o-otherorg123/999999999999`,
      ),
      "ImplicitlyDenied",
    );
  });

  it("relay: reads probe items only, posts to the operations topic only", async () => {
    const key = `arn:aws:kms:us-east-1:${CENTRAL}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const policy = relayRolePolicy(scope());
    const table = `arn:aws:dynamodb:us-east-1:${CENTRAL}:table/abuse-alerts-state`;
    const ask = (action: string, resource: string, context?: Record<string, string>) =>
      decide({
        principal: `arn:aws:iam::${CENTRAL}:role/abuse-alerts-onboarding-relay`,
        action,
        resource,
        resourceAccount: CENTRAL,
        context,
        identityPolicies: [policy],
      });
    assert.equal(
      await ask("dynamodb:GetItem", table, { "dynamodb:LeadingKeys": "probe#222222222224-x" }),
      "Allowed",
    );
    assert.equal(
      await ask("dynamodb:GetItem", table, { "dynamodb:LeadingKeys": "case#222222222221-4f178e4c08f8" }),
      "ImplicitlyDenied",
    );
    assert.equal(
      await ask("dynamodb:PutItem", table, { "dynamodb:LeadingKeys": "probe#x" }),
      "ImplicitlyDenied",
    );
    assert.equal(await ask("sns:Publish", `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts-ops`), "Allowed");
    assert.equal(
      await ask("sns:Publish", `arn:aws:sns:us-east-1:${CENTRAL}:abuse-alerts`),
      "ImplicitlyDenied",
    );
    const viaKeyPolicy = await decide({
      principal: `arn:aws:iam::${CENTRAL}:role/abuse-alerts-onboarding-relay`,
      action: "kms:GenerateDataKey",
      resource: key,
      resourceAccount: CENTRAL,
      context: { "kms:ResourceAliases": "alias/abuse-alerts-ops" },
      identityPolicies: [policy],
      // The topic's key policy lets the account's IAM policies grant its use.
      resourcePolicy: topicKeyPolicy(CENTRAL, []),
    });
    assert.equal(viaKeyPolicy, "Allowed");
  });
});

import { strict as assert } from "node:assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { AttachedScp, evaluateScps, ScpDocument, ScpLevel, ScpRequest } from "../../accounts/scp";

const ACCOUNT = "222222222221";
const MEMBER_ROLE = `arn:aws:iam::${ACCOUNT}:role/OrganizationAccountAccessRole`;
const scp = (name: string, ...Statement: ScpDocument["Statement"][]): AttachedScp => ({
  id: `p-${name}`,
  name,
  document: { Version: "2012-10-17", Statement: Statement.flat() },
});
const fullAccess = scp("FullAWSAccess", { Effect: "Allow", Action: "*", Resource: "*" });
const path = (ouPolicies: AttachedScp[], accountPolicies: AttachedScp[] = [fullAccess]): ScpLevel[] => [
  { target: "r-ex12 (root)", policies: [fullAccess] },
  { target: "ou-ex12-prod0001 (Prod)", policies: ouPolicies },
  { target: `${ACCOUNT} (shop-prod)`, policies: accountPolicies },
];
const request = (
  action: string,
  resource: string,
  region = "us-east-1",
  principal = MEMBER_ROLE,
): ScpRequest => ({
  action,
  resource,
  context: { "aws:PrincipalArn": principal, "aws:RequestedRegion": region, "aws:PrincipalAccount": ACCOUNT },
});
const putRule = (region = "us-east-1", principal = MEMBER_ROLE) =>
  request(
    "events:PutRule",
    `arn:aws:events:${region}:${ACCOUNT}:rule/abuse-alerts-forward`,
    region,
    principal,
  );
const createRole = (principal = MEMBER_ROLE) =>
  request("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/abuse-alerts-forwarder`, "us-east-1", principal);

/** The IAM policy simulator's answer for the same request, with an identity policy that allows everything. */
async function simulator(levels: ScpLevel[], req: ScpRequest): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: req.context["aws:PrincipalArn"],
        action: req.action,
        resource: { resource: req.resource, accountId: ACCOUNT },
        contextVariables: req.context,
      },
      identityPolicies: [
        {
          name: "admin",
          policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        },
      ],
      serviceControlPolicies: levels.map((level) => ({
        orgIdentifier: level.target,
        policies: level.policies.map((policy) => ({ name: policy.name, policy: policy.document })),
      })),
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const regionDeny = scp("DenyOutsideEU", {
  Sid: "DenyAllOutsideEU",
  Effect: "Deny",
  NotAction: ["iam:*", "organizations:*", "sts:*", "support:*"],
  Resource: "*",
  Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } },
});
const protectRoles = scp("ProtectIAM", {
  Sid: "DenyIamExceptAdminRole",
  Effect: "Deny",
  Action: ["iam:CreateRole", "iam:PassRole", "iam:PutRolePolicy"],
  Resource: "*",
  Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/OrganizationAccountAccessRole"] } },
});

const cases: { name: string; levels: ScpLevel[]; req: ScpRequest; expected: "allowed" | "denied" }[] = [
  { name: "FullAWSAccess at every level", levels: path([fullAccess]), req: putRule(), expected: "allowed" },
  { name: "an OU with no SCP allowing anything", levels: path([]), req: putRule(), expected: "denied" },
  {
    name: "an explicit Deny of events:*",
    levels: path([fullAccess, scp("NoEvents", { Effect: "Deny", Action: "events:*", Resource: "*" })]),
    req: putRule(),
    expected: "denied",
  },
  {
    name: "an allow-list of services without EventBridge",
    levels: path([
      scp("OnlyComputeAndStorage", { Effect: "Allow", Action: ["ec2:*", "s3:*", "iam:*"], Resource: "*" }),
    ]),
    req: putRule(),
    expected: "denied",
  },
  {
    name: "a region deny, request in us-east-1",
    levels: path([fullAccess, regionDeny]),
    req: putRule("us-east-1"),
    expected: "denied",
  },
  {
    name: "a region deny, request in eu-west-1",
    levels: path([fullAccess, regionDeny]),
    req: putRule("eu-west-1"),
    expected: "allowed",
  },
  {
    name: "a region deny exempting iam:*",
    levels: path([fullAccess, regionDeny]),
    req: createRole(),
    expected: "allowed",
  },
  {
    name: "an IAM deny that exempts the member role, as the member role",
    levels: path([fullAccess, protectRoles]),
    req: createRole(),
    expected: "allowed",
  },
  {
    name: "an IAM deny that exempts the member role, as another role",
    levels: path([fullAccess, protectRoles]),
    req: createRole(`arn:aws:iam::${ACCOUNT}:role/Developer`),
    expected: "denied",
  },
  {
    name: "a Deny with NotResource that spares the forwarder's rule",
    levels: path([
      fullAccess,
      scp("RulesByName", {
        Effect: "Deny",
        Action: "events:PutRule",
        NotResource: "arn:aws:events:*:*:rule/abuse-alerts-*",
      }),
    ]),
    req: putRule(),
    expected: "allowed",
  },
];

describe("service control policy evaluation", () => {
  for (const { name, levels, req, expected } of cases) {
    it(`${name}: ${expected}, as the IAM policy simulator says`, async () => {
      const verdict = evaluateScps(levels, req);
      assert.equal(verdict.status, expected, JSON.stringify(verdict));
      const simulated = await simulator(levels, req);
      assert.equal(simulated === "Allowed" ? "allowed" : "denied", expected, `simulator: ${simulated}`);
    });
  }

  it("names the level and policy that deny", () => {
    const verdict = evaluateScps(
      path([
        fullAccess,
        scp("NoEvents", { Sid: "NoEventBridge", Effect: "Deny", Action: "events:*", Resource: "*" }),
      ]),
      putRule(),
    );
    assert.deepEqual(verdict, {
      status: "denied",
      target: "ou-ex12-prod0001 (Prod)",
      policy: "NoEvents",
      statement: "NoEventBridge",
      reason: "explicit Deny of events:PutRule",
    });
    assert.deepEqual(evaluateScps(path([]), putRule()), {
      status: "denied",
      target: "ou-ex12-prod0001 (Prod)",
      reason: "no SCP attached to ou-ex12-prod0001 (Prod) allows events:PutRule",
    });
  });

  it("answers conditional, not allowed, for conditions on keys it cannot know", () => {
    const tagged = scp("TagGuard", {
      Sid: "DenyUntagged",
      Effect: "Deny",
      Action: "events:PutRule",
      Resource: "*",
      Condition: { Null: { "aws:RequestTag/owner": "true" } },
    });
    assert.deepEqual(evaluateScps(path([fullAccess, tagged]), putRule()), {
      status: "conditional",
      target: "ou-ex12-prod0001 (Prod)",
      policy: "TagGuard",
      statement: "DenyUntagged",
      reason: "a Deny of events:PutRule under conditions the doctor cannot evaluate",
    });
  });

  it("still reports an explicit Deny found after a conditional one", () => {
    const tagged = scp("TagGuard", {
      Effect: "Deny",
      Action: "events:*",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/x": "y" } },
    });
    const deny = scp("NoEvents", { Effect: "Deny", Action: "events:PutRule", Resource: "*" });
    assert.equal(evaluateScps(path([fullAccess, tagged], [fullAccess, deny]), putRule()).status, "denied");
  });
});

import { strict as assert } from "node:assert";
import { ConfigError, validateConfig } from "../../config/schema";
import { MAX_ROUTES } from "../../config/routes";
import { minimalConfig } from "../helpers/example-org";

const TEAM = "0a1b2c3d-1111-2222-3333-444455556666";
const TENANT = "9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
const payments = {
  name: "payments",
  slack: { channelId: "C0PAYMENTS1" },
  organizationalUnits: ["ou-ab12-paymnts1"],
};
const data = {
  name: "data",
  teams: { teamId: TEAM, channelId: "19:0a1b2c3d4e5f@thread.tacv2", tenantId: TENANT },
  tags: { team: "data" },
};
const web = {
  name: "web",
  slack: { workspaceId: "T0OTHERWS1", channelId: "C0WEB00001" },
  accounts: ["222222222222"],
};

/** The problems of the minimal config with these routes. */
function problemsOf(routes: unknown): string[] {
  try {
    validateConfig({ ...minimalConfig, routes });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
}

/** A route of `payments` with some keys replaced (undefined removes one). */
function paymentsWith(changes: Record<string, unknown>): Record<string, unknown> {
  const route: Record<string, unknown> = { ...payments, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete route[key];
  return route;
}

describe("abuse-alerts:routes", () => {
  it("takes the issue's three routes: Slack in the stack's workspace or another, Teams with its channel ID URL-encoded", () => {
    const config = validateConfig({ ...minimalConfig, routes: [payments, data, web] });
    assert.deepEqual(config.routes, [
      {
        name: "payments",
        channel: { kind: "slack", workspaceId: "T0123456789", channelId: "C0PAYMENTS1" },
        organizationalUnits: ["ou-ab12-paymnts1"],
        accounts: [],
        tags: {},
      },
      {
        name: "data",
        channel: {
          kind: "teams",
          teamId: TEAM,
          channelId: "19%3a0a1b2c3d4e5f%40thread.tacv2",
          tenantId: TENANT,
        },
        organizationalUnits: [],
        accounts: [],
        tags: { team: "data" },
      },
      {
        name: "web",
        channel: { kind: "slack", workspaceId: "T0OTHERWS1", channelId: "C0WEB00001" },
        organizationalUnits: [],
        accounts: ["222222222222"],
        tags: {},
      },
    ]);
    assert.deepEqual(validateConfig(minimalConfig).routes, []);
  });

  it("takes a Teams channel ID already URL-encoded, as the channel's link holds it", () => {
    const encoded = { ...data, teams: { ...data.teams, channelId: "19%3A0a1b2c3d4e5f%40thread.tacv2" } };
    const [route] = validateConfig({ ...minimalConfig, routes: [encoded] }).routes;
    assert.equal(route.channel.channelId, "19%3A0a1b2c3d4e5f%40thread.tacv2");
  });

  // Each mistake: the one problem it must cause, starting with the key to fix.
  const mistakes: { name: string; routes: unknown; key: string; says: RegExp }[] = [
    {
      name: "no selector",
      routes: [paymentsWith({ organizationalUnits: undefined })],
      key: "abuse-alerts:routes[0]",
      says: /selects no account: add organizationalUnits .*, accounts, or tags/,
    },
    {
      name: "both slack and teams",
      routes: [paymentsWith({ teams: data.teams })],
      key: "abuse-alerts:routes[0]",
      says: /has both slack and teams: a route posts to one channel/,
    },
    {
      name: "neither slack nor teams",
      routes: [paymentsWith({ slack: undefined })],
      key: "abuse-alerts:routes[0]",
      says: /has no channel: give it slack: \{ channelId \}/,
    },
    {
      name: "a Slack channel name",
      routes: [paymentsWith({ slack: { channelId: "#payments" } })],
      key: "abuse-alerts:routes[0].slack.channelId",
      says: /must be a Slack channel ID: C or G .*got "#payments"/,
    },
    {
      name: "a Teams channel name",
      routes: [{ ...data, teams: { ...data.teams, channelId: "General" } }],
      key: "abuse-alerts:routes[0].teams.channelId",
      says: /not a channel name: .*Get link to channel .*got "General"/,
    },
    {
      name: "a Teams channel's link",
      routes: [
        {
          ...data,
          teams: {
            ...data.teams,
            channelId: `https://teams.microsoft.com/l/channel/19%3a0a1b%40thread.tacv2/Data?groupId=${TEAM}&tenantId=${TENANT}`,
          },
        },
      ],
      key: "abuse-alerts:routes[0].teams.channelId",
      says: /not the channel's link: the ID is the part of the link after \/channel\//,
    },
    {
      name: "a tenant ID that is not a UUID",
      routes: [{ ...data, teams: { ...data.teams, tenantId: "contoso.onmicrosoft.com" } }],
      key: "abuse-alerts:routes[0].teams.tenantId",
      says: /a UUID such as .*got "contoso.onmicrosoft.com"/,
    },
    {
      name: "an unknown key",
      routes: [
        { name: "payments", slack: { channelId: "C0PAYMENTS1" }, organisationalUnits: ["ou-ab12-paymnts1"] },
      ],
      key: "abuse-alerts:routes[0].organisationalUnits",
      says: /is not a known key \(did you mean abuse-alerts:routes\[0\].organizationalUnits\?\)/,
    },
    {
      name: "an unknown key in the channel",
      routes: [paymentsWith({ slack: { channel: "C0PAYMENTS1" } })],
      key: "abuse-alerts:routes[0].slack.channel",
      says: /did you mean abuse-alerts:routes\[0\].slack.channelId\?/,
    },
    {
      name: "a duplicate name",
      routes: [payments, { ...web, name: "payments" }],
      key: "abuse-alerts:routes[1].name",
      says: /payments is also the name of routes\[0\]: each route needs its own/,
    },
    {
      name: "a name with capitals",
      routes: [paymentsWith({ name: "Payments" })],
      key: "abuse-alerts:routes[0].name",
      says: /1 to 32 lowercase letters, digits or dashes/,
    },
    {
      name: "an OU's name instead of its ID",
      routes: [paymentsWith({ organizationalUnits: ["Payments"] })],
      key: "abuse-alerts:routes[0].organizationalUnits[0]",
      says: /not an OU's name/,
    },
    {
      name: "the root as an OU",
      routes: [paymentsWith({ organizationalUnits: ["r-ab12"] })],
      key: "abuse-alerts:routes[0].organizationalUnits[0]",
      says: /not the root's ID \(a route by the root would take every alert/,
    },
    {
      name: "an account ID that is not 12 digits",
      routes: [paymentsWith({ accounts: ["22222222222"] })],
      key: "abuse-alerts:routes[0].accounts[0]",
      says: /12-digit AWS account ID/,
    },
    {
      name: "an unquoted account ID",
      routes: [paymentsWith({ accounts: [22222222222] })],
      key: "abuse-alerts:routes[0].accounts[0]",
      says: /a number: write account IDs in quotes/,
    },
    {
      name: "no tags",
      routes: [paymentsWith({ organizationalUnits: undefined, tags: {} })],
      key: "abuse-alerts:routes[0].tags",
      says: /is empty: name at least one tag/,
    },
    {
      name: "a tag value YAML read as a number",
      routes: [paymentsWith({ tags: { "cost-center": 4711 } })],
      key: "abuse-alerts:routes[0].tags.cost-center",
      says: /a tag value as text, in quotes if it looks like a number/,
    },
    {
      name: "the central channel",
      routes: [paymentsWith({ slack: { channelId: "C0123456789" } })],
      key: "abuse-alerts:routes[0].slack.channelId",
      says: /is the central channel \(abuse-alerts:slack\), which gets every alert already/,
    },
    {
      name: "two routes to one Slack channel",
      routes: [payments, { ...web, slack: { channelId: "C0PAYMENTS1" } }],
      key: "abuse-alerts:routes[1].slack.channelId",
      says: /C0PAYMENTS1 is also the channel of routes\[0\] \(payments\): .*posted there twice/,
    },
    {
      name: "two Teams routes in one team",
      routes: [data, { ...data, name: "ml", teams: { ...data.teams, channelId: "19:ff00@thread.tacv2" } }],
      key: "abuse-alerts:routes[1].teams.teamId",
      says: /is also the team of routes\[0\] \(data\): the AWS provider manages one Teams channel configuration per team .*#38943/,
    },
    {
      name: "routes as one object",
      routes: payments,
      key: "abuse-alerts:routes",
      says: /must be a list of routes/,
    },
    {
      name: `more than ${MAX_ROUTES} routes`,
      routes: Array.from({ length: MAX_ROUTES + 1 }, (_, index) => ({
        name: `team-${index}`,
        slack: { channelId: `C0TEAM${String(index).padStart(4, "0")}` },
        tags: { team: `team-${index}` },
      })),
      key: "abuse-alerts:routes",
      says: /has 51 routes, more than 50: the notify workflow's role names every route's topic in its inline policy, which IAM caps at 10,240 characters/,
    },
  ];

  for (const { name, routes, key, says } of mistakes) {
    it(`refuses ${name}, naming ${key}`, () => {
      const problems = problemsOf(routes);
      assert.equal(problems.length, 1, `expected one problem, got:\n${problems.join("\n")}`);
      assert.ok(problems[0].startsWith(`${key} `), problems[0]);
      assert.match(problems[0], says);
    });
  }

  it("takes exactly 50 routes", () => {
    const routes = Array.from({ length: MAX_ROUTES }, (_, index) => ({
      name: `team-${index}`,
      slack: { channelId: `C0TEAM${String(index).padStart(4, "0")}` },
      tags: { team: `team-${index}` },
    }));
    assert.equal(validateConfig({ ...minimalConfig, routes }).routes.length, MAX_ROUTES);
  });

  it("reports every bad route at once, each by its own key", () => {
    const problems = problemsOf([
      paymentsWith({ organizationalUnits: undefined }),
      { ...data, teams: { ...data.teams, tenantId: "x" } },
      { ...web, name: "payments" },
    ]);
    assert.deepEqual(
      problems.map((problem) => problem.split(" ")[0]),
      ["abuse-alerts:routes[0]", "abuse-alerts:routes[1].teams.tenantId", "abuse-alerts:routes[2].name"],
    );
  });
});

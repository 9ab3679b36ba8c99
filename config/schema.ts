import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";
import { UserError } from "../lib/errors";
import {
  DEFAULT_ACCOUNT_TAGS,
  DEFAULT_ARCHIVE_RETENTION_DAYS,
  DEFAULT_MAX_DIRECT_ACCOUNTS,
  DEFAULT_MEMBER_ROLE_NAME,
  DEFAULT_REMINDERS,
} from "./defaults";
import { accountId, expected, organizationalUnitId, slackChannelId, slackWorkspaceId, tagKey } from "./ids";
import { describeValue, formatIssues, IssueContext, schemaAt, uniqueList } from "./issues";
import { resolveRoute, RouteConfig, routeProblems, routesSchema } from "./routes";

export { accountId, OU_ID_PATTERN, OU_ID_RULE } from "./ids";

/** The Pulumi project name, and so the namespace of every config key. */
export const PROJECT = "abuse-alerts";

export const CATEGORIES = ["abuse", "risk"] as const;
export type Category = (typeof CATEGORIES)[number];

export const DEPLOYMENTS = ["direct", "stackset"] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

/** What `pulumi up` does with a covered account whose member role cannot be assumed. */
export const UNREACHABLE_ACCOUNTS = ["fail", "skip"] as const;
export type UnreachableAccounts = (typeof UNREACHABLE_ACCOUNTS)[number];

/** AWS delivers abuse and risk events, which are global, in this region. */
export const GLOBAL_EVENTS_REGION = "us-east-1";
/** AWS's backup region for global events. */
export const GLOBAL_EVENTS_BACKUP_REGION = "us-west-2";

/** Regions of the commercial `aws` partition: the ARNs built here all start with `arn:aws:`. */
export const COMMERCIAL_REGIONS: readonly string[] = Object.values(Region).filter(
  (region) => !/^(cn|us-gov|us-iso[a-z]?|eu-isoe|eusc)-/.test(region),
);

/** The SECURITY alternate contact every covered account gets; AWS's abuse team writes to it. */
export interface SecurityContact {
  name: string;
  title: string;
  emailAddress: string;
  phoneNumber: string;
}

export interface ExplicitAccount {
  id: string;
  name: string;
}

/** Who hears of an open abuse case whose reply-by passed, besides the channel. */
export interface EscalationConfig {
  /** Subscribed to the escalation topic. */
  emails: string[];
  /** A PagerDuty Events API v2 integration; its routing key is a secret. */
  pagerDuty?: { routingKey: string };
}

export interface AccountsConfig {
  /** Only accounts under these OUs, recursively. Empty: the whole organization. */
  organizationalUnits: string[];
  exclude: string[];
  /** Exactly these accounts; Organizations is not called. */
  explicit?: ExplicitAccount[];
}

/** The validated stack configuration, defaults applied. */
export interface AbuseAlertsConfig {
  centralAccountId: string;
  organizationId?: string;
  slack: { workspaceId: string; channelId: string };
  accounts: AccountsConfig;
  memberRoleName: string;
  regions: string[];
  categories: Category[];
  deployment: Deployment;
  notifyEmails: string[];
  unreachableAccounts: UnreachableAccounts;
  /** Days the central bus archive keeps events for replay; 0 keeps them forever. */
  archiveRetentionDays: number;
  /** Direct mode refuses to cover more accounts than this: each costs a provider process. */
  maxDirectAccounts: number;
  /** Set as the SECURITY alternate contact of every covered account; none: left as it is. */
  securityContact?: SecurityContact;
  /** Account tags (Organizations) every message shows, e.g. the owner. */
  accountTags: string[];
  /** Hours before an abuse case's reply-by at which its thread is reminded, largest first; none: off. */
  reminders: number[];
  /** Who hears of an open abuse case at its reply-by, besides the channel. */
  escalation: EscalationConfig;
  /** Owning teams' channels, each also taking the alerts of the accounts it selects. */
  routes: RouteConfig[];
}

/** Where a config problem is fixed, and whether the command that found it was deploying. */
export interface ConfigErrorContext {
  /** The stack file, e.g. Pulumi.mycorp.yaml; "the stack file" when not known. */
  file?: string;
  /** pulumi up: the error says nothing was deployed. Commands that never deploy do not say it. */
  deploying?: boolean;
}

/** Every problem found in the configuration; thrown before any resource is declared. */
export class ConfigError extends UserError {
  constructor(
    readonly problems: string[],
    readonly context: ConfigErrorContext = {},
  ) {
    super(
      `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n") +
        `\nFix ${problems.length === 1 ? "it" : "them"} in ${context.file ?? "the stack file"} (or with \`pulumi config set --path\`)` +
        `${context.deploying ? "; nothing was deployed" : ""}.`,
    );
  }

  /** The same problems, told with where they are fixed. */
  in(context: ConfigErrorContext): ConfigError {
    return new ConfigError(this.problems, { ...this.context, ...context });
  }
}

const explicitAccount = z.strictObject(
  {
    id: accountId,
    name: z.string(expected("the account's name")).min(1, expected("a non-empty account name")),
  },
  expected('an account as { id: "111111111111", name: security-tooling }'),
);

const EMAIL = "an email address such as secops@example.com";
const HOURS = "a whole number of hours from 1 to 23";
/** A PagerDuty Events API v2 integration key: 32 letters and digits. */
export const ROUTING_KEY_PATTERN = /^[A-Za-z0-9]{32}$/;

const schema = z.strictObject({
  centralAccountId: accountId,
  organizationId: z
    .string(expected("an organization ID such as o-exampleorg1"))
    .regex(/^o-[a-z0-9]{10,32}$/, expected("an organization ID: o- and 10 to 32 lowercase letters or digits"))
    .optional(),
  slack: z.strictObject(
    { workspaceId: slackWorkspaceId, channelId: slackChannelId },
    expected("an object with workspaceId and channelId"),
  ),
  accounts: z
    .strictObject(
      {
        organizationalUnits: uniqueList(
          organizationalUnitId("leave organizationalUnits out to cover the whole organization"),
          "a list of OU IDs, e.g. [ou-abcd-12345678]",
          (ou) => ou,
        )
          .min(1, expected("a non-empty list of OU IDs (leave the key out to cover the whole organization)"))
          .optional(),
        exclude: uniqueList(accountId, 'a list of account IDs, e.g. ["333333333331"]', (id) => id).optional(),
        explicit: uniqueList(explicitAccount, "a list of accounts", (account) => account.id)
          .min(1, expected("a non-empty list of accounts (leave the key out to discover them)"))
          .optional(),
      },
      expected("an object with organizationalUnits, exclude or explicit"),
    )
    .optional(),
  memberRoleName: z
    .string(expected("an IAM role name"))
    .regex(/^[\w+=,.@-]{1,64}$/, expected("an IAM role name (1-64 letters, digits or +=,.@_-, no path)"))
    .optional(),
  regions: uniqueList(
    z.enum(COMMERCIAL_REGIONS as [string, ...string[]], expected("an AWS region name such as us-east-1")),
    "a list of AWS region names, e.g. [us-east-1, us-west-2]",
    (region) => region,
  )
    .min(1, expected("a non-empty list of regions"))
    .optional(),
  categories: uniqueList(
    z.enum(CATEGORIES, expected("abuse or risk")),
    "a list of categories, e.g. [abuse, risk]",
    (category) => category,
  )
    .min(1, expected("a non-empty list of categories: abuse, risk or both"))
    .optional(),
  deployment: z.enum(DEPLOYMENTS, expected("direct or stackset")).optional(),
  notifyEmails: uniqueList(
    z.email(expected(EMAIL)),
    "a list of email addresses, e.g. [secops@example.com]",
    (email) => email.toLowerCase(),
  ).optional(),
  unreachableAccounts: z.enum(UNREACHABLE_ACCOUNTS, expected("fail or skip")).optional(),
  // The limits and patterns of the Account Management API's PutAlternateContact.
  securityContact: z
    .strictObject(
      {
        name: z
          .string(expected("the contact's name, 1 to 64 characters"))
          .min(1, expected("the contact's name, 1 to 64 characters"))
          .max(64, expected("at most 64 characters")),
        title: z
          .string(expected("the contact's title, 1 to 50 characters"))
          .min(1, expected("the contact's title, 1 to 50 characters"))
          .max(50, expected("at most 50 characters")),
        emailAddress: z
          .string(expected("an email address such as secops@example.com"))
          .max(254, expected("an email address of at most 254 characters"))
          .regex(/^[\w+=.#|!&-]+@[\w.-]+\.\w+$/, expected("an email address such as secops@example.com")),
        phoneNumber: z
          .string(expected('a phone number in quotes, e.g. "+1-206-555-0100"'))
          .max(25, expected("a phone number of at most 25 characters"))
          .regex(
            /^(?=.*\d)[\s0-9()+-]+$/,
            expected('a phone number of digits, spaces and + - ( ), e.g. "+1-206-555-0100"'),
          ),
      },
      expected("an object with name, title, emailAddress and phoneNumber, all four"),
    )
    .optional(),
  accountTags: uniqueList(tagKey, "a list of tag keys, e.g. [owner, team, environment]", (key) => key)
    .max(10, expected("at most 10 tag keys: each is a line of every message"))
    .optional(),
  maxDirectAccounts: z
    .number(expected("a whole number of accounts, e.g. 30"))
    .int(expected("a whole number of accounts, e.g. 30"))
    .min(1, expected("1 or more accounts"))
    .optional(),
  archiveRetentionDays: z
    .number(expected("a whole number of days, e.g. 365 (0 keeps events forever)"))
    .int(expected("a whole number of days, e.g. 365 (0 keeps events forever)"))
    .min(0, expected("0 or more days (0 keeps events forever)"))
    .optional(),
  // Reminders fall within the reply window's last day: 24 would be its start, 0 the reply-by itself.
  reminders: uniqueList(
    z.number(expected(HOURS)).int(expected(HOURS)).min(1, expected(HOURS)).max(23, expected(HOURS)),
    "a list of hours before the reply-by, e.g. [6, 1] ([] turns reminders off)",
    (hours) => String(hours),
  ).optional(),
  escalation: z
    .strictObject(
      {
        emails: uniqueList(
          z.email(expected(EMAIL)),
          "a list of email addresses, e.g. [oncall@example.com]",
          (email) => email.toLowerCase(),
        ).optional(),
        pagerDuty: z
          .strictObject(
            {
              routingKey: z
                .string(expected("the integration's routing key, 32 letters and digits, set as a secret"))
                .regex(
                  ROUTING_KEY_PATTERN,
                  expected("a PagerDuty Events API v2 routing (integration) key: 32 letters and digits"),
                ),
            },
            expected("an object with routingKey, e.g. { routingKey: <secret> }"),
          )
          .optional(),
      },
      expected("an object with emails, pagerDuty or both"),
    )
    .optional(),
  routes: routesSchema.optional(),
});

/** The full key a user writes, e.g. `abuse-alerts:slack.channelId` or `abuse-alerts:regions[1]`. */
export function keyName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === "number" ? `${key}[${part}]` : `${key}${key.endsWith(":") ? "" : "."}${String(part)}`,
    `${PROJECT}:`,
  );
}

/** The project's top-level keys, as written after `abuse-alerts:`. */
export const PROJECT_KEYS: readonly string[] = Object.keys(schema.shape);

/**
 * Whether Pulumi's text for a key is the value itself (IDs, names, choices) or JSON (lists, maps,
 * numbers): Pulumi hands structured values and numbers to the program as JSON text.
 */
export function isTextKey(key: string): boolean {
  const leaf = schemaAt(schema, [key]);
  return leaf instanceof z.ZodString || leaf instanceof z.ZodEnum;
}

const issueContext: IssueContext = {
  schema,
  keyName,
  accountIdSchemas: new Set([accountId]),
  // pulumi config set --path stores a number for digits, quotes or not.
  quoteAccountIds:
    "write account IDs in quotes, as YAML drops leading zeros; with pulumi config set --path, add --type string",
  secretPaths: [["escalation", "pagerDuty"]],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Rules that span keys. They read the raw values, so they run even when other keys are wrong. */
function crossKeyProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const central = typeof raw.centralAccountId === "string" ? raw.centralAccountId : undefined;
  const accounts = isRecord(raw.accounts) ? raw.accounts : {};
  const { explicit, organizationalUnits, exclude } = accounts;
  if (explicit !== undefined && organizationalUnits !== undefined) {
    problems.push(
      `${keyName(["accounts"])} sets both explicit and organizationalUnits: use explicit for a fixed list of accounts, or organizationalUnits to discover accounts under OUs, not both`,
    );
  }
  if (central && Array.isArray(exclude) && exclude.includes(central)) {
    problems.push(
      `${keyName(["accounts", "exclude"])} lists the central account ${central}: it hosts the bus, topic and Chatbot and must be covered; remove it from exclude`,
    );
  }
  if (explicit !== undefined && raw.organizationId === undefined) {
    problems.push(
      `${keyName(["organizationId"])} is required when ${keyName(["accounts", "explicit"])} is set (explicit mode never calls Organizations); find it with \`aws organizations describe-organization\``,
    );
  }
  if (
    central &&
    Array.isArray(explicit) &&
    !explicit.some((account) => isRecord(account) && account.id === central)
  ) {
    problems.push(
      `${keyName(["accounts", "explicit"])} must include the central account ${central}: abuse reports about the security account itself must be covered too`,
    );
  }
  if (raw.deployment === "stackset" && explicit !== undefined) {
    problems.push(
      `${keyName(["accounts", "explicit"])} cannot be used with ${keyName(["deployment"])} stackset: a StackSet targets OUs and reaches the accounts Organizations lists under them, while explicit mode never calls Organizations; select accounts with organizationalUnits and exclude, or use deployment direct`,
    );
  }
  if (
    raw.deployment === "stackset" &&
    Array.isArray(organizationalUnits) &&
    organizationalUnits.length > 50
  ) {
    problems.push(
      `${keyName(["accounts", "organizationalUnits"])} lists ${organizationalUnits.length} OUs; a StackSet's stack instances take at most 50 (CreateStackInstances): select their parent OUs instead`,
    );
  }
  if (Array.isArray(raw.regions) && !raw.regions.includes(GLOBAL_EVENTS_REGION)) {
    problems.push(
      `${keyName(["regions"])} must include ${GLOBAL_EVENTS_REGION}: AWS delivers abuse and risk events there (add ${GLOBAL_EVENTS_BACKUP_REGION}, its backup region, too), got ${describeValue(raw.regions)}`,
    );
  }
  problems.push(...routeProblems(raw.routes, raw.slack, keyName));
  return problems;
}

/**
 * Validates the project's config keys (without the `abuse-alerts:` prefix) and applies defaults.
 * Throws a ConfigError listing every problem, each naming its full key and what was expected.
 */
export function validateConfig(
  raw: Record<string, unknown>,
  /** Problems found outside the project's namespace, reported with the others. */
  otherProblems: readonly string[] = [],
  /** Keys those problems already name as the one meant: not reported again as missing. */
  meantKeys: readonly string[] = [],
): AbuseAlertsConfig {
  const result = schema.safeParse(raw, { reportInput: true });
  const problems = [
    ...otherProblems,
    ...(result.success ? [] : formatIssues(result.error.issues, issueContext, meantKeys)),
    ...crossKeyProblems(raw),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems.sort());
  const parsed = result.data;
  return {
    centralAccountId: parsed.centralAccountId,
    organizationId: parsed.organizationId,
    slack: parsed.slack,
    accounts: {
      organizationalUnits: parsed.accounts?.organizationalUnits ?? [],
      exclude: parsed.accounts?.exclude ?? [],
      explicit: parsed.accounts?.explicit,
    },
    memberRoleName: parsed.memberRoleName ?? DEFAULT_MEMBER_ROLE_NAME,
    regions: parsed.regions ?? [GLOBAL_EVENTS_REGION],
    categories: parsed.categories ?? [...CATEGORIES],
    deployment: parsed.deployment ?? "direct",
    notifyEmails: parsed.notifyEmails ?? [],
    unreachableAccounts: parsed.unreachableAccounts ?? "fail",
    archiveRetentionDays: parsed.archiveRetentionDays ?? DEFAULT_ARCHIVE_RETENTION_DAYS,
    maxDirectAccounts: parsed.maxDirectAccounts ?? DEFAULT_MAX_DIRECT_ACCOUNTS,
    securityContact: parsed.securityContact,
    accountTags: parsed.accountTags ?? [...DEFAULT_ACCOUNT_TAGS],
    reminders: [...(parsed.reminders ?? DEFAULT_REMINDERS)].sort((a, b) => b - a),
    escalation: { emails: parsed.escalation?.emails ?? [], pagerDuty: parsed.escalation?.pagerDuty },
    routes: (parsed.routes ?? []).map((route) => resolveRoute(route, parsed.slack.workspaceId)),
  };
}

/** Advice that does not block a deployment. */
export function configWarnings(config: AbuseAlertsConfig): string[] {
  const warnings: string[] = [];
  const eventRegions = [GLOBAL_EVENTS_REGION, GLOBAL_EVENTS_BACKUP_REGION];
  const idle = config.regions.filter((region) => !eventRegions.includes(region));
  if (idle.length > 0) {
    warnings.push(
      `${keyName(["regions"])}: ${idle.join(", ")} receive${idle.length === 1 ? "s" : ""} no abuse or risk events (AWS delivers them in ${eventRegions.join(" and ")}); the resources there stay idle`,
    );
  }
  if (config.notifyEmails.length === 0) {
    warnings.push(
      `${keyName(["notifyEmails"])} is empty: alarms about the alert path reach only the Slack channel, so if Chatbot fails nobody hears of it; add an address`,
    );
  }
  if (!config.securityContact) {
    warnings.push(
      `${keyName(["securityContact"])} is not set: AWS sends abuse reports to each account's SECURITY contact, else to its root address, which in many accounts nobody reads; set it so the 24-hour reply reaches the security team`,
    );
  }
  if (config.escalation.emails.length === 0 && !config.escalation.pagerDuty) {
    warnings.push(
      `${keyName(["escalation"])} is not set: an abuse report still unanswered at its reply-by is only posted as overdue in the channel; add emails or pagerDuty to reach someone outside it`,
    );
  }
  if (!config.regions.includes(GLOBAL_EVENTS_BACKUP_REGION)) {
    warnings.push(
      `${keyName(["regions"])}: add ${GLOBAL_EVENTS_BACKUP_REGION}, AWS's backup region for global events, so alerts still arrive when ${GLOBAL_EVENTS_REGION} is impaired`,
    );
  }
  return warnings;
}

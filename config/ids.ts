import { z } from "zod";

/**
 * The IDs and names the stack file holds (accounts, OUs, Slack, Microsoft Teams, tag keys), each
 * with the words that say what was expected: the top-level keys and the routes share them.
 */

/** Each schema's error text is what was expected; formatProblem adds the key and the value received. */
export const expected = (what: string) => ({ error: what });

const ACCOUNT_ID = 'a 12-digit AWS account ID in quotes, e.g. "111111111111"';
/** An account ID as every file of the project takes it: text of 12 digits. */
export const accountId = z.string(expected(ACCOUNT_ID)).regex(/^\d{12}$/, expected(ACCOUNT_ID));

const ORGANIZATIONAL_UNIT = "an OU ID such as ou-abcd-12345678";
/** AWS Organizations' pattern of an OU ID. */
export const OU_ID_PATTERN = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
/** The rule of OU_ID_PATTERN in words: "ou-…-…" alone does not say why ou-ab12-prod1 is not one. */
export const OU_ID_RULE =
  "an OU ID: ou-, then the root's part of 4 to 32 lowercase letters or digits, a dash, and 8 to 32 lowercase letters or digits (e.g. ou-abcd-12345678)";

/** What an OU ID that is not one was likely meant to be: the root, or an OU's name. */
function organizationalUnitError(rootAdvice: string) {
  return {
    error: (issue: { input?: unknown }) => {
      const input = typeof issue.input === "string" ? issue.input : "";
      if (input.startsWith("r-")) return `${ORGANIZATIONAL_UNIT}, not the root's ID (${rootAdvice})`;
      if (input !== "" && !input.startsWith("ou-")) {
        return `${ORGANIZATIONAL_UNIT}, not an OU's name (aws organizations list-organizational-units-for-parent --parent-id <root ID> lists names and IDs)`;
      }
      // It looks like one: only the rule itself says what is wrong.
      return input === "" ? ORGANIZATIONAL_UNIT : OU_ID_RULE;
    },
  };
}

/** An OU ID; `rootAdvice` says what to do instead of naming the root. */
export const organizationalUnitId = (rootAdvice: string) =>
  z.string(expected(ORGANIZATIONAL_UNIT)).regex(OU_ID_PATTERN, organizationalUnitError(rootAdvice));

export const slackWorkspaceId = z
  .string(expected("the Slack workspace (team) ID, e.g. T0123456789"))
  .regex(/^T[A-Z0-9]{8,}$/, expected("a Slack workspace (team) ID: T and 8 or more capitals or digits"));

export const slackChannelId = z
  .string(expected("the Slack channel ID, e.g. C0123456789"))
  .regex(/^[CG][A-Z0-9]{8,}$/, expected("a Slack channel ID: C or G and 8 or more capitals or digits"));

/** AWS's pattern of a tag key, and of a tag value (which may be empty). */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{0,256}$/u;

export const tagKey = z
  .string(expected("a tag key such as owner"))
  .regex(TAG_KEY, expected("a tag key: 1 to 128 letters, digits, spaces or _.:/=+@-"));

export const tagValue = z
  .string(expected("a tag value as text, in quotes if it looks like a number or true/false"))
  .regex(TAG_VALUE, expected("a tag value: up to 256 letters, digits, spaces or _.:/=+@-"));

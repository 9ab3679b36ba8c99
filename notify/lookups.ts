import { directoryRoleArn } from "../model/names";
import { jsonata, list, literal, sdk, State, StateGraph } from "./asl";

/**
 * The account context the workflow looks up for an event: the account's name and root email, its
 * OU path, its tags and its SECURITY contact, each a branch of one Parallel state run as the
 * management account's directory role. Each lookup is best-effort: its error becomes part of the
 * message, never the end of the execution. `$context` holds the four results, in that order.
 */

/** A lookup's errors become `{ error }`, which the message reports. */
const catchInto = (next: string) => [
  { ErrorEquals: ["States.ALL"], Output: jsonata("{ 'error': $states.errorOutput }"), Next: next },
];

/** Organizations and Account Management throttle: a few quick retries before the lookup counts as failed. */
const THROTTLED = [
  {
    ErrorEquals: [
      "Organizations.TooManyRequestsException",
      "Account.TooManyRequestsException",
      "Organizations.ConcurrentModificationException",
    ],
    IntervalSeconds: 1,
    BackoffRate: 2,
    MaxAttempts: 5,
    JitterStrategy: "FULL",
  },
];

const done: State = { Type: "Pass", End: true };

/** A state's name in its path. */
type Namer = (name: string) => string;

/** A lookup task as the directory role, retried when throttled, its error caught into `next`. */
function lookup(
  directoryAccountId: string,
  call: { service: string; action: string; arguments: string; output: string; next: string },
  extra: Record<string, unknown> = {},
): State {
  return {
    Type: "Task",
    Resource: sdk(call.service, call.action),
    Credentials: { RoleArn: directoryRoleArn(directoryAccountId) },
    Arguments: jsonata(call.arguments),
    Retry: THROTTLED,
    Catch: catchInto(call.next),
    Output: jsonata(call.output),
    ...extra,
  };
}

/** The account's name and root email address. */
function accountBranch(directoryAccountId: string, n: Namer): StateGraph {
  return {
    StartAt: n("Describe account"),
    States: {
      [n("Describe account")]: lookup(
        directoryAccountId,
        {
          service: "organizations",
          action: "describeAccount",
          arguments: "{ 'AccountId': $accountId }",
          output: "{ 'name': $states.result.Account.Name, 'email': $states.result.Account.Email }",
          next: n("Account read"),
        },
        { End: true },
      ),
      [n("Account read")]: done,
    },
  };
}

/** The OUs (names and IDs) from below the root down to the account, walking ListParents up at most 5 levels. */
function ouPathBranch(directoryAccountId: string, n: Namer): StateGraph {
  return {
    StartAt: n("Start at the account"),
    States: {
      [n("Start at the account")]: {
        Type: "Pass",
        Assign: {
          ouChild: jsonata("$accountId"),
          ouNames: jsonata("[]"),
          ouIds: jsonata("[]"),
          ouDepth: 0,
          ouOfAccount: jsonata("''"),
        },
        Next: n("List parents"),
      },
      [n("List parents")]: lookup(
        directoryAccountId,
        {
          service: "organizations",
          action: "listParents",
          arguments: "{ 'ChildId': $ouChild }",
          output: "$states.input",
          next: n("OU path unknown"),
        },
        {
          Assign: {
            ouParent: jsonata("$states.result.Parents[0]"),
            // The account's own OU (or root): a coverage notice's retry command targets it.
            ouOfAccount: jsonata("$ouDepth = 0 ? $states.result.Parents[0].Id : $ouOfAccount"),
          },
          Next: n("At the root?"),
        },
      ),
      [n("At the root?")]: {
        Type: "Choice",
        // AWS allows five levels of OUs under the root.
        Choices: [
          { Condition: jsonata("$ouParent.Type = 'ROOT' or $ouDepth >= 5"), Next: n("OU path read") },
        ],
        Default: n("Describe OU"),
      },
      [n("Describe OU")]: lookup(
        directoryAccountId,
        {
          service: "organizations",
          action: "describeOrganizationalUnit",
          arguments: "{ 'OrganizationalUnitId': $ouParent.Id }",
          output: "$states.input",
          next: n("OU path unknown"),
        },
        {
          Assign: {
            ouNames: jsonata("$append([$states.result.OrganizationalUnit.Name], $ouNames)"),
            ouIds: jsonata("$append([$ouParent.Id], $ouIds)"),
            ouChild: jsonata("$ouParent.Id"),
            ouDepth: jsonata("$ouDepth + 1"),
          },
          Next: n("List parents"),
        },
      ),
      [n("OU path read")]: {
        Type: "Pass",
        Output: jsonata(
          "{ 'path': $ouNames, 'ids': $ouIds, 'complete': $ouParent.Type = 'ROOT', 'parentId': $ouOfAccount }",
        ),
        End: true,
      },
      [n("OU path unknown")]: done,
    },
  };
}

/** The account's tags, every page: the message shows `accountTags`, routes read them all. */
function tagsBranch(directoryAccountId: string, accountTags: readonly string[], n: Namer): StateGraph {
  return {
    StartAt: n("Start tags"),
    States: {
      [n("Start tags")]: {
        Type: "Pass",
        Assign: { tagList: jsonata("[]"), tagToken: jsonata("''") },
        Next: n("List tags"),
      },
      [n("List tags")]: lookup(
        directoryAccountId,
        {
          service: "organizations",
          action: "listTagsForResource",
          arguments:
            "$tagToken = '' ? { 'ResourceId': $accountId } : { 'ResourceId': $accountId, 'NextToken': $tagToken }",
          output: "$states.input",
          next: n("Tags read"),
        },
        {
          Assign: {
            tagList: jsonata("$append($tagList, $states.result.Tags)"),
            tagToken: jsonata("$exists($states.result.NextToken) ? $states.result.NextToken : ''"),
          },
          Next: n("More tags?"),
        },
      ),
      [n("More tags?")]: {
        Type: "Choice",
        Choices: [{ Condition: jsonata("$tagToken != ''"), Next: n("List tags") }],
        Default: n("Tags listed"),
      },
      [n("Tags listed")]: {
        Type: "Pass",
        // The tags messages show, and all of them, which routes select by.
        Output: jsonata(
          `{ 'tags': $merge([$tagList[Key in ${list(accountTags)}].{ Key: Value }]), 'all': $merge([$tagList.{ Key: Value }]) }`,
        ),
        Next: n("Tags read"),
      },
      [n("Tags read")]: done,
    },
  };
}

/** The SECURITY alternate contact; none set is `{ contact: null }`: AWS then writes to the root address. */
function contactBranch(directoryAccountId: string, n: Namer): StateGraph {
  const get = lookup(
    directoryAccountId,
    {
      service: "account",
      action: "getAlternateContact",
      // The management account reads its own contact without naming itself.
      arguments: `$accountId = ${literal(directoryAccountId)} ? { 'AlternateContactType': 'SECURITY' } : { 'AlternateContactType': 'SECURITY', 'AccountId': $accountId }`,
      output: "{ 'contact': $states.result.AlternateContact }",
      next: n("Contact read"),
    },
    { End: true },
  );
  return {
    StartAt: n("Get security contact"),
    States: {
      [n("Get security contact")]: {
        ...get,
        Catch: [
          {
            ErrorEquals: ["Account.ResourceNotFoundException"],
            Output: jsonata("{ 'contact': null }"),
            Next: n("Contact read"),
          },
          ...catchInto(n("Contact read")),
        ],
      },
      [n("Contact read")]: done,
    },
  };
}

/** The Parallel state that looks the account up; `$context` holds its four results. */
export function accountLookups(
  directoryAccountId: string,
  accountTags: readonly string[],
  next: string,
  /** Keeps these states' names apart from another path's lookups: names are unique in a state machine. */
  prefix = "",
): State {
  const n: Namer = (name) => `${prefix}${name}`;
  return {
    Type: "Parallel",
    Branches: [
      accountBranch(directoryAccountId, n),
      ouPathBranch(directoryAccountId, n),
      tagsBranch(directoryAccountId, accountTags, n),
      contactBranch(directoryAccountId, n),
    ],
    Assign: { context: jsonata("$states.result") },
    Next: next,
  };
}

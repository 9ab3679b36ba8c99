import { NOTE_LIMITS, RouteTarget, tagsReason } from "../model/routes";
import { literal } from "./asl";
import { centralTargetList } from "./publish";

/**
 * Where the workflow posts an alert: the central topic, and the topic of each route whose
 * selectors match the account, decided live from the context the lookups just found (its OUs
 * with their IDs, all of its tags), so an account that joins an OU or gets a tag is routed from
 * its next alert. The same rule as model/routes.ts, which the tests hold this to.
 */

/** A JSONata literal of plain data: strings, lists and objects of them. */
function value(data: unknown): string {
  if (typeof data === "string") return literal(data);
  if (Array.isArray(data)) return `[${data.map(value).join(", ")}]`;
  if (typeof data === "object" && data !== null) {
    return `{ ${Object.entries(data)
      .map(([key, item]) => `${literal(key)}: ${value(item)}`)
      .join(", ")} }`;
  }
  throw new Error(`no JSONata literal for ${String(data)}`);
}

/** The routes as the expression reads them, the text of each one's tag reason made here. */
const routeData = (routes: readonly RouteTarget[]) =>
  value(
    routes.map((route) => ({
      name: route.name,
      topicArn: route.topicArn,
      ous: route.organizationalUnits,
      accounts: route.accounts,
      tags: route.tags,
      tagsReason: Object.keys(route.tags).length > 0 ? tagsReason(route.tags) : "",
    })),
  );

/**
 * `$targets` for an alert: a JSONata expression (bare, to be composed) of `$accountId` and
 * `$context` (the lookups' results: [1] the OU path with IDs, [2] the tags). Without routes, the
 * central topic alone.
 */
export function routedTargets(centralTopicArn: string, routes: readonly RouteTarget[]): string {
  if (routes.length === 0) return centralTargetList(centralTopicArn);
  const needsOus = routes.some((route) => route.organizationalUnits.length > 0);
  const needsTags = routes.some((route) => Object.keys(route.tags).length > 0);
  return `(
    $routes := ${routeData(routes)};
    $ou := $context[1];
    $tags := $context[2];
    $cutTo := function($s, $n) { $length($s) > $n ? $substring($s, 0, $n - 1) & '…' : $s };
    $failure := function($lookup) { $lookup.error.Error & ': ' & $cutTo($lookup.error.Cause, 160) };
    $unknown := [
      ${needsOus} and $exists($ou.error) ? 'OU path (' & $failure($ou) & ')',
      ${needsTags} and $exists($tags.error) ? 'tags (' & $failure($tags) & ')'
    ];
    $reasons := function($r) { $append($append(
      $map($exists($ou.error) ? [] : $ou.ids, function($id, $i) { $id in $r.ous ? 'OU ' & $ou.path[$i] }),
      $accountId in $r.accounts ? 'account ' & $accountId),
      $count($keys($r.tags)) > 0 and $not($exists($tags.error))
        and $count($filter($keys($r.tags), function($k) { $lookup($tags.all, $k) = $lookup($r.tags, $k) })) = $count($keys($r.tags))
        ? $r.tagsReason) };
    $matched := $count($unknown) > 0 ? [] : [$routes.{ 'name': name, 'topicArn': topicArn, 'why': $reasons($) }[$count(why) > 0]];
    $central := $count($unknown) > 0
      ? '*Routing could not be decided*: ' & $join($unknown, '; ') & '; only this channel has this alert'
      : ($count($matched) = 0
        ? '*Also sent to* no team: no route matches this account'
        : '*Also sent to* ' & $join($matched.(name & ' (' & $join(why, ', ') & ')'), ' · '));
    $append(
      [{ 'topicArn': ${literal(centralTopicArn)}, 'note': $cutTo($central, ${NOTE_LIMITS.central}) }],
      $matched.{ 'topicArn': topicArn, 'note': $cutTo('*Routed to ' & name & '*: ' & $join(why, ' · '), ${NOTE_LIMITS.route}) }
    )
  )`;
}

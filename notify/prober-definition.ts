import { jsonata, literal, sdk, StateMachineDefinition } from "./asl";
import { RETRY_BRIEFLY } from "./onboarding-scope";
import { Category } from "../config/schema";
import { CATEGORY_SERVICE, HEALTH_DETAIL_TYPES, TEST_SOURCE } from "../model/patterns";

export interface ProberDefinitionArgs {
  memberRoleName: string;
  /** The configured categories: the probe takes the first one's shape, which every forwarder takes. */
  categories: readonly Category[];
}

/**
 * A region's prober, in the management account: started by an onboarding's probe request, it puts
 * a test event carrying `detail.probe` on the account's default bus in its own region, through
 * the member role, so the probe travels the real path: the forwarder rule, its role, the central
 * bus, the notify workflow, which records its arrival instead of posting.
 */
export function proberDefinition(args: ProberDefinitionArgs): StateMachineDefinition {
  const category = args.categories[0] ?? "abuse";
  const service = CATEGORY_SERVICE[category];
  const detailType = category === "abuse" ? HEALTH_DETAIL_TYPES[0] : HEALTH_DETAIL_TYPES[1];
  const detail = `{ 'eventArn': 'arn:aws:health:global::event/${service}/abuse-alerts-probe/' & $r.probeId, 'service': '${service}', 'eventTypeCode': 'AWS_${service}_ONBOARDING_PROBE', 'eventTypeCategory': 'issue', 'statusCode': 'open', 'affectedAccount': $r.accountId, 'probe': { 'id': $r.probeId, 'sentAt': $r.sentAt } }`;
  return {
    Comment:
      "abuse-alerts: an onboarding probe, put on the account's default bus in this region through its member role",
    QueryLanguage: "JSONata",
    TimeoutSeconds: 900,
    StartAt: "Put probe",
    States: {
      "Put probe": {
        Type: "Task",
        Resource: sdk("eventbridge", "putEvents"),
        Credentials: {
          RoleArn: jsonata(
            `'arn:aws:iam::' & $states.input.detail.accountId & ':role/' & ${literal(args.memberRoleName)}`,
          ),
        },
        Arguments: jsonata(
          `( $r := $states.input.detail; { 'Entries': [{ 'Source': '${TEST_SOURCE}', 'DetailType': '${detailType}', 'EventBusName': 'default', 'Detail': $string(${detail}) }] } )`,
        ),
        Retry: RETRY_BRIEFLY,
        End: true,
      },
    },
  };
}

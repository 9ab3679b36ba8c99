import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The project's sample data: an organization and AWS events, for plan, previews and tests. */
export const EXAMPLES_DIR = join(__dirname, "..", "examples");

/** The sample organization `npm run plan` uses: 11 accounts, OUs three levels deep, every state. */
export const EXAMPLE_ORG_PATH = join(EXAMPLES_DIR, "organization.json");

/** AWS Health samples by group: abuse, risk, and negative (events that must not alert). */
export const EVENTS_DIR = join(EXAMPLES_DIR, "events");

/** CloudFormation StackSet samples: failures of this project's StackSet, and ones that must not alert. */
export const STACKSET_EVENTS_DIR = join(EXAMPLES_DIR, "stackset-events");

export interface SampleEvent {
  /** e.g. "abuse/dos-report" */
  name: string;
  event: Record<string, unknown>;
}

const readEvents = (dir: string, prefix: string): SampleEvent[] =>
  readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      name: `${prefix}${file.replace(/\.json$/, "")}`,
      event: JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>,
    }));

/** Every sample Health event, or those of one group, named by group and file. */
export function sampleEvents(group?: string): SampleEvent[] {
  const groups = group ? [group] : readdirSync(EVENTS_DIR);
  return groups.flatMap((dir) => readEvents(join(EVENTS_DIR, dir), `${dir}/`));
}

/** Every sample StackSet event, named by file. */
export function stackSetSampleEvents(): SampleEvent[] {
  return readEvents(STACKSET_EVENTS_DIR, "");
}

export const ONBOARDING_EVENTS_DIR = join(EXAMPLES_DIR, "onboarding-events");

/** Every sample Organizations event of the onboarding rules (CloudTrail via EventBridge), named by file. */
export function onboardingSampleEvents(): SampleEvent[] {
  return readEvents(ONBOARDING_EVENTS_DIR, "");
}

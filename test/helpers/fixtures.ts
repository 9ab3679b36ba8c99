import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EVENTS_DIR = join(__dirname, "..", "fixtures", "events");

export interface FixtureEvent {
  /** e.g. "abuse/dos-report" */
  name: string;
  event: Record<string, unknown>;
}

/** Every sample event under test/fixtures/events, by group (abuse, risk, negative). */
export function fixtureEvents(group?: string): FixtureEvent[] {
  const groups = group ? [group] : readdirSync(EVENTS_DIR);
  return groups.flatMap((dir) =>
    readdirSync(join(EVENTS_DIR, dir))
      .filter((file) => file.endsWith(".json"))
      .map((file) => ({
        name: `${dir}/${file.replace(/\.json$/, "")}`,
        event: JSON.parse(readFileSync(join(EVENTS_DIR, dir, file), "utf8")) as Record<string, unknown>,
      })),
  );
}

export const STACKSET_EVENTS_DIR = join(__dirname, "..", "fixtures", "stackset-events");

/** Sample CloudFormation StackSet events: failures of this project's StackSet, and ones that must not alert. */
export function stackSetEvents(): FixtureEvent[] {
  return readdirSync(STACKSET_EVENTS_DIR)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      name: file.replace(/\.json$/, ""),
      event: JSON.parse(readFileSync(join(STACKSET_EVENTS_DIR, file), "utf8")) as Record<string, unknown>,
    }));
}

import { SingleBar } from "cli-progress";

export interface Progress {
  tick(): void;
  stop(): void;
}

/** A progress bar on stderr, so stdout keeps only the report; in CI logs, a line every few seconds. */
export function progressBar(label: string, total: number): Progress {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

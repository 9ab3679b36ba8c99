import { SingleBar } from "cli-progress";

export interface Progress {
  tick(): void;
  /** Sets the count done, and the total when it has grown (work discovered as it goes). */
  update(done: number, total?: number): void;
  stop(): void;
}

/** Starts a progress bar for a number of steps. */
export type ProgressFactory = (label: string, total: number) => Progress;

/** A progress bar on stderr, so stdout keeps only the report; in CI logs, a line every few seconds. */
export const progressBar: ProgressFactory = (label, total) => {
  const bar = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    stream: process.stderr,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  });
  bar.start(total, 0);
  return {
    tick: () => bar.increment(),
    update: (done, grown) => {
      if (grown !== undefined && grown > bar.getTotal()) bar.setTotal(grown);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
};

/** No progress shown: for tests, and for output that is not watched. */
export const noProgress: ProgressFactory = () => ({
  tick: () => undefined,
  update: () => undefined,
  stop: () => undefined,
});

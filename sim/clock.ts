/**
 * Virtual time for the offline twins: executions that wait (Wait states, retries), timers AWS
 * keeps (a global table's replication) and the test's own schedule (an event delivered at 10:00,
 * a copy at 10:00:20) all run on it. Time moves only when nothing is under way: every piece of
 * work holds the clock while it runs and lets go while it sleeps, so a run is exact and repeatable
 * and a workflow that waits a day finishes at once.
 */
export class VirtualClock {
  private nowMs: number;
  private readonly timers: { at: number; order: number; fire: () => void }[] = [];
  private order = 0;
  private active = 0;
  private idle: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(start: Date) {
    this.nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Work is under way: time stands still until it lets go. */
  hold(): void {
    this.active += 1;
  }

  release(): void {
    this.active -= 1;
    if (this.active === 0) this.idle.splice(0).forEach((resolve) => resolve());
  }

  /** Runs `work` holding the clock; a failure that nobody awaits fails `run`. */
  spawn<T>(work: () => Promise<T>): Promise<T> {
    this.hold();
    const running = (async () => {
      try {
        return await work();
      } finally {
        this.release();
      }
    })();
    running.catch(
      (error: unknown) => (this.failure ??= error instanceof Error ? error : new Error(String(error))),
    );
    return running;
  }

  /**
   * Runs `tasks` side by side, from work that holds the clock; ends, holding it again, once every
   * task has ended. The caller lets go while it waits, and the last task to end hands its hold
   * back, so time cannot move between the two.
   */
  async all<T>(tasks: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    if (tasks.length === 0) return [];
    let running = tasks.length;
    const runs = tasks.map(async (task) => {
      this.hold();
      try {
        return await task();
      } finally {
        if (--running > 0) this.release();
      }
    });
    this.release();
    return Promise.allSettled(runs);
  }

  private schedule(at: number, fire: () => void): void {
    this.timers.push({ at: Math.max(at, this.nowMs), order: this.order++, fire });
    this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
  }

  /** Runs `work` at a virtual time (now, if that has passed). */
  at(time: Date, work: () => Promise<unknown> | void): void {
    this.schedule(time.getTime(), () => void this.spawn(async () => work()));
  }

  /** Resolves when the clock reaches `time`; the caller lets go of the clock meanwhile. */
  sleepUntil(time: Date): Promise<void> {
    return new Promise((resolve) => {
      // The clock is held again before the sleeper resumes, so time cannot run past its next step.
      this.schedule(time.getTime(), () => {
        this.hold();
        resolve();
      });
      this.release();
    });
  }

  sleep(seconds: number): Promise<void> {
    return this.sleepUntil(new Date(this.nowMs + seconds * 1000));
  }

  /**
   * Moves time from timer to timer, each time nothing is under way, until no timer is left or the
   * next one is after `until`. Throws the first failure of work nobody awaited.
   */
  async run(until?: Date): Promise<void> {
    for (;;) {
      if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
      if (this.failure !== undefined) throw this.failure;
      const next = this.timers[0];
      if (!next || (until && next.at > until.getTime())) break;
      this.timers.shift();
      this.nowMs = next.at;
      next.fire();
    }
    if (until && until.getTime() > this.nowMs) this.nowMs = until.getTime();
  }
}

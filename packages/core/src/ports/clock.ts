/** Time is injected so that policies and tests never read the wall clock themselves. */
export interface Clock {
  now(): Date;
  /** Waits. Only long-running processes (CLI, local runtime) may wait; Lambda code requeues instead. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

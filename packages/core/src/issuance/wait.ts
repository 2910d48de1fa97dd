import { PortcullisError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/**
 * Polls `ready` until it answers true, sleeping `intervalMs` between tries — multiplied by `backoffFactor` after
 * each try up to `maxIntervalMs` when given — and gives up after `timeoutMs`.
 */
export async function waitUntil(
  ready: () => Promise<boolean>,
  options: {
    timeoutMs: number;
    intervalMs: number;
    clock: Clock;
    what: string;
    backoffFactor?: number;
    maxIntervalMs?: number;
  },
): Promise<void> {
  const deadline = options.clock.now().getTime() + options.timeoutMs;
  let interval = options.intervalMs;
  for (;;) {
    if (await ready()) return;
    if (options.clock.now().getTime() >= deadline) {
      throw new PortcullisError('Timeout', `gave up waiting for ${options.what} after ${options.timeoutMs} ms`, {
        retryable: true,
      });
    }
    const remaining = deadline - options.clock.now().getTime();
    await options.clock.sleep(Math.min(interval, remaining));
    interval = Math.min(interval * (options.backoffFactor ?? 1), options.maxIntervalMs ?? interval);
  }
}

import { PortcullisError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/** Polls `ready` until it answers true, sleeping `intervalMs` between tries; gives up after `timeoutMs`. */
export async function waitUntil(
  ready: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs: number; clock: Clock; what: string },
): Promise<void> {
  const deadline = options.clock.now().getTime() + options.timeoutMs;
  for (;;) {
    if (await ready()) return;
    if (options.clock.now().getTime() >= deadline) {
      throw new PortcullisError('Timeout', `gave up waiting for ${options.what} after ${options.timeoutMs} ms`, {
        retryable: true,
      });
    }
    await options.clock.sleep(options.intervalMs);
  }
}

/**
 * Retry backoff after failed issuances (LE integration guide: roughly 1 min → 10 min → 100 min → 1 day), persisted
 * in `status.failures` so a restarted worker or a duplicate message cannot shorten it. The CA's Retry-After always
 * wins when it is later. A changed spec starts the count again: the failure may have been caused by the old spec.
 */
import type { FailureRecord, FailureState, IsoTime } from '../lifecycle/types.js';
import type { Check } from './check.js';
import { addSeconds } from './time.js';

/** Delay after the 1st, 2nd, 3rd and every further consecutive failure. */
export const BACKOFF_SCHEDULE_SECONDS = [60, 600, 6_000, 86_400] as const;

export const BackoffReason = {
  /** An earlier attempt failed; no new attempt before `backoffUntil`. */
  BackingOff: 'BackingOff',
} as const;
export type BackoffReason = (typeof BackoffReason)[keyof typeof BackoffReason];

export function backoffDelaySeconds(consecutiveFailures: number): number {
  const index = Math.min(Math.max(consecutiveFailures, 1), BACKOFF_SCHEDULE_SECONDS.length) - 1;
  return BACKOFF_SCHEDULE_SECONDS[index] as number;
}

/** The failure state after one more failure. */
export function recordFailure(
  previous: FailureState | undefined,
  failure: FailureRecord,
  now: IsoTime,
  specHash: string,
): FailureState {
  const count = (previous !== undefined && previous.specHash === specHash ? previous.count : 0) + 1;
  const scheduled = addSeconds(now, backoffDelaySeconds(count));
  const backoffUntil =
    failure.retryAfter !== undefined && failure.retryAfter > scheduled ? failure.retryAfter : scheduled;
  return { count, lastFailureAt: now, backoffUntil, last: failure, specHash };
}

export interface BackoffInput {
  readonly failures: FailureState | undefined;
  readonly now: IsoTime;
  /** Hash of the current spec: failures recorded for another spec do not hold it back. */
  readonly specHash: string;
}

/** Passes when no backoff applies now. */
export const backoffCheck: Check<BackoffInput, BackoffReason> = ({ failures, now, specHash }) =>
  failures !== undefined && failures.specHash === specHash && failures.backoffUntil > now
    ? {
        reason: BackoffReason.BackingOff,
        message: `${failures.count} consecutive failure(s), last: ${failures.last.message}; next attempt at ${failures.backoffUntil}`,
      }
    : undefined;

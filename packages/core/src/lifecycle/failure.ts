/**
 * What happens when an issuance attempt fails. A failed attempt always goes through cleanup when anything may
 * have been presented (from what was recorded: planned records, the provider's presentation, tokens); then the
 * issuance ends, the failure is recorded with its persisted backoff, the order is archived and a `failed` event is
 * emitted. Transient errors instead retry the same step with a short, growing delay (bounded).
 */
import { recordFailure } from '../policies/backoff.js';
import { secondsUntil } from '../policies/time.js';
import type { StepContext, StepOutcome } from './dependencies.js';
import { LifecycleReason } from './reasons.js';
import {
  addSeconds,
  advance,
  failureFromError,
  inFlight,
  issuing,
  isTransient,
  lifecycleEvent,
  orderRecord,
  setCondition,
  stableMessage,
  transientDelaySeconds,
  withoutIssuance,
} from './status.js';
import type { FailureRecord, IssuanceRecord } from './types.js';

const MAX_QUEUE_DELAY = 900;

function presentedSomething(issuance: IssuanceRecord): boolean {
  const p = issuance.presentation;
  return (
    issuance.cleanedUpAt === undefined &&
    p !== undefined &&
    ((p.plannedRecords?.length ?? 0) > 0 || p.dns !== undefined || (p.http01Tokens?.length ?? 0) > 0)
  );
}

/** Fails the in-flight attempt: cleanup first when needed, else end it. */
export function failIssuance(ctx: StepContext, failure: FailureRecord): StepOutcome {
  const status = ctx.record.status;
  const issuance = inFlight(status);
  if (presentedSomething(issuance)) {
    const next = advance(issuance, { phase: 'CleaningUp', outcome: 'failed', failure });
    return {
      status: issuing(
        { ...status, issuance: next },
        true,
        LifecycleReason.CleaningUp,
        `cleaning up after: ${failure.message}`,
        ctx.now,
      ),
      requeueAfterSeconds: 0,
      reason: failure.reason,
      message: failure.message,
    };
  }
  return endWithFailure(ctx, failure);
}

/** Ends the in-flight attempt as failed (nothing left to clean up). */
export function endWithFailure(ctx: StepContext, failure: FailureRecord): StepOutcome {
  const { record, now } = ctx;
  const issuance = inFlight(record.status);
  const failures = recordFailure(record.status.failures, failure, now, issuance.specHash);
  let status = issuing(
    { ...withoutIssuance(record.status), failures },
    false,
    failure.reason,
    `${failure.message} (attempt ${issuance.attempt} of revision ${issuance.revision}; next attempt at ${failures.backoffUntil})`,
    now,
  );
  if (record.status.revision === 0) {
    status = {
      ...status,
      conditions: setCondition(status.conditions, 'Ready', 'False', failure.reason, failure.message, now),
    };
  }
  const wait = secondsUntil(now, failures.backoffUntil);
  return {
    status,
    nextWakeAt: failures.backoffUntil,
    ...(wait <= MAX_QUEUE_DELAY ? { requeueAfterSeconds: wait } : {}),
    reason: failure.reason,
    message: failure.message,
    orders: [orderRecord(record.id, { ...issuance, failure }, { result: 'failed', at: now })],
    events: [
      lifecycleEvent(record, 'failed', {
        revision: issuance.revision,
        idSuffix: `${issuance.revision}.${issuance.attempt}/failed`,
        reason: failure.reason,
        message: failure.message,
        at: now,
      }),
    ],
    metrics: [{ name: 'IssuanceFailed', value: 1, unit: 'Count', dimensions: { reason: failure.reason } }],
  };
}

/**
 * The outcome for an error thrown by an issuance step: a transient error retries the step later (failing after
 * `maxTransientRetries`); any other error fails the attempt with `reason`. Cleanup that keeps failing gives up
 * the records (they are named in the failure message) rather than blocking the certificate forever.
 */
export function outcomeForError(ctx: StepContext, error: unknown, reason: string): StepOutcome {
  const status = ctx.record.status;
  const issuance = inFlight(status);
  const failure = failureFromError(error, reason);
  if (isTransient(error)) {
    const retries = (issuance.retries ?? 0) + 1;
    if (retries <= ctx.options.maxTransientRetries) {
      const delay = transientDelaySeconds(retries);
      const next: IssuanceRecord = { ...advance(issuance, {}), retries, waitUntil: addSeconds(ctx.now, delay) };
      return {
        status: issuing(
          { ...status, issuance: next },
          true,
          LifecycleReason.Retrying,
          `retrying ${issuance.phase} after: ${failure.message}`,
          ctx.now,
        ),
        requeueAfterSeconds: delay,
        reason: LifecycleReason.Retrying,
        message: failure.message,
      };
    }
    const exhausted: FailureRecord = {
      ...failure,
      reason: LifecycleReason.TooManyRetries,
      message: stableMessage(`${issuance.phase}: ${retries - 1} retries failed, last: ${failure.message}`),
    };
    return issuance.phase === 'CleaningUp' ? giveUpCleanup(ctx, exhausted) : failIssuance(ctx, exhausted);
  }
  return issuance.phase === 'CleaningUp' ? giveUpCleanup(ctx, failure) : failIssuance(ctx, failure);
}

function giveUpCleanup(ctx: StepContext, failure: FailureRecord): StepOutcome {
  const status = ctx.record.status;
  const issuance = inFlight(status);
  const names = (issuance.presentation?.dns?.zones ?? issuance.presentation?.plannedRecords ?? []).flatMap((z) =>
    'records' in z ? z.records.map((r) => r.fqdn) : [z.fqdn],
  );
  const leftovers = [...new Set(names)].join(', ') || 'HTTP-01 tokens';
  const note = stableMessage(`cleanup gave up, these may remain: ${leftovers} (${failure.message})`);
  if (issuance.outcome === 'validated') {
    // The CA validated: issuing is still right; the leftover records are reported, not worth failing for.
    const next = advance(issuance, { phase: 'Finalizing', cleanedUpAt: ctx.now });
    return {
      status: issuing({ ...status, issuance: next }, true, LifecycleReason.CleanupFailed, note, ctx.now),
      requeueAfterSeconds: 0,
      reason: LifecycleReason.CleanupFailed,
      message: note,
    };
  }
  const original = issuance.failure ?? { ...failure, reason: LifecycleReason.CleanupFailed };
  const ended = { ...issuance, cleanedUpAt: ctx.now };
  const record = { ...ctx.record, status: { ...status, issuance: ended } };
  return endWithFailure({ ...ctx, record }, { ...original, message: stableMessage(`${original.message}; ${note}`) });
}

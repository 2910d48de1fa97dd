/** Small pure helpers that build new statuses (every field written only here or in the steps). */
import { PortcullisError } from '../errors.js';
import { addSeconds } from '../policies/time.js';
import { AcmeProblemError, AcmeProblemType } from '../ports/acme-client.js';
import type { OrderRecord } from '../ports/certificate-repository.js';
import type { LifecycleEvent, LifecycleEventType } from '../ports/events.js';
import type {
  CertificateRecord,
  CertificateStatus,
  Condition,
  ConditionStatus,
  ConditionType,
  FailureRecord,
  IsoTime,
  IssuanceRecord,
} from './types.js';
import { toIsoTime } from './types.js';

/** Sets one condition; `lastTransitionAt` moves only when its status changes. */
export function setCondition(
  conditions: readonly Condition[],
  type: ConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: IsoTime,
): Condition[] {
  const previous = conditions.find((c) => c.type === type);
  const lastTransitionAt = previous !== undefined && previous.status === status ? previous.lastTransitionAt : now;
  const next: Condition = { type, status, reason, message, lastTransitionAt };
  return [...conditions.filter((c) => c.type !== type), next].sort((a, b) => (a.type < b.type ? -1 : 1));
}

/** The status with the Issuing condition set. */
export function issuing(
  status: CertificateStatus,
  active: boolean,
  reason: string,
  message: string,
  now: IsoTime,
): CertificateStatus {
  return {
    ...status,
    conditions: setCondition(status.conditions, 'Issuing', active ? 'True' : 'False', reason, message, now),
  };
}

/** The in-flight issuance moved on: the fields of a finished wait/claim/retry are dropped. */
export function advance(issuance: IssuanceRecord, changes: Partial<IssuanceRecord>): IssuanceRecord {
  const { claim: _claim, waitUntil: _wait, retries: _retries, ...rest } = issuance;
  return { ...rest, ...changes };
}

/** The issuance of a status, which the caller knows is in flight. */
export function inFlight(status: CertificateStatus): IssuanceRecord {
  if (status.issuance === undefined) throw new Error('lifecycle: no issuance in flight');
  return status.issuance;
}

export function withoutIssuance(status: CertificateStatus): CertificateStatus {
  const { issuance: _dropped, ...rest } = status;
  return rest;
}

/**
 * Makes a message stable for storage: URLs, UUIDs, long numbers/hex runs and timestamps are replaced, so the
 * same failure on retry produces the same status (no churn) and no request id leaks into conditions.
 */
export function stableMessage(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, '<url>')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| ?UTC|[+-]\d{2}:?\d{2})?/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/\b\d{8,}\b/g, '<id>')
    .slice(0, 500);
}

/** A failure record from an error: the ACME problem when there is one, a stable message always. */
export function failureFromError(error: unknown, reason: string): FailureRecord {
  if (error instanceof AcmeProblemError) {
    return {
      reason: error.type === AcmeProblemType.rateLimited ? 'RateLimitedByCa' : reason,
      message: stableMessage(error.message),
      problem: { type: error.type, ...(error.detail === undefined ? {} : { detail: stableMessage(error.detail) }) },
      ...(error.retryAfter === undefined ? {} : { retryAfter: toIsoTime(error.retryAfter) }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason, message: stableMessage(message) };
}

/** Transient errors are retried in the same step; everything else fails the attempt. */
export function isTransient(error: unknown): boolean {
  if (error instanceof AcmeProblemError) return error.retryable && error.type !== AcmeProblemType.rateLimited;
  if (error instanceof PortcullisError) return error.retryable;
  // Unknown errors (an SDK's network error an adapter failed to wrap) are treated as transient: bounded by
  // maxTransientRetries, after which they count as a failure.
  return true;
}

/** Delay before retrying a transient error: 5 s doubling, at most the queue's 15 minutes. */
export function transientDelaySeconds(retries: number): number {
  return Math.min(5 * 2 ** Math.max(0, retries - 1), 900);
}

export function lifecycleEvent(
  record: CertificateRecord,
  type: LifecycleEventType,
  fields: { revision: number; idSuffix: string; reason: string; message: string; at: IsoTime } & Partial<
    Pick<LifecycleEvent, 'serial' | 'notAfter' | 'targetId'>
  >,
): LifecycleEvent {
  const { idSuffix, ...rest } = fields;
  return { id: `${record.id}/${idSuffix}`, certificateId: record.id, type, tenant: record.spec.tenant, ...rest };
}

export function orderRecord(
  certificateId: string,
  issuance: IssuanceRecord,
  end?: { result: 'issued' | 'failed'; at: IsoTime; serial?: string },
): OrderRecord {
  return {
    ...issuance,
    certificateId,
    ...(end === undefined
      ? {}
      : { result: end.result, finishedAt: end.at, ...(end.serial === undefined ? {} : { serial: end.serial }) }),
  };
}

export { addSeconds };

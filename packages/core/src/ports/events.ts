/**
 * Lifecycle events: kept per certificate in an append-only `EventLog` (DynamoDB; `GET /certificates/{id}/events`)
 * and published to other systems by a `LifecycleEventPublisher` (EventBridge, detail-type = `type`).
 * Implementations run `test/conformance/event-log.suite.ts`.
 */
import type { IsoTime } from '../lifecycle/types.js';
import type { Page, PageRequest } from './certificate-repository.js';

export const LifecycleEventType = {
  /** A certificate was requested through the API (written by the API). */
  Requested: 'requested',
  /** A certificate was issued for the first time and is stored as current. */
  Issued: 'issued',
  /** A certificate replaced an earlier one (renewal, spec change, manual renew). */
  Renewed: 'renewed',
  /** The current certificate reached one target. */
  Delivered: 'delivered',
  /** An issuance or delivery attempt failed; `reason`/`message` say why, backoff is in the status. */
  Failed: 'failed',
  /** The certificate was revoked at the CA (written by reconcile for a revoke or delete request). */
  Revoked: 'revoked',
  /** The certificate was deleted (record, key and chain removed; targets are left deployed). */
  Deleted: 'deleted',
} as const;
export type LifecycleEventType = (typeof LifecycleEventType)[keyof typeof LifecycleEventType];

export interface LifecycleEvent {
  /**
   * Deterministic id (`<certificateId>/<revision>.<attempt>/<type>[/<targetId>]`), so that repeating the step that
   * emits it (a retry, a duplicate message) produces the same id and no second entry.
   */
  readonly id: string;
  readonly certificateId: string;
  readonly type: LifecycleEventType;
  readonly at: IsoTime;
  readonly revision: number;
  /** A documented reason constant (TriggerReason, LifecycleReason). */
  readonly reason: string;
  /** One stable sentence; no key material. */
  readonly message: string;
  readonly serial?: string;
  readonly notAfter?: IsoTime;
  readonly targetId?: string;
  readonly tenant?: string;
}

/**
 * Append-only history per certificate.
 * - `append` is idempotent by `event.id`: appending an id that exists changes nothing (no error).
 * - Events are never updated or deleted individually (a certificate's history may be dropped with it).
 * - `list(certificateId, page)` returns events oldest first (by `at`, then `id`); unknown certificate → empty page.
 */
export interface EventLog {
  append(event: LifecycleEvent): Promise<void>;
  list(certificateId: string, page: PageRequest): Promise<Page<LifecycleEvent>>;
}

/**
 * Tells other systems (EventBridge, source `portcullis`). At-least-once: consumers dedupe on `event.id`.
 * Publishing never changes lifecycle state; a failure is logged and counted by the caller, never fatal to a step.
 */
export interface LifecycleEventPublisher {
  publish(event: LifecycleEvent): Promise<void>;
}

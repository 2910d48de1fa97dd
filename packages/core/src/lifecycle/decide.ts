/**
 * The next step for a certificate, as an ordered chain of pure checks over the record (architecture.md §3).
 * Level-triggered: the decision depends only on the persisted record, the stored certificate and the time, so a
 * duplicate, late or replayed message decides the same thing.
 *
 *   deletion requested and no step claimed                             ──▶ delete
 *   in-flight issuance waiting (Retry-After, budget, transient retry) ──▶ wait
 *   in-flight step claimed by another worker (lease)                  ──▶ wait
 *   in-flight issuance                                                 ──▶ its phase's step
 *   revocation requested and not carried out yet                       ──▶ revoke
 *   restore being carried out by another worker (lease)                ──▶ wait
 *   restore requested (or one interrupted) and not answered yet        ──▶ restore
 *   current certificate revoked, no renewal requested since            ──▶ revoked (idle)
 *   trigger fires and no backoff (manual renew skips backoff)          ──▶ start
 *   a target lacks the current revision                                ──▶ deliver (one target per call)
 *   trigger fires but backing off / deliveries waiting for retry       ──▶ wait
 *   otherwise                                                          ──▶ ready
 */
import { backoffCheck } from '../policies/backoff.js';
import type { Violation } from '../policies/check.js';
import { specHash } from '../policies/spec-hash.js';
import { addSeconds, earliest } from '../policies/time.js';
import { evaluateTrigger, type TriggerReason } from '../policies/trigger.js';
import { LifecycleReason, ReconcileStep } from './reasons.js';
import type { CertificateRecord, IsoTime, IssuancePhase, RestoreRequest } from './types.js';

export interface DecisionInput {
  readonly record: CertificateRecord;
  readonly now: IsoTime;
  /** The store's current certificate (`describeCurrent`); only needed when no issuance is in flight. */
  readonly stored: { readonly revision: number; readonly serial: string } | undefined;
  readonly claimLeaseSeconds: number;
}

export interface Decision extends Violation<string> {
  readonly step: ReconcileStep;
  /** For `wait`: until when. */
  readonly until?: IsoTime;
  /** For `deliver`: which target. */
  readonly targetId?: string;
  /** For `start`: the trigger reason. */
  readonly trigger?: TriggerReason;
}

type DecisionCheck = (input: DecisionInput) => Decision | undefined;

const PHASE_STEP: Readonly<Record<IssuancePhase, ReconcileStep>> = {
  Preflight: ReconcileStep.Preflight,
  Ordering: ReconcileStep.Order,
  Presenting: ReconcileStep.Present,
  Propagating: ReconcileStep.Propagate,
  Validating: ReconcileStep.Validate,
  CleaningUp: ReconcileStep.Cleanup,
  Finalizing: ReconcileStep.Finalize,
  Downloading: ReconcileStep.Download,
};

const issuanceWaiting: DecisionCheck = ({ record, now }) => {
  const until = record.status.issuance?.waitUntil;
  return until !== undefined && until > now
    ? {
        step: ReconcileStep.Wait,
        until,
        reason: LifecycleReason.Retrying,
        message: `the issuance waits until ${until}`,
      }
    : undefined;
};

const issuanceClaimed: DecisionCheck = ({ record, now, claimLeaseSeconds }) => {
  const claim = record.status.issuance?.claim;
  if (claim === undefined) return undefined;
  const until = addSeconds(claim.at, claimLeaseSeconds);
  return until > now
    ? {
        step: ReconcileStep.Wait,
        until,
        reason: 'Claimed',
        message: `another worker holds ${claim.step} until ${until}`,
      }
    : undefined;
};

const deleteRequested: DecisionCheck = (input) => {
  if (input.record.deleteRequest === undefined) return undefined;
  // A claimed step (newOrder, finalize...) finishes first, so its result is cleaned up rather than lost.
  if (issuanceClaimed(input) !== undefined) return undefined;
  return {
    step: ReconcileStep.Delete,
    reason: LifecycleReason.Deleted,
    message: `deletion was requested at ${input.record.deleteRequest.at}`,
  };
};

const revokeRequested: DecisionCheck = ({ record }) => {
  const request = record.revokeRequest;
  if (request === undefined || record.status.revocation?.requestedAt === request.at) return undefined;
  return {
    step: ReconcileStep.Revoke,
    reason: LifecycleReason.Revoked,
    message: `revocation (${request.reason}) was requested at ${request.at}`,
  };
};

/** The record's restore request when status has not answered it yet (answered = same `at` and serial). */
export function pendingRestore(record: CertificateRecord): RestoreRequest | undefined {
  const request = record.restoreRequest;
  const answered = record.status.restore;
  if (request === undefined) return undefined;
  return answered?.requestedAt === request.at && answered.serial === request.serial ? undefined : request;
}

/**
 * After revoke (a revocation asked for alongside is carried out first), before the revoked-idle check (a restore
 * of another serial makes a certificate that is not revoked current again) and before any new issuance (a restore
 * asked for while one was in flight runs once it ended; issuanceInFlight comes earlier). An interrupted restore
 * (intent recorded, lease over) resumes before a newer request is looked at.
 */
const restoreRequested: DecisionCheck = ({ record, now, claimLeaseSeconds }) => {
  const intent = record.status.restoring;
  if (intent !== undefined) {
    const until = addSeconds(intent.claimedAt, claimLeaseSeconds);
    return until > now
      ? {
          step: ReconcileStep.Wait,
          until,
          reason: 'Claimed',
          message: `another worker restores serial ${intent.serial} until ${until}`,
        }
      : {
          step: ReconcileStep.Restore,
          reason: LifecycleReason.Restored,
          message: `resuming the restore of serial ${intent.serial} as revision ${intent.revision}`,
        };
  }
  const request = pendingRestore(record);
  return request === undefined
    ? undefined
    : {
        step: ReconcileStep.Restore,
        reason: LifecycleReason.Restored,
        message: `restore of serial ${request.serial} was requested at ${request.at}`,
      };
};

/**
 * The current certificate is the revoked one, and no renewal was requested since the revocation was REQUESTED. An
 * operator revoking and renewing right away (runbook "revoke a compromised key") asks for the renewal before the
 * worker has carried out the revocation, often in the same second: that renewal must not be swallowed.
 */
export function revokedAndIdle(record: CertificateRecord): boolean {
  const revocation = record.status.revocation;
  if (revocation === undefined || revocation.serial !== record.status.serial) return false;
  return record.renewRequestedAt === undefined || record.renewRequestedAt < revocation.requestedAt;
}

const revoked: DecisionCheck = ({ record }) =>
  revokedAndIdle(record)
    ? {
        step: ReconcileStep.Revoked,
        reason: LifecycleReason.Revoked,
        message: 'the current certificate is revoked; no renewal was requested since',
      }
    : undefined;

const issuanceInFlight: DecisionCheck = ({ record }) => {
  const issuance = record.status.issuance;
  if (issuance === undefined) return undefined;
  const planned = issuance.authorizations !== undefined;
  const step =
    issuance.phase === 'Presenting' && !planned ? ReconcileStep.PlanPresentation : PHASE_STEP[issuance.phase];
  return { step, reason: issuance.phase, message: `issuance of revision ${issuance.revision} is ${issuance.phase}` };
};

function trigger(input: DecisionInput) {
  return evaluateTrigger({ record: input.record, now: input.now, stored: input.stored });
}

function backingOff(input: DecisionInput) {
  return backoffCheck({
    failures: input.record.status.failures,
    now: input.now,
    specHash: specHash(input.record.spec),
  });
}

/** A renewal asked for through the API after the last issuance started: it skips the backoff (once). */
function manualRequestPending({ record }: DecisionInput): boolean {
  const requested = record.renewRequestedAt;
  const handled = record.status.renewRequestHandledAt;
  return requested !== undefined && (handled === undefined || requested > handled);
}

const start: DecisionCheck = (input) => {
  const fired = trigger(input);
  if (fired === undefined) return undefined;
  if (!manualRequestPending(input) && backingOff(input) !== undefined) return undefined;
  return { step: ReconcileStep.Start, trigger: fired.reason, reason: fired.reason, message: fired.message };
};

/** Targets of the spec that do not hold the current revision yet, with when each may be tried. */
export function pendingDeliveries(record: CertificateRecord, claimLeaseSeconds: number) {
  const { status } = record;
  if (status.revision === 0) return [];
  return record.spec.targets
    .filter((t) => {
      const d = status.deliveries[t.id];
      return d === undefined || d.revision !== status.revision || d.state !== 'delivered';
    })
    .map((t) => {
      const d = status.deliveries[t.id];
      const current = d !== undefined && d.revision === status.revision;
      const claimedUntil =
        current && d.state === 'publishing' && d.claimedAt !== undefined
          ? addSeconds(d.claimedAt, claimLeaseSeconds)
          : undefined;
      // Not before the later of the delivery's retry time and the lease of a claim another worker holds.
      const notBefore = [current ? d.retryAt : undefined, claimedUntil]
        .filter((x): x is IsoTime => x !== undefined)
        .sort()
        .at(-1);
      return { targetId: t.id, notBefore };
    });
}

const deliver: DecisionCheck = ({ record, now, claimLeaseSeconds }) => {
  const ready = pendingDeliveries(record, claimLeaseSeconds).find(
    (p) => p.notBefore === undefined || p.notBefore <= now,
  );
  return ready === undefined
    ? undefined
    : {
        step: ReconcileStep.Deliver,
        targetId: ready.targetId,
        reason: LifecycleReason.Delivering,
        message: `target ${ready.targetId} does not hold revision ${record.status.revision} yet`,
      };
};

const waitForBackoffOrDeliveries: DecisionCheck = (input) => {
  const blocked = trigger(input) === undefined ? undefined : backingOff(input);
  const retries = pendingDeliveries(input.record, input.claimLeaseSeconds).map((p) => p.notBefore);
  const backoffUntil = blocked === undefined ? undefined : input.record.status.failures?.backoffUntil;
  const until = earliest(backoffUntil, ...retries);
  if (until === undefined) return undefined;
  return blocked !== undefined
    ? { step: ReconcileStep.Wait, until, reason: blocked.reason, message: blocked.message }
    : {
        step: ReconcileStep.Wait,
        until,
        reason: LifecycleReason.DeliveryFailed,
        message: `deliveries retry at ${until}`,
      };
};

const ready: DecisionCheck = () => ({
  step: ReconcileStep.Ready,
  reason: LifecycleReason.UpToDate,
  message: 'the certificate is current and delivered',
});

export const decisionChain: readonly DecisionCheck[] = [
  deleteRequested,
  issuanceWaiting,
  issuanceClaimed,
  issuanceInFlight,
  revokeRequested,
  restoreRequested,
  revoked,
  start,
  deliver,
  waitForBackoffOrDeliveries,
  ready,
];

export function decideNextStep(input: DecisionInput): Decision {
  for (const check of decisionChain) {
    const decision = check(input);
    if (decision !== undefined) return decision;
  }
  throw new Error('lifecycle: the decision chain ends with ready and always decides');
}

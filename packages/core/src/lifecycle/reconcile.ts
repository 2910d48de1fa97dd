/**
 * `reconcile(certificateId)` — the only writer of certificate status (architecture.md §3). Level-triggered: it
 * re-reads the record, decides the next step with the decision chain (decide.ts), performs ONE step, persists the
 * result with a conditional write on `version`, and returns when to be called again. It never sleeps; waits are
 * requeues (≤ 15 min, SQS delay) or `nextWakeAt` (the planner's due index).
 *
 *   ┌──────────────┐ trigger  ┌───────────┐ budget ok ┌──────────┐ URL saved ┌────────────┐ planned ┌──────────┐
 *   │ Ready / none │────────▶ │ Preflight │─────────▶ │ Ordering │─────────▶ │ Presenting │───────▶ │ present  │
 *   └──────────────┘          └───────────┘           └──────────┘           └────────────┘         └────┬─────┘
 *          ▲                   budget empty: wait        claim lease          all authz reused ─▶ Finalizing
 *          │                                                                                            ▼
 *   ┌──────┴──────┐ all targets ┌────────────┐ promoted ┌─────────────┐ key pending + CSR ┌────────────┐  ┌─────────────┐
 *   │ ready: ARI, │◀─────────── │ deliver ×N │◀──────── │ Downloading │◀──────────────── │ Finalizing │◀─│ CleaningUp  │
 *   │ wake-up     │             └────────────┘          └─────────────┘                  └────────────┘  └──────▲──────┘
 *   └─────────────┘                                                                         validated / failed │
 *                                        Propagating (every NS serves every value) ─▶ Validating (poll) ───────┘
 *
 * Any failure after something may have been presented goes through CleaningUp; then the attempt ends with a
 * persisted backoff and a `failed` event. Transient errors retry the same step (bounded).
 */
import { ConflictError } from '../errors.js';
import { secondsUntil } from '../policies/time.js';
import type { TriggerReason } from '../policies/trigger.js';
import { MAX_QUEUE_DELAY_SECONDS } from '../ports/queue.js';
import { type Decision, decideNextStep } from './decide.js';
import { DEFAULT_OPTIONS, type ReconcileDependencies, type StepContext, type StepOutcome } from './dependencies.js';
import { outcomeForError } from './failure.js';
import { LifecycleReason, ReconcileStep } from './reasons.js';
import { validateSpec } from './spec.js';
import { cleanup } from './steps/cleanup.js';
import { deleteCertificate } from './steps/delete.js';
import { deliver } from './steps/deliver.js';
import { downloadAndPromote } from './steps/download.js';
import { finalizeOrder } from './steps/finalize.js';
import { createOrder } from './steps/order.js';
import { preflight } from './steps/preflight.js';
import { planPresentation, present } from './steps/present.js';
import { propagate } from './steps/propagate.js';
import { ready } from './steps/ready.js';
import { restore } from './steps/restore.js';
import { revoke, revokedIdle } from './steps/revoke.js';
import { startIssuance } from './steps/start.js';
import { validate } from './steps/validate.js';
import type { CertificateRecord, CertificateStatus, IsoTime } from './types.js';
import { toIsoTime } from './types.js';

export interface ReconcileResult {
  readonly step: ReconcileStep;
  readonly reason: string;
  /** Send the id to the queue again after this many seconds (0..900); absent: the planner wakes it (`nextWakeAt`). */
  readonly requeueAfterSeconds?: number;
  readonly nextWakeAt?: IsoTime;
  /** The record version after this call (unchanged when nothing was written). */
  readonly version?: number;
}

/** The reason a step fails with, when it throws a non-transient error. */
const FAILURE_REASON: Partial<Record<ReconcileStep, string>> = {
  preflight: LifecycleReason.CaaForbidden,
  order: LifecycleReason.OrderFailed,
  'plan-presentation': LifecycleReason.OrderFailed,
  present: LifecycleReason.ValidationFailed,
  propagate: LifecycleReason.PropagationTimeout,
  validate: LifecycleReason.ValidationFailed,
  cleanup: LifecycleReason.CleanupFailed,
  finalize: LifecycleReason.FinalizeFailed,
  download: LifecycleReason.DownloadFailed,
};

const NOT_ISSUANCE: ReadonlySet<ReconcileStep> = new Set([
  ReconcileStep.Delete,
  ReconcileStep.Revoke,
  ReconcileStep.Restore,
]);

export async function reconcile(certificateId: string, deps: ReconcileDependencies): Promise<ReconcileResult> {
  const read = await deps.certificates.get(certificateId);
  if (read === undefined) return { step: ReconcileStep.Gone, reason: 'NotFound' };
  validateSpec(read.spec);
  const now = toIsoTime(deps.clock.now());
  const options = { ...DEFAULT_OPTIONS, ...deps.options };
  let record: CertificateRecord = read;
  const ctx: StepContext = {
    get record() {
      return record;
    },
    deps,
    now,
    options,
    issuer: deps.issuers.get(read.spec.issuer),
    async persistIntent(status: CertificateStatus) {
      record = await deps.certificates.update({
        ...record,
        status,
        nextWakeAt: addLease(now, options.claimLeaseSeconds),
      });
    },
  };

  const needsStored = read.status.issuance === undefined && read.status.revision > 0;
  const stored = needsStored ? await deps.store.describeCurrent(certificateId) : undefined;
  const decision = decideNextStep({ record: read, now, stored, claimLeaseSeconds: options.claimLeaseSeconds });

  let outcome: StepOutcome;
  try {
    outcome = await perform(ctx, decision);
  } catch (error) {
    if (error instanceof ConflictError) return conflict(deps, record, decision);
    // Revoke/delete errors are not the issuance's: the message is retried (SQS redelivery), nothing is failed.
    if (record.status.issuance === undefined || NOT_ISSUANCE.has(decision.step)) throw error;
    outcome = outcomeForError(ctx, error, FAILURE_REASON[decision.step] ?? LifecycleReason.OrderFailed);
  }
  return persist(ctx, decision, outcome, () => record);
}

async function perform(ctx: StepContext, decision: Decision): Promise<StepOutcome> {
  switch (decision.step) {
    case ReconcileStep.Wait: {
      const wait = secondsUntil(ctx.now, decision.until as string);
      return {
        ...(wait <= MAX_QUEUE_DELAY_SECONDS ? { requeueAfterSeconds: wait } : {}),
        nextWakeAt: decision.until as string,
        reason: decision.reason,
        message: decision.message,
      };
    }
    case ReconcileStep.Start:
      return startIssuance(ctx, decision.trigger as TriggerReason, decision.message);
    case ReconcileStep.Preflight:
      return preflight(ctx);
    case ReconcileStep.Order:
      return createOrder(ctx);
    case ReconcileStep.PlanPresentation:
      return planPresentation(ctx);
    case ReconcileStep.Present:
      return present(ctx);
    case ReconcileStep.Propagate:
      return propagate(ctx);
    case ReconcileStep.Validate:
      return validate(ctx);
    case ReconcileStep.Cleanup:
      return cleanup(ctx);
    case ReconcileStep.Finalize:
      return finalizeOrder(ctx);
    case ReconcileStep.Download:
      return downloadAndPromote(ctx);
    case ReconcileStep.Deliver:
      return deliver(ctx, decision.targetId as string);
    case ReconcileStep.Revoke:
      return revoke(ctx);
    case ReconcileStep.Revoked:
      return revokedIdle(ctx);
    case ReconcileStep.Delete:
      return deleteCertificate(ctx);
    case ReconcileStep.Restore:
      return restore(ctx);
    default:
      return ready(ctx);
  }
}

/** One conditional write of the outcome, then the things that must follow a successful write only. */
async function persist(
  ctx: StepContext,
  decision: Decision,
  outcome: StepOutcome,
  current: () => CertificateRecord,
): Promise<ReconcileResult> {
  const { deps, now } = ctx;
  const record = current();
  const requeue =
    outcome.requeueAfterSeconds === undefined
      ? undefined
      : Math.min(outcome.requeueAfterSeconds, MAX_QUEUE_DELAY_SECONDS);
  // The planner's safety net: when the queue loses the message, the due index still finds the record.
  const nextWakeAt = outcome.sleep
    ? undefined
    : (outcome.nextWakeAt ?? (requeue === undefined ? record.nextWakeAt : addLease(now, requeue + 60)));
  let version = record.version;
  if (outcome.status !== undefined && needsWrite(record, outcome.status, nextWakeAt, now, outcome.sleep === true)) {
    const { nextWakeAt: _old, ...rest } = record;
    const status = { ...outcome.status, lastReconciledAt: now };
    try {
      const written = await deps.certificates.update({
        ...rest,
        status,
        ...(nextWakeAt === undefined ? {} : { nextWakeAt }),
      });
      version = written.version;
    } catch (error) {
      if (error instanceof ConflictError) return conflict(deps, record, decision);
      throw error;
    }
  }
  for (const order of outcome.orders ?? []) await deps.orders.put(order);
  for (const event of outcome.events ?? []) {
    await deps.events.append(event);
    await deps.publisher.publish(event).catch((error: unknown) => {
      // Publishing is best effort (the event log holds the truth); a failure never undoes the step.
      log(ctx, decision, 'warn', 'PublishFailed', error instanceof Error ? error.message : String(error));
    });
  }
  for (const point of outcome.metrics ?? []) deps.metrics.record(point);
  deps.metrics.record({ name: 'ReconcileStep', value: 1, unit: 'Count', dimensions: { step: decision.step } });
  log(ctx, decision, 'info', outcome.reason, outcome.message);
  return {
    step: decision.step,
    reason: outcome.reason,
    ...(requeue === undefined ? {} : { requeueAfterSeconds: requeue }),
    ...(nextWakeAt === undefined ? {} : { nextWakeAt }),
    version,
  };
}

/** Skip writes that change nothing but the bookkeeping, so repeated messages do not churn the record. */
function needsWrite(
  record: CertificateRecord,
  status: CertificateStatus,
  nextWakeAt: IsoTime | undefined,
  now: IsoTime,
  sleep: boolean,
): boolean {
  const { lastReconciledAt: _a, ...before } = record.status;
  const { lastReconciledAt: _b, ...after } = status;
  if (JSON.stringify(before) !== JSON.stringify(after)) return true;
  // Unchanged status: only move the wake-up if the stored one would not bring the planner back in time.
  // Asleep (revoked): write once to leave the due index, then never again for repeated messages.
  if (sleep) return record.nextWakeAt !== undefined;
  return (
    record.nextWakeAt === undefined ||
    record.nextWakeAt <= now ||
    (nextWakeAt !== undefined && nextWakeAt < record.nextWakeAt)
  );
}

function conflict(deps: ReconcileDependencies, record: CertificateRecord, decision: Decision): ReconcileResult {
  // Another writer got there first (API spec change, a duplicate message): re-read and decide again at once.
  deps.metrics.record({ name: 'WriteConflict', value: 1, unit: 'Count', dimensions: { step: decision.step } });
  deps.log?.({
    level: 'info',
    certificateId: record.id,
    revision: record.status.revision,
    step: decision.step,
    reason: 'Conflict',
    message: 'the record changed meanwhile; deciding again',
  });
  return { step: decision.step, reason: 'Conflict', requeueAfterSeconds: 0 };
}

function log(ctx: StepContext, decision: Decision, level: 'info' | 'warn', reason: string, message: string): void {
  ctx.deps.log?.({
    level,
    certificateId: ctx.record.id,
    revision: ctx.record.status.issuance?.revision ?? ctx.record.status.revision,
    step: decision.step,
    reason,
    message,
  });
}

function addLease(now: IsoTime, seconds: number): IsoTime {
  return toIsoTime(Date.parse(now) + seconds * 1000);
}

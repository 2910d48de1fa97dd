/**
 * Step 9, deliver: one target per call. The intent (`publishing`, with a claim) is written before the target is
 * called, so a duplicate worker waits instead of importing a second time; the ACM import quota is checked and
 * charged (idempotent id per revision and target) before the call. The location the target answers (ACM ARN) is
 * recorded in the next write; if the worker dies before that, the target finds its own earlier deployment by tags
 * (Target contract), so a replay re-imports nothing. Failures back off per target; other targets go on.
 */
import { backoffDelaySeconds } from '../../policies/backoff.js';
import { BUCKET_LIMITS, bucketState, windowStart } from '../../policies/budget.js';
import { addSeconds, secondsUntil } from '../../policies/time.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { isTransient, lifecycleEvent, setCondition, stableMessage } from '../status.js';
import type { CertificateStatus, DeliveryState, TargetSpec } from '../types.js';

export async function deliver(ctx: StepContext, targetId: string): Promise<StepOutcome> {
  const { record, deps, now } = ctx;
  const spec = record.spec.targets.find((t) => t.id === targetId) as TargetSpec;
  const target = deps.targets.forSpec(spec);
  const { revision } = record.status;
  const serial = record.status.serial as string;
  const previous = record.status.deliveries[targetId];
  const sameRevision = previous !== undefined && previous.revision === revision;
  const base: DeliveryState = {
    state: 'publishing',
    revision,
    serial,
    ...(previous?.location === undefined ? {} : { location: previous.location }),
    ...(previous?.supersededLocations === undefined ? {} : { supersededLocations: previous.supersededLocations }),
    ...(sameRevision && previous.failures !== undefined ? { failures: previous.failures } : {}),
  };
  const withDelivery = (delivery: DeliveryState): CertificateStatus => ({
    ...ctx.record.status,
    deliveries: { ...ctx.record.status.deliveries, [targetId]: delivery },
  });

  if (target.quotaScope !== undefined) {
    const entries = await deps.ledger.list(
      'AcmImportsPerRegion',
      target.quotaScope,
      windowStart('AcmImportsPerRegion', now),
    );
    const state = bucketState(BUCKET_LIMITS.AcmImportsPerRegion, entries, now);
    const alreadyCharged = entries.some((e) => e.id === importChargeId(record.id, revision, targetId));
    if (state.refillsAt !== undefined && !alreadyCharged) {
      const message = `${BUCKET_LIMITS.AcmImportsPerRegion.label} used up in ${target.quotaScope}; a slot frees at ${state.refillsAt}`;
      return {
        status: withDelivery({ ...base, state: 'failed', message, retryAt: state.refillsAt }),
        nextWakeAt: state.refillsAt,
        reason: LifecycleReason.QuotaExhausted,
        message,
        metrics: [{ name: 'DeliveryFailed', value: 1, unit: 'Count', dimensions: { targetType: target.type } }],
      };
    }
  }

  await ctx.persistIntent(withDelivery({ ...base, claimedAt: now }));
  if (target.quotaScope !== undefined) {
    await deps.ledger.record([
      {
        id: importChargeId(record.id, revision, targetId),
        bucket: 'AcmImportsPerRegion',
        scope: target.quotaScope,
        at: now,
        certificateId: record.id,
      },
    ]);
  }

  try {
    const material = await deps.store.getCurrent(record.id);
    if (material === undefined || material.revision !== revision) {
      throw new Error(`certificate store: no current material for revision ${revision}`);
    }
    const result = await target.publish(material, {
      certificateId: record.id,
      targetId,
      tenant: record.spec.tenant,
      ...(previous?.location === undefined ? {} : { location: previous.location }),
    });
    const superseded = [...(previous?.supersededLocations ?? []), ...result.supersededLocations];
    const delivered: DeliveryState = {
      state: 'delivered',
      revision,
      serial: result.serial,
      location: result.location,
      deliveredAt: now,
      ...(superseded.length === 0 ? {} : { supersededLocations: [...new Set(superseded)] }),
    };
    const message = `revision ${revision} (serial ${result.serial}) delivered to ${targetId} at ${result.location}`;
    return {
      status: withDelivery(delivered),
      requeueAfterSeconds: 0,
      reason: LifecycleReason.Delivering,
      message,
      events: [
        lifecycleEvent(record, 'delivered', {
          revision,
          idSuffix: `${revision}/delivered/${targetId}`,
          reason: LifecycleReason.Delivering,
          message,
          at: now,
          serial: result.serial,
          targetId,
        }),
      ],
      metrics: [{ name: 'CertificateDelivered', value: 1, unit: 'Count', dimensions: { targetType: target.type } }],
    };
  } catch (error) {
    const failures = (base.failures ?? 0) + 1;
    const retryAt = addSeconds(now, backoffDelaySeconds(failures));
    const detail = stableMessage(error instanceof Error ? error.message : String(error));
    const message = `delivery to ${targetId} failed (${isTransient(error) ? 'transient' : 'permanent'}): ${detail}`;
    const { claimedAt: _released, ...unclaimed } = base;
    const status = withDelivery({ ...unclaimed, state: 'failed', failures, retryAt, message });
    const wait = secondsUntil(now, retryAt);
    return {
      status: {
        ...status,
        conditions: setCondition(status.conditions, 'Ready', 'False', LifecycleReason.DeliveryFailed, message, now),
      },
      nextWakeAt: retryAt,
      ...(wait <= 900 ? { requeueAfterSeconds: wait } : {}),
      reason: LifecycleReason.DeliveryFailed,
      message,
      events: [
        lifecycleEvent(record, 'failed', {
          revision,
          idSuffix: `${revision}/delivery-failed/${targetId}/${failures}`,
          reason: LifecycleReason.DeliveryFailed,
          message,
          at: now,
          targetId,
        }),
      ],
      metrics: [{ name: 'DeliveryFailed', value: 1, unit: 'Count', dimensions: { targetType: target.type } }],
    };
  }
}

function importChargeId(certificateId: string, revision: number, targetId: string): string {
  return `${certificateId}/${revision}/import/${targetId}`;
}

/**
 * Step 2, pre-flight + budget: refuse or defer BEFORE the CA is asked. CAA is checked for every DNS name (RFC 8659,
 * through the resolver port); the ledger must have a token in every bucket the order would spend. When it does,
 * the order's charges are recorded (idempotent ids) before the phase moves to Ordering, so the newOrder call that
 * follows is always counted, even if the worker crashes right after it.
 */
import { CHARGED_AT_ORDER, checkBudget, orderBuckets, windowStart } from '../../policies/budget.js';
import { secondsUntil } from '../../policies/time.js';
import type { LedgerEntry } from '../../ports/ledger.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing } from '../status.js';
import { identifiersOf } from './start.js';

export async function preflight(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined) {
    return failIssuance(ctx, {
      reason: LifecycleReason.IssuerUnknown,
      message: `issuer "${record.spec.issuer}" is not configured`,
    });
  }

  const resolver = deps.dns?.resolver ?? deps.resolver;
  if (resolver !== undefined && issuer.caaIdentities.length > 0) {
    for (const { value: name } of identifiersOf(record.spec.names).filter((i) => i.type === 'dns')) {
      const verdict = await resolver.checkCaa(name, issuer.caaIdentities, { wildcard: name.startsWith('*.') });
      if (!verdict.allowed) {
        return failIssuance(ctx, {
          reason: LifecycleReason.CaaForbidden,
          message: `CAA for ${name}: ${verdict.reason}`,
        });
      }
    }
  }

  const buckets = orderBuckets({
    issuer: issuer.id,
    names: record.spec.names,
    letsEncryptLimits: issuer.letsEncryptLimits,
    ...(issuance.replaces === undefined ? {} : { replaces: issuance.replaces }),
  });
  const usages = await Promise.all(
    buckets.map(async (b) => ({
      ...b,
      entries: await deps.ledger.list(b.bucket, b.scope, windowStart(b.bucket, now)),
    })),
  );
  const refusal = checkBudget(usages, now);
  if (refusal !== undefined) {
    const next = { ...advance(issuance, {}), waitUntil: refusal.refillsAt };
    const wait = secondsUntil(now, refusal.refillsAt);
    return {
      status: issuing({ ...record.status, issuance: next }, true, LifecycleReason.RateLimited, refusal.message, now),
      nextWakeAt: refusal.refillsAt,
      ...(wait <= 900 ? { requeueAfterSeconds: wait } : {}),
      reason: LifecycleReason.RateLimited,
      message: refusal.message,
      metrics: [{ name: 'BudgetRefused', value: 1, unit: 'Count', dimensions: { reason: refusal.reason } }],
    };
  }

  const charges: LedgerEntry[] = buckets
    .filter((b) => CHARGED_AT_ORDER.has(b.bucket))
    .map((b) => ({
      id: `${record.id}/${issuance.revision}.${issuance.attempt}/order`,
      bucket: b.bucket,
      scope: b.scope,
      at: now,
      certificateId: record.id,
    }));
  await deps.ledger.record(charges);
  const next = advance(issuance, { phase: 'Ordering' });
  return {
    status: issuing(
      { ...record.status, issuance: next },
      true,
      LifecycleReason.Ordering,
      'pre-flight passed; ordering',
      now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Ordering,
    message: 'pre-flight and budget passed',
  };
}

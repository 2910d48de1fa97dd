/**
 * Step 3, order: newOrder is the one call ACME offers no idempotency for, so it runs under a claim: the claim is
 * written conditionally first (a duplicate worker loses that write and never calls the CA), and the order URL is
 * persisted in the very next write. A worker that crashes between the CA's answer and that write leaves the claim
 * behind; after the lease, the order is asked for again (Let's Encrypt hands back the same pending order for the
 * same account and names; the ledger charge of this attempt is not repeated).
 */
import { specHash } from '../../policies/spec-hash.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing, orderRecord } from '../status.js';
import type { IssuanceRecord } from '../types.js';
import { claimStep } from './claim.js';
import { identifiersOf } from './start.js';

export async function createOrder(ctx: StepContext): Promise<StepOutcome> {
  const issuance = inFlight(ctx.record.status);
  const issuer = ctx.issuer;
  if (issuer === undefined) throw new Error(`lifecycle: issuer ${ctx.record.spec.issuer} vanished after pre-flight`);
  await claimStep(ctx, 'order');

  const { spec } = ctx.record;
  const order = await issuer.acme.newOrder({
    identifiers: identifiersOf(spec.names),
    ...(spec.profile === undefined ? {} : { profile: spec.profile }),
    ...(issuance.replaces === undefined ? {} : { replaces: issuance.replaces }),
  });
  const { replaces: _replaces, ...withoutReplaces } = issuance;
  const base: IssuanceRecord = order.replacesDropped === true ? withoutReplaces : issuance;
  const next = advance(base, {
    phase: 'Presenting',
    orderUrl: order.url,
    finalizeUrl: order.finalize,
    // The order is for the spec as it is NOW (it may have changed since the trigger): hash what was ordered.
    specHash: specHash(spec),
  });
  const message = `order ${order.url} created (${order.status})`;
  return {
    status: issuing(
      { ...ctx.record.status, issuance: next },
      true,
      LifecycleReason.Presenting,
      'order created',
      ctx.now,
    ),
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Ordering,
    message,
    orders: [orderRecord(ctx.record.id, next)],
  };
}

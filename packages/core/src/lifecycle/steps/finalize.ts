/**
 * Step 7, finalize: a fresh key for every order, stored as PENDING in the certificate store BEFORE the CSR leaves
 * (so a crash can never leave the CA with a certificate whose key is lost). `putPending` is create-if-absent per
 * revision and returns the stored key, so a retry or a duplicate worker signs with the same key: one key per
 * revision. The order is read first: when it is already processing/valid, the finalize was sent by an earlier
 * attempt and is not sent again. Key and CSR run under a claim (claim.ts): concurrent duplicates never race two keys.
 */

import type { AcmeClient, AcmeOrder } from '../../ports/acme-client.js';
import { AcmeProblemError } from '../../ports/acme-client.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import { advance, inFlight, issuing } from '../status.js';
import { claimStep } from './claim.js';
import { identifiersOf } from './start.js';

const ORDER_NOT_READY = 'urn:ietf:params:acme:error:orderNotReady';

export async function finalizeOrder(ctx: StepContext): Promise<StepOutcome> {
  const { record, deps, now, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined) throw new Error(`lifecycle: issuer ${record.spec.issuer} is not configured`);
  const acme = issuer.acme;
  let order = await acme.getOrder(issuance.orderUrl as string);

  if (order.status === 'ready') {
    await claimStep(ctx, 'finalize');
    const fresh = await deps.keys.generateKey(record.spec.keyType);
    const key = await deps.store.putPending(record.id, issuance.revision, fresh);
    const csr = await deps.keys.createCsr(key, identifiersOf(order.identifiers.map((i) => i.value)));
    order = await sendFinalize(acme, order, csr);
  }

  if (order.status === 'processing' || order.status === 'valid') {
    const next = advance(issuance, {
      phase: 'Downloading',
      pendingKeyStoredAt: issuance.pendingKeyStoredAt ?? now,
      finalizedAt: issuance.finalizedAt ?? now,
    });
    return {
      status: issuing(
        { ...record.status, issuance: next },
        true,
        LifecycleReason.Downloading,
        'the CA is issuing',
        now,
      ),
      requeueAfterSeconds: order.status === 'valid' ? 0 : 1,
      reason: LifecycleReason.Finalizing,
      message: `CSR sent with a fresh ${record.spec.keyType} key stored pending for revision ${issuance.revision}`,
    };
  }
  return failIssuance(ctx, {
    reason: LifecycleReason.FinalizeFailed,
    message: `order is ${order.status}, not ready to finalize${order.error?.detail ? `: ${order.error.detail}` : ''}`,
  });
}

/** Finalize; when a concurrent worker finalized first (`orderNotReady`), the order as it now is. */
async function sendFinalize(acme: AcmeClient, order: AcmeOrder, csr: string): Promise<AcmeOrder> {
  try {
    return await acme.finalize(order, csr);
  } catch (error) {
    if (error instanceof AcmeProblemError && error.type === ORDER_NOT_READY) {
      const now = await acme.getOrder(order.url);
      if (now.status === 'processing' || now.status === 'valid') return now;
    }
    throw error;
  }
}

/**
 * Revoke (a `revokeRequest` from the API): the current certificate is revoked at the CA with the ACCOUNT key (the
 * port's `revoke`), then recorded in `status.revocation`. Idempotent: a repeat after a crash gets `alreadyRevoked`
 * from the CA, which counts as done. A revoked certificate is not renewed, re-issued or delivered until a renewal
 * is requested after the revocation (decide.ts). Decided only while no issuance is in flight: a request made
 * during one is carried out on the certificate that is current when it ends.
 */
import { splitPemChain } from '../../certificates/inspect.js';
import { AcmeProblemError, AcmeProblemType, RevocationReason } from '../../ports/acme-client.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { lifecycleEvent, setCondition } from '../status.js';
import type { RevocationReasonName, RevocationState } from '../types.js';

/** Revokes the current certificate (if any) at the CA; returns the revoked serial, undefined when none exists. */
export async function revokeAtCa(ctx: StepContext, reason: RevocationReasonName): Promise<string | undefined> {
  const { record, deps, issuer } = ctx;
  if (record.status.revision === 0) return undefined;
  const stored = await deps.store.describeCurrent(record.id);
  if (stored === undefined) return undefined;
  if (issuer === undefined) throw new Error(`lifecycle: issuer ${record.spec.issuer} is not configured`);
  const leaf = splitPemChain(stored.chainPem)[0] as NonNullable<ReturnType<typeof splitPemChain>[number]>;
  try {
    await issuer.acme.revoke(leaf.toString(), RevocationReason[reason]);
  } catch (error) {
    if (!(error instanceof AcmeProblemError && error.type === AcmeProblemType.alreadyRevoked)) throw error;
  }
  return stored.serial;
}

export async function revoke(ctx: StepContext): Promise<StepOutcome> {
  const { record, now } = ctx;
  const request = record.revokeRequest;
  if (request === undefined) throw new Error('lifecycle: revoke decided without a revokeRequest');
  const serial = await revokeAtCa(ctx, request.reason);
  const renewalAlreadyRequested = record.renewRequestedAt !== undefined && record.renewRequestedAt >= request.at;
  const revocation: RevocationState = {
    requestedAt: request.at,
    revokedAt: now,
    reason: request.reason,
    revision: record.status.revision,
    ...(serial === undefined ? {} : { serial }),
  };
  const message =
    serial === undefined
      ? `nothing was issued yet; revocation (${request.reason}) recorded, no issuance until a renewal is requested`
      : `serial ${serial} revoked at the CA (${request.reason}); no renewal until one is requested`;
  return {
    status: {
      ...record.status,
      revocation,
      conditions: setCondition(record.status.conditions, 'Ready', 'False', LifecycleReason.Revoked, message, now),
    },
    // A renewal already asked for since the revocation request (revoke, then renew at once) goes on right away;
    // otherwise the record leaves the due index until one is requested.
    ...(renewalAlreadyRequested ? { nextWakeAt: now, requeueAfterSeconds: 0 } : { sleep: true }),
    reason: LifecycleReason.Revoked,
    message,
    events: [
      lifecycleEvent(record, 'revoked', {
        revision: record.status.revision,
        idSuffix: `${record.status.revision}/revoked/${request.at}`,
        reason: request.reason,
        message,
        at: now,
        ...(serial === undefined ? {} : { serial }),
      }),
    ],
  };
}

/** A revoked certificate waiting for a renewal request: Ready stays False, the record leaves the due index. */
export async function revokedIdle(ctx: StepContext): Promise<StepOutcome> {
  const { record, now } = ctx;
  const revocation = record.status.revocation as RevocationState;
  const message = `revoked at ${revocation.revokedAt} (${revocation.reason}); waiting for a renewal request`;
  const shown = record.status.conditions.find((c) => c.type === 'Ready');
  // Keep the revoke step's sentence when Ready already says Revoked: repeated messages then write nothing.
  const conditions =
    shown?.status === 'False' && shown.reason === LifecycleReason.Revoked
      ? record.status.conditions
      : setCondition(record.status.conditions, 'Ready', 'False', LifecycleReason.Revoked, message, now);
  return {
    status: { ...record.status, conditions },
    sleep: true,
    reason: LifecycleReason.Revoked,
    message,
  };
}

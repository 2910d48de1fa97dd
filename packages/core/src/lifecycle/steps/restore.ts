/**
 * Restore (a `restoreRequest` from the API, the runbook "restore a previous certificate version"): an earlier
 * certificate still in the store becomes current again as a NEW revision; deliveries then follow the new current
 * serial on their own (ACM re-imports on the same ARN). Carried out once per request, like revoke:
 *
 *   request ─▶ checks (stored? unexpired? not the revoked one? same names and key type as the spec?)
 *              │ no: status.restore.refused + a `failed` event (RestoreRefused); nothing else changes
 *              ▼ yes
 *   intent `status.restoring` {serial, revision = current + 1, claim} written and read back
 *              ▼
 *   store.promoteExisting(revision, serial)   (idempotent: a crash after it promotes nothing twice)
 *              ▼
 *   status: revision/serial/dates/certId of the restored certificate, renewal held, `restore` answered,
 *           `restoring` removed, event `renewed` (reason Restored)
 *
 * Renewal: the restored certificate was usually renewed because it was due, so the usual renewal time would fire
 * at once and undo the restore. It is held until halfway through the validity left (or the lifetime backstop, if
 * later), and ARI is not asked before that point; a `renew` request overrides the hold at any time.
 */

import { splitPemChain } from '../../certificates/inspect.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { lifetimeRenewalTime } from '../../policies/renewal-time.js';
import { ms } from '../../policies/time.js';
import type { KeyType } from '../../ports/acme-client.js';
import type { StoredCertificateInfo } from '../../ports/certificate-store.js';
import { pendingRestore } from '../decide.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { LifecycleReason } from '../reasons.js';
import { lifecycleEvent, setCondition, stableMessage } from '../status.js';
import type { CertificateStatus, RenewalState, RestoreIntent, RestoreRequest } from '../types.js';
import { toIsoTime } from '../types.js';

export async function restore(ctx: StepContext): Promise<StepOutcome> {
  const { record, now } = ctx;
  let intent = record.status.restoring;
  if (intent === undefined) {
    const request = pendingRestore(record);
    if (request === undefined) throw new Error('lifecycle: restore decided without a pending restoreRequest');
    if (request.serial === record.status.serial) {
      return answered(ctx, request, `serial ${request.serial} is already the current certificate; nothing to restore`);
    }
    const refusal = await refusalOf(ctx, request.serial);
    if (refusal !== undefined) return refused(ctx, request, refusal);
    intent = {
      requestedAt: request.at,
      serial: request.serial,
      revision: record.status.revision + 1,
      claimedAt: now,
      token: '',
    };
  }
  const claimed: RestoreIntent = { ...intent, claimedAt: now, token: tokenOf(ctx) };
  await claimRestore(ctx, claimed);

  let restored: StoredCertificateInfo;
  try {
    restored = await ctx.deps.store.promoteExisting(record.id, claimed.revision, claimed.serial);
  } catch (error) {
    // The version vanished (Secrets Manager removed it) or the store moved on: answer, never loop on it.
    if (!(error instanceof NotFoundError || error instanceof ConflictError)) throw error;
    const request = { at: claimed.requestedAt, serial: claimed.serial, by: '' };
    return refused(ctx, request, `the certificate store refused: ${stableMessage(error.message)}`);
  }
  return promoted(ctx, claimed, restored);
}

/** Why the stored certificate with `serial` may not become current; undefined when it may. */
async function refusalOf(ctx: StepContext, serial: string): Promise<string | undefined> {
  const { record, now, deps } = ctx;
  if (record.status.revision === 0) return 'nothing has been issued yet, so there is no earlier certificate';
  const stored = (await deps.store.listVersions(record.id)).find((version) => version.serial === serial);
  if (stored === undefined) return `serial ${serial} is not a certificate stored for ${record.id}`;
  if (stored.notAfter <= now) return `serial ${serial} expired at ${stored.notAfter}`;
  const revocation = record.status.revocation;
  if (revocation?.serial === serial) return `serial ${serial} was revoked at ${revocation.revokedAt}`;
  const wanted = [...record.spec.names].sort().join(', ');
  const held = [...stored.names].sort().join(', ');
  if (wanted !== held) return `serial ${serial} covers ${held}, but the spec asks for ${wanted}`;
  const keyType = keyTypeOfLeaf(stored.chainPem);
  if (keyType !== record.spec.keyType) {
    return `serial ${serial} has a ${keyType ?? 'unsupported'} key, but the spec asks for ${record.spec.keyType}`;
  }
  return undefined;
}

/** The key type of the chain's leaf, named like `KeyType`; undefined for a key Portcullis does not issue. */
export function keyTypeOfLeaf(chainPem: string): KeyType | undefined {
  const leaf = splitPemChain(chainPem)[0];
  const key = leaf?.publicKey;
  const details = key?.asymmetricKeyDetails ?? {};
  if (key?.asymmetricKeyType === 'ec') {
    return ({ prime256v1: 'ec-p256', secp384r1: 'ec-p384' } as const)[details.namedCurve as 'prime256v1'];
  }
  if (key?.asymmetricKeyType === 'rsa') {
    return ({ 2048: 'rsa-2048', 3072: 'rsa-3072', 4096: 'rsa-4096' } as const)[details.modulusLength as 2048];
  }
  return undefined;
}

function tokenOf(ctx: StepContext): string {
  return Math.floor(ctx.deps.random.next() * 2 ** 48).toString(36);
}

/** Like claim.ts: the conditional write lets one duplicate win; the read-back catches a store that let two. */
async function claimRestore(ctx: StepContext, intent: RestoreIntent): Promise<void> {
  await ctx.persistIntent({ ...ctx.record.status, restoring: intent });
  const stored = await ctx.deps.certificates.get(ctx.record.id);
  if (stored?.status.restoring?.token !== intent.token) {
    throw new ConflictError(`lifecycle: certificate ${ctx.record.id}: another worker claimed the restore`);
  }
}

/** Halfway through the validity left, or the lifetime backstop when that is later (see the module comment). */
export function heldRenewal(
  restored: Pick<StoredCertificateInfo, 'notBefore' | 'notAfter'>,
  ctx: Pick<StepContext, 'now' | 'deps' | 'record'>,
): RenewalState {
  const backstop = lifetimeRenewalTime({
    notBefore: restored.notBefore,
    notAfter: restored.notAfter,
    random: ctx.deps.random,
    ...(ctx.record.spec.renewal === undefined ? {} : { policy: ctx.record.spec.renewal }),
  });
  const halfway = (ms(ctx.now) + ms(restored.notAfter)) / 2;
  const at = toIsoTime(Math.max(ms(backstop), halfway));
  return { at, source: 'lifetime', ariNextCheckAt: at };
}

function promoted(ctx: StepContext, intent: RestoreIntent, restored: StoredCertificateInfo): StepOutcome {
  const { record, now, issuer } = ctx;
  const { restoring: _done, renewal: _held, certId: _old, ...kept } = record.status;
  const message = `serial ${restored.serial} restored as revision ${restored.revision}, valid until ${restored.notAfter}`;
  const renewRequested = record.renewRequestedAt;
  let status: CertificateStatus = {
    ...kept,
    revision: restored.revision,
    serial: restored.serial,
    names: [...restored.names],
    notBefore: restored.notBefore,
    notAfter: restored.notAfter,
    ...(issuer === undefined ? {} : { certId: issuer.acme.certId(restored.chainPem) }),
    renewal: heldRenewal(restored, ctx),
    restore: { requestedAt: intent.requestedAt, restoredAt: now, serial: restored.serial, revision: restored.revision },
    // A renewal asked for BEFORE the restore would undo it at once: the later request wins.
    ...(renewRequested !== undefined && renewRequested <= intent.requestedAt
      ? { renewRequestHandledAt: renewRequested }
      : {}),
  };
  if (record.spec.targets.length > 0) {
    status = {
      ...status,
      conditions: setCondition(status.conditions, 'Ready', 'False', LifecycleReason.Delivering, message, now),
    };
  }
  return {
    status,
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Restored,
    message,
    events: [
      lifecycleEvent(record, 'renewed', {
        revision: restored.revision,
        idSuffix: `${restored.revision}/restored/${intent.requestedAt}`,
        reason: LifecycleReason.Restored,
        message,
        at: now,
        serial: restored.serial,
        notAfter: restored.notAfter,
      }),
    ],
  };
}

/** The request needs nothing done (the serial is current already): answered without a new revision. */
function answered(ctx: StepContext, request: RestoreRequest, message: string): StepOutcome {
  const { record, now } = ctx;
  return {
    status: {
      ...record.status,
      restore: { requestedAt: request.at, restoredAt: now, serial: request.serial, revision: record.status.revision },
    },
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Restored,
    message,
  };
}

function refused(ctx: StepContext, request: Pick<RestoreRequest, 'at' | 'serial'>, why: string): StepOutcome {
  const { record, now } = ctx;
  const { restoring: _dropped, ...status } = record.status;
  const message = `restore of serial ${request.serial} refused: ${why}`;
  return {
    status: { ...status, restore: { requestedAt: request.at, restoredAt: now, serial: request.serial, refused: why } },
    requeueAfterSeconds: 0,
    reason: LifecycleReason.RestoreRefused,
    message,
    events: [
      lifecycleEvent(record, 'failed', {
        revision: record.status.revision,
        idSuffix: `${record.status.revision}/restore-refused/${request.at}`,
        reason: LifecycleReason.RestoreRefused,
        message,
        at: now,
        serial: request.serial,
      }),
    ],
  };
}

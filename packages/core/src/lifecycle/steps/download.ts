/**
 * Step 8, download + promote: poll the order (Retry-After → requeue), download the chain, and make key and chain
 * current together in the certificate store; only then does status name the new revision. Promote is idempotent,
 * so a crash after it and before the status write just promotes again (no second key, no second certificate).
 * Download and promote run under a claim (claim.ts) so duplicates never move the store's stages concurrently.
 */
import { serialHex, splitPemChain } from '../../certificates/inspect.js';
import { registeredDomain } from '../../policies/budget.js';
import { secondsUntil } from '../../policies/time.js';
import type { CertificateFacts } from '../../ports/certificate-store.js';
import type { LedgerEntry } from '../../ports/ledger.js';
import type { StepContext, StepOutcome } from '../dependencies.js';
import { failIssuance } from '../failure.js';
import { LifecycleReason } from '../reasons.js';
import {
  addSeconds,
  inFlight,
  issuing,
  lifecycleEvent,
  orderRecord,
  setCondition,
  withoutIssuance,
} from '../status.js';
import { toIsoTime } from '../types.js';
import { claimStep } from './claim.js';

export async function downloadAndPromote(ctx: StepContext): Promise<StepOutcome> {
  const { record, now, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined) throw new Error(`lifecycle: issuer ${record.spec.issuer} is not configured`);
  const poll = await issuer.acme.pollOrder(issuance.orderUrl as string);
  const order = poll.order;
  if (order.status === 'invalid') {
    return failIssuance(ctx, {
      reason: LifecycleReason.OrderFailed,
      message: `the CA marked order ${order.url} invalid after finalize${order.error?.detail ? `: ${order.error.detail}` : ''}`,
    });
  }
  if (order.status !== 'valid') {
    const seconds = Math.max(1, Math.ceil((poll.retryAfterMs ?? 1000) / 1000));
    const next = { ...issuance, waitUntil: addSeconds(now, seconds) };
    return {
      status: { ...record.status, issuance: next },
      requeueAfterSeconds: seconds,
      reason: LifecycleReason.Downloading,
      message: `order is ${order.status}; polling again in ${seconds} s`,
    };
  }

  await claimStep(ctx, 'download');
  const chainPem = await issuer.acme.downloadCertificate(
    order,
    record.spec.preferredChain === undefined ? {} : { preferredChain: record.spec.preferredChain },
  );
  const leaf = splitPemChain(chainPem)[0];
  if (leaf === undefined) throw new Error('lifecycle: the downloaded chain holds no certificate');
  const names = order.identifiers.map((i) => i.value);
  const facts = {
    serial: serialHex(leaf),
    names,
    notBefore: toIsoTime(new Date(leaf.validFrom)),
    notAfter: toIsoTime(new Date(leaf.validTo)),
  };
  await promoteOnce(ctx, issuance.revision, chainPem, facts);
  await chargeCertificate(ctx, names);

  const { failures: _cleared, renewal: _recomputed, ...kept } = withoutIssuance(record.status);
  const renewed = record.status.revision > 0;
  const message = `revision ${issuance.revision} issued: serial ${facts.serial}, valid until ${facts.notAfter}`;
  let status = issuing(
    {
      ...kept,
      revision: issuance.revision,
      serial: facts.serial,
      names,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      certId: issuer.acme.certId(chainPem),
      specHash: issuance.specHash,
    },
    false,
    LifecycleReason.Issued,
    message,
    now,
  );
  if (record.spec.targets.length > 0) {
    status = {
      ...status,
      conditions: setCondition(
        status.conditions,
        'Ready',
        'False',
        LifecycleReason.Delivering,
        'delivering to targets',
        now,
      ),
    };
  }
  const event = lifecycleEvent(record, renewed ? 'renewed' : 'issued', {
    revision: issuance.revision,
    idSuffix: `${issuance.revision}.${issuance.attempt}/${renewed ? 'renewed' : 'issued'}`,
    reason: issuance.reason,
    message,
    at: now,
    serial: facts.serial,
    notAfter: facts.notAfter,
  });
  return {
    status,
    requeueAfterSeconds: 0,
    reason: LifecycleReason.Issued,
    message,
    events: [event],
    orders: [orderRecord(record.id, issuance, { result: 'issued', at: now, serial: facts.serial })],
    metrics: [
      { name: 'CertificateIssued', value: 1, unit: 'Count', dimensions: { issuer: issuer.id } },
      { name: 'IssuanceDuration', value: secondsUntil(issuance.startedAt, now), unit: 'Seconds' },
    ],
  };
}

/**
 * Promote; when it fails but the store already holds this revision and serial as current, a duplicate worker
 * promoted it concurrently (the claim narrows that to a race between two conditional claim writes, which a store
 * whose conditional writes are not atomic under concurrency — moto — lets both win): that is the outcome wanted.
 */
async function promoteOnce(ctx: StepContext, revision: number, chainPem: string, facts: CertificateFacts) {
  try {
    await ctx.deps.store.promote(ctx.record.id, revision, chainPem, facts);
  } catch (error) {
    const current = await ctx.deps.store.describeCurrent(ctx.record.id).catch(() => undefined);
    if (current?.revision !== revision || current.serial !== facts.serial) throw error;
  }
}

/** Let's Encrypt counts issued certificates per registered domain; `replaces` renewals are exempt. */
async function chargeCertificate(ctx: StepContext, names: readonly string[]): Promise<void> {
  const { record, now, issuer } = ctx;
  const issuance = inFlight(record.status);
  if (issuer === undefined || !issuer.letsEncryptLimits || issuance.replaces !== undefined) return;
  const domains = [...new Set(names.map(registeredDomain))];
  const entries: LedgerEntry[] = domains.map((domain) => ({
    id: `${record.id}/${issuance.revision}.${issuance.attempt}/certificate`,
    bucket: 'CertificatesPerRegisteredDomain',
    scope: `${issuer.id}|${domain}`,
    at: now,
    certificateId: record.id,
  }));
  await ctx.deps.ledger.record(entries);
}

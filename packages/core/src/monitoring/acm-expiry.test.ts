/** The ACM expiry event with in-memory fakes (unit test; the real event flow runs under test/monitoring). */
import { describe, expect, it } from 'vitest';
import { AlertNotSentError, ConflictError } from '../errors.js';
import { type CertificateRecord, newCertificateRecord, toIsoTime } from '../lifecycle/types.js';
import { ManualClock } from '../testing/clock.js';
import { FakeAcmInventory, RecordingNotifier } from '../testing/fake-monitoring.js';
import { MemoryAlertRepository, MemoryObservationStore } from '../testing/memory-alerts.js';
import { MemoryCertificateRepository } from '../testing/memory-certificate-repository.js';
import { MemoryQueue, RecordingMetrics } from '../testing/memory-events.js';
import { MemoryTargetFactory } from '../testing/memory-target.js';
import { handleAcmExpiry } from './acm-expiry.js';
import type { AcmCertificateSummary } from './types.js';

const NOW = '2026-06-01T00:00:00Z';
const DAY = 86_400;
const at = (seconds: number) => toIsoTime(Date.parse(NOW) + seconds * 1000);
const MANAGED = 'arn:aws:acm:eu-west-1:1:certificate/managed';
const UNMANAGED = 'arn:aws:acm:eu-west-1:1:certificate/legacy';

function world() {
  const inventory = new FakeAcmInventory();
  const deps = {
    certificates: new MemoryCertificateRepository(),
    targets: new MemoryTargetFactory(),
    alerts: new MemoryAlertRepository(),
    observations: new MemoryObservationStore(),
    notifier: new RecordingNotifier(),
    metrics: new RecordingMetrics(),
    queue: new MemoryQueue(),
    acm: { inventory, regions: ['eu-west-1'] },
    clock: new ManualClock(NOW),
  };
  return { ...deps, inventory, deps };
}

const summary = (changes: Partial<AcmCertificateSummary>): AcmCertificateSummary => ({
  arn: UNMANAGED,
  region: 'eu-west-1',
  domainName: 'legacy.test',
  names: ['legacy.test'],
  serial: 'aa01',
  notAfter: at(10 * DAY),
  managed: false,
  ...changes,
});

async function managed(w: ReturnType<typeof world>, changes: Partial<CertificateRecord> = {}) {
  w.inventory.add(summary({ arn: MANAGED, managed: true, certificateId: 'c1' }));
  const base = newCertificateRecord(
    'c1',
    {
      names: ['example.test'],
      keyType: 'ec-p256',
      issuer: 'letsencrypt',
      challenge: 'dns-01',
      targets: [],
      tenant: 't',
    },
    at(-80 * DAY),
  );
  const { nextWakeAt: _none, ...idle } = base;
  await w.certificates.create({
    ...idle,
    status: { ...base.status, revision: 1, serial: 'aa01', notAfter: at(10 * DAY) },
    ...changes,
  });
}

const event = (arn: string) => ({ arn, region: 'eu-west-1', daysToExpiry: 10 });

describe('handleAcmExpiry', () => {
  it('requests a renewal of a managed certificate now and enqueues it', async () => {
    const w = world();
    await managed(w);
    expect(await handleAcmExpiry(w.deps, event(MANAGED))).toEqual({ action: 'renew', certificateId: 'c1' });
    const record = await w.certificates.get('c1');
    expect(record).toMatchObject({ renewRequestedAt: NOW, nextWakeAt: NOW, version: 2 });
    expect(w.queue.messages).toEqual([{ certificateId: 'c1', delaySeconds: 0 }]);
  });

  it('asks only once while a renewal request is still unanswered (ACM repeats the event daily)', async () => {
    const w = world();
    await managed(w, { renewRequestedAt: at(-DAY) });
    expect(await handleAcmExpiry(w.deps, event(MANAGED))).toEqual({ action: 'renew', certificateId: 'c1' });
    expect((await w.certificates.get('c1'))?.version).toBe(1);
    expect(w.queue.messages).toHaveLength(1);
  });

  it('only enqueues when the current revision is newer than what ACM holds (delivery is the fix)', async () => {
    const w = world();
    await managed(w);
    const stored = (await w.certificates.get('c1')) as CertificateRecord;
    await w.certificates.update({
      ...stored,
      status: { ...stored.status, revision: 2, serial: 'bb02', notAfter: at(90 * DAY) },
    });
    expect(await handleAcmExpiry(w.deps, event(MANAGED))).toEqual({ action: 'renew', certificateId: 'c1' });
    expect((await w.certificates.get('c1'))?.renewRequestedAt).toBeUndefined();
    expect(w.queue.messages).toHaveLength(1);
  });

  it('re-reads and retries when reconcile wrote the record in between', async () => {
    const w = world();
    await managed(w);
    let conflicts = 2;
    w.certificates.onBeforeUpdate(() => {
      if (conflicts-- > 0) throw new ConflictError('memory: lost the race (injected)');
    });
    expect(await handleAcmExpiry(w.deps, event(MANAGED))).toEqual({ action: 'renew', certificateId: 'c1' });
    expect((await w.certificates.get('c1'))?.renewRequestedAt).toBe(NOW);
  });

  it('gives up after three conflicts with the ConflictError', async () => {
    const w = world();
    await managed(w);
    w.certificates.onBeforeUpdate(() => {
      throw new ConflictError('memory: lost the race (injected)');
    });
    await expect(handleAcmExpiry(w.deps, event(MANAGED))).rejects.toBeInstanceOf(ConflictError);
    expect(w.queue.messages).toEqual([]);
  });

  it('ignores a managed ARN whose certificate is gone', async () => {
    const w = world();
    w.inventory.add(summary({ arn: MANAGED, managed: true, certificateId: 'gone' }));
    expect(await handleAcmExpiry(w.deps, event(MANAGED))).toEqual({ action: 'ignored', certificateId: 'gone' });
  });

  it('ignores an ARN the inventory does not know', async () => {
    const w = world();
    expect(await handleAcmExpiry(w.deps, event('arn:aws:acm:eu-west-1:1:certificate/unknown'))).toEqual({
      action: 'ignored',
    });
  });

  it('raises unmanaged-expiring for an unmanaged certificate once, through dedup', async () => {
    const w = world();
    w.inventory.add(summary({}));
    expect(await handleAcmExpiry(w.deps, event(UNMANAGED))).toEqual({ action: 'alert' });
    w.deps.clock.advance(DAY);
    expect(await handleAcmExpiry(w.deps, event(UNMANAGED))).toEqual({ action: 'alert' });
    expect(w.notifier.log).toEqual([`opened unmanaged-expiring:${UNMANAGED}`]);
    expect(await w.alerts.get(`unmanaged-expiring:${UNMANAGED}`)).toMatchObject({
      state: 'open',
      threshold: '14d',
      lastSeenAt: at(DAY),
      notifiedAt: NOW,
    });
  });

  it('uses the days the event tells when ACM gives no notAfter', async () => {
    const w = world();
    const { notAfter: _unknown, ...undated } = summary({});
    w.inventory.add(undated);
    expect(await handleAcmExpiry(w.deps, { arn: UNMANAGED, region: 'eu-west-1', daysToExpiry: 2 })).toEqual({
      action: 'alert',
    });
    expect((await w.alerts.get(`unmanaged-expiring:${UNMANAGED}`))?.threshold).toBe('3d');
  });

  it('ignores an unmanaged certificate further from expiry than every threshold', async () => {
    const w = world();
    w.inventory.add(summary({ notAfter: at(44 * DAY) }));
    expect(await handleAcmExpiry(w.deps, event(UNMANAGED))).toEqual({ action: 'ignored' });
    expect(w.notifier.log).toEqual([]);
  });

  it('fails with a retryable AlertNotSentError when the notification cannot be sent', async () => {
    const w = world();
    w.inventory.add(summary({}));
    w.notifier.failNext();
    const failure = handleAcmExpiry(w.deps, event(UNMANAGED));
    await expect(failure).rejects.toBeInstanceOf(AlertNotSentError);
    await expect(failure).rejects.toMatchObject({ retryable: true });
    expect(await w.alerts.get(`unmanaged-expiring:${UNMANAGED}`)).toBeUndefined();
  });
});

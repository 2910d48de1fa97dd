/**
 * The monitor use case with in-memory fakes of every port (unit test: the real adapters run the conformance suites
 * and the end-to-end tests under test/monitoring). Failures are injected with the fakes' `fail*` helpers — the
 * only way to make an SNS send or an ACM listing fail on demand.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateRecord, CertificateSpec, DeliveryState } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';
import type { CertificateMaterial } from '../ports/certificate-store.js';
import { redact } from '../redacted.js';
import { ManualClock } from '../testing/clock.js';
import {
  FakeAcmInventory,
  FakeDeadLetterQueue,
  FakeEndpointProber,
  RecordingNotifier,
} from '../testing/fake-monitoring.js';
import { MemoryAlertRepository, MemoryObservationStore } from '../testing/memory-alerts.js';
import { MemoryCertificateRepository } from '../testing/memory-certificate-repository.js';
import { RecordingMetrics } from '../testing/memory-events.js';
import { MemoryRateLimitLedger } from '../testing/memory-ledger.js';
import { MemoryTargetFactory } from '../testing/memory-target.js';
import { type MonitorDependencies, runMonitor } from './monitor.js';

const NOW = '2026-06-01T00:00:00Z';
const DAY = 86_400;
const at = (seconds: number) => toIsoTime(Date.parse(NOW) + seconds * 1000);

function world() {
  const clock = new ManualClock(NOW);
  const deps = {
    certificates: new MemoryCertificateRepository(),
    targets: new MemoryTargetFactory(),
    alerts: new MemoryAlertRepository(),
    observations: new MemoryObservationStore(),
    notifier: new RecordingNotifier(),
    metrics: new RecordingMetrics(),
    prober: new FakeEndpointProber(),
    acm: { inventory: new FakeAcmInventory(), regions: ['eu-west-1'] },
    deadLetterQueue: new FakeDeadLetterQueue('reconcile-dlq'),
    ledger: new MemoryRateLimitLedger(),
    clock,
  } satisfies MonitorDependencies;
  return { ...deps, deps };
}
type World = ReturnType<typeof world>;

const spec = (changes: Partial<CertificateSpec> = {}): CertificateSpec => ({
  names: ['*.example.test', 'example.test'],
  keyType: 'ec-p256',
  issuer: 'letsencrypt',
  challenge: 'dns-01',
  targets: [{ id: 'acm-eu', type: 'acm', options: { region: 'eu-west-1' } }],
  tenant: 'tenant-a',
  ...changes,
});

function material(id: string, serial: string, notAfter: string): CertificateMaterial {
  return {
    certificateId: id,
    revision: 1,
    serial,
    names: ['example.test'],
    notBefore: at(-DAY),
    notAfter,
    chainPem: '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n',
    key: redact('test key, never a real one'),
  };
}

/** A 90-day certificate with `left` seconds to go, delivered to every target of its spec. */
async function issued(
  w: World,
  id: string,
  left: number,
  changes: Partial<CertificateSpec> = {},
  record: Partial<CertificateRecord> = {},
): Promise<CertificateRecord> {
  const s = spec(changes);
  const notAfter = at(left);
  const deliveries: Record<string, DeliveryState> = {};
  for (const target of s.targets) {
    const published = await w.targets
      .forSpec(target)
      .publish(material(id, 'aa01', notAfter), { certificateId: id, targetId: target.id, tenant: s.tenant });
    deliveries[target.id] = {
      state: 'delivered',
      revision: 1,
      serial: 'aa01',
      location: published.location,
      deliveredAt: at(-30 * DAY),
    };
  }
  const full: CertificateRecord = {
    id,
    spec: s,
    version: 1,
    createdAt: at(-90 * DAY),
    status: {
      conditions: [],
      revision: 1,
      serial: 'aa01',
      names: s.names,
      notBefore: at(left - 90 * DAY + 1),
      notAfter,
      renewal: { at: at(left + DAY), source: 'lifetime' },
      deliveries,
    },
    ...record,
  };
  await w.certificates.create(full);
  return full;
}

describe('runMonitor', () => {
  it('notifies an expiring certificate once per place, then stays quiet while nothing changes', async () => {
    const w = world();
    await issued(w, 'c1', 10 * DAY);
    await issued(w, 'c2', 60 * DAY);
    const first = await runMonitor(w.deps);
    expect(w.notifier.log).toEqual(['opened expiring:c1:acm-eu', 'opened expiring:c1:current']);
    expect(first).toMatchObject({ certificates: 2, observations: 2, opened: 2, notified: 2, open: 2, errors: [] });
    w.clock.advance(3_600);
    const second = await runMonitor(w.deps);
    expect(w.notifier.log).toHaveLength(2);
    expect(second).toMatchObject({ opened: 0, changed: 0, resolved: 0, notified: 0, open: 2 });
    expect((await w.alerts.get('expiring:c1:current'))?.lastSeenAt).toBe(at(3_600));
    expect((await w.alerts.get('expiring:c1:current'))?.notifiedAt).toBe(NOW);
  });

  it('notifies when the threshold moves, and resolves once a renewed certificate is everywhere', async () => {
    const w = world();
    const record = await issued(w, 'c1', 10 * DAY);
    await runMonitor(w.deps);
    w.clock.advance(4 * DAY);
    const moved = await runMonitor(w.deps);
    expect(moved.changed).toBe(2);
    expect((await w.alerts.get('expiring:c1:current'))?.threshold).toBe('7d');

    const renewedUntil = at(94 * DAY);
    const target = w.targets.forSpec(record.spec.targets[0] as CertificateSpec['targets'][number]);
    await target.publish(material('c1', 'bb02', renewedUntil), {
      certificateId: 'c1',
      targetId: 'acm-eu',
      tenant: 't',
    });
    const stored = (await w.certificates.get('c1')) as CertificateRecord;
    await w.certificates.update({
      ...stored,
      status: {
        ...stored.status,
        revision: 2,
        serial: 'bb02',
        notBefore: at(4 * DAY),
        notAfter: renewedUntil,
        deliveries: {
          'acm-eu': {
            state: 'delivered',
            revision: 2,
            serial: 'bb02',
            location: 'arn:acm-eu:certificate/1',
            deliveredAt: at(0),
          },
        },
      },
    });
    const resolved = await runMonitor(w.deps);
    expect(resolved).toMatchObject({ resolved: 2, open: 0 });
    expect(w.notifier.log.slice(-2)).toEqual(['resolved expiring:c1:acm-eu', 'resolved expiring:c1:current']);
    expect((await w.alerts.get('expiring:c1:current'))?.state).toBe('resolved');
  });

  it('stores what it saw at each target and endpoint, probing with the first non-wildcard name as SNI', async () => {
    const w = world();
    w.prober.serve('lb.example.test', 8443, {
      serial: 'aa01',
      notAfter: at(60 * DAY),
      names: ['example.test'],
      issuer: 'Pebble Intermediate',
    });
    await issued(w, 'c1', 60 * DAY, { endpoints: [{ host: 'lb.example.test', port: 8443 }] });
    await runMonitor(w.deps);
    expect(w.prober.probes).toEqual([{ host: 'lb.example.test', port: 8443, serverName: 'example.test' }]);
    expect(await w.observations.get('c1')).toEqual([
      {
        location: 'acm-eu',
        source: 'acm',
        observedAt: NOW,
        serial: 'aa01',
        notAfter: at(60 * DAY),
        address: 'arn:acm-eu:certificate/1',
      },
      {
        location: 'endpoint:lb.example.test:8443',
        source: 'endpoint',
        observedAt: NOW,
        address: 'lb.example.test:8443',
        serial: 'aa01',
        notAfter: at(60 * DAY),
      },
    ]);
  });

  it('alerts drift at an endpoint and keeps that alert open while the endpoint does not answer', async () => {
    const w = world();
    const served = { serial: 'ee', notAfter: at(60 * DAY), names: ['example.test'], issuer: 'someone else' };
    w.prober.serve('lb.example.test', 443, served);
    await issued(w, 'c1', 60 * DAY, { endpoints: [{ host: 'lb.example.test', port: 443, serverName: 'www.test' }] });
    await runMonitor(w.deps);
    expect(w.notifier.log).toEqual(['opened drift:c1:endpoint:lb.example.test:443']);
    expect(w.prober.probes[0]?.serverName).toBe('www.test');

    w.prober.serve('lb.example.test', 443, new Error('tls: handshake timed out'));
    const unreachable = await runMonitor(w.deps);
    expect(unreachable).toMatchObject({ resolved: 0, open: 1 });
    expect((await w.observations.get('c1'))[1]?.error).toBe('endpoint lb.example.test:443: tls: handshake timed out');
  });

  it('retries a notification that failed at the next run, without writing the record in between', async () => {
    const w = world();
    await issued(w, 'c1', 10 * DAY, { targets: [] });
    w.notifier.failNext();
    const failed = await runMonitor(w.deps);
    expect(failed.errors).toEqual([
      'notifier: opened expiring:c1:current failed: sns: publishing alert expiring:c1:current failed',
    ]);
    expect(failed).toMatchObject({ opened: 0, open: 1 });
    expect(await w.alerts.get('expiring:c1:current')).toBeUndefined();
    const retried = await runMonitor(w.deps);
    expect(retried).toMatchObject({ opened: 1, errors: [] });
    expect(w.notifier.log).toEqual(['opened expiring:c1:current']);
  });

  it('keeps an alert open when its resolution could not be sent, and resolves it at the next run', async () => {
    const w = world();
    w.deadLetterQueue.messages = 2;
    await runMonitor(w.deps);
    w.deadLetterQueue.messages = 0;
    w.notifier.failNext();
    expect(await runMonitor(w.deps)).toMatchObject({ resolved: 0, open: 1 });
    expect(await runMonitor(w.deps)).toMatchObject({ resolved: 1, open: 0 });
    expect(w.notifier.log).toEqual(['opened dlq-not-empty:reconcile-dlq', 'resolved dlq-not-empty:reconcile-dlq']);
  });

  it('does not re-notify the dead-letter queue when only its depth changes', async () => {
    const w = world();
    w.deadLetterQueue.messages = 1;
    await runMonitor(w.deps);
    w.deadLetterQueue.messages = 7;
    await runMonitor(w.deps);
    expect(w.notifier.log).toEqual(['opened dlq-not-empty:reconcile-dlq']);
    expect((await w.alerts.get('dlq-not-empty:reconcile-dlq'))?.details.depth).toBe('7');
  });

  it('alerts unmanaged ACM certificates and keeps account-wide alerts when their source cannot be read', async () => {
    const w = world();
    w.acm.inventory.add({
      arn: 'arn:aws:acm:eu-west-1:1:certificate/x',
      region: 'eu-west-1',
      domainName: 'legacy.test',
      names: ['legacy.test'],
      notAfter: at(5 * DAY),
      managed: false,
    });
    w.deadLetterQueue.messages = 1;
    expect(await runMonitor(w.deps)).toMatchObject({ opened: 2 });
    w.acm.inventory.fail('eu-west-1');
    w.deadLetterQueue.fail();
    const blind = await runMonitor(w.deps);
    expect(blind).toMatchObject({ resolved: 0, open: 2 });
    expect(blind.errors).toEqual([
      'acm inventory: eu-west-1: acm: eu-west-1: throttled',
      'dead-letter queue reconcile-dlq: sqs: reconcile-dlq: throttled',
    ]);
  });

  it('skips certificates being deleted and resolves their alerts', async () => {
    const w = world();
    await issued(w, 'c1', 10 * DAY, { targets: [] });
    await runMonitor(w.deps);
    const stored = (await w.certificates.get('c1')) as CertificateRecord;
    await w.certificates.update({ ...stored, deleteRequest: { at: NOW, revoke: false, by: 'ops' } });
    expect(await runMonitor(w.deps)).toMatchObject({ certificates: 0, resolved: 1, open: 0 });
  });

  it('resolves the alerts of a certificate that no longer exists', async () => {
    const w = world();
    await issued(w, 'c1', 10 * DAY, { targets: [] });
    await runMonitor(w.deps);
    await w.certificates.delete('c1', 1);
    expect(await runMonitor(w.deps)).toMatchObject({ resolved: 1 });
  });

  it('turns a target that cannot be observed into an observation with an error, and goes on', async () => {
    const w = world();
    await issued(w, 'c1', 60 * DAY, { targets: [{ id: 'bad', type: 'acm', options: {} }] });
    w.targets.forSpec({ id: 'bad', type: 'acm', options: {} }).observe = async () => {
      throw new Error('acm: DescribeCertificate throttled');
    };
    await issued(w, 'c2', 10 * DAY, { targets: [] });
    const result = await runMonitor(w.deps);
    expect(result).toMatchObject({ certificates: 2, opened: 1, errors: [] });
    expect((await w.observations.get('c1'))[0]?.error).toBe('acm target bad: acm: DescribeCertificate throttled');
  });

  it('pages through the certificates and reports progress', async () => {
    const w = world();
    for (const id of ['a', 'b', 'c']) await issued(w, id, 60 * DAY, { targets: [] });
    const progress: [number, number | undefined][] = [];
    const result = await runMonitor(w.deps, {
      pageSize: 1,
      concurrency: 2,
      onProgress: (d, t) => progress.push([d, t]),
    });
    expect(result.certificates).toBe(3);
    expect(progress).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
      [3, 3],
    ]);
  });

  it('records expiry, alert, failure, dead-letter, quota and headroom metrics', async () => {
    const w = world();
    const failing = await issued(w, 'c1', 10 * DAY);
    await w.certificates.update({
      ...failing,
      status: {
        ...failing.status,
        failures: {
          count: 2,
          lastFailureAt: NOW,
          backoffUntil: at(600),
          specHash: 'h',
          last: { reason: 'ValidationFailed', message: 'no TXT' },
        },
      },
    });
    await w.ledger.record([
      { id: 'c1/1.1/order', bucket: 'NewOrdersPerAccount', scope: 'letsencrypt', at: at(-10), certificateId: 'c1' },
      { id: 'c1/1/acm-eu', bucket: 'AcmImportsPerRegion', scope: 'acm:eu-west-1', at: at(-600), certificateId: 'c1' },
    ]);
    w.deadLetterQueue.messages = 3;
    await runMonitor(w.deps);
    const points = (name: string) => w.metrics.points.filter((p) => p.name === name);
    expect(points('DaysToExpiry')).toEqual([
      { name: 'DaysToExpiry', value: 10, unit: 'None', dimensions: { certificate: 'c1' } },
    ]);
    expect(points('FailingRenewals')).toEqual([
      { name: 'FailingRenewals', value: 1, unit: 'Count', dimensions: { reason: 'ValidationFailed' } },
    ]);
    expect(points('DeadLetterMessages')).toEqual([{ name: 'DeadLetterMessages', value: 3, unit: 'Count' }]);
    expect(points('AcmImportQuotaRemaining')).toEqual([
      { name: 'AcmImportQuotaRemaining', value: 4_999, unit: 'Count', dimensions: { region: 'eu-west-1' } },
    ]);
    // Only the bucket with spending in its last period; one order 10 s ago (300 / 3 h refills a token in 36 s).
    expect(points('RateLimitHeadroom')).toEqual([
      {
        name: 'RateLimitHeadroom',
        value: 299,
        unit: 'Count',
        dimensions: { bucket: 'NewOrdersPerAccount', scope: 'letsencrypt' },
      },
    ]);
    expect(w.metrics.total('OpenAlerts', { kind: 'expiring' })).toBe(2);
    expect(w.metrics.total('OpenAlerts', { kind: 'renewal-failing' })).toBe(1);
    expect(w.metrics.total('OpenAlerts', { kind: 'drift' })).toBe(0);
    expect(w.metrics.total('AlertsSent', { kind: 'expiring', transition: 'opened' })).toBe(2);
  });

  it('refuses a page size out of range before doing anything', async () => {
    const w = world();
    await expect(runMonitor(w.deps, { pageSize: 0 })).rejects.toThrow('pageSize: must be an integer from 1 to 1000');
    expect(w.acm.inventory.listed).toEqual([]);
  });
});

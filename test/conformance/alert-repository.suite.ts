/**
 * Conformance suite of `AlertRepository` (contract in packages/core/src/ports/monitoring.ts).
 * The factory returns an EMPTY repository for every test. `options.skip` lists declared skips, as in
 * certificate-repository.suite.ts.
 */
import { type AlertRecord, type AlertRepository, ConflictError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

/** A record rich enough to catch an adapter that drops or reshapes fields (details map, names list, optionals). */
export function sampleAlert(key: string, changes: Partial<AlertRecord> = {}): AlertRecord {
  return {
    key,
    kind: 'expiring',
    severity: 'warning',
    certificateId: 'c1',
    tenant: 'tenant-a',
    subject: 'c1',
    names: ['example.test', '*.example.test'],
    location: 'acm-eu-west-1',
    threshold: '14d',
    summary: 'The certificate c1 (example.test +1) at acm-eu-west-1 expires at 2026-06-15T00:00:00Z.',
    details: { notAfter: '2026-06-15T00:00:00Z', daysLeft: '10.0', serial: 'aa01' },
    runbook: 'docs/runbooks/expiring.md',
    fingerprint: 'serial:aa01',
    state: 'open',
    openedAt: '2026-06-01T00:00:00Z',
    lastSeenAt: '2026-06-05T00:00:00Z',
    notifiedAt: '2026-06-01T00:00:00Z',
    version: 0,
    ...changes,
  };
}

/** An account-wide alert: no certificate id, tenant or location; an empty fingerprint. */
export function accountAlert(key: string, changes: Partial<AlertRecord> = {}): AlertRecord {
  const { certificateId: _c, tenant: _t, location: _l, threshold: _h, ...base } = sampleAlert(key);
  return {
    ...base,
    kind: 'dlq-not-empty',
    subject: 'reconcile-dlq',
    names: [],
    details: { queue: 'reconcile-dlq', depth: '3' },
    runbook: 'docs/runbooks/dlq-not-empty.md',
    fingerprint: '',
    ...changes,
  };
}

export function describeAlertRepositoryConformance(
  label: string,
  createRepository: () => Promise<AlertRepository>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (repository: AlertRepository) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createRepository()));

  const keys = async (repository: AlertRepository, filter: Parameters<AlertRepository['list']>[0]) =>
    (await repository.list(filter, { limit: 100 })).items.map((r) => r.key);

  describe(`AlertRepository conformance: ${label}`, () => {
    test('returns undefined for a key never written', async (repository) => {
      expect(await repository.get('expiring:absent:current')).toBeUndefined();
    });

    test('stores a new record at version 1 and returns it exactly, nested data included', async (repository) => {
      const stored = await repository.put(sampleAlert('expiring:c1:acm-eu-west-1'));
      expect(stored).toEqual(sampleAlert('expiring:c1:acm-eu-west-1', { version: 1 }));
      expect(await repository.get('expiring:c1:acm-eu-west-1')).toEqual(stored);
    });

    test('keeps absent optional fields absent', async (repository) => {
      await repository.put(accountAlert('dlq-not-empty:reconcile-dlq'));
      const read = (await repository.get('dlq-not-empty:reconcile-dlq')) as AlertRecord;
      expect(read).toEqual(accountAlert('dlq-not-empty:reconcile-dlq', { version: 1 }));
      expect(Object.keys(read)).not.toContain('certificateId');
      expect(Object.keys(read)).not.toContain('tenant');
      expect(read.fingerprint).toBe('');
      expect(read.names).toEqual([]);
    });

    test('refuses to create a key that exists with a ConflictError and keeps the first record', async (repository) => {
      await repository.put(sampleAlert('a'));
      await expect(repository.put(sampleAlert('a', { severity: 'critical' }))).rejects.toBeInstanceOf(ConflictError);
      expect((await repository.get('a'))?.severity).toBe('warning');
    });

    test('stores an update from the stored version with the version increased by one', async (repository) => {
      const first = await repository.put(sampleAlert('a'));
      const resolved = await repository.put({ ...first, state: 'resolved', resolvedAt: '2026-06-06T00:00:00Z' });
      expect(resolved.version).toBe(2);
      expect(await repository.get('a')).toEqual(resolved);
    });

    test('refuses an update from a stale version with a ConflictError and changes nothing', async (repository) => {
      const first = await repository.put(sampleAlert('a'));
      await repository.put({ ...first, lastSeenAt: '2026-06-06T00:00:00Z' });
      await expect(repository.put({ ...first, threshold: '7d' })).rejects.toBeInstanceOf(ConflictError);
      expect(await repository.get('a')).toMatchObject({ threshold: '14d', version: 2 });
    });

    test('lets exactly one of two concurrent writes from the same version win', async (repository) => {
      const first = await repository.put(sampleAlert('a'));
      const results = await Promise.allSettled([
        repository.put({ ...first, threshold: '7d' }),
        repository.put({ ...first, threshold: '3d' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConflictError);
    });

    test('lists nothing, without a cursor, when empty', async (repository) => {
      expect(await repository.list({}, { limit: 10 })).toEqual({ items: [] });
    });

    test('lists by key and filters by state, kind and certificate', async (repository) => {
      await repository.put(sampleAlert('expiring:c2:current', { certificateId: 'c2', subject: 'c2' }));
      await repository.put(sampleAlert('expiring:c1:current'));
      await repository.put(sampleAlert('drift:c1:acm-eu-west-1', { kind: 'drift', runbook: 'docs/runbooks/drift.md' }));
      await repository.put(
        sampleAlert('stale:c1', { kind: 'stale', state: 'resolved', resolvedAt: '2026-06-06T00:00:00Z' }),
      );
      expect(await keys(repository, {})).toEqual([
        'drift:c1:acm-eu-west-1',
        'expiring:c1:current',
        'expiring:c2:current',
        'stale:c1',
      ]);
      expect(await keys(repository, { state: 'open' })).toEqual([
        'drift:c1:acm-eu-west-1',
        'expiring:c1:current',
        'expiring:c2:current',
      ]);
      expect(await keys(repository, { state: 'resolved' })).toEqual(['stale:c1']);
      expect(await keys(repository, { kind: 'expiring' })).toEqual(['expiring:c1:current', 'expiring:c2:current']);
      expect(await keys(repository, { certificateId: 'c1', state: 'open' })).toEqual([
        'drift:c1:acm-eu-west-1',
        'expiring:c1:current',
      ]);
    });

    test('filters by tenant, and by null for account-wide alerts only', async (repository) => {
      await repository.put(sampleAlert('expiring:c1:current'));
      await repository.put(sampleAlert('expiring:c9:current', { certificateId: 'c9', tenant: 'tenant-b' }));
      await repository.put(accountAlert('dlq-not-empty:reconcile-dlq'));
      expect(await keys(repository, { tenant: 'tenant-a' })).toEqual(['expiring:c1:current']);
      expect(await keys(repository, { tenant: 'tenant-b' })).toEqual(['expiring:c9:current']);
      expect(await keys(repository, { tenant: null })).toEqual(['dlq-not-empty:reconcile-dlq']);
    });

    test('pages in key order without repeating or skipping', async (repository) => {
      const all = Array.from({ length: 7 }, (_, i) => `expiring:c${i}:current`);
      for (const key of [...all].reverse()) await repository.put(sampleAlert(key));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repository.list(
          { state: 'open' },
          { limit: 3, ...(cursor === undefined ? {} : { cursor }) },
        );
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((r) => r.key));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(all);
    });
  });
}

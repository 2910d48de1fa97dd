/**
 * Conformance suite of `CertificateRepository` (contract in packages/core/src/ports/certificate-repository.ts).
 * Call it from a `*.test.ts` with a factory that returns an EMPTY repository for every test.
 * `options.skip` lists test names an adapter cannot pass, with the reason next to the call (declared skips).
 */
import { type CertificateRecord, type CertificateRepository, ConflictError, NotFoundError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { sampleRecord, withReady } from './fixtures.js';

export interface ConformanceOptions {
  readonly skip?: readonly string[];
}

export function describeCertificateRepositoryConformance(
  label: string,
  createRepository: () => Promise<CertificateRepository>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (repository: CertificateRepository) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createRepository()));

  describe(`CertificateRepository conformance: ${label}`, () => {
    test('returns undefined for an id that was never created', async (repository) => {
      expect(await repository.get('absent')).toBeUndefined();
    });

    test('returns a created record exactly as given, nested data included', async (repository) => {
      const record = sampleRecord('c1');
      await repository.create(record);
      expect(await repository.get('c1')).toEqual(record);
    });

    test('refuses to create an id twice with a ConflictError and keeps the first record', async (repository) => {
      await repository.create(sampleRecord('c1'));
      await expect(repository.create(sampleRecord('c1', { createdAt: '2030-01-01T00:00:00Z' }))).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await repository.get('c1'))?.createdAt).toBe('2026-06-01T00:00:00Z');
    });

    test('stores an update with the version increased by one and returns it', async (repository) => {
      await repository.create(sampleRecord('c1'));
      const read = (await repository.get('c1')) as CertificateRecord;
      const stored = await repository.update({ ...read, status: { ...read.status, revision: 1, serial: 'abc' } });
      expect(stored.version).toBe(2);
      expect(await repository.get('c1')).toEqual(stored);
      expect(stored.status.serial).toBe('abc');
    });

    test('refuses an update from a stale version with a ConflictError and changes nothing', async (repository) => {
      await repository.create(sampleRecord('c1'));
      const read = (await repository.get('c1')) as CertificateRecord;
      await repository.update(read);
      await expect(repository.update({ ...read, nextWakeAt: '2031-01-01T00:00:00Z' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect((await repository.get('c1'))?.nextWakeAt).toBe(read.nextWakeAt);
    });

    test('refuses an update of an absent record with a NotFoundError', async (repository) => {
      await expect(repository.update(sampleRecord('ghost'))).rejects.toBeInstanceOf(NotFoundError);
      expect(await repository.get('ghost')).toBeUndefined();
    });

    test('lets exactly one of two concurrent updates from the same version win', async (repository) => {
      await repository.create(sampleRecord('c1'));
      const read = (await repository.get('c1')) as CertificateRecord;
      const results = await Promise.allSettled([
        repository.update({ ...read, nextWakeAt: '2026-06-02T00:00:00Z' }),
        repository.update({ ...read, nextWakeAt: '2026-06-03T00:00:00Z' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ConflictError);
      expect((await repository.get('c1'))?.version).toBe(2);
    });

    test('removes an optional field that an update leaves out', async (repository) => {
      await repository.create(sampleRecord('c1'));
      const { nextWakeAt: _dropped, ...read } = (await repository.get('c1')) as CertificateRecord;
      await repository.update(read);
      const stored = (await repository.get('c1')) as CertificateRecord;
      expect('nextWakeAt' in stored).toBe(false);
    });

    test('deletes with the current version, treats an absent id as deleted, and refuses a stale version', async (repository) => {
      await repository.create(sampleRecord('c1'));
      await repository.create(sampleRecord('c2'));
      await expect(repository.delete('c2', 7)).rejects.toBeInstanceOf(ConflictError);
      await repository.delete('c1', 1);
      await repository.delete('c1', 1);
      await repository.delete('never', 1);
      expect(await repository.get('c1')).toBeUndefined();
      expect(await repository.get('c2')).toBeDefined();
    });

    test('lists due records earliest first, up to the limit, never those without a wake-up time', async (repository) => {
      await repository.create(sampleRecord('late', { nextWakeAt: '2026-06-01T00:10:00Z' }));
      await repository.create(sampleRecord('early', { nextWakeAt: '2026-06-01T00:01:00Z' }));
      await repository.create(sampleRecord('exactly-now', { nextWakeAt: '2026-06-01T00:05:00Z' }));
      await repository.create(sampleRecord('future', { nextWakeAt: '2026-06-02T00:00:00Z' }));
      const { nextWakeAt: _none, ...unscheduled } = sampleRecord('unscheduled');
      await repository.create(unscheduled);
      const due = await repository.listDue('2026-06-01T00:05:00Z', 10);
      expect(due.map((r) => r.id)).toEqual(['early', 'exactly-now']);
      expect((await repository.listDue('2026-06-01T01:00:00Z', 2)).map((r) => r.id)).toEqual(['early', 'exactly-now']);
    });

    test('stops listing a record as due once an update moves its wake-up time or removes it', async (repository) => {
      await repository.create(sampleRecord('a', { nextWakeAt: '2026-06-01T00:00:00Z' }));
      await repository.create(sampleRecord('b', { nextWakeAt: '2026-06-01T00:00:00Z' }));
      const a = (await repository.get('a')) as CertificateRecord;
      await repository.update({ ...a, nextWakeAt: '2026-07-01T00:00:00Z' });
      const { nextWakeAt: _gone, ...b } = (await repository.get('b')) as CertificateRecord;
      await repository.update(b);
      expect(await repository.listDue('2026-06-15T00:00:00Z', 10)).toEqual([]);
    });

    test('filters the list by tenant, by name and by readiness', async (repository) => {
      const other = sampleRecord('x');
      await repository.create(withReady(sampleRecord('a'), 'True'));
      await repository.create(sampleRecord('b', { spec: { ...other.spec, names: ['other.test'] } }));
      await repository.create(sampleRecord('c', { spec: { ...other.spec, tenant: 'tenant-b' } }));
      const ids = async (filter: Parameters<CertificateRepository['list']>[0]) =>
        (await repository.list(filter, { limit: 100 })).items.map((r) => r.id).sort();
      expect(await ids({ tenant: 'tenant-a' })).toEqual(['a', 'b']);
      expect(await ids({ name: 'other.test' })).toEqual(['b']);
      expect(await ids({ ready: 'True' })).toEqual(['a']);
      expect(await ids({ ready: 'False', tenant: 'tenant-a' })).toEqual(['b']);
      expect(await ids({ tenant: 'nobody' })).toEqual([]);
    });

    test('pages through the list without repeating or skipping a record', async (repository) => {
      const ids = Array.from({ length: 7 }, (_, i) => `cert-${String(i).padStart(2, '0')}`);
      for (const id of [...ids].reverse()) await repository.create(sampleRecord(id));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await repository.list({}, { limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined && pages < 20);
      expect(seen.sort()).toEqual(ids);
    });

    test('returns an empty page without a cursor when nothing matches', async (repository) => {
      const page = await repository.list({ tenant: 'nobody' }, { limit: 10 });
      expect(page.items).toEqual([]);
      expect(page.nextCursor).toBeUndefined();
    });
  });
}

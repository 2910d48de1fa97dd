/**
 * Conformance suite of `RateLimitLedger` (contract in packages/core/src/ports/ledger.ts).
 * The factory returns an EMPTY ledger for every test.
 */
import { LedgerBucket, type LedgerEntry, type RateLimitLedger } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

function entry(id: string, at: string, changes: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id, bucket: LedgerBucket.NewOrdersPerAccount, scope: 'letsencrypt', at, certificateId: 'c1', ...changes };
}

export function describeRateLimitLedgerConformance(
  label: string,
  createLedger: () => Promise<RateLimitLedger>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (ledger: RateLimitLedger) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createLedger()));

  describe(`RateLimitLedger conformance: ${label}`, () => {
    test('lists nothing for a bucket that was never charged', async (ledger) => {
      expect(await ledger.list(LedgerBucket.NewOrdersPerAccount, 'letsencrypt', '2026-01-01T00:00:00Z')).toEqual([]);
    });

    test('lists recorded entries oldest first, ties broken by id', async (ledger) => {
      await ledger.record([
        entry('c', '2026-06-01T00:02:00Z'),
        entry('b', '2026-06-01T00:01:00Z'),
        entry('a', '2026-06-01T00:02:00Z'),
      ]);
      const listed = await ledger.list(LedgerBucket.NewOrdersPerAccount, 'letsencrypt', '2026-06-01T00:00:00Z');
      expect(listed.map((e) => e.id)).toEqual(['b', 'a', 'c']);
      expect(listed[0]).toEqual(entry('b', '2026-06-01T00:01:00Z'));
    });

    test('counts an entry recorded twice under the same id once', async (ledger) => {
      await ledger.record([entry('c1/1.1/order', '2026-06-01T00:00:00Z')]);
      await ledger.record([
        entry('c1/1.1/order', '2026-06-01T00:00:00Z'),
        entry('c1/1.2/order', '2026-06-01T00:05:00Z'),
      ]);
      const listed = await ledger.list(LedgerBucket.NewOrdersPerAccount, 'letsencrypt', '2026-06-01T00:00:00Z');
      expect(listed.map((e) => e.id)).toEqual(['c1/1.1/order', 'c1/1.2/order']);
    });

    test('includes entries at exactly the since time and leaves out earlier ones', async (ledger) => {
      await ledger.record([entry('old', '2026-05-31T23:59:59Z'), entry('edge', '2026-06-01T00:00:00Z')]);
      const listed = await ledger.list(LedgerBucket.NewOrdersPerAccount, 'letsencrypt', '2026-06-01T00:00:00Z');
      expect(listed.map((e) => e.id)).toEqual(['edge']);
    });

    test('keeps buckets and scopes apart', async (ledger) => {
      await ledger.record([
        entry('1', '2026-06-01T00:00:00Z'),
        entry('2', '2026-06-01T00:00:00Z', { scope: 'pebble' }),
        entry('3', '2026-06-01T00:00:00Z', { bucket: LedgerBucket.AcmImportsPerRegion, scope: 'acm:eu-west-1' }),
      ]);
      const since = '2026-01-01T00:00:00Z';
      expect((await ledger.list(LedgerBucket.NewOrdersPerAccount, 'letsencrypt', since)).map((e) => e.id)).toEqual([
        '1',
      ]);
      expect((await ledger.list(LedgerBucket.NewOrdersPerAccount, 'pebble', since)).map((e) => e.id)).toEqual(['2']);
      expect((await ledger.list(LedgerBucket.AcmImportsPerRegion, 'acm:eu-west-1', since)).map((e) => e.id)).toEqual([
        '3',
      ]);
    });
  });
}

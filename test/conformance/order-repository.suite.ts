/**
 * Conformance suite of `OrderRepository` (contract in packages/core/src/ports/certificate-repository.ts).
 * The factory returns an EMPTY repository for every test.
 */
import type { OrderRecord, OrderRepository } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

function order(
  certificateId: string,
  revision: number,
  attempt: number,
  changes: Partial<OrderRecord> = {},
): OrderRecord {
  return {
    certificateId,
    revision,
    attempt,
    phase: 'Validating',
    reason: 'NotIssued',
    startedAt: '2026-06-01T00:00:00Z',
    specHash: 'h1',
    orderUrl: `https://ca.test/order/${revision}-${attempt}`,
    authorizations: [
      {
        url: 'https://ca.test/authz/1',
        identifier: 'a.test',
        identifierType: 'dns',
        wildcard: false,
        status: 'pending',
      },
    ],
    ...changes,
  };
}

export function describeOrderRepositoryConformance(
  label: string,
  createRepository: () => Promise<OrderRepository>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (repository: OrderRepository) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createRepository()));

  describe(`OrderRepository conformance: ${label}`, () => {
    test('returns undefined for an order that was never put', async (repository) => {
      expect(await repository.get('c1', 1, 1)).toBeUndefined();
    });

    test('returns a put order exactly as given', async (repository) => {
      const record = order('c1', 1, 1, { replaces: 'aki.serial', presentation: { http01Tokens: ['t1', 't2'] } });
      await repository.put(record);
      expect(await repository.get('c1', 1, 1)).toEqual(record);
    });

    test('replaces an order put again under the same key and keeps one copy', async (repository) => {
      await repository.put(order('c1', 1, 1));
      await repository.put(order('c1', 1, 1, { result: 'issued', serial: 'abc', finishedAt: '2026-06-01T01:00:00Z' }));
      await repository.put(order('c1', 1, 1, { result: 'issued', serial: 'abc', finishedAt: '2026-06-01T01:00:00Z' }));
      const page = await repository.list('c1', { limit: 10 });
      expect(page.items).toHaveLength(1);
      expect(page.items[0]?.result).toBe('issued');
    });

    test('lists the orders of one certificate newest first, by revision then attempt', async (repository) => {
      await repository.put(order('c1', 1, 1));
      await repository.put(order('c1', 2, 1));
      await repository.put(order('c1', 1, 2));
      await repository.put(order('c1', 10, 1));
      await repository.put(order('c2', 5, 1));
      const page = await repository.list('c1', { limit: 10 });
      expect(page.items.map((o) => `${o.revision}.${o.attempt}`)).toEqual(['10.1', '2.1', '1.2', '1.1']);
    });

    test('pages through the orders of a certificate without repeats', async (repository) => {
      for (let revision = 1; revision <= 5; revision++) await repository.put(order('c1', revision, 1));
      const first = await repository.list('c1', { limit: 2 });
      expect(first.nextCursor).toBeDefined();
      const second = await repository.list('c1', { limit: 2, cursor: first.nextCursor as string });
      const third = await repository.list('c1', { limit: 2, cursor: second.nextCursor as string });
      expect([...first.items, ...second.items, ...third.items].map((o) => o.revision)).toEqual([5, 4, 3, 2, 1]);
      expect(third.nextCursor).toBeUndefined();
    });

    test('lists nothing for an unknown certificate', async (repository) => {
      expect(await repository.list('ghost', { limit: 10 })).toEqual({ items: [] });
    });
  });
}

/**
 * Conformance suite of `EventLog` (contract in packages/core/src/ports/events.ts).
 * The factory returns an EMPTY log for every test.
 */
import type { EventLog, LifecycleEvent } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from './certificate-repository.suite.js';

function event(id: string, at: string, changes: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    id,
    certificateId: 'c1',
    type: 'issued',
    at,
    revision: 1,
    reason: 'NotIssued',
    message: 'issued revision 1',
    serial: 'abc',
    notAfter: '2026-09-01T00:00:00Z',
    ...changes,
  };
}

export function describeEventLogConformance(
  label: string,
  createLog: () => Promise<EventLog>,
  options: ConformanceOptions = {},
): void {
  const test = (name: string, body: (log: EventLog) => Promise<void>) =>
    (options.skip?.includes(name) ? it.skip : it)(name, async () => body(await createLog()));

  describe(`EventLog conformance: ${label}`, () => {
    test('lists nothing for an unknown certificate', async (log) => {
      expect(await log.list('ghost', { limit: 10 })).toEqual({ items: [] });
    });

    test('lists appended events oldest first, exactly as given', async (log) => {
      const second = event('c1/1.1/delivered/acm', '2026-06-01T00:02:00Z', { type: 'delivered', targetId: 'acm' });
      const first = event('c1/1.1/issued', '2026-06-01T00:01:00Z');
      await log.append(second);
      await log.append(first);
      expect((await log.list('c1', { limit: 10 })).items).toEqual([first, second]);
    });

    test('ignores an event appended again under the same id', async (log) => {
      await log.append(event('c1/1.1/issued', '2026-06-01T00:01:00Z'));
      await log.append(event('c1/1.1/issued', '2026-06-01T00:01:30Z', { message: 'again' }));
      const items = (await log.list('c1', { limit: 10 })).items;
      expect(items).toHaveLength(1);
      expect(items[0]?.message).toBe('issued revision 1');
    });

    test('keeps the histories of certificates apart and pages through one of them', async (log) => {
      for (let i = 0; i < 5; i++) await log.append(event(`c1/${i}`, `2026-06-01T00:0${i}:00Z`));
      await log.append(event('c2/0', '2026-06-01T00:00:30Z', { certificateId: 'c2' }));
      const first = await log.list('c1', { limit: 3 });
      const rest = await log.list('c1', { limit: 3, cursor: first.nextCursor as string });
      expect([...first.items, ...rest.items].map((e) => e.id)).toEqual(['c1/0', 'c1/1', 'c1/2', 'c1/3', 'c1/4']);
      expect(rest.nextCursor).toBeUndefined();
      expect((await log.list('c2', { limit: 10 })).items.map((e) => e.id)).toEqual(['c2/0']);
    });
  });
}

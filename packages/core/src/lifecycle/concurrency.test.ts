/**
 * The same message run by three workers at once (SQS at-least-once with concurrent Lambdas), on fakes: every round
 * starts three reconcile calls together, so each step is decided three times from the same version. Claims and
 * conditional writes must make that one order, one key, one import.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleWorld } from '../testing/lifecycle-world.js';

describe('three workers running the same message concurrently', () => {
  it('gives one order, one key and one import, and ends Ready', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    for (let round = 0; round < 60; round++) {
      const results = await Promise.all([0, 1, 2].map(() => world.reconcile('c1')));
      const record = await world.record('c1');
      if (record.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')) break;
      world.clock.advance(Math.max(1, ...results.map((r) => r.requeueAfterSeconds ?? 0)));
    }
    const record = await world.record('c1');
    expect(record.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(world.acme.ordersCreated).toBe(1);
    expect(world.store.keysStored).toBe(1);
    expect(world.targets.imports).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
    expect(record.status.failures).toBeUndefined();
  });
});

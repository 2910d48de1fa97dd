import { LifecycleWorld } from '@portcullis/core/testing';
import { describe, expect, it } from 'vitest';
import { lambdaContext, scheduledEvent, worldWiring } from '../wiring/testing.js';
import { createPlanHandler, planDueCertificates } from './plan.js';

const context = lambdaContext('portcullis-plan');

/** Certificates due now (`nextWakeAt` = creation) and later (moved an hour ahead). */
async function inventory(due: readonly string[], later: readonly string[]) {
  const world = new LifecycleWorld();
  for (const id of [...due, ...later]) await world.request(id);
  for (const id of later) {
    const record = await world.record(id);
    await world.certificates.update({ ...record, nextWakeAt: '2026-06-01T01:00:00Z' });
  }
  return world;
}

describe('plan schedule', () => {
  const cases: Record<
    string,
    { due: string[]; later: string[]; limit?: number; enqueued: string[]; truncated: boolean }
  > = {
    'enqueues nothing when nothing is due': { due: [], later: ['x'], enqueued: [], truncated: false },
    'enqueues every due certificate with no delay and leaves the others': {
      due: ['a', 'b'],
      later: ['x', 'y'],
      enqueued: ['a', 'b'],
      truncated: false,
    },
    'stops at the limit and says more may be due': {
      due: ['a', 'b', 'c'],
      later: [],
      limit: 2,
      enqueued: ['a', 'b'],
      truncated: true,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { due, later, limit, enqueued, truncated }) => {
    const world = await inventory(due, later);
    const wiring = worldWiring(world);
    const result = await planDueCertificates(wiring, limit);
    expect([...result.enqueued].sort()).toEqual(enqueued);
    expect(result.truncated).toBe(truncated);
    expect(wiring.memoryQueue.messages.map((m) => m.delaySeconds)).toEqual(enqueued.map(() => 0));
  });

  it('runs from an EventBridge scheduled event', async () => {
    const world = await inventory(['a'], ['x']);
    const wiring = worldWiring(world);
    const result = await createPlanHandler(() => wiring)(scheduledEvent('2026-06-01T00:00:00Z'), context);
    expect(result.enqueued).toEqual(['a']);
    expect(wiring.memoryQueue.messages).toEqual([{ certificateId: 'a', delaySeconds: 0 }]);
  });
});

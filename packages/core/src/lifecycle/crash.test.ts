/**
 * Crash safety (architecture.md §3 "Rules that make it safe"), on fakes: a worker dies between a side effect and
 * the write that records its result (the write never happens), the message comes back after the visibility
 * timeout, and the lifecycle resumes. Counted at the end: ACME orders, keys stored, ACM imports, TXT records left.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleWorld } from '../testing/lifecycle-world.js';
import { DEFAULT_OPTIONS } from './dependencies.js';

class SimulatedCrash extends Error {}

/** The writes of a clean run, in order, named by the step that made each (a claim and its result share a step). */
async function writesOfACleanRun(): Promise<string[]> {
  const world = new LifecycleWorld();
  await world.request('c1');
  const steps: string[] = [];
  for (let i = 0; i < 100; i++) {
    const before = world.certificates.writes;
    const result = await world.reconcile('c1');
    for (let w = before; w < world.certificates.writes; w++) steps.push(result.step);
    if (result.requeueAfterSeconds === undefined) break;
    world.clock.advance(result.requeueAfterSeconds);
  }
  return steps;
}

const cleanWrites = await writesOfACleanRun();

/** Runs until the `lose`-th write, which is lost together with the worker; then resumes like the queue would. */
async function crashAndResume(lose: number) {
  const world = new LifecycleWorld();
  await world.request('c1');
  let writes = 0;
  let crashed = false;
  world.certificates.onBeforeUpdate(() => {
    writes += 1;
    if (writes === lose) crashed = true;
    // Once crashed, nothing this worker still tries to write lands: the process is gone.
    if (crashed) throw new SimulatedCrash(`worker died before write ${lose}`);
  });
  let died = false;
  for (let i = 0; i < 100 && !died; i++) {
    try {
      const result = await world.reconcile('c1');
      if (result.requeueAfterSeconds === undefined) break;
      world.clock.advance(result.requeueAfterSeconds);
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      died = true;
    }
  }
  world.certificates.onBeforeUpdate(undefined);
  // SQS makes the message visible again after the visibility timeout, which outlasts the claim lease.
  world.clock.advance(DEFAULT_OPTIONS.claimLeaseSeconds + 1);
  await world.run('c1');
  return { world, died, record: await world.record('c1') };
}

describe('reconcile, crash between a side effect and its write, then resume', () => {
  const afterNewOrder = cleanWrites.indexOf('order') + 2;
  const cases = cleanWrites.map((step, i) => ({
    name: `loses write ${i + 1} (${step}${i + 1 === afterNewOrder ? ': the URL right after newOrder' : ''})`,
    lose: i + 1,
  }));

  it.each(cases)('$name and still ends with one certificate, one key, one import and no TXT left', async ({ lose }) => {
    const { world, died, record } = await crashAndResume(lose);
    expect(died).toBe(true);
    expect(record.status.revision).toBe(1);
    expect(record.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(world.store.keysStored).toBe(1);
    expect(world.targets.imports).toBe(1);
    expect(world.targets.targets.get('acm')?.locations).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
    // The one window ACME leaves open: the CA created the order but its URL was never written. The claim makes
    // the resumed worker wait out the lease, then it orders again (Let's Encrypt returns the same pending order
    // for the same account and names; pebble and this fake create a second one).
    expect(world.acme.ordersCreated).toBe(lose === afterNewOrder ? 2 : 1);
  });

  it('covers every write of a clean run, including the two claims', () => {
    expect(cleanWrites.filter((s) => s === 'order')).toHaveLength(2);
    expect(cleanWrites.filter((s) => s === 'deliver')).toHaveLength(2);
    expect(cleanWrites.length).toBeGreaterThan(15);
  });
});

describe('reconcile, the same message delivered three times', () => {
  it('gives one order, one key and one import when the copies run concurrently at every step', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    for (let i = 0; i < 100; i++) {
      const results = await Promise.all([world.reconcile('c1'), world.reconcile('c1'), world.reconcile('c1')]);
      const delays = results.map((r) => r.requeueAfterSeconds).filter((d): d is number => d !== undefined);
      if (results.every((r) => r.step === 'ready')) break;
      world.clock.advance(Math.min(...delays, 900));
    }
    const record = await world.record('c1');
    expect(record.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(world.acme.ordersCreated).toBe(1);
    expect(world.acme.finalizeCalls).toBe(1);
    expect(world.store.keysStored).toBe(1);
    expect(world.targets.imports).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
    expect(world.events.all().map((e) => e.type)).toEqual(['issued', 'delivered']);
    expect(world.metrics.total('WriteConflict')).toBeGreaterThan(0);
  });

  it('gives one order, one key and one import when each copy arrives after the previous one finished', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    for (let i = 0; i < 100; i++) {
      const results = [await world.reconcile('c1'), await world.reconcile('c1'), await world.reconcile('c1')];
      const last = results.at(-1);
      if (last?.step === 'ready') break;
      world.clock.advance(Math.min(...results.map((r) => r.requeueAfterSeconds ?? 900)));
    }
    expect(world.acme.ordersCreated).toBe(1);
    expect(world.store.keysStored).toBe(1);
    expect(world.targets.imports).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
  });
});

/**
 * Restore requests on fakes: an earlier stored certificate becomes current as a new revision and is delivered to the
 * same target location; refusals answer the request and change nothing; crashes and duplicates promote once.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleWorld } from '../../testing/lifecycle-world.js';
import { DEFAULT_OPTIONS } from '../dependencies.js';
import type { CertificateRecord, CertificateSpec } from '../types.js';
import { toIsoTime } from '../types.js';

class SimulatedCrash extends Error {}

/** Issued (revision 1), renewed on request (revision 2), settled; returns both records. */
async function renewedWorld(spec: Partial<CertificateSpec> = {}) {
  const world = new LifecycleWorld();
  await world.request('c1', spec);
  await world.run('c1');
  const first = await world.record('c1');
  world.clock.advance(3_600);
  await mark(world, { renewRequestedAt: toIsoTime(world.clock.now()) });
  await world.run('c1');
  const second = await world.record('c1');
  world.clock.advance(3_600);
  return { world, first, second };
}

/** What the API writes: a marker on the record and `nextWakeAt` pulled to now. */
async function mark(world: LifecycleWorld, changes: Partial<CertificateRecord>): Promise<void> {
  const record = await world.record('c1');
  const now = toIsoTime(world.clock.now());
  await world.certificates.update({ ...record, ...changes, nextWakeAt: now });
}

function requestRestore(world: LifecycleWorld, serial: string): Promise<void> {
  return mark(world, { restoreRequest: { at: toIsoTime(world.clock.now()), serial, by: 'tester' } });
}

function ready(record: CertificateRecord) {
  return record.status.conditions.find((c) => c.type === 'Ready');
}

describe('restore', () => {
  it('makes the first serial current as revision 3 and re-delivers it to the same location', async () => {
    const { world, first, second } = await renewedWorld();
    await requestRestore(world, first.status.serial as string);
    const results = await world.run('c1');
    expect(results.map((r) => r.step)).toEqual(['restore', 'deliver', 'ready']);
    const restored = await world.record('c1');
    expect(restored.status).toMatchObject({
      revision: 3,
      serial: first.status.serial,
      notBefore: first.status.notBefore,
      notAfter: first.status.notAfter,
      certId: first.status.certId,
      specHash: second.status.specHash,
      restore: { requestedAt: restored.restoreRequest?.at, serial: first.status.serial, revision: 3 },
    });
    expect(restored.status.restoring).toBeUndefined();
    expect(restored.status.deliveries.acm).toMatchObject({
      state: 'delivered',
      revision: 3,
      serial: first.status.serial,
      location: first.status.deliveries.acm?.location,
    });
    expect(ready(restored)?.status).toBe('True');
    expect((await world.store.describeCurrent('c1'))?.serial).toBe(first.status.serial);
    expect((await world.store.listVersions('c1')).map((v) => v.revision)).toEqual([3, 2, 1]);
    expect(world.acme.ordersCreated).toBe(2);
    const events = world.events.all().filter((e) => e.reason === 'Restored');
    expect(events).toMatchObject([{ type: 'renewed', revision: 3, serial: first.status.serial }]);
  });

  it('holds the renewal of the restored certificate instead of renewing it at once', async () => {
    const { world, first } = await renewedWorld();
    // Past the first certificate's own renewal time: without the hold the restore would be undone at once.
    world.clock.set(first.status.renewal?.at as string);
    world.clock.advance(3_600);
    await requestRestore(world, first.status.serial as string);
    await world.run('c1');
    const restored = await world.record('c1');
    const now = world.clock.now().getTime();
    const halfway = (now + Date.parse(first.status.notAfter as string)) / 2;
    expect(restored.status.revision).toBe(3);
    expect(restored.status.renewal).toMatchObject({ source: 'lifetime' });
    expect(Date.parse(restored.status.renewal?.at as string)).toBeGreaterThanOrEqual(Math.floor(halfway / 1000) * 1000);
    expect(world.acme.ordersCreated).toBe(2);
    // At the held point it renews as usual.
    await world.wakeAndRun('c1');
    expect((await world.record('c1')).status.revision).toBe(4);
  });

  it('answers a renewal requested before the restore with the restore, and one requested after with a renewal', async () => {
    const { world, first } = await renewedWorld();
    await mark(world, { renewRequestedAt: toIsoTime(world.clock.now()) });
    world.clock.advance(1);
    await requestRestore(world, first.status.serial as string);
    await world.run('c1');
    expect((await world.record('c1')).status).toMatchObject({ revision: 3, serial: first.status.serial });
    world.clock.advance(60);
    await mark(world, { renewRequestedAt: toIsoTime(world.clock.now()) });
    await world.run('c1');
    expect((await world.record('c1')).status.revision).toBe(4);
    expect(world.acme.ordersCreated).toBe(3);
  });

  const refusals: Record<
    string,
    { arrange: (world: LifecycleWorld, first: CertificateRecord) => Promise<string>; why: RegExp }
  > = {
    'refuses a serial that is not stored': {
      arrange: async () => 'abcdef',
      why: /^serial abcdef is not a certificate stored for c1$/,
    },
    'refuses an expired serial': {
      arrange: async (world, first) => {
        world.clock.set(first.status.notAfter as string);
        return first.status.serial as string;
      },
      why: /expired at/,
    },
    'refuses the revoked serial': {
      arrange: async (world, first) => {
        const record = await world.record('c1');
        const revocation = {
          requestedAt: '2026-06-01T00:00:00Z',
          revokedAt: '2026-06-01T00:00:00Z',
          reason: 'keyCompromise' as const,
          serial: first.status.serial as string,
          revision: 1,
        };
        await world.certificates.update({ ...record, status: { ...record.status, revocation } });
        return first.status.serial as string;
      },
      why: /was revoked at/,
    },
    'refuses a certificate for other names than the spec': {
      arrange: async (world, first) => {
        const record = await world.record('c1');
        await world.certificates.update({ ...record, spec: { ...record.spec, names: ['example.test'] } });
        return first.status.serial as string;
      },
      why: /covers \*\.example\.test, example\.test, but the spec asks for example\.test$/,
    },
    'refuses a certificate whose key type differs from the spec': {
      arrange: async (world, first) => {
        const record = await world.record('c1');
        await world.certificates.update({ ...record, spec: { ...record.spec, keyType: 'rsa-2048' } });
        return first.status.serial as string;
      },
      why: /has a ec-p256 key, but the spec asks for rsa-2048$/,
    },
  };
  it.each(Object.entries(refusals))('%s', async (_name, { arrange, why }) => {
    const { world, first, second } = await renewedWorld();
    const serial = await arrange(world, first);
    await requestRestore(world, serial);
    const result = await world.reconcile('c1');
    expect(result).toMatchObject({ step: 'restore', reason: 'RestoreRefused' });
    const record = await world.record('c1');
    expect(record.status.restore?.refused).toMatch(why);
    expect(record.status.restore).toMatchObject({ requestedAt: record.restoreRequest?.at, serial });
    expect(record.status.revision).toBe(second.status.revision);
    expect(record.status.serial).toBe(second.status.serial);
    expect((await world.store.listVersions('c1')).map((v) => v.revision)).toEqual([2, 1]);
    const failed = world.events.all().filter((e) => e.reason === 'RestoreRefused');
    expect(failed).toMatchObject([{ type: 'failed', serial }]);
    // Answered once: the next message does not look at the request again.
    expect((await world.reconcile('c1')).step).not.toBe('restore');
  });

  it('refuses a restore when nothing was issued yet', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await requestRestore(world, 'abcdef');
    const result = await world.reconcile('c1');
    expect(result).toMatchObject({ step: 'restore', reason: 'RestoreRefused' });
    expect((await world.record('c1')).status.restore?.refused).toMatch(/nothing has been issued yet/);
  });

  it('answers a restore of the current serial without a new revision', async () => {
    const { world, second } = await renewedWorld();
    await requestRestore(world, second.status.serial as string);
    const [result] = await world.run('c1');
    expect(result).toMatchObject({ step: 'restore', reason: 'Restored' });
    const record = await world.record('c1');
    expect(record.status).toMatchObject({ revision: 2, restore: { serial: second.status.serial, revision: 2 } });
    expect((await world.store.listVersions('c1')).map((v) => v.revision)).toEqual([2, 1]);
  });

  it('lets an issuance in flight finish first, then restores', async () => {
    const { world, first } = await renewedWorld();
    await mark(world, { renewRequestedAt: toIsoTime(world.clock.now()) });
    expect((await world.reconcile('c1')).step).toBe('start');
    world.clock.advance(1);
    await requestRestore(world, first.status.serial as string);
    const steps = (await world.run('c1')).map((r) => r.step);
    expect(steps.indexOf('download')).toBeLessThan(steps.indexOf('restore'));
    const record = await world.record('c1');
    expect(record.status).toMatchObject({ revision: 4, serial: first.status.serial });
  });

  it('deletes rather than restores when deletion is requested too', async () => {
    const { world, first } = await renewedWorld();
    await requestRestore(world, first.status.serial as string);
    await mark(world, { deleteRequest: { at: toIsoTime(world.clock.now()), revoke: false, by: 'tester' } });
    const [result] = await world.run('c1');
    expect(result?.step).toBe('delete');
    expect(await world.certificates.get('c1')).toBeUndefined();
  });

  it('resumes after a crash that lost the write following the promotion, promoting once', async () => {
    const { world, first } = await renewedWorld();
    await requestRestore(world, first.status.serial as string);
    let promotions = 0;
    const promote = world.store.promoteExisting.bind(world.store);
    world.store.promoteExisting = async (...args) => {
      promotions += 1;
      return promote(...args);
    };
    // Lose the restore's final write (the one after the intent): the worker died right after promoting.
    let writes = 0;
    world.certificates.onBeforeUpdate(() => {
      writes += 1;
      if (writes === 2) throw new SimulatedCrash('worker died after promoteExisting');
    });
    await expect(world.reconcile('c1')).rejects.toBeInstanceOf(SimulatedCrash);
    world.certificates.onBeforeUpdate(undefined);
    const interrupted = await world.record('c1');
    expect(interrupted.status.restoring).toMatchObject({ serial: first.status.serial, revision: 3 });
    // A duplicate inside the lease waits for the worker it cannot know is dead.
    expect((await world.reconcile('c1')).step).toBe('wait');
    world.clock.advance(DEFAULT_OPTIONS.claimLeaseSeconds + 1);
    await world.run('c1');
    const record = await world.record('c1');
    expect(record.status).toMatchObject({ revision: 3, serial: first.status.serial });
    expect(record.status.restoring).toBeUndefined();
    expect(promotions).toBe(2);
    expect((await world.store.listVersions('c1')).map((v) => v.revision)).toEqual([3, 2, 1]);
    expect(world.events.all().filter((e) => e.reason === 'Restored')).toHaveLength(1);
  });

  it('resumes a restore interrupted before the promotion even when a newer request came meanwhile', async () => {
    const { world, first, second } = await renewedWorld();
    await requestRestore(world, first.status.serial as string);
    const promote = world.store.promoteExisting.bind(world.store);
    world.store.promoteExisting = async () => {
      throw new SimulatedCrash('worker died before promoteExisting');
    };
    await expect(world.reconcile('c1')).rejects.toBeInstanceOf(SimulatedCrash);
    world.store.promoteExisting = promote;
    world.clock.advance(DEFAULT_OPTIONS.claimLeaseSeconds + 1);
    await requestRestore(world, second.status.serial as string);
    await world.run('c1');
    const record = await world.record('c1');
    // The interrupted restore (first serial → 3) finishes, then the newer one (second serial → 4).
    expect((await world.store.listVersions('c1')).map((v) => [v.revision, v.serial])).toEqual([
      [4, second.status.serial],
      [3, first.status.serial],
      [2, second.status.serial],
      [1, first.status.serial],
    ]);
    expect(record.status).toMatchObject({ revision: 4, serial: second.status.serial });
  });

  it('promotes once when the same message is delivered to two workers at the same time', async () => {
    const { world, first } = await renewedWorld();
    await requestRestore(world, first.status.serial as string);
    const results = await Promise.all([world.reconcile('c1'), world.reconcile('c1')]);
    expect(results.map((r) => r.reason).sort()).toEqual(['Conflict', 'Restored']);
    await world.run('c1');
    await world.run('c1');
    expect((await world.store.listVersions('c1')).map((v) => v.revision)).toEqual([3, 2, 1]);
    expect(world.events.all().filter((e) => e.reason === 'Restored')).toHaveLength(1);
    expect((await world.record('c1')).status.deliveries.acm).toMatchObject({ revision: 3, state: 'delivered' });
  });
});

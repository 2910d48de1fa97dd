/** Renewals and re-issuance on fakes: what triggers them, what they send, and what they leave behind. */
import { describe, expect, it } from 'vitest';
import { LifecycleWorld } from '../testing/lifecycle-world.js';

async function issued(world: LifecycleWorld, id = 'c1') {
  await world.request(id);
  await world.run(id);
  return world.record(id);
}

describe('reconcile, renewals', () => {
  it('renews at the stored renewal time with replaces, re-imports on the same location and keeps the old version as previous', async () => {
    const world = new LifecycleWorld();
    const first = await issued(world);
    expect(first.status.renewal?.source).toBe('lifetime');
    const results = await world.wakeAndRun('c1');
    expect(results[0]).toMatchObject({ step: 'start', reason: 'RenewalDue' });
    const second = await world.record('c1');
    expect(world.acme.orderRequests.map((r) => r.replaces)).toEqual([undefined, first.status.certId]);
    expect(second.status).toMatchObject({ revision: 2 });
    expect(second.status.serial).not.toBe(first.status.serial);
    expect(second.status.deliveries.acm?.location).toBe(first.status.deliveries.acm?.location);
    expect(world.targets.targets.get('acm')?.locations).toBe(1);
    expect(world.targets.imports).toBe(2);
    expect((await world.store.getPrevious('c1'))?.serial).toBe(first.status.serial);
    expect(world.events.all().map((e) => e.type)).toEqual(['issued', 'delivered', 'renewed', 'delivered']);
  });

  it('charges nothing to the ledger for a renewal that replaces through ARI', async () => {
    const world = new LifecycleWorld();
    await issued(world);
    const letsEncrypt = () => world.ledger.entries().filter((e) => e.bucket !== 'AcmImportsPerRegion');
    const before = letsEncrypt().length;
    await world.wakeAndRun('c1');
    expect(letsEncrypt()).toHaveLength(before);
    // The ACM import quota is AWS's, not the CA's: the re-import still counts.
    expect(world.ledger.entries('AcmImportsPerRegion')).toHaveLength(2);
  });

  it('chooses the renewal point in the ARI window once and keeps it on later checks of the same window', async () => {
    const world = new LifecycleWorld({
      acme: { renewalWindow: () => ({ start: '2026-07-20T00:00:00Z', end: '2026-07-22T00:00:00Z' }) },
    });
    const record = await issued(world);
    expect(record.status.renewal).toMatchObject({ source: 'ari', ariNextCheckAt: '2026-06-01T06:00:10Z' });
    const at = record.status.renewal?.at as string;
    expect(at >= '2026-07-20T00:00:00Z' && at < '2026-07-22T00:00:00Z').toBe(true);
    expect(record.nextWakeAt).toBe('2026-06-01T06:00:10Z');
    await world.wakeAndRun('c1');
    expect((await world.record('c1')).status.renewal?.at).toBe(at);
  });

  it('renews at once when the CA moves the ARI window into the past', async () => {
    let window = { start: '2026-07-20T00:00:00Z', end: '2026-07-22T00:00:00Z' };
    const world = new LifecycleWorld({ acme: { renewalWindow: () => window } });
    await issued(world);
    // A mass-revocation drill: the window now lies between issuance and the next ARI check.
    window = { start: '2026-06-01T01:00:00Z', end: '2026-06-01T02:00:00Z' };
    const results = await world.wakeAndRun('c1');
    expect(results.map((r) => r.step).slice(0, 2)).toEqual(['ready', 'start']);
    expect(results[1]?.reason).toBe('AriRenewNow');
    expect((await world.record('c1')).status.revision).toBe(2);
  });

  it('reissues when a name is added, and the new certificate carries it', async () => {
    const world = new LifecycleWorld();
    const first = await issued(world);
    await world.certificates.update({
      ...first,
      spec: { ...first.spec, names: [...first.spec.names, 'www.example.test'] },
    });
    const results = await world.run('c1');
    expect(results[0]).toMatchObject({ step: 'start', reason: 'SpecChanged' });
    expect((await world.record('c1')).status.names).toContain('www.example.test');
  });

  it('only delivers, without a new order, when a target is added', async () => {
    const world = new LifecycleWorld();
    const first = await issued(world);
    const targets = [...first.spec.targets, { id: 'export', type: 'secrets-manager' as const, options: {} }];
    await world.certificates.update({ ...first, spec: { ...first.spec, targets } });
    const steps = (await world.run('c1')).map((r) => r.step);
    expect(steps).toEqual(['deliver', 'ready']);
    expect(world.acme.ordersCreated).toBe(1);
  });

  it('reissues when the store lost the current certificate', async () => {
    const world = new LifecycleWorld();
    await issued(world);
    await world.store.delete('c1');
    const results = await world.run('c1');
    expect(results[0]).toMatchObject({ step: 'start', reason: 'KeyMissing' });
    expect((await world.store.describeCurrent('c1'))?.revision).toBe(2);
  });

  it('renews on a manual request once, not again on the next message', async () => {
    const world = new LifecycleWorld();
    const first = await issued(world);
    world.clock.advance(3_600);
    await world.certificates.update({ ...first, renewRequestedAt: '2026-06-01T01:00:10Z' });
    const results = await world.run('c1');
    expect(results[0]).toMatchObject({ step: 'start', reason: 'ManualRenew' });
    expect((await world.reconcile('c1')).step).toBe('ready');
    expect(world.acme.ordersCreated).toBe(2);
  });
});

/**
 * reconcile driven step by step on fakes of every port (unit level; the same flow against pebble + bind9 + moto is
 * next session's integration suite). Each call is one queue message; the clock moves by the requested delay.
 */
import { describe, expect, it } from 'vitest';
import { LifecycleWorld } from '../testing/lifecycle-world.js';

describe('reconcile, first issuance step by step', () => {
  it('takes one step per call, in the order of the lifecycle, and ends Ready with a wake-up at the renewal time', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    const steps = (await world.run('c1')).map((r) => r.step);
    expect(steps).toEqual([
      'start',
      'preflight',
      'order',
      'plan-presentation',
      'present',
      'propagate',
      'validate', // accept
      'validate', // poll: pending, Retry-After
      'validate', // poll: valid
      'cleanup',
      'finalize',
      'download', // processing, Retry-After
      'download', // valid: downloaded and promoted
      'deliver',
      'ready',
    ]);
    const record = await world.record('c1');
    expect(record.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(record.status.issuance).toBeUndefined();
    expect(record.nextWakeAt).toBe(record.status.renewal?.at);
    expect(record.status.deliveries.acm).toMatchObject({
      state: 'delivered',
      revision: 1,
      serial: record.status.serial,
    });
  });

  it('orders once, stores one key, imports once, and leaves no TXT record behind', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    expect(world.acme.ordersCreated).toBe(1);
    expect(world.store.keysStored).toBe(1);
    expect(world.targets.imports).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
  });

  it('persists the order URL in the write right after newOrder', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1', { until: (r) => r.step === 'order' });
    const issuance = (await world.record('c1')).status.issuance;
    expect(world.acme.ordersCreated).toBe(1);
    expect(issuance?.orderUrl).toMatch(/^https:\/\/ca\.fake\/order\//);
    expect(issuance?.claim).toBeUndefined();
  });

  it('writes every DNS-01 record of the order in one provider call, apex and wildcard at the same name', async () => {
    const world = new LifecycleWorld();
    await world.request('c1', { names: ['example.test', '*.example.test', 'www.other.test'] });
    await world.run('c1', { until: (r) => r.step === 'present' });
    expect(world.dns.presentCalls).toBe(1);
    const written = world.dns
      .leftovers()
      .map((r) => r.fqdn)
      .sort();
    expect(written).toEqual([
      '_acme-challenge.example.test',
      '_acme-challenge.example.test',
      '_acme-challenge.www.other.test',
    ]);
  });

  it('writes a delegated challenge at the CNAME target and removes it there', async () => {
    const world = new LifecycleWorld({
      resolver: { cnames: { '_acme-challenge.example.test': 'example.test.acme.delegated.test' } },
    });
    await world.request('c1', { names: ['example.test'] });
    await world.run('c1', { until: (r) => r.step === 'present' });
    expect(world.dns.leftovers().map((r) => r.fqdn)).toEqual(['example.test.acme.delegated.test']);
    await world.run('c1');
    expect(world.dns.leftovers()).toEqual([]);
    expect((await world.record('c1')).status.revision).toBe(1);
  });

  it('does not tell the CA before every nameserver serves the values, and rechecks after a delay', async () => {
    const world = new LifecycleWorld({ resolver: { pendingChecks: 2 } });
    await world.request('c1');
    const results = await world.run('c1', { until: (r) => r.step === 'validate' });
    const propagation = results.filter((r) => r.step === 'propagate');
    expect(propagation.map((r) => r.requeueAfterSeconds)).toEqual([10, 10, 0]);
    expect((await world.record('c1')).status.issuance?.acceptedAt).toBeDefined();
    expect(world.resolver.propagationChecks).toBe(3);
  });

  it("honours the CA's Retry-After while validating: an early message waits and polls nothing", async () => {
    const world = new LifecycleWorld({ acme: { retryAfterMs: 7_000, validationPolls: 1 } });
    await world.request('c1');
    await world.run('c1', { until: (r) => r.step === 'validate' && r.requeueAfterSeconds === 7 });
    const early = await world.reconcile('c1');
    expect(early).toMatchObject({ step: 'wait', requeueAfterSeconds: 7 });
    world.clock.advance(7);
    expect((await world.reconcile('c1')).step).toBe('validate');
  });

  it('stores the fresh key as pending before the CSR is sent', async () => {
    const world = new LifecycleWorld();
    const finalize = world.acme.finalize.bind(world.acme);
    const pendingAtFinalize: number[][] = [];
    world.acme.finalize = async (order, csr) => {
      pendingAtFinalize.push(world.store.pendingRevisions('c1'));
      return finalize(order, csr);
    };
    await world.request('c1');
    await world.run('c1');
    expect(pendingAtFinalize).toEqual([[1]]);
    expect(world.keys.csrs).toEqual(['csr(fake-ec-p256-key-1; example.test,*.example.test)']);
  });

  it('validates by http-01 through the token store and deletes the tokens afterwards', async () => {
    const world = new LifecycleWorld();
    await world.request('c1', { names: ['www.example.test'], challenge: 'http-01' });
    await world.run('c1', { until: (r) => r.step === 'present' });
    expect([...world.http01.tokens.keys()]).toHaveLength(1);
    await world.run('c1');
    expect(world.http01.tokens.size).toBe(0);
    expect(world.dns.presentCalls).toBe(0);
    expect((await world.record('c1')).status.revision).toBe(1);
  });

  it('records issued and delivered events once each, in the log and on the bus', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    await world.reconcile('c1');
    expect(world.events.all().map((e) => e.type)).toEqual(['issued', 'delivered']);
    expect(world.publisher.published.map((e) => e.id)).toEqual(['c1/1.1/issued', 'c1/1/delivered/acm']);
    expect(world.metrics.total('CertificateIssued')).toBe(1);
  });

  it('keeps a ready record untouched when the same message comes again', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    const before = await world.record('c1');
    const again = await world.reconcile('c1');
    expect(again).toMatchObject({ step: 'ready', version: before.version });
    expect(await world.record('c1')).toEqual(before);
  });

  it('archives the order with its outcome', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    const { items } = await world.orders.list('c1', { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      revision: 1,
      attempt: 1,
      result: 'issued',
      serial: (await world.record('c1')).status.serial,
    });
  });
});

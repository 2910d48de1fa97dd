/**
 * Failure paths on fakes. The CA's rate-limited answer, a failing validation loop and throttled targets are
 * injected into the fakes: a real pebble cannot produce them on demand (the fault-injection suite against pebble
 * comes next session).
 */
import { describe, expect, it } from 'vitest';
import { AcmeProblemType } from '../ports/acme-client.js';
import { LifecycleWorld } from '../testing/lifecycle-world.js';
import type { ReconcileResult } from './reconcile.js';

describe('reconcile, the CA answers rateLimited', () => {
  it('backs off until Retry-After and does not ask the CA again before it', async () => {
    const world = new LifecycleWorld();
    world.acme.failNext(
      'newOrder',
      { type: AcmeProblemType.rateLimited, detail: 'too many new orders recently', status: 429 },
      7_200,
    );
    await world.request('c1');
    const results = await world.run('c1');
    const record = await world.record('c1');
    expect(results.at(-1)).toMatchObject({ reason: 'RateLimitedByCa', nextWakeAt: '2026-06-01T02:00:00Z' });
    expect(results.at(-1)?.requeueAfterSeconds).toBeUndefined();
    expect(record.status.failures).toMatchObject({
      count: 1,
      backoffUntil: '2026-06-01T02:00:00Z',
      last: { reason: 'RateLimitedByCa', problem: { type: AcmeProblemType.rateLimited } },
    });
    world.clock.set('2026-06-01T01:59:59Z');
    expect(await world.reconcile('c1')).toMatchObject({ step: 'wait', requeueAfterSeconds: 1 });
    expect(world.acme.orderRequests).toHaveLength(0);
    await world.wakeAndRun('c1');
    expect(world.acme.ordersCreated).toBe(1);
    expect((await world.record('c1')).status.failures).toBeUndefined();
  });

  it('defers before the CA when our ledger shows the account bucket empty, naming the bucket and its refill', async () => {
    const world = new LifecycleWorld();
    await world.ledger.record(
      Array.from({ length: 300 }, (_, i) => ({
        id: `other/${i}`,
        bucket: 'NewOrdersPerAccount' as const,
        scope: 'letsencrypt',
        at: '2026-06-01T00:00:00Z',
        certificateId: 'other',
      })),
    );
    await world.request('c1');
    const results = await world.run('c1', { until: (r) => r.reason === 'RateLimited' });
    const status = (await world.record('c1')).status;
    expect(results.at(-1)).toMatchObject({ step: 'preflight', reason: 'RateLimited', requeueAfterSeconds: 36 });
    expect(status.conditions.find((c) => c.type === 'Issuing')?.message).toBe(
      'rate-limit budget: new orders per account (300 / 3 h) exhausted for letsencrypt; a token refills at 2026-06-01T00:00:36Z',
    );
    expect(world.acme.orderRequests).toHaveLength(0);
    expect(status.failures).toBeUndefined();
  });
});

describe('reconcile, validation fails', () => {
  function failingWorld() {
    // The CA looks for the TXT value and never finds it (a wrong zone, a split-horizon server).
    return new LifecycleWorld({ acme: { txtLookup: () => [] } });
  }

  it('cleans up, records the problem with a stable message, backs off and emits failed', async () => {
    const world = failingWorld();
    await world.request('c1');
    const results = await world.run('c1', { untilEvent: 'failed' });
    const record = await world.record('c1');
    expect(results.map((r) => r.step).slice(-2)).toEqual(['validate', 'cleanup']);
    expect(world.dns.leftovers()).toEqual([]);
    expect(record.status.issuance).toBeUndefined();
    expect(record.status.failures).toMatchObject({
      count: 1,
      backoffUntil: '2026-06-01T00:01:06Z',
      last: {
        reason: 'ValidationFailed',
        message:
          'the CA could not validate example.test, *.example.test: Incorrect TXT record found at _acme-challenge.example.test',
        problem: { type: AcmeProblemType.unauthorized },
      },
    });
    expect(world.events.all().map((e) => [e.type, e.reason])).toEqual([['failed', 'ValidationFailed']]);
    expect(world.ledger.entries('AuthorizationFailuresPerName').map((e) => e.scope)).toEqual([
      'letsencrypt|example.test',
      'letsencrypt|example.test',
    ]);
    const { items } = await world.orders.list('c1', { limit: 10 });
    expect(items[0]).toMatchObject({ result: 'failed', attempt: 1 });
  });

  it('never loops: backoff grows 1 min → 10 min → 100 min → 1 day and the exact-set bucket caps orders per week', async () => {
    const world = failingWorld();
    await world.request('c1');
    const results: ReconcileResult[] = [];
    const end = Date.parse('2026-06-08T00:00:00Z');
    while (world.clock.now().getTime() < end) results.push(...(await world.wakeAndRun('c1')));
    const failures = world.events.all().filter((e) => e.type === 'failed');
    const gaps = failures.slice(1).map((e, i) => (Date.parse(e.at) - Date.parse(failures[i]?.at as string)) / 1000);
    expect(gaps.slice(0, 4).map((g) => Math.round(g / 60))).toEqual([1, 10, 100, 1_440]);
    // 5 tokens, then one per 33.6 h: far fewer orders than one a day.
    expect(world.acme.ordersCreated).toBeLessThanOrEqual(5 + Math.floor((7 * 24) / 33.6));
    expect(results.some((r) => r.reason === 'RateLimited')).toBe(true);
    expect(world.logs.find((l) => l.reason === 'RateLimited')?.message).toMatch(
      /^rate-limit budget: orders for the exact same names \(5 \/ 7 d\) exhausted for letsencrypt\|[0-9a-f]{16}; a token refills at /,
    );
    expect(world.dns.leftovers()).toEqual([]);
  });

  it('lets a manual renewal skip the backoff once, and backs off again when that attempt fails too', async () => {
    const world = failingWorld();
    await world.request('c1');
    await world.run('c1', { untilEvent: 'failed' });
    const failed = await world.record('c1');
    expect(await world.reconcile('c1')).toMatchObject({ step: 'wait', reason: 'BackingOff' });
    await world.certificates.update({ ...failed, renewRequestedAt: '2026-06-01T00:00:30Z' });
    expect(await world.reconcile('c1')).toMatchObject({ step: 'start', reason: 'NotIssued' });
    await world.run('c1', { untilEvent: 'failed' });
    expect(await world.reconcile('c1')).toMatchObject({ step: 'wait', reason: 'BackingOff' });
    expect((await world.record('c1')).status.failures?.count).toBe(2);
  });
});

describe('reconcile, other failures', () => {
  it('gives up on propagation after the timeout and cleans up', async () => {
    const world = new LifecycleWorld({
      resolver: { pendingChecks: 10_000 },
      options: { propagationTimeoutSeconds: 60 },
    });
    await world.request('c1');
    await world.run('c1', { untilEvent: 'failed' });
    const status = (await world.record('c1')).status;
    expect(status.failures?.last.reason).toBe('PropagationTimeout');
    expect(world.dns.leftovers()).toEqual([]);
    expect(world.acme.orderRequests).toHaveLength(1);
  });

  it('retries a transient DNS provider error in the same step, then goes on', async () => {
    const world = new LifecycleWorld();
    world.dns.failNext();
    await world.request('c1');
    const results = await world.run('c1');
    expect(results.filter((r) => r.reason === 'Retrying').map((r) => [r.step, r.requeueAfterSeconds])).toEqual([
      ['present', 5],
    ]);
    expect((await world.record('c1')).status.revision).toBe(1);
    expect(world.dns.leftovers()).toEqual([]);
  });

  it('fails without calling the CA when CAA forbids the issuer', async () => {
    const world = new LifecycleWorld({ resolver: { caaRefused: ['example.test'] } });
    await world.request('c1');
    await world.run('c1', { untilEvent: 'failed' });
    const status = (await world.record('c1')).status;
    expect(status.failures?.last).toMatchObject({ reason: 'CaaForbidden' });
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'CaaForbidden',
    });
    expect(world.acme.orderRequests).toHaveLength(0);
  });

  it('fails without calling the CA for an issuer that is not configured', async () => {
    const world = new LifecycleWorld();
    await world.request('c1', { issuer: 'nowhere' });
    await world.run('c1', { untilEvent: 'failed' });
    expect((await world.record('c1')).status.failures?.last.message).toBe('issuer "nowhere" is not configured');
    expect(world.acme.orderRequests).toHaveLength(0);
  });

  it('backs off a throttled target on its own and delivers on the retry', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1', { until: (r) => r.step === 'download' && r.reason === 'Issued' });
    world.targets.forSpec({ id: 'acm', type: 'acm', options: {} }).failNext();
    const failed = await world.run('c1', { until: (r) => r.step === 'deliver' });
    expect(failed.at(-1)).toMatchObject({ reason: 'DeliveryFailed', requeueAfterSeconds: 60 });
    const status = (await world.record('c1')).status;
    expect(status.deliveries.acm).toMatchObject({
      state: 'failed',
      failures: 1,
      message: 'delivery to acm failed (transient): acm: throttled',
    });
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('False');
    await world.run('c1');
    expect((await world.record('c1')).status.deliveries.acm?.state).toBe('delivered');
    expect(world.targets.imports).toBe(1);
  });

  it('waits for the ACM import quota instead of importing beyond it', async () => {
    const world = new LifecycleWorld();
    await world.ledger.record(
      Array.from({ length: 5_000 }, (_, i) => ({
        id: `old/${i}`,
        bucket: 'AcmImportsPerRegion' as const,
        scope: 'acm:eu-west-1',
        at: '2025-06-02T00:00:00Z',
        certificateId: 'old',
      })),
    );
    await world.request('c1');
    const results = await world.run('c1');
    expect(results.at(-1)).toMatchObject({
      step: 'deliver',
      reason: 'QuotaExhausted',
      nextWakeAt: '2026-06-02T00:00:00Z',
    });
    expect(world.targets.imports).toBe(0);
  });

  it('stores stable messages: no URLs, timestamps or ids from the CA', async () => {
    const world = new LifecycleWorld();
    world.acme.failNext('newOrder', {
      type: AcmeProblemType.rejectedIdentifier,
      detail:
        'Error creating new order at 2026-06-01T00:00:00Z :: request 8f14e45fceea167a5a36dedd4bea2543, see https://ca.test/x',
    });
    await world.request('c1');
    await world.run('c1', { untilEvent: 'failed' });
    expect((await world.record('c1')).status.failures?.last.problem?.detail).toBe(
      'Error creating new order at <time> :: request <id>, see <url>',
    );
  });

  it('retries a CA server error as transient and fails the attempt after the retry budget', async () => {
    const world = new LifecycleWorld({ options: { maxTransientRetries: 2 } });
    for (let i = 0; i < 3; i++) world.acme.failNext('finalize', { type: AcmeProblemType.serverInternal, status: 500 });
    await world.request('c1');
    const results = await world.run('c1', { untilEvent: 'failed' });
    expect(results.filter((r) => r.reason === 'Retrying')).toHaveLength(2);
    expect((await world.record('c1')).status.failures?.last.reason).toBe('TooManyRetries');
  });
});

/**
 * Deletion requests on fakes: revoke when asked, remove challenge leftovers, key/chain and the record, emit
 * `deleted` naming the targets left deployed.
 */
import { describe, expect, it } from 'vitest';
import { RevocationReason } from '../../ports/acme-client.js';
import { LifecycleWorld } from '../../testing/lifecycle-world.js';
import { type DeleteRequest, toIsoTime } from '../types.js';

/** What `DELETE /certificates/{id}` writes. */
async function requestDeletion(world: LifecycleWorld, request: Omit<DeleteRequest, 'at' | 'by'>): Promise<void> {
  const record = await world.record('c1');
  const now = toIsoTime(world.clock.now());
  await world.certificates.update({ ...record, deleteRequest: { ...request, at: now, by: 'tester' }, nextWakeAt: now });
}

describe('delete', () => {
  const cases: Record<string, { request: Omit<DeleteRequest, 'at' | 'by'>; revoked: number | undefined }> = {
    'deletes an issued certificate without revoking it': { request: { revoke: false }, revoked: undefined },
    'revokes first with the given reason, then deletes': {
      request: { revoke: true, reason: 'cessationOfOperation' },
      revoked: RevocationReason.cessationOfOperation,
    },
    'revokes first as unspecified when no reason is given, then deletes': {
      request: { revoke: true },
      revoked: RevocationReason.unspecified,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { request, revoked }) => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    const issued = await world.record('c1');
    await requestDeletion(world, request);
    const results = [...(await world.run('c1')), await world.reconcile('c1')];
    expect(results.map((r) => r.step)).toEqual(['delete', 'gone']);
    expect(await world.certificates.get('c1')).toBeUndefined();
    expect(await world.store.describeCurrent('c1')).toBeUndefined();
    expect(world.acme.revoked).toEqual(
      revoked === undefined ? [] : [{ serial: issued.status.serial, reason: revoked }],
    );
    const types = world.events.all().map((e) => e.type);
    expect(types.filter((t) => t === 'revoked')).toHaveLength(revoked === undefined ? 0 : 1);
    const deleted = world.events.all().find((e) => e.type === 'deleted');
    expect(deleted?.message).toContain(`targets left deployed (1): acm: ${issued.status.deliveries.acm?.location}`);
    expect(world.publisher.published.some((e) => e.type === 'deleted')).toBe(true);
  });

  it('removes the challenge records of an issuance in flight before removing the record', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1', { until: (r) => r.step === 'present' });
    expect(world.dns.leftovers()).not.toEqual([]);
    await requestDeletion(world, { revoke: true });
    const results = [...(await world.run('c1')), await world.reconcile('c1')];
    expect(results.map((r) => r.step)).toEqual(['delete', 'gone']);
    expect(world.dns.leftovers()).toEqual([]);
    expect(world.acme.revoked).toEqual([]);
    expect(world.events.all().find((e) => e.type === 'deleted')?.message).toContain('no target holds it');
  });

  it('skips the revocation when the current certificate was revoked already', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await world.run('c1');
    const issued = await world.record('c1');
    const now = toIsoTime(world.clock.now());
    await world.certificates.update({
      ...issued,
      revokeRequest: { at: now, reason: 'superseded', by: 'tester' },
      nextWakeAt: now,
    });
    await world.run('c1');
    await requestDeletion(world, { revoke: true });
    await world.run('c1');
    expect(world.acme.revoked).toHaveLength(1);
    expect(await world.certificates.get('c1')).toBeUndefined();
  });
});

/**
 * Revocation requests on fakes: revoke with the account key through the AcmeClient port, record it, emit
 * `revoked`, and stop renewing until a renewal is requested afterwards.
 */
import { describe, expect, it, vi } from 'vitest';
import { AcmeProblemError, AcmeProblemType, RevocationReason } from '../../ports/acme-client.js';
import { LifecycleWorld } from '../../testing/lifecycle-world.js';
import { type RevocationReasonName, toIsoTime } from '../types.js';

async function issuedWorld(): Promise<LifecycleWorld> {
  const world = new LifecycleWorld();
  await world.request('c1');
  await world.run('c1');
  return world;
}

/** What `POST /certificates/{id}/revoke` writes. */
async function requestRevocation(world: LifecycleWorld, reason: RevocationReasonName): Promise<void> {
  const record = await world.record('c1');
  const now = toIsoTime(world.clock.now());
  await world.certificates.update({ ...record, revokeRequest: { at: now, reason, by: 'tester' }, nextWakeAt: now });
}

describe('revoke', () => {
  const reasons: Record<string, RevocationReasonName> = {
    'revokes the current certificate for keyCompromise and records it': 'keyCompromise',
    'revokes the current certificate as superseded and records it': 'superseded',
    'revokes the current certificate with no stated reason and records it': 'unspecified',
  };
  it.each(Object.entries(reasons))('%s', async (_name, reason) => {
    const world = await issuedWorld();
    const issued = await world.record('c1');
    world.clock.advance(60);
    await requestRevocation(world, reason);
    const results = await world.run('c1');
    expect(results.map((r) => r.step)).toEqual(['revoke']);
    expect(world.acme.revoked).toEqual([{ serial: issued.status.serial, reason: RevocationReason[reason] }]);
    const record = await world.record('c1');
    expect(record.status.revocation).toEqual({
      requestedAt: record.revokeRequest?.at,
      revokedAt: toIsoTime(world.clock.now()),
      reason,
      serial: issued.status.serial,
      revision: 1,
    });
    expect(record.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'Revoked',
    });
    expect(record.nextWakeAt).toBeUndefined();
    const revoked = world.events.all().filter((e) => e.type === 'revoked');
    expect(revoked).toMatchObject([{ serial: issued.status.serial, reason, revision: 1 }]);
    expect(world.publisher.published.filter((e) => e.type === 'revoked')).toHaveLength(1);
  });

  it('counts alreadyRevoked from the CA as done', async () => {
    const world = await issuedWorld();
    // The fake CA does not remember revocations; a real one answers a repeat with alreadyRevoked.
    vi.spyOn(world.acme, 'revoke').mockRejectedValueOnce(
      new AcmeProblemError({ type: AcmeProblemType.alreadyRevoked, detail: 'certificate already revoked' }),
    );
    await requestRevocation(world, 'superseded');
    const [result] = await world.run('c1');
    expect(result).toMatchObject({ step: 'revoke', reason: 'Revoked' });
    expect((await world.record('c1')).status.revocation?.reason).toBe('superseded');
  });

  it('does not renew a revoked certificate when its renewal time passes, and writes nothing for repeats', async () => {
    const world = await issuedWorld();
    const issued = await world.record('c1');
    await requestRevocation(world, 'keyCompromise');
    await world.run('c1');
    const revoked = await world.record('c1');
    world.clock.set(issued.status.notAfter as string);
    world.clock.advance(1);
    const results = [await world.reconcile('c1'), await world.reconcile('c1')];
    expect(results.map((r) => r.step)).toEqual(['revoked', 'revoked']);
    expect(results.every((r) => r.requeueAfterSeconds === undefined)).toBe(true);
    expect((await world.record('c1')).version).toBe(revoked.version);
    expect(world.acme.ordersCreated).toBe(1);
    expect(world.acme.revoked).toHaveLength(1);
  });

  it('renews a revoked certificate when a renewal is requested after the revocation', async () => {
    const world = await issuedWorld();
    await requestRevocation(world, 'keyCompromise');
    await world.run('c1');
    world.clock.advance(60);
    const revoked = await world.record('c1');
    const now = toIsoTime(world.clock.now());
    await world.certificates.update({ ...revoked, renewRequestedAt: now, nextWakeAt: now });
    await world.run('c1');
    const renewed = await world.record('c1');
    expect(renewed.status.revision).toBe(2);
    expect(renewed.status.serial).not.toBe(revoked.status.serial);
    expect(renewed.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(world.acme.revoked).toHaveLength(1);
  });

  it('renews when the renewal was requested right after the revocation, before the worker carried it out', async () => {
    const world = await issuedWorld();
    const issued = await world.record('c1');
    await requestRevocation(world, 'keyCompromise');
    const requested = await world.record('c1');
    // Same second as the revocation request: `portcullis revoke` then `portcullis renew --wait`.
    await world.certificates.update({ ...requested, renewRequestedAt: requested.revokeRequest?.at as string });
    await world.run('c1');
    const renewed = await world.record('c1');
    expect(world.acme.revoked).toEqual([{ serial: issued.status.serial, reason: RevocationReason.keyCompromise }]);
    expect(renewed.status.revision).toBe(2);
    expect(renewed.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('stays revoked when the only renewal request is older than the revocation request', async () => {
    const world = await issuedWorld();
    const issued = await world.record('c1');
    await world.certificates.update({ ...issued, renewRequestedAt: toIsoTime(world.clock.now()) });
    world.clock.advance(5);
    await world.run('c1');
    world.clock.advance(60);
    await requestRevocation(world, 'keyCompromise');
    await world.run('c1');
    const after = await world.record('c1');
    expect(after.status.revocation?.serial).toBe(after.status.serial);
    expect(world.acme.revoked).toHaveLength(1);
  });

  it('records a revocation of a certificate never issued without calling the CA, and then issues nothing', async () => {
    const world = new LifecycleWorld();
    await world.request('c1');
    await requestRevocation(world, 'cessationOfOperation');
    const results = await world.run('c1');
    expect(results.map((r) => r.step)).toEqual(['revoke']);
    expect(world.acme.revoked).toEqual([]);
    expect(world.acme.ordersCreated).toBe(0);
    expect((await world.record('c1')).status.revocation).toMatchObject({ reason: 'cessationOfOperation', revision: 0 });
  });
});

/**
 * Restore a previous certificate version on the real stack: pebble issues (DNS-01 through bind9), the functions'
 * wiring stores versions in Secrets Manager and imports into ACM on moto. After a forced renewal the first serial is
 * restored: it becomes a NEW revision, ACM serves it again on the SAME ARN, and the store lists every version.
 */
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { acmSerialMatches, countAwsRequests } from '@portcullis/aws';
import { type CertificateRecord, reconcile, toIsoTime } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmArnsOf, leftoverTxt, secretVersions } from './counts.js';
import { createHarness, driveUntilSettled, isReady, type LifecycleHarness, motoClients } from './lifecycle-stack.js';

let stack: LocalStack;
let admin: ReturnType<typeof motoClients>;
const harnesses: LifecycleHarness[] = [];

beforeAll(async () => {
  stack = await startLocalStack({});
  admin = motoClients(stack);
});

afterAll(async () => {
  for (const harness of harnesses) await harness.dispose();
  admin?.destroy();
  await stack?.stop();
});

async function harness(): Promise<LifecycleHarness> {
  const created = await createHarness(stack, admin);
  harnesses.push(created);
  return created;
}

/** What the API writes for a marker: the field and `nextWakeAt` pulled to now. */
async function mark(h: LifecycleHarness, id: string, changes: Partial<CertificateRecord>): Promise<void> {
  const record = await h.record(id);
  await h.wiring.deps.certificates.update({ ...record, ...changes, nextWakeAt: toIsoTime(h.clock.now()) });
}

/** Issued, then renewed on request: returns the records after each. */
async function issuedAndRenewed(h: LifecycleHarness, id: string) {
  await h.request(id);
  await driveUntilSettled(h, id);
  const first = await h.record(id);
  h.clock.advance(60);
  await mark(h, id, { renewRequestedAt: toIsoTime(h.clock.now()) });
  await driveUntilSettled(h, id);
  const second = await h.record(id);
  h.clock.advance(60);
  return { first, second };
}

async function servedSerial(arn: string): Promise<string> {
  const described = await admin.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
  return described.Certificate?.Serial ?? '';
}

describe('restore a previous certificate version', () => {
  it('serves the first serial again on the same ACM ARN as revision 3', async () => {
    const h = await harness();
    const imports = countAwsRequests(h.wiring.clients.acm);
    const { first, second } = await issuedAndRenewed(h, 'restore');
    const arn = first.status.deliveries.acm?.location as string;
    expect(second.status.serial).not.toBe(first.status.serial);
    expect(acmSerialMatches(await servedSerial(arn), second.status.serial as string)).toBe(true);
    // Secrets Manager's AWSPREVIOUS after the second promotion is the first certificate, not a key-only version.
    expect((await h.wiring.deps.store.getPrevious('restore'))?.serial).toBe(first.status.serial);

    // What `POST /certificates/restore/restore {serial}` writes.
    await mark(h, 'restore', {
      restoreRequest: { at: toIsoTime(h.clock.now()), serial: first.status.serial as string, by: 'test' },
    });
    const { results } = await driveUntilSettled(h, 'restore');
    expect(results.map((r) => r.step)).toEqual(expect.arrayContaining(['restore', 'deliver']));

    const restored = await h.record('restore');
    expect(isReady(restored)).toBe(true);
    expect(restored.status).toMatchObject({
      revision: 3,
      serial: first.status.serial,
      restore: { serial: first.status.serial, revision: 3 },
    });
    expect(restored.status.deliveries.acm).toMatchObject({ state: 'delivered', revision: 3, location: arn });
    expect(await acmArnsOf(admin, 'restore')).toEqual([arn]);
    expect(acmSerialMatches(await servedSerial(arn), first.status.serial as string)).toBe(true);
    expect(imports.count('ImportCertificateCommand')).toBe(3);
    expect(h.crash.count('acme', 'newOrder')).toBe(2);

    const versions = await h.wiring.deps.store.listVersions('restore');
    expect(versions.map((v) => [v.revision, v.serial])).toEqual([
      [3, first.status.serial],
      [2, second.status.serial],
      [1, first.status.serial],
    ]);
    expect((await h.wiring.deps.store.getPrevious('restore'))?.serial).toBe(second.status.serial);
    // Two versions per issued revision (key, certificate) and one for the restore.
    expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}restore`)).toBe(5);
    // The held renewal does not undo the restore on the next message.
    expect((await reconcile('restore', h.wiring.deps)).step).toBe('ready');
    expect(await leftoverTxt(stack)).toEqual([]);
  });

  it('promotes once when the worker dies right after promoting, and resumes after the lease', async () => {
    const h = await harness();
    const { first } = await issuedAndRenewed(h, 'restore-crash');
    await mark(h, 'restore-crash', {
      restoreRequest: { at: toIsoTime(h.clock.now()), serial: first.status.serial as string, by: 'test' },
    });
    h.crash.arm('store', 'promoteExisting');
    const { crashes } = await driveUntilSettled(h, 'restore-crash');
    expect(crashes).toBe(1);
    const restored = await h.record('restore-crash');
    expect(isReady(restored)).toBe(true);
    expect(restored.status).toMatchObject({ revision: 3, serial: first.status.serial });
    expect(h.crash.count('store', 'promoteExisting')).toBe(2);
    expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}restore-crash`)).toBe(5);
    const events = await h.wiring.deps.events.list('restore-crash', { limit: 100 });
    expect(events.items.filter((e) => e.reason === 'Restored')).toHaveLength(1);
  });

  it('refuses an unknown serial and keeps serving the current one', async () => {
    const h = await harness();
    const { second } = await issuedAndRenewed(h, 'restore-refused');
    await mark(h, 'restore-refused', {
      restoreRequest: { at: toIsoTime(h.clock.now()), serial: 'abcdef', by: 'test' },
    });
    const { results } = await driveUntilSettled(h, 'restore-refused');
    expect(results[0]).toMatchObject({ step: 'restore', reason: 'RestoreRefused' });
    const record = await h.record('restore-refused');
    expect(record.status).toMatchObject({ revision: 2, serial: second.status.serial });
    expect(record.status.restore?.refused).toBe('serial abcdef is not a certificate stored for restore-refused');
    const arn = second.status.deliveries.acm?.location as string;
    expect(acmSerialMatches(await servedSerial(arn), second.status.serial as string)).toBe(true);
  });
});

/**
 * The reconcile worker's ports wired from the environment (functions/src/wiring) against the real local stack:
 * pebble (ACME), bind9 (RFC 2136 + authoritative DNS), moto (DynamoDB, Secrets Manager, ACM, SQS, EventBridge).
 * reconcile is driven step by step (the clock jumps over requeue delays instead of waiting) until Ready for an
 * apex + wildcard certificate with an ACM target.
 */

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { acmSerialMatches, countAwsRequests } from '@portcullis/aws';
import { RevocationReason, reconcile, toIsoTime } from '@portcullis/core';
import { Rfc2136Provider } from '@portcullis/dns';
import { createReconcileHandler, type Wiring } from '@portcullis/functions';
import { lambdaContext, sqsEvent } from '@portcullis/functions/testing';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmArnsOf, leftoverTxt, secretDeleted, secretVersions } from './counts.js';
import { createHarness, driveUntilSettled, isReady, type LifecycleHarness, motoClients } from './lifecycle-stack.js';

const context = lambdaContext('portcullis-reconcile');
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

describe('reconcile on the real stack', () => {
  it('takes an apex + wildcard certificate to Ready with one order, one key, one ACM import', async () => {
    const h = await harness();
    const imports = countAwsRequests(h.wiring.clients.acm);
    await h.request('happy');
    const { results, crashes } = await driveUntilSettled(h, 'happy');
    const record = await h.record('happy');
    expect(crashes).toBe(0);
    expect(isReady(record)).toBe(true);
    expect(results.map((r) => r.step)).toEqual(expect.arrayContaining(['order', 'present', 'finalize', 'deliver']));
    expect(h.crash.count('acme', 'newOrder')).toBe(1);
    expect(imports.count('ImportCertificateCommand')).toBe(1);
    expect(await acmArnsOf(admin, 'happy')).toEqual([record.status.deliveries.acm?.location]);
    expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}happy`)).toBe(2);
    expect(await leftoverTxt(stack)).toEqual([]);
    expect(record.status.deliveries.acm).toMatchObject({ state: 'delivered', serial: record.status.serial });
    const status = await stack.pebble.certStatus(record.status.serial as string);
    expect(status.status).toBe('Valid');
  });
});

/**
 * Crash right after each side effect (the write recording it is lost with the worker), then resume after the
 * visibility timeout. Counted at the real systems: ACME orders (calls that pebble answered), ACM imports (SDK
 * requests), secret versions, TXT left at bind9.
 */
describe('crash after each side effect, then resume', () => {
  const cases: Record<string, { port: string; method: string; orders: number }> = {
    'after newOrder (documented gap: the URL was never recorded, so a second order is made)': {
      port: 'acme',
      method: 'newOrder',
      orders: 2,
    },
    'after the TXT records were written': { port: 'dns', method: 'present', orders: 1 },
    'after the TXT records were removed': { port: 'dns', method: 'cleanup', orders: 1 },
    'after the pending key was stored': { port: 'store', method: 'putPending', orders: 1 },
    'after the CSR was sent': { port: 'acme', method: 'finalize', orders: 1 },
    'after the chain was downloaded': { port: 'acme', method: 'downloadCertificate', orders: 1 },
    'after key and chain were promoted': { port: 'store', method: 'promote', orders: 1 },
    'after the first ACM import': { port: 'target', method: 'publish', orders: 1 },
    'after the issued event was published': { port: 'publisher', method: 'publish', orders: 1 },
  };
  it.each(Object.entries(cases))('%s', (_name, { port, method, orders }) => crashAndResume(port, method, orders));

  // A CA refuses a second POST to a challenge that left `pending` (pebble, like Boulder: "malformed: Cannot update
  // challenge with status valid"); the ACME engine re-reads the challenge then, so a resumed worker carries on.
  it('after the challenges were accepted at the CA', () => crashAndResume('acme', 'acceptChallenge', 1));

  async function crashAndResume(port: string, method: string, orders: number): Promise<void> {
    const h = await harness();
    const id = `crash-${port}-${method}`.toLowerCase();
    const imports = countAwsRequests(h.wiring.clients.acm);
    await h.request(id);
    h.crash.arm(port, method);
    const { crashes } = await driveUntilSettled(h, id);
    const record = await h.record(id);
    expect(crashes).toBe(1);
    expect(isReady(record)).toBe(true);
    expect(h.crash.count('acme', 'newOrder')).toBe(orders);
    expect(imports.count('ImportCertificateCommand')).toBe(1);
    expect(await acmArnsOf(admin, id)).toEqual([record.status.deliveries.acm?.location]);
    expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}${id}`)).toBe(2);
    expect(await leftoverTxt(stack)).toEqual([]);
  }
});

describe('duplicates, outages and renewal', () => {
  it('gives one order, one key and one import when every message is delivered three times', async () => {
    const h = await harness();
    const imports = countAwsRequests(h.wiring.clients.acm);
    await h.request('dup');
    // Each delivery round hands the worker the same message three times (SQS at-least-once, one batch).
    const ready = await deliverInRounds(h, 'dup', (worker) => worker(sqsEvent(['dup', 'dup', 'dup']), context), 40);
    expect(ready).toBe(true);
    expect(h.crash.count('acme', 'newOrder')).toBe(1);
    expect(imports.count('ImportCertificateCommand')).toBe(1);
    expect(await acmArnsOf(admin, 'dup')).toHaveLength(1);
    expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}dup`)).toBe(2);
    expect(await leftoverTxt(stack)).toEqual([]);
  });

  // Three workers decide every step from the same version. Accepting challenges, finalize (fresh key + CSR) and
  // download + promote run under a claim like newOrder (core lifecycle/steps/claim.ts): one worker wins the
  // conditional claim write, the others conflict and never call the CA or the store.
  it('gives one order when three workers run the same message concurrently', async () => {
    const h = await harness();
    await h.request('dup-concurrent');
    const run = (worker: Worker) => Promise.all([0, 1, 2].map(() => worker(sqsEvent(['dup-concurrent']), context)));
    const ready = await deliverInRounds(h, 'dup-concurrent', run, 20);
    expect(ready).toBe(true);
    expect(h.crash.count('acme', 'newOrder')).toBe(1);
  });

  it('waits out an unreachable DNS server and then issues with one order and no leftover TXT', async () => {
    const closed = await closedPort();
    let down = true;
    // A real RFC 2136 provider aimed at a loopback port nobody listens on: real transport errors, no mock.
    const unreachable = new Rfc2136Provider({
      server: { host: '127.0.0.1', port: closed },
      tsig: stack.bind.tsig,
      timeoutMs: 300,
    });
    const h = await createHarness(stack, admin, {
      wrapDnsProvider: (provider) => ({
        name: provider.name,
        present: (records) => (down ? unreachable.present(records) : provider.present(records)),
        cleanup: (presentation) => (down ? unreachable.cleanup(presentation) : provider.cleanup(presentation)),
      }),
    });
    harnesses.push(h);
    await h.request('outage');
    const during = await driveUntilSettled(h, 'outage', { maxSteps: 8, until: (r) => r.step === 'present' });
    expect(during.results.at(-1)?.requeueAfterSeconds).toBeGreaterThan(0);
    expect((await h.record('outage')).status.issuance?.phase).toBe('Presenting');
    down = false;
    await driveUntilSettled(h, 'outage');
    expect(isReady(await h.record('outage'))).toBe(true);
    expect(h.crash.count('acme', 'newOrder')).toBe(1);
    expect(await leftoverTxt(stack)).toEqual([]);
  });

  it('renews on request and keeps one ACM ARN with a new serial', async () => {
    const h = await harness();
    const imports = countAwsRequests(h.wiring.clients.acm);
    await h.request('renew');
    await driveUntilSettled(h, 'renew');
    const first = await h.record('renew');
    h.clock.advance(60);
    // What `POST /certificates/{id}/renew` writes.
    await h.wiring.deps.certificates.update({
      ...first,
      renewRequestedAt: toIsoTime(h.clock.now()),
      nextWakeAt: toIsoTime(h.clock.now()),
    });
    await driveUntilSettled(h, 'renew');
    const second = await h.record('renew');
    expect(isReady(second)).toBe(true);
    expect(second.status.revision).toBe(2);
    expect(second.status.serial).not.toBe(first.status.serial);
    expect(second.status.deliveries.acm?.location).toBe(first.status.deliveries.acm?.location);
    expect(await acmArnsOf(admin, 'renew')).toEqual([first.status.deliveries.acm?.location]);
    const described = await admin.acm.send(
      new DescribeCertificateCommand({ CertificateArn: first.status.deliveries.acm?.location }),
    );
    expect(acmSerialMatches(described.Certificate?.Serial ?? '', second.status.serial as string)).toBe(true);
    expect(imports.count('ImportCertificateCommand')).toBe(2);
    expect(h.crash.count('acme', 'newOrder')).toBe(2);
    expect(await leftoverTxt(stack)).toEqual([]);
  });
});

describe('revoke and delete requests', () => {
  it('revokes the current certificate at pebble with the reason and stops renewing it', async () => {
    const h = await harness();
    await h.request('revoke');
    await driveUntilSettled(h, 'revoke');
    const issued = await h.record('revoke');
    const at = toIsoTime(h.clock.now());
    // What `POST /certificates/{id}/revoke` writes.
    await h.wiring.deps.certificates.update({
      ...issued,
      revokeRequest: { at, reason: 'keyCompromise', by: 'test' },
      nextWakeAt: at,
    });
    const { results } = await driveUntilSettled(h, 'revoke');
    expect(results.map((r) => r.step)).toEqual(['revoke']);
    const status = await stack.pebble.certStatus(issued.status.serial as string);
    expect(status).toMatchObject({ status: 'Revoked', revocationReason: RevocationReason.keyCompromise });
    const revoked = await h.record('revoke');
    expect(revoked.status.revocation).toMatchObject({ reason: 'keyCompromise', serial: issued.status.serial });
    expect(revoked.nextWakeAt).toBeUndefined();
    const events = await h.wiring.deps.events.list('revoke', { limit: 100 });
    expect(events.items.filter((e) => e.type === 'revoked')).toHaveLength(1);
    // A later message (the planner, a duplicate) neither renews nor revokes again.
    h.clock.advance(3_600);
    expect((await reconcile('revoke', h.wiring.deps)).step).toBe('revoked');
    expect(h.crash.count('acme', 'newOrder')).toBe(1);
    expect(h.crash.count('acme', 'revoke')).toBe(1);
  });

  it('deletes: revokes first, removes the secret and the record, leaves the ACM import deployed', async () => {
    const h = await harness();
    await h.request('delete');
    await driveUntilSettled(h, 'delete');
    const issued = await h.record('delete');
    const at = toIsoTime(h.clock.now());
    // What `DELETE /certificates/{id}?revoke=true&reason=cessationOfOperation` writes.
    await h.wiring.deps.certificates.update({
      ...issued,
      deleteRequest: { at, revoke: true, reason: 'cessationOfOperation', by: 'test' },
      nextWakeAt: at,
    });
    const { results } = await driveUntilSettled(h, 'delete', { until: (r) => r.step === 'delete' });
    expect(results.map((r) => r.step)).toEqual(['delete']);
    expect(await h.wiring.deps.certificates.get('delete')).toBeUndefined();
    expect((await reconcile('delete', h.wiring.deps)).step).toBe('gone');
    expect(await secretDeleted(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}delete`)).toBe(true);
    const status = await stack.pebble.certStatus(issued.status.serial as string);
    expect(status).toMatchObject({ status: 'Revoked', revocationReason: RevocationReason.cessationOfOperation });
    expect(await acmArnsOf(admin, 'delete')).toEqual([issued.status.deliveries.acm?.location]);
    const events = await h.wiring.deps.events.list('delete', { limit: 100 });
    const deleted = events.items.find((e) => e.type === 'deleted');
    expect(deleted?.message).toContain(issued.status.deliveries.acm?.location as string);
  });
});

/** A loopback port with no listener (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Worker = ReturnType<typeof createReconcileHandler>;

/**
 * Runs delivery rounds through the real worker handler until Ready (at most `rounds`): requeues go to the real SQS
 * queue; a recording wrapper only tells the test how far to move the clock instead of waiting for the delay.
 */
async function deliverInRounds(
  h: LifecycleHarness,
  id: string,
  deliver: (worker: Worker) => Promise<unknown>,
  rounds: number,
): Promise<boolean> {
  const requeues: number[] = [];
  const wiring: Wiring = {
    ...h.wiring,
    queue: {
      send: async (certificateId, delay) => {
        requeues.push(delay);
        await h.wiring.queue.send(certificateId, delay);
      },
    },
  };
  const worker = createReconcileHandler(() => wiring);
  for (let i = 0; i < rounds; i++) {
    if (isReady(await h.record(id))) return true;
    requeues.length = 0;
    const answers = await deliver(worker);
    for (const answer of [answers].flat() as { batchItemFailures: unknown[] }[]) {
      expect(answer.batchItemFailures).toEqual([]);
    }
    h.clock.advance(Math.max(1, ...requeues));
  }
  return isReady(await h.record(id));
}

/**
 * The `plan` schedule and ARI (RFC 9773) end to end on the real stack (pebble + bind9 + moto), with ARI answers from
 * test/support/ari-responder.ts fronting pebble's directory (pebble serves no ARI): the ready step stores
 * `ariNextCheckAt` from Retry-After (at most 12 h apart), that time becomes the record's `nextWakeAt`, the planner
 * finds it through the due index and the worker (the real `reconcileMessage` on a message received from moto SQS)
 * asks ARI again. When the CA moves the window to "now" (what it does for a revocation event) the next run renews
 * at once, with `replaces` naming the old certificate.
 *
 * Time: certificates are issued in real time by pebble; the hours and days between ARI checks are simulated with
 * the harness's SkewedClock (listDue, the ready step and the ARI window all read it). No wall-clock assertions.
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '@portcullis/aws';
import { type CertificateRecord, type ReconcileResult, reconcile, toIsoTime } from '@portcullis/core';
import { planDueCertificates, reconcileMessage } from '@portcullis/functions';
import { sqsRecord } from '@portcullis/functions/testing';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  driveUntilSettled,
  isReady,
  type LifecycleHarness,
  motoClients,
} from '../lifecycle/lifecycle-stack.js';
import { type AriResponder, certIdOf, startAriResponder } from '../support/ari-responder.js';

const HOUR = 3_600;
const ID = 'ari-plan';

let stack: LocalStack;
let ari: AriResponder;
let admin: AwsClients;
let harness: LifecycleHarness;
/** ARI certID of revision 1 (computed by the responder's own code, not the client's). */
let certId: string;

beforeAll(async () => {
  stack = await startLocalStack({});
  ari = await startAriResponder({ upstreamDirectoryUrl: stack.pebble.directoryUrl, httpsAgent: stack.httpsAgent });
  admin = motoClients(stack);
  harness = await createHarness(stack, admin, { env: { PORTCULLIS_ACME_DIRECTORY: ari.directoryUrl } });
  await harness.request(ID, { names: ['ari.example.test'] });
  await driveUntilSettled(harness, ID);
  const stored = await harness.wiring.deps.store.describeCurrent(ID);
  if (stored === undefined) throw new Error('test: revision 1 was not stored');
  certId = certIdOf(stored.chainPem);
}, 120_000);

afterAll(async () => {
  await harness?.dispose();
  admin?.destroy();
  await ari?.close();
  await stack?.stop();
});

/** An ISO time that must be there (a missing one fails the comparison it is used in). */
const text = (value: string | undefined): string => {
  if (value === undefined) throw new Error('test: expected a time, got undefined');
  return value;
};
const ariAsks = () => ari.requests.filter((r) => r === `GET /renewal-info/${certId}`).length;
const at = (offsetSeconds: number) => toIsoTime(harness.clock.now().getTime() + offsetSeconds * 1000);

/** One `plan` run, then the worker handles what it enqueued (received from moto SQS, deleted after). */
async function planAndWork(): Promise<readonly string[]> {
  const { enqueued } = await planDueCertificates(harness.wiring);
  for (let i = 0; i < enqueued.length; i++) {
    const received = await admin.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: harness.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of received.Messages ?? []) {
      await reconcileMessage(harness.wiring, sqsRecord(message.Body ?? ''));
      await admin.sqs.send(
        new DeleteMessageCommand({ QueueUrl: harness.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
    if ((received.Messages ?? []).length > 0) break;
  }
  return enqueued;
}

/** Simulated hours; returns the hours (from the start) at which the planner enqueued the certificate. */
async function runHours(hours: number): Promise<number[]> {
  const woken: number[] = [];
  for (let hour = 1; hour <= hours; hour++) {
    harness.clock.advance(HOUR);
    if ((await planAndWork()).includes(ID)) woken.push(hour);
  }
  return woken;
}

describe('plan and ARI', () => {
  it('stores the ARI check time as the wake-up, at most 12 h ahead, so the planner finds it', async () => {
    const record = await harness.record(ID);
    expect(record.status.certId).toBe(certId);
    const renewal = record.status.renewal;
    // The responder did not know the certificate yet (404): ARI is advisory, the lifetime point stands, ask in 12 h.
    expect(renewal?.source).toBe('lifetime');
    expect(renewal?.ariNextCheckAt).toBeDefined();
    expect(record.nextWakeAt).toBe(renewal?.ariNextCheckAt);
    const hoursAhead = (Date.parse(renewal?.ariNextCheckAt ?? '') - harness.clock.now().getTime()) / 1000 / HOUR;
    expect(hoursAhead).toBeGreaterThan(11);
    expect(hoursAhead).toBeLessThanOrEqual(12);
    // Nothing is due before then.
    expect((await planDueCertificates(harness.wiring)).enqueued).toEqual([]);
  });

  it('asks ARI when Retry-After has passed and never less often than twice a day', async () => {
    const asksBefore = ariAsks();
    // The planner wakes it at the 12 h check; from then on the CA says "ask again in 6 h".
    ari.setRenewalInfo(certId, { start: at(30 * 86_400), end: at(32 * 86_400), retryAfter: 6 * HOUR });
    const first = await runHours(24);
    expect(first).toEqual([12, 18, 24]);
    expect(ariAsks() - asksBefore).toBe(3);
    const record = await harness.record(ID);
    expect(record.status.renewal?.source).toBe('ari');
    expect(text(record.status.renewal?.at) >= text(record.status.renewal?.ariWindow?.start)).toBe(true);
    expect(record.nextWakeAt).toBe(record.status.renewal?.ariNextCheckAt);

    // A Retry-After of 3 days is capped: ARI is still asked every 12 h.
    ari.setRenewalInfo(certId, { start: at(28 * 86_400), end: at(31.5 * 86_400), retryAfter: 3 * 86_400 });
    const second = await runHours(36);
    expect(second).toEqual([6, 18, 30]);
    expect(ariAsks() - asksBefore).toBe(6);
    // The window moved but the chosen point still lies inside it: it is kept (chosen once on purpose).
    expect((await harness.record(ID)).status.renewal?.at).toBe(record.status.renewal?.at);
  }, 120_000);

  it('renews promptly, replacing the old certificate, when the CA moves the window to now', async () => {
    const before = await harness.record(ID);
    // A revocation event: the CA's window now starts in the past and ends minutes from now.
    ari.setRenewalInfo(certId, { start: at(-HOUR), end: at(5 * 60), retryAfter: 6 * HOUR });
    const check = Date.parse(before.status.renewal?.ariNextCheckAt ?? '');
    harness.clock.advance(Math.ceil((check - harness.clock.now().getTime()) / 1000) + 1);
    const windowEnd = at(5 * 60);
    expect(await planAndWork()).toEqual([ID]);

    const moved = await harness.record(ID);
    expect(moved.status.renewal?.source).toBe('ari');
    expect(text(moved.status.renewal?.at) <= windowEnd).toBe(true);
    expect(text(moved.nextWakeAt) <= windowEnd).toBe(true);

    const { started, record } = await driveRenewal();
    expect(started.status.issuance?.replaces).toBe(certId);
    expect(text(started.status.issuance?.startedAt) <= windowEnd).toBe(true);
    expect(record.status.revision).toBe(2);
    expect(record.status.serial).not.toBe(before.status.serial);
    expect(record.status.deliveries.acm?.revision).toBe(2);
    expect(isReady(record)).toBe(true);
  }, 120_000);
});

/**
 * Delivers the certificate's messages as SQS + the planner would (requeue delays and wake-ups skipped with the
 * clock) until revision 2 is issued and delivered; returns the record right after the `start` step too.
 */
async function driveRenewal(): Promise<{ started: CertificateRecord; record: CertificateRecord }> {
  let started: CertificateRecord | undefined;
  for (let i = 0; i < 80; i++) {
    const result: ReconcileResult = await reconcile(ID, harness.wiring.deps);
    const record = await harness.record(ID);
    if (result.step === 'start') started = record;
    const delivered = record.status.revision === 2 && record.status.deliveries.acm?.revision === 2;
    if (started !== undefined && delivered && record.status.issuance === undefined && isReady(record)) {
      return { started, record };
    }
    const wait =
      result.requeueAfterSeconds ??
      (result.nextWakeAt === undefined
        ? 1
        : Math.max(1, (Date.parse(result.nextWakeAt) - harness.clock.now().getTime()) / 1000));
    harness.clock.advance(wait);
  }
  throw new Error(`test: ${ID} was not renewed within 80 reconcile calls`);
}

/**
 * Robustness: pebble rejects half of all nonces (`PEBBLE_WFE_NONCEREJECT=50`). The ACME engine retries badNonce
 * itself; reconcile must still reach Ready with one order, one key and one ACM import and leave no TXT behind.
 */
import { countAwsRequests } from '@portcullis/aws';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acmArnsOf, leftoverTxt, secretVersions } from './counts.js';
import { createHarness, driveUntilSettled, isReady, type LifecycleHarness, motoClients } from './lifecycle-stack.js';

let stack: LocalStack;
let admin: ReturnType<typeof motoClients>;
let harness: LifecycleHarness | undefined;

beforeAll(async () => {
  stack = await startLocalStack({ pebble: { nonceRejectPercent: 50 } });
  admin = motoClients(stack);
});

afterAll(async () => {
  await harness?.dispose();
  admin?.destroy();
  await stack?.stop();
});

it('reaches Ready under 50 % nonce rejection with one order, one key, one import', async () => {
  harness = await createHarness(stack, admin);
  const h = harness;
  const imports = countAwsRequests(h.wiring.clients.acm);
  await h.request('nonce');
  await driveUntilSettled(h, 'nonce');
  const record = await h.record('nonce');
  expect(isReady(record)).toBe(true);
  expect(h.crash.count('acme', 'newOrder')).toBe(1);
  expect(imports.count('ImportCertificateCommand')).toBe(1);
  expect(await acmArnsOf(admin, 'nonce')).toHaveLength(1);
  expect(await secretVersions(admin, `${h.env.PORTCULLIS_CERTIFICATE_PREFIX}nonce`)).toBe(2);
  expect(await leftoverTxt(stack)).toEqual([]);
});

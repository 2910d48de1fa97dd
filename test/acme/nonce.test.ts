/**
 * pebble refusing half of all nonces (PEBBLE_WFE_NONCEREJECT=50). acme-client retries a refused request 5 times;
 * at 1/64 per request and ~10 signed requests per issuance that alone fails about one issuance in seven, so our bounded rounds
 * (transport.ts) carry the rest. The deterministic proof of the bound is in problems.test.ts.
 */
import { type AcmeClientEvent, createAcmeClient } from '@portcullis/acme';
import {
  type Http01Responder,
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issue } from './support/issue.js';
import { MemoryKeyStore } from './support/memory-key-store.js';

let stack: LocalStack;
let responder: Http01Responder;
const tokens = new MemoryHttp01TokenStore();

beforeAll(async () => {
  stack = await startLocalStack({ moto: false, pebble: { nonceRejectPercent: 50 } });
  responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store: tokens });
});

afterAll(async () => {
  await responder?.close();
  await stack?.stop();
});

it('issues every certificate while half of the nonces are refused', async () => {
  const events: AcmeClientEvent[] = [];
  const acme = createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    keyStore: new MemoryKeyStore(),
    httpsAgent: stack.httpsAgent,
    onEvent: (event) => events.push(event),
  });
  const names = ['n1.example.test', 'n2.example.test', 'n3.example.test', 'n4.example.test'];
  const issued = await Promise.all(
    names.map((name) => issue(acme, { names: [name], challenge: 'http-01' }, { stack, tokens })),
  );
  expect(issued.map((i) => i.leaf.subjectAltName)).toEqual(names.map((name) => `DNS:${name}`));
  // How often our own rounds were needed varies run to run; it is reported, not asserted.
  const rounds = events.filter((e) => e.type === 'badNonceRetry').length;
  console.info(`badNonce: ${rounds} extra round(s) beyond acme-client's retries for ${names.length} issuances`);
});

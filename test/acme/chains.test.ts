/** Preferred chains (pebble with an alternate root) and revocation with a reason, checked in pebble's own records. */
import { X509Certificate } from 'node:crypto';
import { type AcmeEngine, createAcmeClient } from '@portcullis/acme';
import { AcmeProblemError, AcmeProblemType, RevocationReason } from '@portcullis/core';
import {
  type Http01Responder,
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainsTo, commonName, issue, splitChain } from './support/issue.js';
import { MemoryKeyStore } from './support/memory-key-store.js';

let stack: LocalStack;
let responder: Http01Responder;
let acme: AcmeEngine;
const tokens = new MemoryHttp01TokenStore();

beforeAll(async () => {
  stack = await startLocalStack({ moto: false, pebble: { alternateRoots: 1 } });
  responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store: tokens });
  acme = createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    keyStore: new MemoryKeyStore(),
    httpsAgent: stack.httpsAgent,
  });
});

afterAll(async () => {
  await responder?.close();
  await stack?.stop();
});

describe('preferred chain', () => {
  it('returns the chain whose top certificate was issued by the preferred root, for each root', async () => {
    const roots = await stack.pebble.roots();
    expect(roots).toHaveLength(2);
    const [first, second] = roots as [string, string];
    const issued = await issue(acme, { names: ['chain.example.test'], challenge: 'http-01' }, { stack, tokens });
    const order = issued.order;
    for (const root of [second, first]) {
      const rootName = commonName(new X509Certificate(root).subject);
      if (rootName === undefined) throw new Error('root without CN');
      const chainPem = await acme.downloadCertificate(order, { preferredChain: rootName });
      const top = splitChain(chainPem).at(-1);
      expect(commonName(top?.issuer ?? '')).toBe(rootName);
      expect(chainsTo(chainPem, root)).toBe(true);
    }
  });

  it('falls back to the default chain when no chain matches the preference', async () => {
    const issued = await issue(acme, { names: ['nomatch.example.test'], challenge: 'http-01' }, { stack, tokens });
    const preferred = await acme.downloadCertificate(issued.order, { preferredChain: 'No Such Root CA' });
    expect(preferred).toBe(await acme.downloadCertificate(issued.order));
  });
});

describe('revocation', () => {
  it('revokes with the account key and the reason, as pebble records it', async () => {
    const issued = await issue(acme, { names: ['revoke.example.test'], challenge: 'http-01' }, { stack, tokens });
    expect((await stack.pebble.certStatus(issued.leaf.serialNumber)).status).toMatch(/^valid$/i);

    await acme.revoke(issued.chainPem, RevocationReason.superseded);

    const status = await stack.pebble.certStatus(issued.leaf.serialNumber);
    expect({ status: status.status.toLowerCase(), reason: status.revocationReason }).toEqual({
      status: 'revoked',
      reason: RevocationReason.superseded,
    });
    const again = await acme.revoke(issued.chainPem, RevocationReason.superseded).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(AcmeProblemError);
    expect((again as AcmeProblemError).type).toBe(AcmeProblemType.alreadyRevoked);
  });
});

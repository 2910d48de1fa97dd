import { expect, it } from 'vitest';
import { redact, type KeyStore, type Redacted } from '@portcullis/core';
import { startLocalStack, MemoryHttp01TokenStore, startHttp01Responder } from '@portcullis/local';
import { createAcmeClient, certificateKeyFactory } from '@portcullis/acme';

class MemStore implements KeyStore {
  m = new Map<string, Redacted<string>>();
  async get(n: string) { return this.m.get(n); }
  async put(n: string, v: Redacted<string>) { this.m.set(n, v); }
  async create(n: string, v: Redacted<string>) { if (!this.m.has(n)) this.m.set(n, v); return this.m.get(n)!; }
}

it('smoke', async () => {
  const stack = await startLocalStack({ moto: false });
  try {
    const store = new MemoryHttp01TokenStore();
    const responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store });
    const acme = createAcmeClient({ issuer: 'pebble', directoryUrl: stack.pebble.directoryUrl, keyStore: new MemStore(), httpsAgent: stack.httpsAgent, onEvent: (e) => console.log(e) });
    console.log(await acme.directory());
    console.log(await acme.ensureAccount());
    const order = await acme.newOrder({ identifiers: [{ type: 'dns', value: 'www.example.test' }] });
    console.log(order);
    const [authz] = await acme.getAuthorizations(order);
    const ch = authz!.challenges.find((c) => c.type === 'http-01')!;
    const resp = await acme.challengeResponse(ch);
    if (resp.type !== 'http-01') throw new Error();
    await store.put(resp.token, resp.keyAuthorization);
    await acme.acceptChallenge(ch);
    await acme.waitForAuthorization(authz!.url);
    const ready = await acme.waitForOrder(order.url, { until: ['ready'] });
    const key = await certificateKeyFactory.generateKey('ec-p256');
    const csr = await certificateKeyFactory.createCsr(key, order.identifiers);
    await acme.finalize(ready, csr);
    const valid = await acme.waitForOrder(order.url);
    const pem = await acme.downloadCertificate(valid);
    console.log(pem.slice(0, 100), acme.certId(pem));
    await responder.close();
    expect(pem).toContain('BEGIN CERTIFICATE');
  } finally {
    await stack.stop();
  }
});

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AcmeEngine, createAcmeClient, defaultAccountKeyName, FileKeyStore } from '@portcullis/acme';
import { AcmeProblemError, AcmeProblemType, KeyType, normalizeIdentifiers, selectChallenge } from '@portcullis/core';
import {
  type Http01Responder,
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainsTo, issue, recordName } from './support/issue.js';
import { addTxt, deleteTxt, queryTxt } from './support/nsupdate.js';

let stack: LocalStack;
let responder: Http01Responder;
let keyDir: string;
let acme: AcmeEngine;
const tokens = new MemoryHttp01TokenStore();

beforeAll(async () => {
  stack = await startLocalStack({ moto: false });
  responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store: tokens });
  keyDir = await mkdtemp(join(tmpdir(), 'portcullis-acme-'));
  acme = newClient();
});

afterAll(async () => {
  await responder?.close();
  await stack?.stop();
  if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
});

function newClient(): AcmeEngine {
  return createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    keyStore: new FileKeyStore(keyDir),
    httpsAgent: stack.httpsAgent,
  });
}

function sanOf(leafSubjectAltName: string | undefined): string[] {
  return (leafSubjectAltName ?? '').split(', ').sort();
}

describe('accounts', () => {
  it('creates the account key once and reuses it (and the account) from the store', async () => {
    const first = await acme.ensureAccount();
    const store = new FileKeyStore(keyDir);
    const name = defaultAccountKeyName(stack.pebble.directoryUrl);
    const key = await store.get(name);
    const second = await newClient().ensureAccount();
    expect(second.url).toBe(first.url);
    expect((await store.get(name))?.reveal()).toBe(key?.reveal());
    expect((await stat(join(keyDir, `${name}.pem`))).mode & 0o777).toBe(0o600);
  });

  it('ends up with one account key when two clients register at the same time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portcullis-acme-race-'));
    try {
      const make = () =>
        createAcmeClient({
          issuer: 'pebble',
          directoryUrl: stack.pebble.directoryUrl,
          keyStore: new FileKeyStore(dir),
          httpsAgent: stack.httpsAgent,
        });
      const accounts = await Promise.all([make().ensureAccount(), make().ensureAccount(), make().ensureAccount()]);
      expect(new Set(accounts.map((a) => a.url)).size).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('transport', () => {
  it('explains a CA certificate that is not trusted instead of failing obscurely', async () => {
    const untrusted = createAcmeClient({
      issuer: 'pebble',
      directoryUrl: stack.pebble.directoryUrl,
      keyStore: new FileKeyStore(keyDir),
    });
    await expect(untrusted.directory()).rejects.toThrow(
      expect.objectContaining({
        code: 'AcmeTransportFailed',
        retryable: true,
        message: expect.stringMatching(/^acme: directory GET https:\/\/127\.0\.0\.1:\d+\/dir: .*not trusted/),
      }),
    );
  });
});

describe('DNS-01 through bind9', () => {
  it('issues an apex + wildcard certificate and removes every TXT record', async () => {
    const issued = await issue(acme, { names: ['example.test', '*.example.test'], challenge: 'dns-01' }, { stack });
    expect(sanOf(issued.leaf.subjectAltName)).toEqual(['DNS:*.example.test', 'DNS:example.test']);
    expect(issued.txt.map((t) => t.name)).toEqual(['_acme-challenge.example.test', '_acme-challenge.example.test']);
    const roots = await stack.pebble.roots();
    expect(roots.some((root) => chainsTo(issued.chainPem, root))).toBe(true);
    expect(await queryTxt(stack, '_acme-challenge.example.test')).toEqual([]);
  });

  it('fails cleanly with unauthorized and the CA detail when the TXT value is wrong', async () => {
    const identifiers = normalizeIdentifiers(['wrong.example.test'], { challenge: 'dns-01' });
    const order = await acme.newOrder({ identifiers });
    const [authorization] = await acme.getAuthorizations(order);
    if (authorization === undefined) throw new Error('order without authorization');
    const challenge = selectChallenge(authorization, 'dns-01');
    const record = { name: recordName(authorization), value: 'not-the-right-value' };
    await addTxt(stack, [record]);
    try {
      await acme.acceptChallenge(challenge);
      const error = await acme.waitForAuthorization(authorization.url).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AcmeProblemError);
      const problem = error as AcmeProblemError;
      expect(problem.type).toBe(AcmeProblemType.unauthorized);
      expect(problem.message).toMatch(
        /^acme: authorization wrong\.example\.test: urn:ietf:params:acme:error:unauthorized: Correct value not found for DNS challenge/,
      );
      // The single-step poll reports the same without throwing, for the level-triggered worker.
      const poll = await acme.pollAuthorization(authorization.url);
      expect({ status: poll.status, type: poll.error?.type, retry: poll.retryAfterMs }).toEqual({
        status: 'invalid',
        type: AcmeProblemType.unauthorized,
        retry: undefined,
      });
      expect((await acme.getOrder(order.url)).status).toBe('invalid');
    } finally {
      await deleteTxt(stack, [record]);
    }
  });
});

describe('HTTP-01 through the harness responder', () => {
  it('issues for a host name and serves each token to pebble', async () => {
    const issued = await issue(acme, { names: ['www.example.test'], challenge: 'http-01' }, { stack, tokens });
    expect(sanOf(issued.leaf.subjectAltName)).toEqual(['DNS:www.example.test']);
    expect(responder.requests.some((r) => r.status === 200 && r.path.startsWith('/.well-known/acme-challenge/'))).toBe(
      true,
    );
  });

  it('refuses to answer a wildcard authorization with http-01', async () => {
    const identifiers = normalizeIdentifiers(['*.example.test'], { challenge: 'dns-01' });
    const order = await acme.newOrder({ identifiers });
    const [authorization] = await acme.getAuthorizations(order);
    if (authorization === undefined) throw new Error('order without authorization');
    expect(() => selectChallenge(authorization, 'http-01')).toThrow(/wildcard can only be validated with dns-01/);
  });
});

describe('certificate keys', () => {
  const cases: Record<string, { keyType: KeyType; want: Record<string, unknown> }> = {
    'ECDSA P-256 by default': { keyType: KeyType.EcP256, want: { type: 'ec', namedCurve: 'prime256v1' } },
    'ECDSA P-384 on request': { keyType: KeyType.EcP384, want: { type: 'ec', namedCurve: 'secp384r1' } },
    'RSA 2048 on request': { keyType: KeyType.Rsa2048, want: { type: 'rsa', modulusLength: 2048 } },
  };
  it.each(Object.entries(cases))('issues with %s', async (_name, { keyType, want }) => {
    const issued = await issue(
      acme,
      { names: ['keys.example.test'], challenge: 'http-01', keyType },
      { stack, tokens },
    );
    const publicKey = issued.leaf.publicKey;
    const details = publicKey.asymmetricKeyDetails ?? {};
    expect({ type: publicKey.asymmetricKeyType, ...details }).toMatchObject(want);
    expect(issued.leaf.checkPrivateKey((await import('node:crypto')).createPrivateKey(issued.key.reveal()))).toBe(true);
    expect(JSON.stringify({ key: issued.key })).toBe('{"key":"[redacted]"}');
  });
});

describe('profiles', () => {
  it('sends a profile as-is when the directory advertises none (pebble), and the CA decides', async () => {
    expect((await acme.directory()).profiles).toEqual({});
    const issued = await issue(
      acme,
      { names: ['profile.example.test'], challenge: 'http-01', profile: 'shortlived' },
      { stack, tokens },
    );
    expect(issued.order.status).toBe('valid');
  });
});

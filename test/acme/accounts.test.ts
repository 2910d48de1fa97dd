/** Accounts on a pebble that requires external account binding: EAB, and account key rollover with crash repair. */
import {
  type AcmeClientConfig,
  type AcmeEngine,
  createAcmeClient,
  defaultAccountKeyName,
  generatePrivateKey,
  pendingKeyName,
} from '@portcullis/acme';
import { AcmeProblemError, AcmeProblemType, type KeyStore, KeyType, type Redacted, redact } from '@portcullis/core';
import {
  type Http01Responder,
  type LocalStack,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  startLocalStack,
} from '@portcullis/local';
import { Client } from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issue } from './support/issue.js';
import { MemoryKeyStore } from './support/memory-key-store.js';

let stack: LocalStack;
let responder: Http01Responder;
const tokens = new MemoryHttp01TokenStore();

beforeAll(async () => {
  stack = await startLocalStack({ moto: false, pebble: { eab: true } });
  responder = await startHttp01Responder({ host: '127.0.0.1', port: stack.pebble.httpPort, store: tokens });
});

afterAll(async () => {
  await responder?.close();
  await stack?.stop();
});

function eabKey(index = 0): { kid: string; hmacKey: Redacted<string> } {
  const key = stack.pebble.eab?.[index];
  if (key === undefined) throw new Error('the stack has no EAB keys');
  return { kid: key.kid, hmacKey: redact(key.hmacKey) };
}

function client(keyStore: KeyStore, extra: Partial<AcmeClientConfig> = {}): AcmeEngine {
  return createAcmeClient({
    issuer: 'pebble',
    directoryUrl: stack.pebble.directoryUrl,
    keyStore,
    httpsAgent: stack.httpsAgent,
    eab: eabKey(),
    ...extra,
  });
}

async function problemOf(promise: Promise<unknown>): Promise<AcmeProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AcmeProblemError);
  return error as AcmeProblemError;
}

/** Asks pebble directly (acme-client, no EAB) whether an account answers to this key. */
async function accountUrlFor(key: Redacted<string>): Promise<string | undefined> {
  const raw = new Client({ directoryUrl: stack.pebble.directoryUrl, accountKey: key.reveal() });
  try {
    await raw.createAccount({ onlyReturnExisting: true });
    return raw.getAccountUrl();
  } catch (error) {
    if (/unable to find existing account/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

const keyName = () => defaultAccountKeyName(stack.pebble.directoryUrl);

describe('external account binding', () => {
  it('registers with the kid and HMAC key the CA handed out', async () => {
    const directory = await client(new MemoryKeyStore()).directory();
    expect(directory.externalAccountRequired).toBe(true);
    const account = await client(new MemoryKeyStore()).ensureAccount();
    expect(account.status).toBe('valid');
  });

  it('is refused with the problem type when the HMAC key is wrong', async () => {
    const wrong = { kid: eabKey().kid, hmacKey: redact(Buffer.alloc(32, 7).toString('base64url')) };
    const problem = await problemOf(client(new MemoryKeyStore(), { eab: wrong }).ensureAccount());
    expect(problem.type).toBe(AcmeProblemType.unauthorized);
    expect(problem.message).toMatch(
      /^acme: newAccount: urn:ietf:params:acme:error:unauthorized: external account binding JWS verification error/,
    );
    expect(problem.message).not.toContain(wrong.hmacKey.reveal());
  });

  it('is refused with externalAccountRequired when no binding is sent', async () => {
    const store = new MemoryKeyStore();
    const engine = createAcmeClient({
      issuer: 'pebble',
      directoryUrl: stack.pebble.directoryUrl,
      keyStore: store,
      httpsAgent: stack.httpsAgent,
    });
    const problem = await problemOf(engine.ensureAccount());
    expect(problem.type).toBe(AcmeProblemType.externalAccountRequired);
  });
});

describe('account key rollover', () => {
  it('moves the account to a new key: the old key is refused, the new one keeps the account', async () => {
    const store = new MemoryKeyStore();
    const engine = client(store);
    const { url } = await engine.ensureAccount();
    const oldKey = await store.get(keyName());
    if (oldKey === undefined) throw new Error('no account key stored');

    await engine.rolloverAccountKey();

    const newKey = await store.get(keyName());
    expect(newKey?.reveal()).not.toBe(oldKey.reveal());
    expect((await store.get(pendingKeyName(keyName())))?.reveal()).toBe('');
    expect(await accountUrlFor(oldKey)).toBeUndefined();
    expect(await accountUrlFor(newKey as Redacted<string>)).toBe(url);
    // The same engine keeps working with the new key, and a fresh one from the store finds the same account.
    await issue(engine, { names: ['rollover.example.test'], challenge: 'http-01' }, { stack, tokens });
    expect((await client(store).ensureAccount()).url).toBe(url);
  });

  it('a warm engine notices a rollover made by another process: one retryable error, then it signs with the new key', async () => {
    const store = new MemoryKeyStore();
    const warm = client(store);
    const { url } = await warm.ensureAccount();
    // Another process (`portcullis account rollover`) rolls the shared key over while `warm` holds a session.
    await client(store).rolloverAccountKey();

    const names = ['warm.example.test'];
    const refused = await issue(warm, { names, challenge: 'http-01' }, { stack, tokens }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'AcmeAccountKeyRotated', retryable: true });
    await issue(warm, { names, challenge: 'http-01' }, { stack, tokens });
    expect((await warm.ensureAccount()).url).toBe(url);
  });

  it('promotes the new key on the next start when the process died after the CA switched keys', async () => {
    const store = new MemoryKeyStore();
    const { url } = await client(store).ensureAccount();
    // The store fails when the rollover tries to make the new key current (after keyChange succeeded).
    const crashing: KeyStore = {
      get: (name) => store.get(name),
      create: (name, pem) => store.create(name, pem),
      put: async (name, pem) => {
        if (name === keyName()) throw new Error('simulated crash');
        await store.put(name, pem);
      },
    };
    await expect(client(crashing).rolloverAccountKey()).rejects.toThrow('simulated crash');
    const pending = await store.get(pendingKeyName(keyName()));
    expect(await accountUrlFor(pending as Redacted<string>)).toBe(url);

    expect((await client(store).ensureAccount()).url).toBe(url);
    expect((await store.get(keyName()))?.reveal()).toBe(pending?.reveal());
    expect((await store.get(pendingKeyName(keyName())))?.reveal()).toBe('');
  });

  it('drops a pending key the CA never saw (the process died before keyChange)', async () => {
    const store = new MemoryKeyStore();
    const { url } = await client(store).ensureAccount();
    const current = await store.get(keyName());
    await store.put(pendingKeyName(keyName()), await generatePrivateKey(KeyType.EcP256));

    expect((await client(store).ensureAccount()).url).toBe(url);
    expect((await store.get(keyName()))?.reveal()).toBe(current?.reveal());
    expect((await store.get(pendingKeyName(keyName())))?.reveal()).toBe('');
  });
});

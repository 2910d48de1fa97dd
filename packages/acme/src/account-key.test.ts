import { createPrivateKey } from 'node:crypto';
import { type KeyStore, KeyType, type Redacted, redact } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { loadOrCreateAccountKey, pendingKeyName, readPendingKey, resolvePendingRollover } from './account-key.js';
import { generatePrivateKey } from './keys.js';

/** A KeyStore that yields between reads and writes, so racing callers really interleave. */
class SlowMemoryKeyStore implements KeyStore {
  readonly values = new Map<string, Redacted<string>>();
  async get(name: string) {
    await new Promise((resolve) => setImmediate(resolve));
    return this.values.get(name);
  }
  async put(name: string, pem: Redacted<string>) {
    this.values.set(name, pem);
  }
  async create(name: string, pem: Redacted<string>) {
    await new Promise((resolve) => setImmediate(resolve));
    const existing = this.values.get(name);
    if (existing !== undefined) return existing;
    this.values.set(name, pem);
    return pem;
  }
}

describe('loadOrCreateAccountKey', () => {
  it('creates an ECDSA P-256 key when none is stored', async () => {
    const store = new SlowMemoryKeyStore();
    const key = await loadOrCreateAccountKey(store, 'acct');
    const details = createPrivateKey(key.reveal()).asymmetricKeyDetails;
    expect(details?.namedCurve).toBe('prime256v1');
    expect(store.values.get('acct')?.reveal()).toBe(key.reveal());
  });

  it('returns the stored key instead of making a new one', async () => {
    const store = new SlowMemoryKeyStore();
    const stored = await generatePrivateKey(KeyType.EcP256);
    await store.put('acct', stored);
    expect((await loadOrCreateAccountKey(store, 'acct')).reveal()).toBe(stored.reveal());
  });

  it('gives racing callers the same key', async () => {
    const store = new SlowMemoryKeyStore();
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateAccountKey(store, 'acct')));
    expect(new Set(keys.map((k) => k.reveal())).size).toBe(1);
  });
});

describe('resolvePendingRollover', () => {
  const cases: Record<string, { pending: 'none' | 'empty' | 'key'; caKnowsPending: boolean; promoted: boolean }> = {
    'does nothing without a pending key': { pending: 'none', caKnowsPending: false, promoted: false },
    'does nothing when the pending marker is empty': { pending: 'empty', caKnowsPending: false, promoted: false },
    'promotes a pending key the CA already answers to': { pending: 'key', caKnowsPending: true, promoted: true },
    'drops a pending key the CA does not know': { pending: 'key', caKnowsPending: false, promoted: false },
  };
  it.each(Object.entries(cases))('%s', async (_name, { pending, caKnowsPending, promoted }) => {
    const store = new SlowMemoryKeyStore();
    const current = await generatePrivateKey(KeyType.EcP256);
    const next = await generatePrivateKey(KeyType.EcP256);
    await store.put('acct', current);
    if (pending === 'empty') await store.put(pendingKeyName('acct'), redact(''));
    if (pending === 'key') await store.put(pendingKeyName('acct'), next);
    const asked: string[] = [];
    const result = await resolvePendingRollover(store, 'acct', async (key) => {
      asked.push(key.reveal());
      return caKnowsPending;
    });
    expect(result?.reveal()).toBe(promoted ? next.reveal() : undefined);
    expect(store.values.get('acct')?.reveal()).toBe(promoted ? next.reveal() : current.reveal());
    expect(await readPendingKey(store, 'acct')).toBeUndefined();
    expect(asked).toEqual(pending === 'key' ? [next.reveal()] : []);
  });
});

/**
 * The ACME account key in the KeyStore, including a crash-safe key rollover (RFC 8555 §7.3.5).
 *
 * Store layout (names relative to the account key name N):
 *   N          the current account key (ECDSA P-256), created once with `create` so racing processes share it
 *   N.pending  the key a rollover is switching to, or "" when no rollover is under way
 *
 * Rollover:  generate K' ─▶ put N.pending = K' ─▶ keyChange at the CA ─▶ put N = K' ─▶ put N.pending = ""
 * A crash between the steps leaves N.pending set; the next `resolvePendingRollover` asks the CA whether the
 * account already answers to K' (newAccount with onlyReturnExisting) and promotes K' or drops it. The CA is the
 * only source of truth for which key it accepts, so no step can leave us with a key the CA refuses.
 * ("" marks "no pending key" because the KeyStore port has no delete.)
 */
import type { KeyStore, Redacted } from '@portcullis/core';
import { KeyType, redact } from '@portcullis/core';
import { AcmeKeyStoreError } from './errors.js';
import { generatePrivateKey } from './keys.js';

/** The KeyStore name of the key a rollover is switching to. */
export function pendingKeyName(accountKeyName: string): string {
  return `${accountKeyName}.pending`;
}

/** The current account key, created (ECDSA P-256) when absent; the winner of a creation race is returned. */
export async function loadOrCreateAccountKey(store: KeyStore, name: string): Promise<Redacted<string>> {
  try {
    const existing = await store.get(name);
    if (existing !== undefined && existing.reveal() !== '') return existing;
    return await store.create(name, await generatePrivateKey(KeyType.EcP256));
  } catch (error) {
    if (error instanceof AcmeKeyStoreError) throw error;
    throw new AcmeKeyStoreError(`acme: key store: account key ${name}: ${(error as Error).message}`, error);
  }
}

/** The key of an unfinished rollover, if any. */
export async function readPendingKey(store: KeyStore, name: string): Promise<Redacted<string> | undefined> {
  const pending = await store.get(pendingKeyName(name));
  return pending === undefined || pending.reveal() === '' ? undefined : pending;
}

/**
 * Finishes or drops an unfinished rollover. `accountAnswersTo(key)` asks the CA whether the account is bound to
 * that key. Returns the key that is current afterwards.
 */
export async function resolvePendingRollover(
  store: KeyStore,
  name: string,
  accountAnswersTo: (key: Redacted<string>) => Promise<boolean>,
): Promise<Redacted<string> | undefined> {
  const pending = await readPendingKey(store, name);
  if (pending === undefined) return undefined;
  if (await accountAnswersTo(pending)) {
    await store.put(name, pending);
    await clearPendingKey(store, name);
    return pending;
  }
  await clearPendingKey(store, name);
  return undefined;
}

export async function clearPendingKey(store: KeyStore, name: string): Promise<void> {
  await store.put(pendingKeyName(name), redact(''));
}

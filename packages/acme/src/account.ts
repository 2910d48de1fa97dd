import { type AcmeAccount, AcmeProblemError, AcmeProblemType, KeyType, type Redacted } from '@portcullis/core';
import { Client } from 'acme-client';
import { clearPendingKey, loadOrCreateAccountKey, pendingKeyName, resolvePendingRollover } from './account-key.js';
import type { ResolvedAcmeConfig } from './config.js';
import { generatePrivateKey } from './keys.js';

type Call = <T>(context: string, operation: () => Promise<T>) => Promise<{ value: T }>;

interface Session {
  readonly client: Client;
  readonly account: AcmeAccount;
  /** The key the client signs with (compared with the store to notice a rollover made by another process). */
  readonly key: Redacted<string>;
}

/**
 * The registered account of one client: key from the KeyStore (created once), registration (with EAB when
 * configured; registering an existing key returns the existing account), and key rollover. Opened once per
 * process and shared by all calls; a failed open is forgotten so the next call tries again.
 */
export class AccountSession {
  readonly #config: ResolvedAcmeConfig;
  readonly #call: Call;
  #session: Promise<Session> | undefined;
  /** The session once open (never the promise still opening: a call made while opening must not wait on itself). */
  #opened: Session | undefined;

  constructor(config: ResolvedAcmeConfig, call: Call) {
    this.#config = config;
    this.#call = call;
  }

  open(): Promise<Session> {
    this.#session ??= this.#register().then(
      (session) => {
        this.#opened = session;
        return session;
      },
      (error: unknown) => {
        this.#session = undefined;
        throw error;
      },
    );
    return this.#session;
  }

  /**
   * True (and the session is dropped, so the next call opens a new one) when the KeyStore holds another account key
   * than the one this session signs with: another process — `portcullis account rollover`, a second worker — rolled
   * the key over, and the CA now refuses our signatures. Warm workers recover by themselves this way.
   */
  async reloadIfRotated(): Promise<boolean> {
    const session = this.#opened;
    if (session === undefined) return false;
    const stored = await this.#config.keyStore.get(this.#config.accountKeyName);
    if (stored === undefined || stored.reveal() === session.key.reveal()) return false;
    if (this.#opened === session) {
      this.#opened = undefined;
      this.#session = undefined;
    }
    return true;
  }

  /**
   * Generates a new P-256 key, records it as pending, has the CA switch the account to it (signed by both keys),
   * then makes it current. A crash in between is repaired by the next `open` (see account-key.ts).
   */
  async rollover(): Promise<void> {
    const { client } = await this.open();
    const { keyStore, accountKeyName } = this.#config;
    const newKey = await generatePrivateKey(KeyType.EcP256);
    await keyStore.put(pendingKeyName(accountKeyName), newKey);
    // On success acme-client switches this client instance to the new key, so the open session stays usable.
    await this.#call('keyChange', () => client.updateAccountKey(newKey.reveal()));
    await keyStore.put(accountKeyName, newKey);
    await clearPendingKey(keyStore, accountKeyName);
    // The session's client signs with the new key now; reopen lazily so the recorded key matches it.
    this.#opened = undefined;
    this.#session = undefined;
  }

  async #register(): Promise<Session> {
    const { keyStore, accountKeyName, contact, termsOfServiceAgreed } = this.#config;
    const promoted = await resolvePendingRollover(keyStore, accountKeyName, (key) => this.#accountAnswersTo(key));
    const key = promoted ?? (await loadOrCreateAccountKey(keyStore, accountKeyName));
    const client = this.#newClient(key, true);
    // Look the account up first: registering an existing key again makes acme-client send an "update" carrying
    // only termsOfServiceAgreed, which CAs (pebble, Boulder) refuse as an empty update.
    let value = await this.#findExisting(client);
    if (value === undefined) {
      try {
        ({ value } = await this.#call('newAccount', () =>
          client.createAccount({ termsOfServiceAgreed, ...(contact.length > 0 ? { contact: [...contact] } : {}) }),
        ));
      } catch (error) {
        // Another process registered the same key between our lookup and our registration: use its account.
        value = await this.#findExisting(client).catch(() => undefined);
        if (value === undefined) throw error;
      }
    }
    const account: AcmeAccount = {
      url: client.getAccountUrl(),
      status: typeof value.status === 'string' ? value.status : 'valid',
      contact: Array.isArray(value.contact) ? value.contact.filter((c): c is string => typeof c === 'string') : [],
    };
    return { client, account, key };
  }

  /** newAccount with onlyReturnExisting: does the CA know an account under this key? */
  async #accountAnswersTo(key: Redacted<string>): Promise<boolean> {
    return (await this.#findExisting(this.#newClient(key, false))) !== undefined;
  }

  /** The account bound to the client's key (and the client now knows its URL), or undefined. */
  async #findExisting(client: Client): Promise<Awaited<ReturnType<Client['createAccount']>> | undefined> {
    try {
      const { value } = await this.#call('newAccount (onlyReturnExisting)', () =>
        client.createAccount({ onlyReturnExisting: true }),
      );
      return value;
    } catch (error) {
      if (error instanceof AcmeProblemError && error.type === AcmeProblemType.accountDoesNotExist) return undefined;
      throw error;
    }
  }

  #newClient(key: Redacted<string>, withEab: boolean): Client {
    const { directoryUrl, eab, backoffMinMs, backoffMaxMs } = this.#config;
    return new Client({
      directoryUrl,
      accountKey: key.reveal(),
      // acme-client's own waits are not used (we poll ourselves), but keep them as fast as ours in case.
      backoffMin: backoffMinMs,
      backoffMax: backoffMaxMs,
      ...(withEab && eab !== undefined
        ? { externalAccountBinding: { kid: eab.kid, hmacKey: eab.hmacKey.reveal() } }
        : {}),
    });
  }
}

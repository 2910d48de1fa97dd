import type { Redacted } from '../redacted.js';

/**
 * Stores private keys (ACME account keys now; certificate keys with the lifecycle) by name.
 * - `get` of an absent name returns `undefined` (not an error).
 * - `put` replaces the value; the store keeps it private (file mode 0600, Secrets Manager, ...).
 * - `create` stores only when absent and returns whichever value is stored afterwards, so two racing callers end
 *   up with one key.
 */
export interface KeyStore {
  get(name: string): Promise<Redacted<string> | undefined>;
  put(name: string, pem: Redacted<string>): Promise<void>;
  create(name: string, pem: Redacted<string>): Promise<Redacted<string>>;
}

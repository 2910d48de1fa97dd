import type { KeyStore, Redacted } from '@portcullis/core';

/** KeyStore in memory for tests that are not about storage (the file store is tested on disk). */
export class MemoryKeyStore implements KeyStore {
  readonly values = new Map<string, Redacted<string>>();

  async get(name: string): Promise<Redacted<string> | undefined> {
    return this.values.get(name);
  }

  async put(name: string, pem: Redacted<string>): Promise<void> {
    this.values.set(name, pem);
  }

  async create(name: string, pem: Redacted<string>): Promise<Redacted<string>> {
    const existing = this.values.get(name);
    if (existing !== undefined) return existing;
    this.values.set(name, pem);
    return pem;
  }
}

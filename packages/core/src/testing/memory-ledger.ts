import type { IsoTime } from '../lifecycle/types.js';
import type { LedgerBucket, LedgerEntry, RateLimitLedger } from '../ports/ledger.js';
import { copy } from './pages.js';

/** In-memory `RateLimitLedger`; same contract as the DynamoDB adapter. */
export class MemoryRateLimitLedger implements RateLimitLedger {
  readonly #entries = new Map<string, LedgerEntry>();

  async record(entries: readonly LedgerEntry[]): Promise<void> {
    for (const entry of entries) {
      const key = `${entry.bucket}|${entry.scope}|${entry.id}`;
      if (!this.#entries.has(key)) this.#entries.set(key, copy(entry));
    }
  }

  async list(bucket: LedgerBucket, scope: string, since: IsoTime): Promise<readonly LedgerEntry[]> {
    return [...this.#entries.values()]
      .filter((e) => e.bucket === bucket && e.scope === scope && e.at >= since)
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1))
      .map(copy);
  }

  /** Test support: every entry of a bucket, any scope. */
  entries(bucket?: LedgerBucket): readonly LedgerEntry[] {
    return [...this.#entries.values()].filter((e) => bucket === undefined || e.bucket === bucket).map(copy);
  }
}

/**
 * The rate-limit ledger: what Portcullis has spent against the CA's limits and the ACM import quota, so that
 * `policies/budget.ts` can refuse or defer BEFORE a call the CA or ACM would refuse. Implementations run
 * `test/conformance/rate-limit-ledger.suite.ts`.
 */
import type { IsoTime } from '../lifecycle/types.js';

/** The buckets the ledger tracks. Limits and refill rules live in `policies/budget.ts` (`BUCKET_LIMITS`). */
export const LedgerBucket = {
  /** Let's Encrypt: new orders per account, 300 / 3 h. Scope: the issuer id (one account per issuer). */
  NewOrdersPerAccount: 'NewOrdersPerAccount',
  /** Let's Encrypt: new certificates per registered domain (public suffix + 1), 50 / 7 d. Scope: issuer + domain. */
  CertificatesPerRegisteredDomain: 'CertificatesPerRegisteredDomain',
  /**
   * Let's Encrypt: same exact set of names, 5 / 7 d. Portcullis counts ORDERS here (LE counts certificates), so a
   * failing order loop for one name set stops after 5 tries a week. Scope: issuer + hash of the sorted names.
   */
  OrdersPerExactSet: 'OrdersPerExactSet',
  /** Let's Encrypt: authorization failures per name per account, 5 / 1 h. Scope: issuer + name. */
  AuthorizationFailuresPerName: 'AuthorizationFailuresPerName',
  /** AWS Certificate Manager: imports per region, 5,000 / rolling 365 d. Scope: `acm:<region>`. */
  AcmImportsPerRegion: 'AcmImportsPerRegion',
} as const;
export type LedgerBucket = (typeof LedgerBucket)[keyof typeof LedgerBucket];

export interface LedgerEntry {
  /** Idempotency key: recording the same id twice counts once (`<certificateId>/<revision>.<attempt>/<what>`). */
  readonly id: string;
  readonly bucket: LedgerBucket;
  /** What the bucket is counted per (see `LedgerBucket`), e.g. `letsencrypt|example.co.uk`. */
  readonly scope: string;
  readonly at: IsoTime;
  /** The certificate that spent it (for people reading the ledger). */
  readonly certificateId: string;
}

/**
 * Contract (checked by the conformance suite):
 * - `record(entries)` stores each entry; an entry whose `id` exists (same bucket and scope) is ignored, so
 *   replaying a step never double-counts. Not atomic across entries; each is idempotent.
 * - `list(bucket, scope, since)` returns the entries of that bucket and scope with `at >= since`, oldest first
 *   (ties by id). Entries older than the longest window (365 d) may be expired by the store (TTL).
 * - Reads may be eventually consistent: the budget is a guard against the CA's limits, not a lock; two workers
 *   racing for the last token may both spend it (the CA then answers `rateLimited`, which is handled).
 */
export interface RateLimitLedger {
  record(entries: readonly LedgerEntry[]): Promise<void>;
  list(bucket: LedgerBucket, scope: string, since: IsoTime): Promise<readonly LedgerEntry[]>;
}

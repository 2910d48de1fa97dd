/**
 * Rate-limit headroom and the ACM import quota, from the ledger (what Portcullis itself spent; `policies/budget.ts`
 * explains why that is an optimistic estimate when other clients share the account).
 *
 * Headroom is reported for the fleet-wide Let's Encrypt buckets — new orders per account and certificates per
 * registered domain — and only where the ledger holds entries in the bucket's last period (a bucket nobody spent
 * from is simply full). The per-name-set and per-name loop guards are left out: they are per certificate, and a
 * certificate stuck on one shows up as a `renewal-failing` alert with the reason.
 */

import type { CertificateRecord, IsoTime } from '../lifecycle/types.js';
import { BUCKET_LIMITS, bucketState, orderBuckets, windowStart } from '../policies/budget.js';
import { LedgerBucket, type RateLimitLedger } from '../ports/ledger.js';
import type { MetricPoint } from '../ports/metrics.js';
import { mapConcurrent } from './publish.js';

const FLEET_BUCKETS: ReadonlySet<LedgerBucket> = new Set([
  LedgerBucket.NewOrdersPerAccount,
  LedgerBucket.CertificatesPerRegisteredDomain,
]);

/** `bucket|scope` pairs the certificate's orders spend from, in the fleet-wide buckets. */
export function headroomScopes(record: CertificateRecord): string[] {
  return orderBuckets({ issuer: record.spec.issuer, names: record.spec.names, letsEncryptLimits: true })
    .filter((b) => FLEET_BUCKETS.has(b.bucket))
    .map((b) => `${b.bucket}|${b.scope}`);
}

export interface BudgetMetricsInput {
  /** From `headroomScopes`, deduplicated by the caller (a Set). */
  readonly headroom: Iterable<string>;
  /** Ledger scopes of the ACM import quota (`acm:<region>`). */
  readonly quotaScopes: Iterable<string>;
  readonly now: IsoTime;
  readonly concurrency: number;
}

export async function budgetMetrics(
  ledger: RateLimitLedger,
  input: BudgetMetricsInput,
): Promise<{ points: MetricPoint[]; errors: string[] }> {
  const errors: string[] = [];
  const headroom = [...new Set(input.headroom)].sort();
  const quotas = [...new Set(input.quotaScopes)].sort();
  const read = async (bucket: LedgerBucket, scope: string) => {
    try {
      const entries = await ledger.list(bucket, scope, windowStart(bucket, input.now));
      return { entries: entries.length, tokens: bucketState(BUCKET_LIMITS[bucket], entries, input.now).tokens };
    } catch (error) {
      errors.push(`ledger: ${bucket} ${scope}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const headroomPoints = await mapConcurrent(headroom, input.concurrency, async (pair) => {
    const split = pair.indexOf('|');
    const bucket = pair.slice(0, split) as LedgerBucket;
    const scope = pair.slice(split + 1);
    const state = await read(bucket, scope);
    if (state === undefined || state.entries === 0) return [];
    const point: MetricPoint = {
      name: 'RateLimitHeadroom',
      value: Math.floor(state.tokens),
      unit: 'Count',
      dimensions: { bucket, scope },
    };
    return [point];
  });
  const quotaPoints = await mapConcurrent(quotas, input.concurrency, async (scope) => {
    const state = await read(LedgerBucket.AcmImportsPerRegion, scope);
    if (state === undefined) return [];
    const point: MetricPoint = {
      name: 'AcmImportQuotaRemaining',
      value: Math.floor(state.tokens),
      unit: 'Count',
      dimensions: { region: scope.replace(/^acm:/, '') },
    };
    return [point];
  });
  return { points: [...headroomPoints.flat(), ...quotaPoints.flat()], errors };
}

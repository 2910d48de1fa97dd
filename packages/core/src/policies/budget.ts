/**
 * The rate-limit budget: refuse or defer BEFORE the CA or ACM would refuse (facts.md "Let's Encrypt", "AWS Certificate
 * Manager"). Let's Encrypt's limits are token buckets that refill continuously (capacity C over period P refills one
 * token every P/C); ACM's import quota is a rolling 365-day window. A refusal names the bucket and when it refills.
 *
 * The ledger only knows what Portcullis spent; LE counts per account, so another client on the same account makes
 * our estimate optimistic — the CA's own `rateLimited` answer is still handled (backoff until Retry-After).
 */

import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import type { IsoTime } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';
import { LedgerBucket, type LedgerEntry } from '../ports/ledger.js';
import type { Violation } from './check.js';
import { nameSetHash } from './spec-hash.js';
import { ms } from './time.js';

export interface BucketLimit {
  readonly capacity: number;
  readonly periodSeconds: number;
  readonly kind: 'token-bucket' | 'rolling-window';
  /** How the limit reads in messages. */
  readonly label: string;
}

const HOUR = 3_600;
const DAY = 86_400;

export const BUCKET_LIMITS: Readonly<Record<LedgerBucket, BucketLimit>> = {
  NewOrdersPerAccount: {
    capacity: 300,
    periodSeconds: 3 * HOUR,
    kind: 'token-bucket',
    label: 'new orders per account (300 / 3 h)',
  },
  CertificatesPerRegisteredDomain: {
    capacity: 50,
    periodSeconds: 7 * DAY,
    kind: 'token-bucket',
    label: 'certificates per registered domain (50 / 7 d)',
  },
  OrdersPerExactSet: {
    capacity: 5,
    periodSeconds: 7 * DAY,
    kind: 'token-bucket',
    label: 'orders for the exact same names (5 / 7 d)',
  },
  AuthorizationFailuresPerName: {
    capacity: 5,
    periodSeconds: HOUR,
    kind: 'token-bucket',
    label: 'authorization failures per name (5 / 1 h)',
  },
  AcmImportsPerRegion: {
    capacity: 5_000,
    periodSeconds: 365 * DAY,
    kind: 'rolling-window',
    label: 'ACM imports per region (5,000 / 365 d)',
  },
};

/** The longest period of any bucket: ledger entries older than this are never needed. */
export const LONGEST_PERIOD_SECONDS = Math.max(...Object.values(BUCKET_LIMITS).map((l) => l.periodSeconds));

const TOKEN_EPSILON = 1e-6;

export interface BucketState {
  /** Tokens available now (may be fractional; below 1 means refused). */
  readonly tokens: number;
  /** When one token is available again; absent when one is available now. */
  readonly refillsAt?: IsoTime;
}

/**
 * Replays the entries of the last period through the bucket. Starting full one period ago is exact for every
 * bucket whose entries are all in the ledger: any earlier state has refilled completely after one period.
 */
export function bucketState(limit: BucketLimit, entries: readonly LedgerEntry[], now: IsoTime): BucketState {
  const nowMs = ms(now);
  const periodMs = limit.periodSeconds * 1000;
  const inWindow = entries
    .filter((e) => ms(e.at) > nowMs - periodMs && ms(e.at) <= nowMs)
    .sort((a, b) => (a.at < b.at ? -1 : 1));
  if (limit.kind === 'rolling-window') {
    if (inWindow.length < limit.capacity) return { tokens: limit.capacity - inWindow.length };
    // The oldest entry that must leave the window for one slot to free up.
    const leaving = inWindow[inWindow.length - limit.capacity] as LedgerEntry;
    return { tokens: 0, refillsAt: toIsoTime(ms(leaving.at) + periodMs) };
  }
  const perMs = limit.capacity / periodMs;
  let tokens = limit.capacity;
  let last = nowMs - periodMs;
  for (const entry of inWindow) {
    tokens = Math.min(limit.capacity, tokens + (ms(entry.at) - last) * perMs) - 1;
    last = ms(entry.at);
  }
  tokens = Math.min(limit.capacity, tokens + (nowMs - last) * perMs);
  // Within floating-point noise of a whole token counts as one (else a retry at refillsAt could be refused again).
  if (tokens >= 1 - TOKEN_EPSILON) return { tokens };
  // Round up to a whole second, at least one second ahead, so a retry at refillsAt finds the token.
  const refill = Math.max(nowMs + 1000, Math.ceil((nowMs + (1 - tokens) / perMs) / 1000) * 1000);
  return { tokens, refillsAt: toIsoTime(refill) };
}

/** The registered domain (public suffix + 1, PSL private section included as LE does); IPs and unknowns as is. */
export function registeredDomain(name: string): string {
  const base = name.startsWith('*.') ? name.slice(2) : name;
  if (isIP(base) !== 0) return base;
  return getDomain(base, { allowPrivateDomains: true }) ?? base;
}

/** One (bucket, scope) the budget must look at, with the ledger entries of its last period. */
export interface BucketUsage {
  readonly bucket: LedgerBucket;
  readonly scope: string;
  readonly entries: readonly LedgerEntry[];
}

export interface OrderBudgetRequest {
  readonly issuer: string;
  readonly names: readonly string[];
  /** Orders that replace a certificate through ARI are exempt from every limit (and are not counted). */
  readonly replaces?: string;
  /** Mirror Let's Encrypt's buckets (false for pebble/private CAs); the exact-set loop guard applies always. */
  readonly letsEncryptLimits: boolean;
}

/** The (bucket, scope) pairs an order must have budget in. Empty for an exempt (`replaces`) order. */
export function orderBuckets(request: OrderBudgetRequest): { bucket: LedgerBucket; scope: string }[] {
  if (request.replaces !== undefined) return [];
  const guard = [{ bucket: LedgerBucket.OrdersPerExactSet, scope: `${request.issuer}|${nameSetHash(request.names)}` }];
  if (!request.letsEncryptLimits) return guard;
  const domains = [...new Set(request.names.map(registeredDomain))].sort();
  return [
    { bucket: LedgerBucket.NewOrdersPerAccount, scope: request.issuer },
    ...guard,
    ...domains.map((d) => ({ bucket: LedgerBucket.CertificatesPerRegisteredDomain, scope: `${request.issuer}|${d}` })),
    ...request.names.map((n) => ({
      bucket: LedgerBucket.AuthorizationFailuresPerName,
      scope: `${request.issuer}|${n.replace(/^\*\./, '')}`,
    })),
  ];
}

/** Buckets an order spends when it is created (the certificate and failure buckets are charged later). */
export const CHARGED_AT_ORDER: ReadonlySet<LedgerBucket> = new Set([
  LedgerBucket.NewOrdersPerAccount,
  LedgerBucket.OrdersPerExactSet,
]);

export interface BudgetRefusal extends Violation<LedgerBucket> {
  readonly scope: string;
  readonly refillsAt: IsoTime;
}

/** The first bucket without a token, or undefined when every bucket has one. */
export function checkBudget(usages: readonly BucketUsage[], now: IsoTime): BudgetRefusal | undefined {
  for (const usage of usages) {
    const limit = BUCKET_LIMITS[usage.bucket];
    const state = bucketState(limit, usage.entries, now);
    if (state.refillsAt !== undefined) {
      return {
        reason: usage.bucket,
        scope: usage.scope,
        refillsAt: state.refillsAt,
        message: `rate-limit budget: ${limit.label} exhausted for ${usage.scope}; a token refills at ${state.refillsAt}`,
      };
    }
  }
  return undefined;
}

/** Start of the ledger query for a bucket: one period before `now`. */
export function windowStart(bucket: LedgerBucket, now: IsoTime): IsoTime {
  return toIsoTime(ms(now) - BUCKET_LIMITS[bucket].periodSeconds * 1000);
}

import { describe, expect, it } from 'vitest';
import { LedgerBucket, type LedgerEntry } from '../ports/ledger.js';
import { BUCKET_LIMITS, bucketState, checkBudget, orderBuckets, registeredDomain } from './budget.js';

const NOW = '2026-06-08T00:00:00Z';
const at = (secondsAgo: number) => new Date(Date.parse(NOW) - secondsAgo * 1000).toISOString().replace('.000Z', 'Z');
const entries = (bucket: LedgerBucket, ...secondsAgo: number[]): LedgerEntry[] =>
  secondsAgo.map((s, i) => ({ id: `e${i}`, bucket, scope: 's', at: at(s), certificateId: 'c' }));
const DAY = 86_400;

describe('bucketState', () => {
  const cases: Record<string, { bucket: LedgerBucket; ago: number[]; refillsAt?: string }> = {
    'has budget when nothing was spent': { bucket: LedgerBucket.OrdersPerExactSet, ago: [] },
    'has budget after four orders of the same set this week': {
      bucket: LedgerBucket.OrdersPerExactSet,
      ago: [60, 120, 180, 240],
    },
    'refuses a sixth order of the same set within minutes, refilling one token 33.6 h after': {
      bucket: LedgerBucket.OrdersPerExactSet,
      ago: [0, 60, 120, 180, 240],
      // 5 tokens over 7 days: one every 33.6 h; 4 minutes of refill already happened.
      refillsAt: '2026-06-09T09:32:00Z',
    },
    'has budget again when the five orders were spread over the week': {
      bucket: LedgerBucket.OrdersPerExactSet,
      ago: [6 * DAY, 5 * DAY, 4 * DAY, 3 * DAY, 2 * DAY],
    },
    'forgets entries older than the period': {
      bucket: LedgerBucket.AuthorizationFailuresPerName,
      ago: [3_601, 3_700, 3_800, 3_900, 4_000, 5_000],
    },
    'refuses a sixth authorization failure within the hour': {
      bucket: LedgerBucket.AuthorizationFailuresPerName,
      ago: [0, 0, 0, 0, 0],
      refillsAt: '2026-06-08T00:12:00Z',
    },
    'frees an ACM import slot when the oldest import leaves the 365-day window': {
      bucket: LedgerBucket.AcmImportsPerRegion,
      ago: Array.from({ length: 5_000 }, (_, i) => 364 * DAY - i),
      refillsAt: '2026-06-09T00:00:00Z',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { bucket, ago, refillsAt }) => {
    expect(bucketState(BUCKET_LIMITS[bucket], entries(bucket, ...ago), NOW).refillsAt).toBe(refillsAt);
  });
});

describe('registeredDomain', () => {
  const cases: Record<string, { name: string; want: string }> = {
    'keeps a registered domain': { name: 'example.com', want: 'example.com' },
    'drops subdomains': { name: 'a.b.example.com', want: 'example.com' },
    'knows multi-label public suffixes': { name: 'www.example.co.uk', want: 'example.co.uk' },
    'knows private public suffixes (each github.io site is its own domain)': {
      name: 'me.github.io',
      want: 'me.github.io',
    },
    'strips the wildcard label': { name: '*.shop.example.com', want: 'example.com' },
    'keeps an IP address as it is': { name: '192.0.2.1', want: '192.0.2.1' },
  };
  it.each(Object.entries(cases))('%s', (_name, { name, want }) => {
    expect(registeredDomain(name)).toBe(want);
  });
});

describe('orderBuckets', () => {
  const names = ['example.co.uk', '*.example.co.uk', 'other.test'];
  const cases: Record<string, { replaces?: string; letsEncryptLimits: boolean; want: string[] }> = {
    'checks every Let’s Encrypt bucket, one per registered domain and per name': {
      letsEncryptLimits: true,
      want: [
        'NewOrdersPerAccount le',
        'OrdersPerExactSet',
        'CertificatesPerRegisteredDomain le|example.co.uk',
        'CertificatesPerRegisteredDomain le|other.test',
        'AuthorizationFailuresPerName le|example.co.uk',
        'AuthorizationFailuresPerName le|example.co.uk',
        'AuthorizationFailuresPerName le|other.test',
      ],
    },
    'keeps only the exact-set loop guard for a CA without Let’s Encrypt limits': {
      letsEncryptLimits: false,
      want: ['OrdersPerExactSet'],
    },
    'exempts an ARI replacement from every bucket': { replaces: 'aki.serial', letsEncryptLimits: true, want: [] },
  };
  it.each(Object.entries(cases))('%s', (_name, { replaces, letsEncryptLimits, want }) => {
    const buckets = orderBuckets({ issuer: 'le', names, letsEncryptLimits, ...(replaces ? { replaces } : {}) });
    expect(buckets.map((b) => (b.bucket === 'OrdersPerExactSet' ? b.bucket : `${b.bucket} ${b.scope}`))).toEqual(want);
  });
});

describe('checkBudget', () => {
  it('names the exhausted bucket, its scope and the refill time', () => {
    const refusal = checkBudget(
      [
        { bucket: LedgerBucket.NewOrdersPerAccount, scope: 'le', entries: [] },
        {
          bucket: LedgerBucket.OrdersPerExactSet,
          scope: 'le|abc',
          entries: entries(LedgerBucket.OrdersPerExactSet, 0, 0, 0, 0, 0),
        },
      ],
      NOW,
    );
    expect(refusal).toEqual({
      reason: 'OrdersPerExactSet',
      scope: 'le|abc',
      refillsAt: '2026-06-09T09:36:00Z',
      message:
        'rate-limit budget: orders for the exact same names (5 / 7 d) exhausted for le|abc; a token refills at 2026-06-09T09:36:00Z',
    });
  });
});

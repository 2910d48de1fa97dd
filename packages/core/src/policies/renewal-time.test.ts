import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../testing/clock.js';
import { chooseRenewal, type RenewalChoice, type RenewalTimeInput } from './renewal-time.js';

const NOW = '2026-06-01T00:00:00Z';
const lifetime = (days: number, notBefore = '2026-06-01T00:00:00Z') => ({
  notBefore,
  notAfter: new Date(Date.parse(notBefore) + days * 86_400_000).toISOString().replace('.000Z', 'Z'),
});

const cases: Record<string, { input: RenewalTimeInput; want: RenewalChoice }> = {
  'renews a 90-day certificate with 30 days left when the jitter is zero': {
    input: { ...lifetime(90), now: NOW, random: fixedRandom(0) },
    want: { at: '2026-07-31T00:00:00Z', source: 'lifetime' },
  },
  'moves the 90-day renewal up to 4.5 days earlier with the largest jitter': {
    input: { ...lifetime(90), now: NOW, random: fixedRandom(0.999_999) },
    want: { at: '2026-07-26T12:00:00Z', source: 'lifetime' },
  },
  'renews a 45-day tlsserver certificate with 15 days left': {
    input: { ...lifetime(45), now: NOW, random: fixedRandom(0) },
    want: { at: '2026-07-01T00:00:00Z', source: 'lifetime' },
  },
  'renews a 160-hour shortlived certificate at half its lifetime': {
    input: { notBefore: NOW, notAfter: '2026-06-07T16:00:00Z', now: NOW, random: fixedRandom(0) },
    want: { at: '2026-06-04T08:00:00Z', source: 'lifetime' },
  },
  'renews exactly-10-day certificates at 1/3 left (only shorter ones use 1/2)': {
    input: { ...lifetime(10), now: NOW, random: fixedRandom(0) },
    want: { at: '2026-06-07T16:00:00Z', source: 'lifetime' },
  },
  'honours a renew-before override': {
    input: { ...lifetime(90), now: NOW, random: fixedRandom(0), policy: { renewBeforeSeconds: 7 * 86_400 } },
    want: { at: '2026-08-23T00:00:00Z', source: 'lifetime' },
  },
  'picks a point inside the ARI window': {
    input: {
      ...lifetime(90),
      now: NOW,
      random: fixedRandom(0.5),
      ariWindow: { start: '2026-07-20T00:00:00Z', end: '2026-07-22T00:00:00Z' },
    },
    want: { at: '2026-07-21T00:00:00Z', source: 'ari' },
  },
  'renews now when the ARI window is already past (mass revocation)': {
    input: {
      ...lifetime(90, '2026-05-01T00:00:00Z'),
      now: NOW,
      random: fixedRandom(0.5),
      ariWindow: { start: '2026-05-20T00:00:00Z', end: '2026-05-21T00:00:00Z' },
    },
    want: { at: NOW, source: 'ari' },
  },
};

describe('chooseRenewal', () => {
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(chooseRenewal(input)).toEqual(want);
  });
});

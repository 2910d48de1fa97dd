import { describe, expect, it } from 'vitest';
import { toIsoTime } from '../lifecycle/types.js';
import { type CrossedExpiry, certificateLifetimeSeconds, crossedExpiry, fractionLabel } from './expiry.js';

const NOW = '2026-06-01T00:00:00Z';
const DAY = 86_400;
const at = (seconds: number) => toIsoTime(Date.parse(NOW) + seconds * 1000);
const days = [30, 14, 7, 3, 1];
const fractions = [1 / 3, 1 / 6, 1 / 12];
/** A certificate of `lifetime` seconds (inclusive validity, as CAs issue them) with `left` seconds to go. */
const cert = (lifetime: number, left: number) => ({
  notAfter: at(left),
  lifetimeSeconds: certificateLifetimeSeconds(at(left - lifetime + 1), at(left)),
});

const cases: Record<string, { input: Parameters<typeof crossedExpiry>[0]; want?: Partial<CrossedExpiry> }> = {
  'crosses nothing for a 90-day certificate with 40 days left': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, 40 * DAY) },
  },
  'labels a 90-day certificate at exactly 30 days left with the day threshold (ties with 1/3)': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, 30 * DAY) },
    want: { label: '30d', critical: false },
  },
  'labels a 90-day certificate with 10 days left 14d (1/6 = 15 d is the larger span), as a warning': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, 10 * DAY) },
    want: { label: '14d', critical: false },
  },
  'is critical for a 90-day certificate with 5 days left (below 1/12 = 7.5 d), labelled 7d': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, 5 * DAY) },
    want: { label: '7d', critical: true },
  },
  'is critical at 3 days left for a 90-day certificate': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, 3 * DAY) },
    want: { label: '3d', critical: true },
  },
  'does not alert a fresh 6-day certificate although it is within 7 days': {
    input: { now: NOW, days, fractions, ...cert(6 * DAY, 5 * DAY) },
  },
  'does not alert a 6-day certificate at its half-life renewal time': {
    input: { now: NOW, days, fractions, ...cert(6 * DAY, 3 * DAY) },
  },
  'alerts a 6-day certificate with 1/3 of its lifetime left, as a warning': {
    input: { now: NOW, days, fractions, ...cert(6 * DAY, 2 * DAY) },
    want: { label: '1/3', critical: false },
  },
  'labels a 6-day certificate with 23 hours left 1d (smaller than 1/6 = 1 d)': {
    input: { now: NOW, days, fractions, ...cert(6 * DAY, 23 * 3_600) },
    want: { label: '1d', critical: false },
  },
  'is critical for a 6-day certificate with 1/12 of its lifetime left': {
    input: { now: NOW, days, fractions, ...cert(6 * DAY, 12 * 3_600) },
    want: { label: '1/12', critical: true },
  },
  'crosses nothing for a 60-second certificate with 30 seconds left': {
    input: { now: NOW, days, fractions, ...cert(60, 30) },
  },
  'alerts a 60-second certificate with 9 seconds left at 1/6': {
    input: { now: NOW, days, fractions, ...cert(60, 9) },
    want: { label: '1/6', critical: false },
  },
  'is critical for a 60-second certificate with 4 seconds left': {
    input: { now: NOW, days, fractions, ...cert(60, 4) },
    want: { label: '1/12', critical: true },
  },
  'labels an expired certificate expired and critical': {
    input: { now: NOW, days, fractions, ...cert(90 * DAY, -60) },
    want: { label: 'expired', critical: true, expired: true },
  },
  'uses days only when the lifetime is unknown': {
    input: { now: NOW, days, fractions, notAfter: at(10 * DAY) },
    want: { label: '14d', critical: false },
  },
  'is critical within 3 days when the lifetime is unknown': {
    input: { now: NOW, days, fractions, notAfter: at(2 * DAY) },
    want: { label: '3d', critical: true },
  },
  'still reports an expired certificate when no threshold is configured': {
    input: { now: NOW, days: [], fractions: [], notAfter: at(-1) },
    want: { label: 'expired', critical: true },
  },
};

describe('crossedExpiry', () => {
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    const got = crossedExpiry(input);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toMatchObject(want);
  });
});

describe('certificateLifetimeSeconds', () => {
  it('counts both ends of the validity, so a 90 d − 1 s certificate lives 90 days', () => {
    expect(certificateLifetimeSeconds('2026-06-01T00:00:00Z', '2026-08-29T23:59:59Z')).toBe(90 * DAY);
  });
});

describe('fractionLabel', () => {
  it.each([
    [1 / 3, '1/3'],
    [1 / 12, '1/12'],
    [0.4, '0.4'],
  ])('labels %d as %s', (fraction, label) => {
    expect(fractionLabel(fraction)).toBe(label);
  });
});

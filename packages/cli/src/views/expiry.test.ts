import { describe, expect, it } from 'vitest';
import { daysLeftCell, ExpiryBand, expiryBand, type ValidityDates, wholeDaysLeft } from './expiry.js';
import { plainColours } from './terminal.js';
import { daysFromNow, FIXED_NOW } from './view-fixtures.js';

describe('expiryBand', () => {
  const cases: Record<string, { dates: ValidityDates; want: ExpiryBand }> = {
    'is unknown without a certificate': { dates: {}, want: ExpiryBand.Unknown },
    'is expired once notAfter has passed': {
      dates: { notBefore: daysFromNow(-90), notAfter: daysFromNow(-0.1) },
      want: ExpiryBand.Expired,
    },
    'is ok for a 90-day certificate with 31 days left': {
      dates: { notBefore: daysFromNow(-59), notAfter: daysFromNow(31) },
      want: ExpiryBand.Ok,
    },
    'warns a 90-day certificate at 30 days left': {
      dates: { notBefore: daysFromNow(-60), notAfter: daysFromNow(30) },
      want: ExpiryBand.Warning,
    },
    'is critical for a 90-day certificate at 7 days left': {
      dates: { notBefore: daysFromNow(-83), notAfter: daysFromNow(7) },
      want: ExpiryBand.Critical,
    },
    'keeps a fresh 6-day certificate green (fraction of lifetime, not 7 days)': {
      dates: { notBefore: daysFromNow(-1), notAfter: daysFromNow(5) },
      want: ExpiryBand.Ok,
    },
    'warns a 6-day certificate with a third of its lifetime left': {
      dates: { notBefore: daysFromNow(-4), notAfter: daysFromNow(2) },
      want: ExpiryBand.Warning,
    },
    'is critical for a 6-day certificate with half a day left': {
      dates: { notBefore: daysFromNow(-5.5), notAfter: daysFromNow(0.5) },
      want: ExpiryBand.Critical,
    },
    'uses the day thresholds alone when notBefore is unknown (an observation)': {
      dates: { notAfter: daysFromNow(5) },
      want: ExpiryBand.Critical,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { dates, want }) => {
    expect(expiryBand(dates, FIXED_NOW)).toBe(want);
  });
});

describe('wholeDaysLeft and daysLeftCell', () => {
  const cases: Record<string, { notAfter?: string; days?: number; cell: string }> = {
    'rounds a partial day down': { notAfter: daysFromNow(1.9), days: 1, cell: '1' },
    'goes negative once expired': { notAfter: daysFromNow(-1.5), days: -2, cell: '-2' },
    'is a dash without a date': { cell: '-' },
    'is a dash for an unparseable date': { notAfter: 'soon', cell: '-' },
  };
  it.each(Object.entries(cases))('%s', (_name, { notAfter, days, cell }) => {
    expect(wholeDaysLeft(notAfter, FIXED_NOW)).toBe(days);
    expect(daysLeftCell({ notAfter }, FIXED_NOW, plainColours)).toBe(cell);
  });
});

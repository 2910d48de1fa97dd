import { describe, expect, it } from 'vitest';
import { manualClock } from './fake-route53.js';
import { ROUTE53_THROTTLE, sharedRoute53Throttle, TokenBucket } from './throttle.js';

describe('TokenBucket', () => {
  it('lets a burst through at once, then paces callers at the sustained rate in call order', async () => {
    // A frozen clock: all six callers arrive at the same instant, so each sleep is that caller's reserved wait.
    const sleeps: number[] = [];
    const clock = { now: () => new Date(0), sleep: async (ms: number) => void sleeps.push(ms) };
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock });
    await Promise.all(Array.from({ length: 6 }, () => bucket.take()));
    expect(sleeps).toEqual([100, 200, 300]);
  });

  it('refills with time up to the burst size', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, clock });
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(bucket.available).toBe(0);
    clock.advance(250);
    expect(bucket.available).toBeCloseTo(2.5);
    clock.advance(60_000);
    expect(bucket.available).toBe(5);
    expect(clock.sleeps).toEqual([]);
  });

  const invalid: Record<string, { rate: number; burst: number }> = {
    'a zero rate': { rate: 0, burst: 1 },
    'a fractional burst': { rate: 1, burst: 1.5 },
  };
  it.each(Object.entries(invalid))('refuses %s', (_name, { rate, burst }) => {
    expect(() => new TokenBucket({ ratePerSecond: rate, burst })).toThrow(RangeError);
  });
});

describe('sharedRoute53Throttle', () => {
  it('gives every caller of one account the same bucket, and another account its own', () => {
    expect(sharedRoute53Throttle('111111111111')).toBe(sharedRoute53Throttle('111111111111'));
    expect(sharedRoute53Throttle('111111111111')).not.toBe(sharedRoute53Throttle('222222222222'));
    expect(sharedRoute53Throttle('333333333333').available).toBe(ROUTE53_THROTTLE.burst);
  });
});

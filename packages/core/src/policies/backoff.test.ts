import { describe, expect, it } from 'vitest';
import type { FailureRecord, FailureState } from '../lifecycle/types.js';
import { backoffCheck, backoffDelaySeconds, recordFailure } from './backoff.js';

const NOW = '2026-06-01T00:00:00Z';
const failure: FailureRecord = { reason: 'ValidationFailed', message: 'acme: unauthorized' };

describe('backoffDelaySeconds', () => {
  const cases: Record<string, { failures: number; want: number }> = {
    'waits one minute after the first failure': { failures: 1, want: 60 },
    'waits ten minutes after the second': { failures: 2, want: 600 },
    'waits 100 minutes after the third': { failures: 3, want: 6_000 },
    'waits a day after the fourth': { failures: 4, want: 86_400 },
    'never waits longer than a day': { failures: 40, want: 86_400 },
  };
  it.each(Object.entries(cases))('%s', (_name, { failures, want }) => {
    expect(backoffDelaySeconds(failures)).toBe(want);
  });
});

describe('recordFailure', () => {
  const previous: FailureState = { count: 2, lastFailureAt: NOW, backoffUntil: NOW, last: failure, specHash: 'h1' };
  const cases: Record<
    string,
    { previous?: FailureState; failure: FailureRecord; specHash: string; want: Partial<FailureState> }
  > = {
    'starts counting at one': { failure, specHash: 'h1', want: { count: 1, backoffUntil: '2026-06-01T00:01:00Z' } },
    'continues the count for the same spec': {
      previous,
      failure,
      specHash: 'h1',
      want: { count: 3, backoffUntil: '2026-06-01T01:40:00Z' },
    },
    'starts again when the spec changed': { previous, failure, specHash: 'h2', want: { count: 1 } },
    "keeps the CA's Retry-After when it is later than the schedule": {
      failure: { ...failure, retryAfter: '2026-06-02T00:00:00Z' },
      specHash: 'h1',
      want: { count: 1, backoffUntil: '2026-06-02T00:00:00Z' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, c) => {
    expect(recordFailure(c.previous, c.failure, NOW, c.specHash)).toMatchObject(c.want);
  });
});

describe('backoffCheck', () => {
  const state: FailureState = {
    count: 1,
    lastFailureAt: NOW,
    backoffUntil: '2026-06-01T00:01:00Z',
    last: failure,
    specHash: 'h1',
  };
  const cases: Record<string, { now: string; specHash: string; failures?: FailureState; blocked: boolean }> = {
    'lets a certificate without failures through': { now: NOW, specHash: 'h1', blocked: false },
    'holds back before backoffUntil': { now: '2026-06-01T00:00:59Z', specHash: 'h1', failures: state, blocked: true },
    'lets through at backoffUntil': { now: '2026-06-01T00:01:00Z', specHash: 'h1', failures: state, blocked: false },
    'lets a changed spec through at once': { now: NOW, specHash: 'h2', failures: state, blocked: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { now, specHash, failures, blocked }) => {
    expect(backoffCheck({ now, specHash, failures }) !== undefined).toBe(blocked);
  });
});

import { describe, expect, it } from 'vitest';
import { setCondition, stableMessage } from './status.js';

describe('stableMessage', () => {
  const cases: Record<string, { input: string; want: string }> = {
    'keeps a plain sentence': { input: 'Incorrect TXT record found', want: 'Incorrect TXT record found' },
    'replaces URLs': { input: 'see https://letsencrypt.org/docs/rate-limits/#x now', want: 'see <url> now' },
    'replaces timestamps in ISO and LE form': {
      input: 'retry after 2026-06-01 12:00:00 UTC or 2026-06-01T12:00:00.123Z',
      want: 'retry after <time> or <time>',
    },
    'replaces UUIDs and long hex request ids': {
      input: 'request 0f8fad5b-d9cb-469f-a165-70867728950e trace 8f14e45fceea167a5a36',
      want: 'request <id> trace <id>',
    },
    'replaces long numbers but keeps small counts': {
      input: 'order 123456789 has 5 names',
      want: 'order <id> has 5 names',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(stableMessage(input)).toBe(want);
  });
});

describe('setCondition', () => {
  it('keeps lastTransitionAt while the status stays, and moves it when the status changes', () => {
    const first = setCondition([], 'Ready', 'False', 'Issuing', 'a', '2026-06-01T00:00:00Z');
    const same = setCondition(first, 'Ready', 'False', 'Other', 'b', '2026-06-01T01:00:00Z');
    const flipped = setCondition(same, 'Ready', 'True', 'UpToDate', 'c', '2026-06-01T02:00:00Z');
    expect(same[0]?.lastTransitionAt).toBe('2026-06-01T00:00:00Z');
    expect(flipped[0]?.lastTransitionAt).toBe('2026-06-01T02:00:00Z');
  });
});

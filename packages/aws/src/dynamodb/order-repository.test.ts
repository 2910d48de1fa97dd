import { describe, expect, it } from 'vitest';
import { orderKeyOf } from './order-repository.js';

describe('orderKeyOf', () => {
  const cases: Record<string, { revision: number; attempt: number; want: string }> = {
    'pads the revision to 12 digits and the attempt to 6': { revision: 3, attempt: 1, want: '000000000003.000001' },
    'keeps revision 0 (an order before the first certificate)': {
      revision: 0,
      attempt: 2,
      want: '000000000000.000002',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { revision, attempt, want }) => {
    expect(orderKeyOf(revision, attempt)).toBe(want);
  });

  it('sorts keys as text in the order of the numbers', () => {
    const pairs: [number, number][] = [
      [10, 1],
      [9, 12],
      [9, 2],
      [100, 1],
      [1, 1],
    ];
    const byText = pairs.map(([r, a]) => orderKeyOf(r, a)).sort();
    const byNumber = [...pairs].sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([r, a]) => orderKeyOf(r, a));
    expect(byText).toEqual(byNumber);
  });

  const refused: Record<string, { revision: number; attempt: number; field: string }> = {
    'refuses a negative revision': { revision: -1, attempt: 1, field: 'revision' },
    'refuses a fractional attempt': { revision: 1, attempt: 1.5, field: 'attempt' },
    'refuses an attempt past the key width': { revision: 1, attempt: 1_000_000, field: 'attempt' },
  };
  it.each(Object.entries(refused))('%s', (_name, { revision, attempt, field }) => {
    expect(() => orderKeyOf(revision, attempt)).toThrow(expect.objectContaining({ field, rule: 'range' }));
  });
});

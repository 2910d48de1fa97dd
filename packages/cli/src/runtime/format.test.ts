import { describe, expect, it } from 'vitest';
import { daysLeft, renderTable } from './format.js';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('daysLeft', () => {
  const cases: Record<string, { notAfter?: string; want: string }> = {
    'counts whole days to the expiry': { notAfter: '2026-08-30T00:00:00Z', want: '90' },
    'rounds a partial day down': { notAfter: '2026-06-02T23:00:00Z', want: '1' },
    'goes negative once expired': { notAfter: '2026-05-30T00:00:00Z', want: '-2' },
    'shows a dash when there is no certificate yet': { want: '-' },
  };
  it.each(Object.entries(cases))('%s', (_name, { notAfter, want }) => {
    expect(daysLeft(notAfter, NOW)).toBe(want);
  });
});

describe('renderTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      renderTable(
        ['ID', 'READY', 'NAMES'],
        [
          ['a', 'True', 'example.test'],
          ['longer-id', 'False', 'x'],
        ],
      ),
    ).toBe(['ID         READY  NAMES', 'a          True   example.test', 'longer-id  False  x'].join('\n'));
  });
});

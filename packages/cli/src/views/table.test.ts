import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { renderTable, visibleWidth } from './table.js';

const colours = pc.createColors(true);

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

  it('measures coloured cells by their visible text, so colour does not shift columns', () => {
    const plain = renderTable(
      ['DAYS', 'ID'],
      [
        ['5', 'a'],
        ['120', 'b'],
      ],
    );
    const coloured = renderTable(
      ['DAYS', 'ID'],
      [
        [colours.red('5'), 'a'],
        [colours.green('120'), 'b'],
      ],
    );
    expect(coloured.split('\n').map((line) => visibleWidth(line))).toEqual(plain.split('\n').map((l) => l.length));
    expect(coloured).toContain('\u001b[31m5\u001b[39m');
  });
});

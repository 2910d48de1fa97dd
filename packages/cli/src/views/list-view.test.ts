import { ValidationError } from '@portcullis/core';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { formatList, ListSort, parseListSort, sortCertificates } from './list-view.js';
import { certificateView, FIXED_NOW } from './view-fixtures.js';

const views = [
  certificateView({ id: 'b', names: ['zeta.example.test'], validity: { from: -10, to: 80 } }),
  certificateView({ id: 'c', names: ['alpha.example.test'] }),
  certificateView({ id: 'a', names: ['mid.example.test'], validity: { from: -85, to: 5 } }),
  certificateView({ id: 'd', names: ['beta.example.test'], validity: { from: -80, to: 5 } }),
];

describe('sortCertificates', () => {
  const cases: Record<string, { sort: ListSort; reverse?: boolean; want: string[] }> = {
    'puts the soonest expiry first, ties by id, unissued last': { sort: ListSort.Days, want: ['a', 'd', 'b', 'c'] },
    'reverses the whole order': { sort: ListSort.Days, reverse: true, want: ['c', 'b', 'd', 'a'] },
    'orders by first name': { sort: ListSort.Name, want: ['c', 'd', 'a', 'b'] },
    'orders by id': { sort: ListSort.Id, want: ['a', 'b', 'c', 'd'] },
  };
  it.each(Object.entries(cases))('%s', (_name, { sort, reverse, want }) => {
    expect(sortCertificates(views, sort, FIXED_NOW, reverse).map((v) => v.id)).toEqual(want);
  });
});

describe('parseListSort', () => {
  it('accepts the documented keys and refuses others naming --sort', () => {
    expect(parseListSort('days')).toBe('days');
    expect(parseListSort(undefined)).toBeUndefined();
    expect(() => parseListSort('expiry')).toThrow(ValidationError);
    expect(() => parseListSort('expiry')).toThrow(/--sort: "expiry" must be one of days, name, id/);
  });
});

describe('formatList', () => {
  it('colours days left red, yellow or green by band when colours are on', () => {
    const colours = pc.createColors(true);
    const out = formatList(
      [
        certificateView({ id: 'red', validity: { from: -85, to: 5 } }),
        certificateView({ id: 'yellow', validity: { from: -70, to: 20 } }),
        certificateView({ id: 'green', validity: { from: -10, to: 80 } }),
      ],
      FIXED_NOW,
      colours,
    );
    expect(out).toContain(colours.red('5'));
    expect(out).toContain(colours.yellow('20'));
    expect(out).toContain(colours.green('80'));
  });

  it('is plain text by default: id, ready, revision, serial, days left, not after, names', () => {
    const out = formatList([certificateView({ id: 'x', validity: { from: -10, to: 80 } })], FIXED_NOW);
    expect(out).not.toContain('\u001b[');
    expect(out.split('\n')[1]?.split(/\s{2,}/)).toEqual([
      'x',
      'True',
      '1',
      'a1b2c3',
      '80',
      '2026-08-20T12:00:00.000Z',
      'x.example.test',
    ]);
  });
});

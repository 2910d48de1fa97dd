import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';

describe('patches', () => {
  const cases: Record<string, { patch: () => unknown; want: unknown }> = {
    'merge patch merges maps, deletes with null and replaces lists': {
      patch: () => mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: null, d: 3 }, l: [3] }),
      want: { a: { b: 1, d: 3 }, l: [3] },
    },
    'strategic merge merges keyed lists by their merge key': {
      patch: () =>
        strategicMergePatch(
          {
            spec: {
              ports: [
                { port: 80, name: 'http' },
                { port: 443, name: 'https' },
              ],
            },
          },
          { spec: { ports: [{ port: 443, name: 'tls' }, { port: 8080 }] } },
        ),
      want: { spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'tls' }, { port: 8080 }] } },
    },
    'strategic merge deletes a keyed item with $patch: delete': {
      patch: () =>
        strategicMergePatch(
          { spec: { ports: [{ port: 80 }, { port: 81 }] } },
          { spec: { ports: [{ port: 80, $patch: 'delete' }] } },
        ),
      want: { spec: { ports: [{ port: 81 }] } },
    },
    'JSON patch applies operations in order': {
      patch: () =>
        jsonPatch({ a: [1], b: 'x' }, [
          { op: 'add', path: '/a/-', value: 2 },
          { op: 'move', from: '/b', path: '/c' },
          { op: 'test', path: '/c', value: 'x' },
        ]),
      want: { a: [1, 2], c: 'x' },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { patch, want }) => {
    expect(patch()).toEqual(want);
  });

  it('fails a JSON patch whose test operation does not hold', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/test operation failed/);
  });
});

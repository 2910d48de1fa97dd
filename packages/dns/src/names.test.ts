import { describe, expect, it } from 'vitest';
import { dnsNameProblem, isWithin, longestEnclosingZone, normalizeName } from './names.js';

describe('names', () => {
  it.each([
    ['Example.Test.', 'example.test'],
    [' a.b ', 'a.b'],
  ])('normalizeName(%j) is %j', (input, want) => {
    expect(normalizeName(input)).toBe(want);
  });

  const within: Record<string, [string, string, boolean]> = {
    'a zone is within itself': ['example.test', 'example.test', true],
    'a child is within its zone': ['_acme-challenge.example.test', 'Example.Test.', true],
    'a name ending like the zone is not within it': ['badexample.test', 'example.test', false],
    'a parent is not within its child': ['test', 'example.test', false],
  };
  it.each(Object.entries(within))('%s', (_name, [name, zone, want]) => {
    expect(isWithin(name, zone)).toBe(want);
  });

  it('picks the longest enclosing zone', () => {
    expect(
      longestEnclosingZone('_acme-challenge.a.sub.example.test', ['example.test', 'sub.example.test', 'other.test']),
    ).toBe('sub.example.test');
    expect(longestEnclosingZone('x.nowhere.test', ['example.test'])).toBeUndefined();
  });

  const problems: Record<string, [string, RegExp | undefined]> = {
    'accepts underscores and a wildcard label': ['*._acme-challenge.example.test', undefined],
    'reports an empty name': ['', /empty/],
    'reports an empty label': ['a..b', /empty label/],
    'reports a 64-octet label': [`${'a'.repeat(64)}.test`, /longer than 63/],
    'reports a name over 253 characters': [`${'a'.repeat(63)}.`.repeat(4).concat('test'), /at most 253/],
    'reports white space': ['a b.test', /whitespace/],
  };
  it.each(Object.entries(problems))('%s', (_name, [name, want]) => {
    const problem = dnsNameProblem(name);
    if (want === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(want);
  });
});

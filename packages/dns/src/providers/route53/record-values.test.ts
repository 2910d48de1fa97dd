import { describe, expect, it } from 'vitest';
import {
  bareChangeId,
  bareZoneId,
  decodeRoute53Name,
  parseTxtStrings,
  quoteTxtValue,
  txtValueOf,
} from './record-values.js';

describe('quoteTxtValue', () => {
  const cases: Record<string, { value: string; want: string }> = {
    'quotes an ACME value as one string': {
      value: 'LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0',
      want: '"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"',
    },
    'escapes quotes and backslashes': { value: 'a"b\\c', want: '"a\\"b\\\\c"' },
    'writes bytes outside printable ASCII as three octal digits': { value: 'é\n', want: '"\\303\\251\\012"' },
    'splits a value over 255 octets into several strings': {
      value: 'a'.repeat(300),
      want: `"${'a'.repeat(255)}" "${'a'.repeat(45)}"`,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, want }) => {
    expect(quoteTxtValue(value)).toBe(want);
    expect(txtValueOf(want)).toBe(value);
  });
});

describe('parseTxtStrings', () => {
  const cases: Record<string, { value: string; want: string[] }> = {
    'reads several quoted strings': { value: '"abc" "def"', want: ['abc', 'def'] },
    'reads an unquoted token as one string': { value: 'abc', want: ['abc'] },
    'unescapes a quote inside a string (as moto returns it)': { value: '"b\\"q" "c"', want: ['b"q', 'c'] },
    'keeps an empty string': { value: '""', want: [''] },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, want }) => {
    expect(parseTxtStrings(value).map((b) => b.toString('utf8'))).toEqual(want);
  });
});

describe('names and ids', () => {
  const names: Record<string, { name: string; want: string }> = {
    'drops the trailing dot and lowercases': {
      name: '_ACME-Challenge.Example.Test.',
      want: '_acme-challenge.example.test',
    },
    'decodes the octal escape of a wildcard': { name: '\\052.example.test.', want: '*.example.test' },
  };
  it.each(Object.entries(names))('%s', (_name, { name, want }) => {
    expect(decodeRoute53Name(name)).toBe(want);
  });

  it('strips the prefixes of hosted zone and change ids', () => {
    expect(bareZoneId('/hostedzone/Z123')).toBe('Z123');
    expect(bareZoneId('Z123')).toBe('Z123');
    expect(bareChangeId('/change/C9')).toBe('C9');
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { NameRule, normalizeIdentifiers } from './names.js';
import type { AcmeIdentifier, ChallengeType } from './ports/acme-client.js';

const label63 = 'a'.repeat(63);
// 26 distinct CJK characters: a short Unicode label whose punycode form is longer than 63 characters.
const longIdnLabel = '中文域名测试例子一二三四五六七八九十百千万亿兆京垓';
// 4 labels of 63 + 3 dots = 255 > 253; 3 labels of 63 + "b.c" → 63*3+2+4 = 195 (fine).
const tooLongName = [label63, label63, label63, label63].join('.');
const longestName = [label63, label63, label63, 'a'.repeat(61)].join('.'); // 253

describe('normalizeIdentifiers accepts and normalizes', () => {
  const cases: Record<string, { names: string[]; challenge?: ChallengeType; want: AcmeIdentifier[] }> = {
    'a plain name as a dns identifier': {
      names: ['example.test'],
      want: [{ type: 'dns', value: 'example.test' }],
    },
    'upper case to lower case': { names: ['WWW.Example.TEST'], want: [{ type: 'dns', value: 'www.example.test' }] },
    'a trailing dot removed': { names: ['example.test.'], want: [{ type: 'dns', value: 'example.test' }] },
    'an apex and its wildcard, in the given order': {
      names: ['example.test', '*.example.test'],
      want: [
        { type: 'dns', value: 'example.test' },
        { type: 'dns', value: '*.example.test' },
      ],
    },
    'an IDN to punycode': { names: ['Bücher.example'], want: [{ type: 'dns', value: 'xn--bcher-kva.example' }] },
    'an IDN wildcard to punycode': { names: ['*.münchen.de'], want: [{ type: 'dns', value: '*.xn--mnchen-3ya.de' }] },
    'full-width letters through UTS #46 mapping': {
      names: ['ＥＸＡＭＰＬＥ.test'],
      want: [{ type: 'dns', value: 'example.test' }],
    },
    'a name of exactly 253 characters': { names: [longestName], want: [{ type: 'dns', value: longestName }] },
    'a label of exactly 63 characters': {
      names: [`${label63}.test`],
      want: [{ type: 'dns', value: `${label63}.test` }],
    },
    'an IPv4 literal for http-01': {
      names: ['192.0.2.1'],
      challenge: 'http-01',
      want: [{ type: 'ip', value: '192.0.2.1' }],
    },
    'an IPv6 literal for http-01 in canonical form': {
      names: ['[2001:DB8:0:0::1]'],
      challenge: 'http-01',
      want: [{ type: 'ip', value: '2001:db8::1' }],
    },
    'exactly 100 names': {
      names: Array.from({ length: 100 }, (_, i) => `n${i}.example.test`),
      want: Array.from({ length: 100 }, (_, i) => ({ type: 'dns' as const, value: `n${i}.example.test` })),
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { names, challenge, want }) => {
    expect(normalizeIdentifiers(names, { challenge: challenge ?? 'dns-01' })).toEqual(want);
  });
});

describe('normalizeIdentifiers refuses, naming the name and the rule', () => {
  const cases: Record<string, { names: string[]; challenge?: ChallengeType; field: string; rule: NameRule }> = {
    'no names': { names: [], field: 'names', rule: NameRule.Required },
    'more than 100 names': {
      names: Array.from({ length: 101 }, (_, i) => `n${i}.example.test`),
      field: 'names',
      rule: NameRule.TooManyNames,
    },
    'an empty name': { names: [''], field: '', rule: NameRule.EmptyLabel },
    'an empty inner label': { names: ['a..example.test'], field: 'a..example.test', rule: NameRule.EmptyLabel },
    'a leading dot': { names: ['.example.test'], field: '.example.test', rule: NameRule.EmptyLabel },
    'a name longer than 253 characters': { names: [tooLongName], field: tooLongName, rule: NameRule.NameTooLong },
    'a label longer than 63 characters': {
      names: [`${label63}a.test`],
      field: `${label63}a.test`,
      rule: NameRule.LabelTooLong,
    },
    'an IDN label longer than 63 characters once in punycode': {
      names: [`${longIdnLabel}.test`],
      field: `${longIdnLabel}.test`,
      rule: NameRule.LabelTooLong,
    },
    'an underscore': { names: ['a_b.example.test'], field: 'a_b.example.test', rule: NameRule.InvalidCharacter },
    'a space': { names: ['a b.example.test'], field: 'a b.example.test', rule: NameRule.InvalidCharacter },
    'a percent sign': { names: ['a%b.test'], field: 'a%b.test', rule: NameRule.InvalidCharacter },
    'a label starting with a hyphen': { names: ['-a.test'], field: '-a.test', rule: NameRule.InvalidCharacter },
    'a label ending with a hyphen': { names: ['a-.test'], field: 'a-.test', rule: NameRule.InvalidCharacter },
    'a wildcard not leftmost': {
      names: ['a.*.example.test'],
      field: 'a.*.example.test',
      rule: NameRule.WildcardPosition,
    },
    'a wildcard sharing its label': {
      names: ['*a.example.test'],
      field: '*a.example.test',
      rule: NameRule.WildcardPosition,
    },
    'two wildcards': { names: ['*.*.example.test'], field: '*.*.example.test', rule: NameRule.WildcardPosition },
    'a bare wildcard': { names: ['*'], field: '*', rule: NameRule.WildcardTooBroad },
    'a duplicate': {
      names: ['example.test', 'example.test'],
      field: 'example.test',
      rule: NameRule.Duplicate,
    },
    'a duplicate after normalization': {
      names: ['example.test', 'EXAMPLE.test.'],
      field: 'EXAMPLE.test.',
      rule: NameRule.Duplicate,
    },
    'an IDN and its punycode twice': {
      names: ['bücher.example', 'xn--bcher-kva.example'],
      field: 'xn--bcher-kva.example',
      rule: NameRule.Duplicate,
    },
    'a wildcard for http-01': {
      names: ['*.example.test'],
      challenge: 'http-01',
      field: '*.example.test',
      rule: NameRule.WildcardNeedsDns01,
    },
    'an IPv4 literal for dns-01': { names: ['192.0.2.1'], field: '192.0.2.1', rule: NameRule.IpNeedsHttp01 },
    'an IPv6 literal for dns-01': { names: ['2001:db8::1'], field: '2001:db8::1', rule: NameRule.IpNeedsHttp01 },
  };
  it.each(Object.entries(cases))('%s', (_name, { names, challenge, field, rule }) => {
    let caught: unknown;
    try {
      normalizeIdentifiers(names, { challenge: challenge ?? 'dns-01' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect({ field: error.field, rule: error.rule }).toEqual({ field, rule });
    if (field !== 'names') expect(error.message).toContain(`"${field}"`);
  });
});

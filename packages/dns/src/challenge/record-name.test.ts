import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { challengeRecordName } from './record-name.js';

describe('challengeRecordName', () => {
  const cases: Record<string, [string, string]> = {
    'prefixes a plain name': ['a.b', '_acme-challenge.a.b'],
    'validates a wildcard at its base name': ['*.a.b', '_acme-challenge.a.b'],
    'lower-cases and drops a trailing dot': ['WWW.Example.Test.', '_acme-challenge.www.example.test'],
    'keeps punycode labels': ['xn--bcher-kva.example', '_acme-challenge.xn--bcher-kva.example'],
    'works for a single-label name': ['localhost', '_acme-challenge.localhost'],
  };
  it.each(Object.entries(cases))('%s', (_name, [identifier, want]) => {
    expect(challengeRecordName(identifier)).toBe(want);
  });

  const refused: Record<string, [string, string]> = {
    'refuses an IPv4 literal': ['192.0.2.1', 'ip-needs-http-01'],
    'refuses an IPv6 literal': ['2001:db8::1', 'ip-needs-http-01'],
    'refuses an empty name': ['', 'dns-name'],
    'refuses a bare wildcard': ['*', 'dns-name'],
    'refuses a wildcard not leftmost': ['a.*.b', 'dns-name'],
    'refuses an empty label': ['a..b', 'dns-name'],
    'refuses a name whose record name exceeds 253 characters': [
      `${'a'.repeat(60)}.`.repeat(4).concat('test'),
      'dns-name',
    ],
  };
  it.each(Object.entries(refused))('%s', (_name, [identifier, rule]) => {
    expect(() => challengeRecordName(identifier)).toThrow(ValidationError);
    try {
      challengeRecordName(identifier);
    } catch (error) {
      expect(error).toMatchObject({ field: 'identifier', rule });
    }
  });
});

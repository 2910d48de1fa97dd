import { describe, expect, it } from 'vitest';
import { namesTagValue, TAG_VALUE_MAX, TagKey, tagValue, toAwsTags } from './resource-tags.js';

/** AWS's rule for tag values (Secrets Manager and ACM): letters, digits, spaces and `_ . : / = + - @`, ≤ 256. */
const AWS_TAG_VALUE = /^[\p{L}\p{M}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

const manyNames = Array.from({ length: 40 }, (_, i) => `host-${String(i).padStart(2, '0')}.example.test`);

describe('namesTagValue', () => {
  const cases: Record<string, { names: string[]; want: string }> = {
    'joins names with spaces': { names: ['a.example.test', 'b.example.test'], want: 'a.example.test b.example.test' },
    'writes the wildcard label as _ (AWS refuses *)': {
      names: ['example.test', '*.example.test'],
      want: 'example.test _.example.test',
    },
    'keeps whole names and says how many were left out when they do not fit': {
      names: manyNames,
      want: `${manyNames.slice(0, 11).join(' ')} +29 more`,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { names, want }) => {
    const value = namesTagValue(names);
    expect(value).toBe(want);
    expect(value).toMatch(AWS_TAG_VALUE);
    expect(value.length).toBeLessThanOrEqual(TAG_VALUE_MAX);
  });
});

describe('tagValue', () => {
  const cases: Record<string, { value: string; want: string }> = {
    'keeps an ISO time (colons are allowed)': { value: '2026-05-01T12:00:00Z', want: '2026-05-01T12:00:00Z' },
    'keeps an ACM ARN': {
      value: 'arn:aws:acm:eu-west-1:123456789012:certificate/1-2',
      want: 'arn:aws:acm:eu-west-1:123456789012:certificate/1-2',
    },
    'replaces characters AWS refuses': { value: 'a*b(c)d,e', want: 'a_b_c_d_e' },
    'keeps non-Latin letters': { value: 'zürich-東京', want: 'zürich-東京' },
    'cuts to 256 characters': { value: 'x'.repeat(300), want: 'x'.repeat(256) },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, want }) => {
    expect(tagValue(value)).toBe(want);
  });
});

describe('toAwsTags', () => {
  it('sorts by key, leaves out absent values and makes values valid', () => {
    expect(
      toAwsTags({
        [TagKey.Serial]: 'ab12',
        [TagKey.CertificateId]: 'c1',
        [TagKey.Tenant]: undefined,
        [TagKey.Names]: '*.x',
      }),
    ).toEqual([
      { Key: 'portcullis:certificate-id', Value: 'c1' },
      { Key: 'portcullis:names', Value: '_.x' },
      { Key: 'portcullis:serial', Value: 'ab12' },
    ]);
  });
});

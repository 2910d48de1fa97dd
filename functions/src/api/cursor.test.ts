import { describe, expect, it } from 'vitest';
import { decodeApiCursor, encodeApiCursor } from './cursor.js';
import { ApiError } from './errors.js';

describe('API cursors', () => {
  const scope = ['certificates', 'acme', '', ''];

  it('round-trips the repository cursor within the same listing', () => {
    expect(decodeApiCursor(scope, encodeApiCursor(scope, 'inner-cursor'))).toBe('inner-cursor');
  });

  const refused: Record<string, string> = {
    'a cursor of another tenant': encodeApiCursor(['certificates', 'globex', '', ''], 'x'),
    'a cursor of other filters': encodeApiCursor(['certificates', 'acme', 'a.example.test', ''], 'x'),
    'characters outside base64url': 'abc+/=',
    'base64url that is not JSON': Buffer.from('nope').toString('base64url'),
    'JSON without the fields': Buffer.from('{"a":1}').toString('base64url'),
    'an empty inner cursor': Buffer.from('{"s":"x","c":""}').toString('base64url'),
  };
  it.each(Object.entries(refused))('refuses %s', (_name, cursor) => {
    expect(() => decodeApiCursor(scope, cursor)).toThrow(ApiError);
  });
});

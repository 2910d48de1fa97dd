import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, expiryEpochSeconds, requireIsoTime, withoutDerived } from './document.js';

describe('requireIsoTime', () => {
  const cases: Record<string, { value: unknown; ok: boolean }> = {
    'accepts a UTC time truncated to seconds': { value: '2026-05-01T12:00:00Z', ok: true },
    'refuses milliseconds (they sort before the same second)': { value: '2026-05-01T12:00:00.000Z', ok: false },
    'refuses an offset instead of Z': { value: '2026-05-01T12:00:00+00:00', ok: false },
    'refuses a date without a time': { value: '2026-05-01', ok: false },
    'refuses a well-formed but impossible time': { value: '2026-13-01T12:00:00Z', ok: false },
    'refuses a number': { value: 1_780_000_000, ok: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { value, ok }) => {
    if (ok) expect(requireIsoTime('at', value)).toBe(value);
    else expect(() => requireIsoTime('at', value)).toThrow(ValidationError);
  });
});

describe('cursors', () => {
  it('round-trips the last key of a listing', () => {
    expect(decodeCursor('events', encodeCursor('events', '2026-06-01T00:00:00Z|c1/1'))).toBe(
      '2026-06-01T00:00:00Z|c1/1',
    );
  });

  const refused: Record<string, unknown> = {
    'refuses a cursor of another listing': encodeCursor('orders', '000000000001.000001'),
    'refuses text that is not base64url JSON': 'not a cursor',
    'refuses JSON without the fields': Buffer.from('{"after":"x"}').toString('base64url'),
    'refuses an empty key': encodeCursor('events', ''),
    'refuses an empty string': '',
    'refuses a number': 42,
  };
  it.each(Object.entries(refused))('%s', (_name, cursor) => {
    expect(() => decodeCursor('events', cursor)).toThrow(
      expect.objectContaining({ field: 'page.cursor', rule: 'cursor' }),
    );
  });
});

describe('withoutDerived', () => {
  it('drops the adapter attributes and keeps every record field, nested ones untouched', () => {
    const item = { id: 'c1', idxTenant: 't', idxDueShard: '0', atId: 'x', expiresAt: 1, spec: { orderKey: 'kept' } };
    expect(withoutDerived(item)).toEqual({ id: 'c1', spec: { orderKey: 'kept' } });
  });
});

describe('expiryEpochSeconds', () => {
  it('adds whole days to the time in epoch seconds', () => {
    expect(expiryEpochSeconds('2026-06-01T00:00:00Z', 2)).toBe(Date.parse('2026-06-03T00:00:00Z') / 1000);
  });
});

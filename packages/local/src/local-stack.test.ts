import { describe, expect, it } from 'vitest';
import { normalizeSerialHex } from './local-stack.js';

describe('normalizeSerialHex', () => {
  const cases: Record<string, [string, string]> = {
    'keeps a serial pebble would print unchanged': ['66317d2e02f5d3d6', '66317d2e02f5d3d6'],
    'lower-cases node:crypto serial numbers': ['66317D2E02F5D3D6', '66317d2e02f5d3d6'],
    'drops leading zeros (pebble prints none)': ['0066317d2e', '66317d2e'],
    'drops the colons of openssl-style serials': ['66:31:7d', '66317d'],
    'keeps a zero serial as 0': ['00', '0'],
  };
  it.each(Object.entries(cases))('%s', (_name, [input, want]) => {
    expect(normalizeSerialHex(input)).toBe(want);
  });

  it('refuses a serial that is not hexadecimal', () => {
    expect(() => normalizeSerialHex('12g4')).toThrow(/not hexadecimal/);
  });
});

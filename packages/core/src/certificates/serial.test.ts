import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { normalizeSerial } from './serial.js';

describe('normalizeSerial', () => {
  const cases: Record<string, { input: string; want: string }> = {
    'keeps the stored form as it is': { input: 'a1b2', want: 'a1b2' },
    'lower-cases upper-case hex': { input: 'A1B2', want: 'a1b2' },
    'drops the colons of the OpenSSL form': { input: '04:A1:B2', want: '4a1b2' },
    'drops leading zeros but keeps a lone zero': { input: '0000', want: '0' },
    'drops a 0x prefix and surrounding blanks': { input: ' 0x00ff ', want: 'ff' },
    'accepts 40 hex digits (20 octets)': { input: 'f'.repeat(40), want: 'f'.repeat(40) },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, want }) => {
    expect(normalizeSerial(input)).toBe(want);
  });

  const refused: Record<string, string> = {
    'refuses an empty serial': '',
    'refuses a non-hex character': '12g4',
    'refuses more than 40 hex digits': 'f'.repeat(41),
    'refuses a decimal with a minus sign': '-12',
  };
  it.each(Object.entries(refused))('%s', (_name, input) => {
    expect(() => normalizeSerial(input, 'body.serial')).toThrow(ValidationError);
    expect(() => normalizeSerial(input, 'body.serial')).toThrow(/^body\.serial: must be 1–40 hex digits/);
  });
});

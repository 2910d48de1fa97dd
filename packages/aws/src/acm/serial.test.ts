import { describe, expect, it } from 'vitest';
import { acmSerialMatches, normalizeAcmSerial, toAcmColonHex } from './serial.js';

// A 20-byte serial as pebble issues them, in the three spellings the adapters meet.
const HEX = '4dc06fd360e5f5d09d58bf8de933d050df04142';
const AWS_COLON_HEX = '04:dc:06:fd:36:0e:5f:5d:09:d5:8b:f8:de:93:3d:05:0d:f0:41:42';
const MOTO_DECIMAL = BigInt(`0x${HEX}`).toString(10);

describe('normalizeAcmSerial', () => {
  const cases: Record<string, { raw: string; want: string | undefined }> = {
    'reads real ACM’s colon-separated hex': { raw: AWS_COLON_HEX, want: HEX },
    'reads upper-case colon hex': { raw: AWS_COLON_HEX.toUpperCase(), want: HEX },
    'drops the leading zero byte DER adds to a serial with the high bit set': { raw: '00:a1:b2', want: 'a1b2' },
    'reads moto’s decimal string': { raw: MOTO_DECIMAL, want: HEX },
    'ignores surrounding whitespace': { raw: ` ${AWS_COLON_HEX} `, want: HEX },
    'reads colon-free hex that has letters as hex': { raw: HEX, want: HEX },
    'refuses a value in neither form': { raw: 'serial-42', want: undefined },
    'refuses an empty value': { raw: '', want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, { raw, want }) => {
    expect(normalizeAcmSerial(raw)).toBe(want);
  });
});

describe('acmSerialMatches', () => {
  const cases: Record<string, { raw: string; expected: string; want: boolean }> = {
    'matches AWS colon hex against our hex': { raw: AWS_COLON_HEX, expected: HEX, want: true },
    'matches moto decimal against our hex': { raw: MOTO_DECIMAL, expected: HEX, want: true },
    'matches whatever case and leading zeros the expected serial has': {
      raw: AWS_COLON_HEX,
      expected: `00${HEX.toUpperCase()}`,
      want: true,
    },
    'matches a colon-free hex value from a tool that strips colons': { raw: HEX, expected: HEX, want: true },
    'does not match another serial in colon hex': {
      raw: AWS_COLON_HEX.replace(/42$/, '43'),
      expected: HEX,
      want: false,
    },
    'does not match another serial in decimal': {
      raw: (BigInt(MOTO_DECIMAL) + 1n).toString(),
      expected: HEX,
      want: false,
    },
    'does not match when the expected serial is not hex': { raw: AWS_COLON_HEX, expected: 'zz', want: false },
  };
  it.each(Object.entries(cases))('%s', (_name, { raw, expected, want }) => {
    expect(acmSerialMatches(raw, expected)).toBe(want);
  });
});

describe('toAcmColonHex', () => {
  it('writes our hex the way the ACM console shows it, padded to whole bytes', () => {
    expect(toAcmColonHex(HEX)).toBe(AWS_COLON_HEX);
    expect(normalizeAcmSerial(toAcmColonHex(HEX))).toBe(HEX);
  });
});

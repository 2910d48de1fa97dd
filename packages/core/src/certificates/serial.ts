/**
 * Serial numbers as people type them (`04:A1:...`, `0x04a1`, upper case, leading zeros) turned into the one form
 * Portcullis stores and compares (`serialHex`: lower-case hex, no colons, no leading zeros). RFC 5280 caps serials
 * at 20 octets, so at most 40 hex digits.
 */
import { ValidationError } from '../errors.js';

/** The most hex digits a serial may have (20 octets, RFC 5280 §4.1.2.2). */
export const MAX_SERIAL_HEX_DIGITS = 40;

/** `serialHex` form of a typed serial; `ValidationError` naming `field` when it is not 1–40 hex digits. */
export function normalizeSerial(input: string, field = 'serial'): string {
  const compact = input.trim().toLowerCase().replace(/^0x/, '').replaceAll(':', '');
  if (!/^[0-9a-f]+$/.test(compact) || compact.length > MAX_SERIAL_HEX_DIGITS) {
    throw new ValidationError(
      field,
      'serial-hex',
      `must be 1–${MAX_SERIAL_HEX_DIGITS} hex digits (colons allowed), got ${JSON.stringify(input.slice(0, 60))}`,
    );
  }
  return compact.replace(/^0+(?=.)/, '');
}

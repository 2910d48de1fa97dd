/**
 * ACM's `Serial` field comes in two shapes (local-stack.md, "where moto differs"):
 * - real ACM: colon-separated hex bytes, `03:a1:...:7f` (leading zero bytes kept);
 * - moto: the serial as a decimal integer string, `3285…`.
 * Portcullis stores serials as lower-case hex without leading zeros (`serialHex` in core). Both forms are
 * normalised to that, so the same comparison works against AWS and against the local stack.
 */

const COLON_HEX = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2})+$/i;
const DECIMAL = /^\d+$/;
const PLAIN_HEX = /^[0-9a-f]+$/i;

/** Lower-case hex without leading zeros; `0` stays `0`. */
function trimHex(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/**
 * The hex serial a value of ACM's `Serial` field means, or undefined when it is neither form.
 * A value with colons is AWS's form; digits only is moto's decimal form (a colon-free serial from real ACM would be
 * a single byte, which no publicly trusted certificate has: CAs must use at least 64 random bits); hex digits with
 * letters and no colons are read as hex.
 */
export function normalizeAcmSerial(raw: string): string | undefined {
  const value = raw.trim();
  if (COLON_HEX.test(value)) return trimHex(value.replaceAll(':', ''));
  if (DECIMAL.test(value)) return BigInt(value).toString(16);
  // Hex with letters and without colons is unambiguous (a proxy or tool that strips the colons).
  if (PLAIN_HEX.test(value)) return trimHex(value);
  return undefined;
}

/**
 * Whether ACM's `Serial` names the certificate with hex serial `expectedHex` (any case, colons or leading zeros).
 * Compares every reading of the raw value — colon hex, decimal, and plain hex — so a digits-only value that is in
 * fact hex (a tool that strips colons) still matches.
 */
export function acmSerialMatches(raw: string, expectedHex: string): boolean {
  const expected = trimHex(expectedHex.replaceAll(':', ''));
  if (!PLAIN_HEX.test(expected)) return false;
  const value = raw.trim();
  const readings = [normalizeAcmSerial(value), PLAIN_HEX.test(value) ? trimHex(value) : undefined];
  return readings.includes(expected);
}

/** The lower-case colon-separated form real ACM shows (`0a:1b:…`), for messages read next to the console. */
export function toAcmColonHex(hex: string): string {
  const digits = trimHex(hex.replaceAll(':', ''));
  const even = digits.length % 2 === 0 ? digits : `0${digits}`;
  return even.match(/../g)?.join(':') ?? even;
}

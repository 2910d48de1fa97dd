/**
 * Route53's text forms of names and TXT values. Route53 stores a TXT value as one or more quoted character-strings
 * (`"abc" "def"`), each at most 255 octets; `"` and `\` are backslash-escaped and any other byte outside printable
 * ASCII is written as `\` + three octal digits (Route53's rule, unlike zone files' decimal `\DDD`). Names come back
 * with a trailing dot and with `*` (and other special characters) as octal escapes (`\052`).
 */

import { normalizeName } from '../../names.js';

/** Longest character-string in a TXT record (RFC 1035 §3.3.14: one length octet). */
const MAX_CHARACTER_STRING = 255;

function escapeByte(byte: number): string {
  if (byte === 0x22) return '\\"';
  if (byte === 0x5c) return '\\\\';
  if (byte >= 0x20 && byte <= 0x7e) return String.fromCharCode(byte);
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/** The character-strings of a TXT value, ≤ 255 octets each (ACME values are 43 characters: one string). */
export function splitTxtValue(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += MAX_CHARACTER_STRING) {
    parts.push(bytes.subarray(offset, offset + MAX_CHARACTER_STRING));
  }
  return parts.length === 0 ? [Buffer.alloc(0)] : parts;
}

/** A TXT value in Route53's `Value` form: quoted, escaped, split into several strings past 255 octets. */
export function quoteTxtValue(value: string): string {
  return splitTxtValue(value)
    .map((part) => `"${[...part].map(escapeByte).join('')}"`)
    .join(' ');
}

/**
 * The character-strings of a Route53 TXT `Value` (quoted strings separated by spaces; an unquoted token is one
 * string). Inverse of `quoteTxtValue`, and lenient with what other tools wrote (decimal escapes are not Route53's).
 */
export function parseTxtStrings(value: string): Buffer[] {
  const strings: Buffer[] = [];
  let i = 0;
  while (i < value.length) {
    while (value[i] === ' ' || value[i] === '\t') i++;
    if (i >= value.length) break;
    const quoted = value[i] === '"';
    if (quoted) i++;
    const bytes: number[] = [];
    while (i < value.length) {
      const ch = value[i] as string;
      if (quoted ? ch === '"' : ch === ' ' || ch === '\t') break;
      if (ch === '\\' && i + 1 < value.length) {
        const octal = /^[0-7]{3}/.exec(value.slice(i + 1, i + 4));
        if (octal !== null) {
          bytes.push(Number.parseInt(octal[0], 8) & 0xff);
          i += 4;
        } else {
          bytes.push(...Buffer.from(value[i + 1] as string, 'utf8'));
          i += 2;
        }
        continue;
      }
      bytes.push(...Buffer.from(ch, 'utf8'));
      i++;
    }
    if (quoted) i++; // closing quote
    strings.push(Buffer.from(bytes));
  }
  return strings;
}

/** The TXT data a resolver hands to the ACME server: the character-strings concatenated. */
export function txtValueOf(route53Value: string): string {
  return Buffer.concat(parseTxtStrings(route53Value)).toString('utf8');
}

/** A record name as Route53 returns it (`\052.example.test.`) in our form: lower case, no trailing dot. */
export function decodeRoute53Name(name: string): string {
  const decoded = name.replace(/\\([0-7]{3})/g, (_match, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
  return normalizeName(decoded);
}

/** A name as we send it to Route53: lower case, fully qualified. */
export function route53Name(fqdn: string): string {
  return `${normalizeName(fqdn)}.`;
}

/** A hosted zone id without its `/hostedzone/` prefix (the form in configs, ARNs and our presentations). */
export function bareZoneId(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}

/** A change id without its `/change/` prefix. */
export function bareChangeId(id: string): string {
  return id.replace(/^\/?change\//, '');
}

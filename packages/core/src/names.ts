import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { ValidationError } from './errors.js';
import type { AcmeIdentifier, ChallengeType } from './ports/acme-client.js';

/** The rules a certificate name can break, as stable codes (`ValidationError.rule`). */
export const NameRule = {
  /** No names at all. */
  Required: 'required',
  /** More than `MAX_NAMES` names in one order (Let's Encrypt `classic`: 100). */
  TooManyNames: 'too-many-names',
  /** The name is empty or has an empty label (`a..b`, `.a`). */
  EmptyLabel: 'empty-label',
  /** More than 253 characters (RFC 1035 §2.3.4, without the trailing dot), after punycode conversion. */
  NameTooLong: 'name-too-long',
  /** A label longer than 63 characters, after punycode conversion. */
  LabelTooLong: 'label-too-long',
  /** A character outside letters, digits and hyphen, or a label starting/ending with a hyphen. */
  InvalidCharacter: 'invalid-character',
  /** A `*` that is not the whole leftmost label (`a.*.b`, `*a.b`, `**.b`). */
  WildcardPosition: 'wildcard-position',
  /** A bare `*` or a wildcard directly under nothing (`*`). */
  WildcardTooBroad: 'wildcard-too-broad',
  /** A wildcard with http-01: only dns-01 can prove control of a whole subtree (RFC 8555 §7.1.3). */
  WildcardNeedsDns01: 'wildcard-needs-dns-01',
  /** The same name twice after normalization. */
  Duplicate: 'duplicate',
  /** An IP literal with dns-01 (IP identifiers can only be proven by http-01 / tls-alpn-01, RFC 8738). */
  IpNeedsHttp01: 'ip-needs-http-01',
  /** IDN conversion (UTS #46) refused the name. */
  InvalidIdn: 'invalid-idn',
} as const;
export type NameRule = (typeof NameRule)[keyof typeof NameRule];

/** Let's Encrypt's `classic` profile limit; the CA enforces smaller limits for other profiles itself. */
export const MAX_NAMES = 100;
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export interface NormalizeOptions {
  readonly challenge: ChallengeType;
}

/**
 * Validates and normalizes the names of one certificate BEFORE any network call: lower case, trailing dot removed,
 * IDN converted to punycode (`domainToASCII`, UTS #46), IP literals as `ip` identifiers (http-01 only). Every error
 * is a `ValidationError` whose field is the name as given and whose rule is a `NameRule`.
 * Order is kept (the first name becomes the CSR's common name).
 */
export function normalizeIdentifiers(names: readonly string[], options: NormalizeOptions): AcmeIdentifier[] {
  if (names.length === 0) {
    throw new ValidationError('names', NameRule.Required, 'at least one name is required');
  }
  if (names.length > MAX_NAMES) {
    throw new ValidationError('names', NameRule.TooManyNames, `${names.length} names given, at most ${MAX_NAMES}`);
  }
  const seen = new Map<string, string>();
  const identifiers: AcmeIdentifier[] = [];
  for (const name of names) {
    const identifier = normalizeName(name, options);
    const key = `${identifier.type}:${identifier.value}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const same = earlier === name ? '' : ` (same as "${earlier}" after normalization)`;
      throw new ValidationError(name, NameRule.Duplicate, `"${name}" is listed twice${same}`);
    }
    seen.set(key, name);
    identifiers.push(identifier);
  }
  return identifiers;
}

/** Normalizes one name; see `normalizeIdentifiers`. */
export function normalizeName(name: string, options: NormalizeOptions): AcmeIdentifier {
  const fail = (rule: NameRule, message: string): never => {
    throw new ValidationError(name, rule, `"${name}": ${message}`);
  };
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const ipText = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  if (isIP(ipText) !== 0) {
    if (options.challenge === 'dns-01') {
      fail(NameRule.IpNeedsHttp01, 'an IP address can only be validated with http-01, not dns-01');
    }
    return { type: 'ip', value: canonicalIp(ipText) };
  }
  if (trimmed.length === 0) fail(NameRule.EmptyLabel, 'the name is empty');
  const rawLabels = trimmed.split('.');
  if (rawLabels.some((l) => l.length === 0)) fail(NameRule.EmptyLabel, 'has an empty label');

  const wildcard = rawLabels[0] === '*';
  rawLabels.forEach((label, index) => {
    if (label.includes('*') && !(index === 0 && label === '*')) {
      fail(NameRule.WildcardPosition, 'a wildcard must be the whole leftmost label ("*.example.com")');
    }
  });
  const base = wildcard ? rawLabels.slice(1) : rawLabels;
  if (base.length === 0) fail(NameRule.WildcardTooBroad, 'a wildcard needs a domain under it');
  if (wildcard && options.challenge !== 'dns-01') {
    fail(NameRule.WildcardNeedsDns01, `a wildcard can only be validated with dns-01, not ${options.challenge}`);
  }

  // Check ASCII characters ourselves first: domainToASCII silently maps or drops some (e.g. "_", "%").
  const asciiInput = base.join('.');
  if (isAscii(asciiInput) && !/^[A-Za-z0-9.-]*$/.test(asciiInput)) {
    fail(NameRule.InvalidCharacter, 'only letters, digits and "-" are allowed in a label');
  }
  const ascii = domainToASCII(asciiInput);
  if (ascii === '') fail(NameRule.InvalidIdn, 'is not a valid internationalized domain name');
  const labels = ascii.split('.');
  if (labels.some((l) => l.length === 0)) fail(NameRule.EmptyLabel, 'has an empty label');
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      fail(NameRule.LabelTooLong, `label "${label}" has ${label.length} characters, at most ${MAX_LABEL_LENGTH}`);
    }
    if (!LDH_LABEL.test(label)) {
      fail(NameRule.InvalidCharacter, `label "${label}" may hold letters, digits and inner "-" only`);
    }
  }
  const value = `${wildcard ? '*.' : ''}${ascii}`;
  if (value.length > MAX_NAME_LENGTH) {
    fail(NameRule.NameTooLong, `has ${value.length} characters, at most ${MAX_NAME_LENGTH}`);
  }
  return { type: 'dns', value };
}

/** RFC 8738 §3: IPv4 dotted quad, IPv6 in RFC 5952 form (lower case, compressed), as URL parsing produces. */
function canonicalIp(text: string): string {
  if (isIP(text) === 4) return text;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

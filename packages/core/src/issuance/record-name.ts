import { isIP } from 'node:net';
import { ValidationError } from '../errors.js';

/** The label ACME puts in front of a name for dns-01 (RFC 8555 §8.4). */
export const ACME_CHALLENGE_LABEL = '_acme-challenge';

/**
 * The TXT record name the CA looks up for `identifier`: `_acme-challenge.<name>`, where a wildcard identifier
 * (`*.a.b`) is validated at its base name (RFC 8555 §8.4), so `*.a.b` and `a.b` share `_acme-challenge.a.b` (one
 * RRset holding both values). Expects a normalized identifier (punycode); lower-cases and drops a trailing dot.
 */
export function challengeRecordName(identifier: string): string {
  const name = identifier.trim().toLowerCase().replace(/\.$/, '');
  const base = name.startsWith('*.') ? name.slice(2) : name;
  if (isIP(base) !== 0) {
    throw new ValidationError(
      'identifier',
      'ip-needs-http-01',
      `${identifier} is an IP address: dns-01 cannot validate IP identifiers`,
    );
  }
  const record = `${ACME_CHALLENGE_LABEL}.${base}`;
  const labels = record.split('.');
  if (base === '' || base.includes('*') || record.length > 253 || labels.some((l) => l === '' || l.length > 63)) {
    throw new ValidationError(
      'identifier',
      'dns-name',
      `"${identifier}" is not a DNS name a challenge record can be written for`,
    );
  }
  return record;
}

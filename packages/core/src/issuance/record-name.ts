/**
 * The DNS-01 record name for an identifier (RFC 8555 §8.4): `_acme-challenge.` before the name, with a wildcard's
 * `*.` removed first — so `example.test` and `*.example.test` share one name and one RRset.
 */
export function challengeRecordName(identifier: string): string {
  const name = identifier.toLowerCase().replace(/\.$/, '');
  return `_acme-challenge.${name.startsWith('*.') ? name.slice(2) : name}`;
}

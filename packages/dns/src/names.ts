/** Domain-name helpers shared by the wire code, the providers and the resolver. Names are compared lower case. */

/** Lower case, no trailing dot (the form `TxtRecord.fqdn` and zones use everywhere). */
export function normalizeName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

/** True when `name` is `zone` itself or below it (label-wise: `xexample.test` is not within `example.test`). */
export function isWithin(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return z === '' || n === z || n.endsWith(`.${z}`);
}

/** The parent name (`a.b.c` → `b.c`), or undefined for a single label (we never go to the root). */
export function parentName(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot === -1 ? undefined : name.slice(dot + 1);
}

/** The longest zone of `zones` that encloses `name`, or undefined. */
export function longestEnclosingZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const zone of zones) {
    const z = normalizeName(zone);
    if (isWithin(name, z) && (best === undefined || z.length > best.length)) best = z;
  }
  return best;
}

/**
 * Checks the wire limits of a DNS name (RFC 1035 §2.3.4): no empty label, labels ≤ 63 octets, name ≤ 253 characters.
 * Returns the reason a name breaks them, or undefined. Underscores and `*` are allowed (they occur in record names).
 */
export function dnsNameProblem(name: string): string | undefined {
  const n = normalizeName(name);
  if (n === '') return 'is empty';
  if (n.length > 253) return `is ${n.length} characters long (at most 253)`;
  for (const label of n.split('.')) {
    if (label === '') return 'has an empty label';
    if (Buffer.byteLength(label) > 63) return `has the label "${label.slice(0, 20)}…" longer than 63 octets`;
    if (/[\s\\"]/.test(label)) return `has the label "${label}" with whitespace, a backslash or a quote`;
  }
  return undefined;
}

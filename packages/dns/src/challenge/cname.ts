/**
 * CNAME delegation of `_acme-challenge` (RFC 8555 §8.4 lets the CA follow CNAMEs; lego, certbot and cert-manager
 * use it to keep update keys away from the main zone): the TXT record is written at the end of the chain.
 *
 * Wildcard capture. A wildcard CNAME (`*.example.com CNAME lb.example.net`) also answers for
 * `_acme-challenge.www.example.com` unless that name exists. Writing our TXT "at the end of the chain" would then
 * put it at `lb.example.net`, a name we do not own and that every host under the wildcard resolves to. Without
 * DNSSEC an answer does not say whether it was synthesized, so we probe: ask the CNAME of a random label BELOW the
 * challenge name (`<random>._acme-challenge.www.example.com`). RFC 4592 wildcard matching:
 *   - `_acme-challenge.www.example.com` exists with its own CNAME → the probe's closest encloser is that name, no
 *     `*._acme-challenge...` exists → the probe gets NXDOMAIN. Explicit delegation: fine.
 *   - it does not exist and `*.example.com` (or `*.www.example.com`) synthesized the CNAME → the same wildcard
 *     also covers the probe (wildcards match any number of labels) → the probe gets the same CNAME target. Refuse.
 * A random sibling (`<random>.www.example.com`) would tell us a wildcard exists, but not whether it is what answered
 * for `_acme-challenge`: an explicit `_acme-challenge` CNAME next to a wildcard would be refused wrongly.
 * Only the first hop is probed: that is the name the CA starts from; later hops are the operator's own targets.
 */
import type { Resolver, TxtRecord } from '@portcullis/core';
import { DnsErrorCode, DnsResolveError } from '../errors.js';
import { normalizeName } from '../names.js';

export interface CnameDeps {
  /** The CNAME target of `name` (normalized), or undefined when it has none. */
  readonly cnameOf: (name: string) => Promise<string | undefined>;
  /** A fresh random DNS label for the wildcard probe. */
  readonly randomLabel: () => string;
  readonly maxHops: number;
}

/** Follows the CNAME chain from `fqdn` to the name that holds no CNAME (possibly `fqdn` itself). */
export async function followCnameChain(fqdn: string, deps: CnameDeps): Promise<string> {
  const start = normalizeName(fqdn);
  const chain = [start];
  let current = start;
  for (let hop = 0; hop <= deps.maxHops; hop++) {
    const target = await deps.cnameOf(current);
    if (target === undefined) return current;
    if (hop === 0) await refuseWildcardCapture(start, target, deps);
    if (chain.includes(target)) {
      throw new DnsResolveError(
        DnsErrorCode.CnameChainBroken,
        start,
        `dns: CNAME loop from ${start}: ${[...chain, target].join(' → ')}`,
      );
    }
    chain.push(target);
    current = target;
  }
  throw new DnsResolveError(
    DnsErrorCode.CnameChainBroken,
    start,
    `dns: CNAME chain from ${start} is longer than ${deps.maxHops} hops: ${chain.join(' → ')}`,
  );
}

async function refuseWildcardCapture(name: string, target: string, deps: CnameDeps): Promise<void> {
  const probe = `${deps.randomLabel()}.${name}`;
  const probeTarget = await deps.cnameOf(probe);
  if (probeTarget !== undefined && probeTarget === target) {
    throw new DnsResolveError(
      DnsErrorCode.WildcardCnameCapture,
      name,
      `dns: ${name} has no record of its own: a wildcard CNAME captures it (a random name below it, ${probe}, also ` +
        `points to ${target}). Create an explicit ${name} record (a TXT, or a CNAME to a zone you update) so the ` +
        "challenge is not written at the wildcard's target",
    );
  }
}

/**
 * Maps challenge records to where they must be written: each fqdn through `followCnames` (once per distinct name).
 * Call before `DnsProvider.present`, so the Presentation records the names really written.
 */
export async function delegateChallengeRecords(
  records: readonly TxtRecord[],
  resolver: Pick<Resolver, 'followCnames'>,
): Promise<TxtRecord[]> {
  const targets = new Map<string, Promise<string>>();
  for (const record of records) {
    const fqdn = normalizeName(record.fqdn);
    if (!targets.has(fqdn)) targets.set(fqdn, resolver.followCnames(fqdn));
  }
  const resolved = new Map<string, string>();
  for (const [fqdn, target] of targets) resolved.set(fqdn, await target);
  return records.map((record) => ({ fqdn: resolved.get(normalizeName(record.fqdn)) as string, value: record.value }));
}

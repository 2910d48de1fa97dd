import type { TxtRecord } from './dns-provider.js';

/** A DNS server to ask directly. `host` is an address (or a name the OS resolves); `name` is its NS host name. */
export interface NameServer {
  readonly host: string;
  readonly port: number;
  /** The NS host name the address came from (`ns1.example.test`), for messages; absent for configured servers. */
  readonly name?: string;
}

/** The zone that holds a name, and the servers authoritative for it. */
export interface ZoneInfo {
  /** Zone apex, lower case, no trailing dot. */
  readonly zone: string;
  /** One address per NS host name of the zone, sorted by name; never empty. */
  readonly nameservers: readonly NameServer[];
}

/** One TXT value not (yet) served by one authoritative server. */
export interface PendingRecord {
  readonly fqdn: string;
  readonly value: string;
  /** The server asked, as `host:port` (with ` (ns-name)` when known). */
  readonly server: string;
  /** Why it counts as pending when the server did not simply lack the value (time-out, SERVFAIL, ...). */
  readonly reason?: string;
}

export interface PropagationResult {
  /** True when every value is served by every authoritative server of its zone. */
  readonly ready: boolean;
  /** Sorted by fqdn, value, server. Empty when ready. */
  readonly pending: readonly PendingRecord[];
}

/** Why a CAA check came out as it did. */
export const CaaVerdictCode = {
  /** No CAA record on the name or any parent: every CA may issue. */
  NoRecords: 'NoRecords',
  /** The relevant CAA RRset has no `issue` (or, for a wildcard, no `issuewild`/`issue`) property: no restriction. */
  NoIssueProperty: 'NoIssueProperty',
  /** A property in the relevant RRset names one of our CA identities. */
  Authorized: 'Authorized',
  /** The relevant RRset restricts issuance and names none of our CA identities (or forbids issuance with ";"). */
  NotAuthorized: 'NotAuthorized',
  /** A property with the critical flag has a tag we do not know: RFC 8659 §4.1 forbids issuance. */
  UnknownCriticalTag: 'UnknownCriticalTag',
} as const;
export type CaaVerdictCode = (typeof CaaVerdictCode)[keyof typeof CaaVerdictCode];

export interface CaaVerdict {
  readonly allowed: boolean;
  readonly code: CaaVerdictCode;
  /** A sentence for people (status, CLI doctor, API). */
  readonly reason: string;
  /** The name whose CAA RRset decided (the relevant RRset of RFC 8659 §3), when there was one. */
  readonly domain?: string;
  /** The deciding record in presentation form (`0 issue "letsencrypt.org"`), when one decided. */
  readonly record?: string;
}

/**
 * Read-only DNS questions the certificate lifecycle asks before and while it validates (lego's `dns01` helpers and
 * cert-manager's pre-checks, as a port). Implementations ask servers directly and do not cache answers between
 * calls, so a caller that retries sees fresh data. Every method may throw a retryable error when no server answers;
 * non-retryable errors mean the DNS setup itself is wrong (a CNAME loop, a wildcard capture, no zone at all).
 *
 * - `findZone(fqdn)`: the closest enclosing zone (by SOA) and one address per authoritative name server.
 * - `followCnames(fqdn)`: where a TXT record for `fqdn` must really be written: `fqdn` itself when it has no CNAME,
 *   else the end of its CNAME chain (CNAME delegation of `_acme-challenge`). Throws when the chain loops or is too
 *   long, and when the first CNAME is synthesized from a wildcard (writing at its target would change what every
 *   other name under the wildcard resolves to, and the CA may not even look there).
 * - `checkPropagation(records)`: asks every authoritative server of each record's zone directly (not a recursive
 *   resolver: negative caching would hide fresh records) whether it serves each value. Never throws for a server
 *   that does not answer: that server's values are pending, with the reason.
 * - `checkCaa(identifier, caIdentities, { wildcard })`: RFC 8659 evaluation (tree climbing, `issue`/`issuewild`,
 *   critical flag) of whether a CA known by any of `caIdentities` (e.g. `letsencrypt.org`) may issue for the name.
 *   An identifier starting with `*.` is a wildcard request.
 */
export interface Resolver {
  findZone(fqdn: string): Promise<ZoneInfo>;
  followCnames(fqdn: string): Promise<string>;
  checkPropagation(records: readonly TxtRecord[]): Promise<PropagationResult>;
  checkCaa(
    identifier: string,
    caIdentities: readonly string[],
    options?: { readonly wildcard?: boolean },
  ): Promise<CaaVerdict>;
}

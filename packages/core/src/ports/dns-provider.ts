/** One TXT value at one name, as the ACME server must find it. `fqdn` has no trailing dot, lower case. */
export interface TxtRecord {
  readonly fqdn: string;
  readonly value: string;
}

/** What a provider wrote into one zone during `present`, recorded so that cleanup removes exactly that. */
export interface ZonePresentation {
  /** Zone apex, no trailing dot (e.g. `example.test`). */
  readonly zone: string;
  /** Provider-specific zone handle (Route53 hosted zone id); absent for RFC 2136. */
  readonly zoneId?: string;
  /** Records written, after CNAME delegation was followed (so `fqdn` may be in another zone than the name). */
  readonly records: readonly TxtRecord[];
  /** Provider change handle (Route53 change id) for `isCommitted`. */
  readonly changeId?: string;
}

/** JSON-serialisable record of a `present` call: persisted before anything else happens, consumed by cleanup. */
export interface Presentation {
  readonly provider: string;
  readonly zones: readonly ZonePresentation[];
}

/**
 * The contract every DNS provider implements (lego's `challenge.Provider`, with the record of what was written
 * returned to the caller instead of kept in memory, so cleanup works after a crash or in another process).
 *
 * - `present` writes all given TXT values. Records in the same zone go in one change (one Route53 change batch,
 *   one RFC 2136 UPDATE message). Values already at the name that are not ours are kept; presenting a value
 *   that is already there is success (idempotent).
 * - `cleanup` removes exactly the values in the presentation and nothing else; removing what is absent is success.
 * - `isCommitted` (optional) tells whether the provider's own change has reached all of its servers (Route53
 *   `GetChange` INSYNC). Independent of it, callers check every authoritative nameserver themselves.
 *
 * Errors are `DnsError`s that name the zone, the record and the server's answer.
 */
export interface DnsProvider {
  readonly name: string;
  present(records: readonly TxtRecord[]): Promise<Presentation>;
  cleanup(presentation: Presentation): Promise<void>;
  isCommitted?(presentation: Presentation): Promise<boolean>;
}

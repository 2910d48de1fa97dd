/**
 * Propagation check: is every TXT value served by every authoritative server of its zone? Asked directly, never
 * through a recursive resolver (a resolver that saw NXDOMAIN before we wrote caches it for the SOA minimum, RFC 2308).
 * CAs validate from several vantage points against any of the zone's servers, so one lagging secondary fails the
 * order (facts.md: multi-perspective validation).
 */
import type { NameServer, PendingRecord, PropagationResult, TxtRecord, ZoneInfo } from '@portcullis/core';
import { DnsError, describeNameserver } from '../errors.js';
import { normalizeName } from '../names.js';

export interface PropagationDeps {
  readonly findZone: (fqdn: string) => Promise<ZoneInfo>;
  /** TXT values `server` serves at `fqdn` (CNAMEs inside the answer followed). Throws `DnsError` when it cannot tell. */
  readonly txtAt: (server: NameServer, fqdn: string) => Promise<readonly string[]>;
}

export async function checkTxtPropagation(
  records: readonly TxtRecord[],
  deps: PropagationDeps,
): Promise<PropagationResult> {
  const valuesByName = new Map<string, Set<string>>();
  for (const record of records) {
    const fqdn = normalizeName(record.fqdn);
    const values = valuesByName.get(fqdn) ?? new Set<string>();
    values.add(record.value);
    valuesByName.set(fqdn, values);
  }
  const perName = await Promise.all(
    [...valuesByName].map(async ([fqdn, values]) => {
      const zone = await deps.findZone(fqdn);
      const perServer = await Promise.all(
        zone.nameservers.map(async (server): Promise<PendingRecord[]> => {
          const where = describeNameserver(server);
          let served: ReadonlySet<string>;
          try {
            served = new Set(await deps.txtAt(server, fqdn));
          } catch (error) {
            if (!(error instanceof DnsError)) throw error;
            return [...values].map((value) => ({ fqdn, value, server: where, reason: error.message }));
          }
          return [...values].filter((value) => !served.has(value)).map((value) => ({ fqdn, value, server: where }));
        }),
      );
      return perServer.flat();
    }),
  );
  const pending = perName
    .flat()
    .sort((a, b) => a.fqdn.localeCompare(b.fqdn) || a.value.localeCompare(b.value) || a.server.localeCompare(b.server));
  return { ready: pending.length === 0, pending };
}

/**
 * RFC 2136 provider: writes ACME TXT records with TSIG-signed dynamic updates to one primary server (bind9,
 * Knot, PowerDNS, Windows DNS with TSIG). One UPDATE per zone for `present` and one per zone for `cleanup`.
 *
 * - Adds only our values (class IN adds): other values at the same name stay. RRsets are sets, so presenting a
 *   value that is already there is a no-op, which makes `present` idempotent.
 * - Cleanup deletes exactly the recorded values (class NONE deletes, RFC 2136 §2.5.4); deleting an absent value is
 *   a no-op, so cleanup is idempotent too.
 * - Records are written at exactly the given names: CNAME delegation is resolved by the caller first
 *   (`Resolver.followCnames` / `delegateChallengeRecords`), so the Presentation records what was really written.
 * - A zone is the longest configured zone enclosing the name, or, without `zones`, found by SOA at the server.
 * - No `isCommitted`: the primary has applied an update when it answers NOERROR; whether its secondaries have it
 *   is what the caller's propagation check asks.
 */
import type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from '@portcullis/core';
import { ValidationError } from '@portcullis/core';
import { dnsNameProblem, longestEnclosingZone, normalizeName } from '../../names.js';
import { DnsResolver } from '../../resolver/dns-resolver.js';
import { sendUpdate, type UpdateOperation, type UpdateOptions } from '../../wire/update.js';
import { parseRfc2136Config, type ResolvedRfc2136Config, type Rfc2136Config } from './config.js';

export const RFC2136_PROVIDER_NAME = 'rfc2136';

export interface Rfc2136ProviderDeps {
  /** Finds a name's zone apex when `zones` is not configured (default: SOA walk at the update server). */
  readonly findZoneName?: (fqdn: string) => Promise<string>;
  /** Replaces `sendUpdate` (unit tests only). */
  readonly sendUpdate?: typeof sendUpdate;
  /** Clock for TSIG (tests). */
  readonly now?: () => Date;
}

export class Rfc2136Provider implements DnsProvider {
  readonly name = RFC2136_PROVIDER_NAME;
  readonly #config: ResolvedRfc2136Config;
  readonly #findZoneName: (fqdn: string) => Promise<string>;
  readonly #send: typeof sendUpdate;
  readonly #updateOptions: UpdateOptions;

  constructor(config: Rfc2136Config, deps: Rfc2136ProviderDeps = {}) {
    this.#config = parseRfc2136Config(config);
    const server = this.#config.server;
    const discovery = new DnsResolver({
      servers: [server],
      nameserverPort: server.port,
      timeoutMs: this.#config.timeoutMs,
    });
    this.#findZoneName = deps.findZoneName ?? ((fqdn) => discovery.findZoneName(fqdn));
    this.#send = deps.sendUpdate ?? sendUpdate;
    this.#updateOptions = { timeoutMs: this.#config.timeoutMs, ...(deps.now === undefined ? {} : { now: deps.now }) };
  }

  async present(records: readonly TxtRecord[]): Promise<Presentation> {
    const presentation = await this.#plan(records);
    const done: ZonePresentation[] = [];
    for (const zone of presentation.zones) {
      try {
        await this.#update(zone, 'add');
        done.push(zone);
      } catch (error) {
        // Leave nothing behind: the caller gets no Presentation to clean up from. The failed zone is included
        // because a time-out does not tell whether the server applied the update. Best effort: the original error wins.
        await Promise.allSettled([...done, zone].map((written) => this.#update(written, 'delete')));
        throw error;
      }
    }
    return presentation;
  }

  async cleanup(presentation: Presentation): Promise<void> {
    if (presentation.provider !== this.name) {
      throw new ValidationError(
        'presentation.provider',
        'same-provider',
        `presentation of provider ${presentation.provider} given to ${this.name}`,
      );
    }
    // Every zone is attempted even when one fails, so one unreachable zone does not leave the others' records behind.
    const results = await Promise.allSettled(presentation.zones.map((zone) => this.#update(zone, 'delete')));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  /** Validates the records, finds each one's zone and groups them, before anything is written. */
  async #plan(records: readonly TxtRecord[]): Promise<Presentation> {
    const byZone = new Map<string, Map<string, TxtRecord>>();
    const zoneOf = new Map<string, string>();
    for (const [index, record] of records.entries()) {
      const problem = dnsNameProblem(record.fqdn);
      if (problem !== undefined)
        throw new ValidationError(`records[${index}].fqdn`, 'dns-name', `"${record.fqdn}" ${problem}`);
      if (typeof record.value !== 'string' || record.value === '') {
        throw new ValidationError(`records[${index}].value`, 'required', `the TXT value for ${record.fqdn} is empty`);
      }
      const fqdn = normalizeName(record.fqdn);
      let zone = zoneOf.get(fqdn);
      if (zone === undefined) {
        zone =
          this.#config.zones === undefined
            ? await this.#findZoneName(fqdn)
            : longestEnclosingZone(fqdn, this.#config.zones);
        if (zone === undefined) {
          throw new ValidationError(
            `records[${index}].fqdn`,
            'in-configured-zone',
            `rfc2136: ${fqdn} is in none of the configured zones (${this.#config.zones?.join(', ')})`,
          );
        }
        zoneOf.set(fqdn, zone);
      }
      const zoneRecords = byZone.get(zone) ?? new Map<string, TxtRecord>();
      zoneRecords.set(`${fqdn}\n${record.value}`, { fqdn, value: record.value });
      byZone.set(zone, zoneRecords);
    }
    const zones = [...byZone]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([zone, recordMap]) => ({
        zone,
        records: [...recordMap.values()].sort((a, b) => a.fqdn.localeCompare(b.fqdn) || a.value.localeCompare(b.value)),
      }));
    return { provider: this.name, zones };
  }

  async #update(zone: ZonePresentation, op: 'add' | 'delete'): Promise<void> {
    if (zone.records.length === 0) return;
    const operations: UpdateOperation[] = zone.records.map((record) =>
      op === 'add'
        ? { op, name: record.fqdn, type: 'TXT', ttl: this.#config.ttl, data: record.value }
        : { op, name: record.fqdn, type: 'TXT', data: record.value },
    );
    await this.#send(this.#config.server, zone.zone, this.#config.tsig, operations, this.#updateOptions);
  }
}

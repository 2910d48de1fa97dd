import { isWithin } from '../../names.js';
import { accountOf, type ResolvedRoute53Config, type Route53ZoneConfig } from './config.js';
import { Route53Error, Route53ErrorCode } from './errors.js';
import { type HostedZoneSummary, Route53Api } from './route53-api.js';

/** The hosted zone a record goes to, with the API (client + account throttle) to reach it. */
export interface ResolvedZone {
  /** Bare hosted zone id. */
  readonly id: string;
  /** Zone apex, lower case, no trailing dot. */
  readonly name: string;
  readonly entry: Route53ZoneConfig | undefined;
  readonly api: Route53Api;
}

/**
 * Finds hosted zones. An explicit `hostedZoneId` is used as is; otherwise the longest PUBLIC zone enclosing the name
 * is picked from the account's zone list (paginated `ListHostedZones`), cached per account for `zoneCacheTtlMs` —
 * one call per 100 zones per cache period, instead of one per candidate name per order. Private zones are skipped:
 * the CA resolves through public DNS, so a private zone of the same name would hide the record.
 */
export class ZoneDirectory {
  readonly #config: ResolvedRoute53Config;
  readonly #apis = new Map<Route53ZoneConfig | undefined, Route53Api>();
  readonly #lists = new Map<string, { readonly expiresAt: number; readonly zones: Promise<HostedZoneSummary[]> }>();

  constructor(config: ResolvedRoute53Config) {
    this.#config = config;
  }

  /** The configured entry for a name: the longest configured zone that encloses it. */
  entryFor(fqdn: string): Route53ZoneConfig | undefined {
    let best: Route53ZoneConfig | undefined;
    for (const zone of this.#config.zones) {
      if (isWithin(fqdn, zone.name) && (best === undefined || zone.name.length > best.name.length)) best = zone;
    }
    return best;
  }

  /** One API (client + throttle of the entry's account) per entry, built on first use. */
  apiFor(entry: Route53ZoneConfig | undefined): Route53Api {
    let api = this.#apis.get(entry);
    if (api === undefined) {
      const { clientFor, throttleFor, retry, clock, random } = this.#config;
      api = new Route53Api(clientFor(entry), throttleFor(accountOf(entry)), retry, clock, random);
      this.#apis.set(entry, api);
    }
    return api;
  }

  async resolve(fqdn: string): Promise<ResolvedZone> {
    const entry = this.entryFor(fqdn);
    const api = this.apiFor(entry);
    if (entry?.hostedZoneId !== undefined) return { id: entry.hostedZoneId, name: entry.name, entry, api };

    const zones = (await this.#list(entry, api)).filter(
      (zone) =>
        !zone.privateZone && isWithin(fqdn, zone.name) && (entry === undefined || isWithin(zone.name, entry.name)),
    );
    const longest = Math.max(-1, ...zones.map((zone) => zone.name.length));
    const best = zones.filter((zone) => zone.name.length === longest);
    const within = entry === undefined ? '' : ` within the configured zone ${entry.name}`;
    if (best.length === 0) {
      throw new Route53Error(
        Route53ErrorCode.ZoneNotFound,
        { record: fqdn, operation: 'ListHostedZones' },
        `no public hosted zone encloses the name${within}`,
      );
    }
    if (best.length > 1) {
      throw new Route53Error(
        Route53ErrorCode.ZoneAmbiguous,
        { zone: best[0]?.name, record: fqdn, operation: 'ListHostedZones' },
        `${best.length} public hosted zones have this name (${best.map((zone) => zone.id).join(', ')}); configure hostedZoneId`,
      );
    }
    const [zone] = best as [HostedZoneSummary];
    return { id: zone.id, name: zone.name, entry, api };
  }

  /** The zone of a recorded presentation: its id is known, only the client (entry) has to be found again. */
  known(zone: string, zoneId: string): ResolvedZone {
    const entry = this.entryFor(zone);
    return { id: zoneId, name: zone, entry, api: this.apiFor(entry) };
  }

  /** Forgets the zone list of an entry's account (after NoSuchHostedZone: the zone was replaced). */
  invalidate(entry: Route53ZoneConfig | undefined): void {
    this.#lists.delete(accountOf(entry));
  }

  #list(entry: Route53ZoneConfig | undefined, api: Route53Api): Promise<HostedZoneSummary[]> {
    const account = accountOf(entry);
    const now = this.#config.clock.now().getTime();
    const cached = this.#lists.get(account);
    if (cached !== undefined && cached.expiresAt > now) return cached.zones;
    const zones = api.listHostedZones();
    this.#lists.set(account, { expiresAt: now + this.#config.zoneCacheTtlMs, zones });
    // A failed listing is not cached: the next order asks again.
    zones.catch(() => {
      if (this.#lists.get(account)?.zones === zones) this.#lists.delete(account);
    });
    return zones;
  }
}

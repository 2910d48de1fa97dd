/**
 * Local mode only: moto holds the Route53 hosted zones but answers no DNS queries, so pebble could not validate
 * what the Route53 provider wrote. This publishes the TXT and CNAME records of a moto hosted zone into bind9 (RFC
 * 2136 + TSIG via `sendUpdate`), so that bind holds exactly those: missing ones are added, ones this sync published
 * before and that are gone from moto are deleted. Everything else in bind (the harness's SOA, NS and A records,
 * records other tests wrote) is never touched.
 *
 * Kept running by `syncingRoute53Provider`, which syncs right after each present/cleanup batch instead of polling:
 * when `present` resolves, bind already serves exactly what Route53 holds, so pebble validates the provider's own
 * writes with no race, no timer and no background load.
 */

import { ListResourceRecordSetsCommand, type ResourceRecordSet, type Route53Client } from '@aws-sdk/client-route-53';
import { type DnsProvider, PortcullisError, type Presentation } from '@portcullis/core';
import { decodeRoute53Name, parseTxtStrings, sendUpdate, type Tsig, type UpdateOperation } from '@portcullis/dns';

/** Stable code of sync failures (kept here: the sync is the only user). */
export const Route53SyncErrorCode = {
  /** moto could not be read, or a hosted zone maps to no zone of the local bind9. */
  SyncFailed: 'LocalRoute53SyncFailed',
} as const;

/** The moto → bind sync could not run; bind errors themselves surface as `DnsUpdateError` from `sendUpdate`. */
export class Route53SyncError extends PortcullisError {
  constructor(message: string, cause?: unknown) {
    super(Route53SyncErrorCode.SyncFailed, message, { retryable: true, cause });
  }
}

/** The record types worth publishing: challenge TXT values and `_acme-challenge` CNAME delegations. */
const SYNCED_TYPES = ['TXT', 'CNAME'] as const;
type SyncedType = (typeof SYNCED_TYPES)[number];

/** One value this sync put into bind (its memory of what it may delete later). */
export interface PublishedRecord {
  readonly name: string;
  readonly type: SyncedType;
  readonly ttl: number;
  /** TXT: the character-strings; CNAME: the target name. */
  readonly data: readonly string[] | string;
}

export interface BindTarget {
  readonly server: { readonly host: string; readonly port: number };
  /** The bind zone the records go in (the moto zone itself or a bind zone enclosing it). */
  readonly zone: string;
  readonly tsig: Tsig;
}

export interface Route53BindSyncOptions {
  readonly route53: Route53Client;
  readonly zoneId: string;
  readonly bind: BindTarget;
  /** What the previous sync of this zone published (from its result); absent on the first sync. */
  readonly published?: readonly PublishedRecord[];
  /** How the update is sent; tests replace it. Default `sendUpdate` of `@portcullis/dns`. */
  readonly send?: typeof sendUpdate;
}

export interface Route53BindSyncResult {
  /** Hand this to the next sync of the zone. */
  readonly published: readonly PublishedRecord[];
  readonly added: number;
  readonly deleted: number;
}

const keyOf = (record: PublishedRecord): string => JSON.stringify([record.name, record.type, record.data]);

function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

async function readRecordSets(route53: Route53Client, zoneId: string): Promise<ResourceRecordSet[]> {
  const sets: ResourceRecordSet[] = [];
  let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type'] } = {};
  for (;;) {
    const page = await route53
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start }))
      .catch((error: unknown) => {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        throw new Route53SyncError(`moto: zone ${zoneId}: ListResourceRecordSets failed: ${detail}`, error);
      });
    sets.push(...(page.ResourceRecordSets ?? []));
    if (page.IsTruncated !== true || page.NextRecordName === undefined) return sets;
    start = {
      StartRecordName: page.NextRecordName,
      ...(page.NextRecordType ? { StartRecordType: page.NextRecordType } : {}),
    };
  }
}

/** The TXT and CNAME values of a hosted zone that belong in the bind zone. */
function desiredRecords(sets: readonly ResourceRecordSet[], bindZone: string): PublishedRecord[] {
  const records: PublishedRecord[] = [];
  for (const set of sets) {
    const type = set.Type as SyncedType;
    if (!SYNCED_TYPES.includes(type) || set.Name === undefined) continue;
    const name = decodeRoute53Name(set.Name);
    // bind's update-policy (like RFC 1034) allows no CNAME at the apex; names outside the zone are not ours.
    if (!isWithin(name, bindZone) || (type === 'CNAME' && name === bindZone)) continue;
    const ttl = set.TTL ?? 60;
    for (const { Value } of set.ResourceRecords ?? []) {
      if (Value === undefined) continue;
      const data =
        type === 'TXT' ? parseTxtStrings(Value).map((part) => part.toString('utf8')) : decodeRoute53Name(Value);
      records.push({ name, type, ttl, data });
    }
  }
  return records;
}

/** Makes the bind zone hold exactly the TXT/CNAME records of the moto hosted zone (see the module comment). */
export async function syncRoute53ToBind(options: Route53BindSyncOptions): Promise<Route53BindSyncResult> {
  const bindZone = decodeRoute53Name(options.bind.zone);
  const desired = desiredRecords(await readRecordSets(options.route53, options.zoneId), bindZone);
  const desiredKeys = new Set(desired.map(keyOf));
  const previous = options.published ?? [];
  const previousKeys = new Set(previous.map(keyOf));

  const stale = previous.filter((record) => !desiredKeys.has(keyOf(record)));
  const missing = desired.filter((record) => !previousKeys.has(keyOf(record)));
  // Deletes first: RFC 2136 applies operations in order, so a name can switch from TXT to CNAME in one message.
  const operations: UpdateOperation[] = [
    ...stale.map((r): UpdateOperation => ({ op: 'delete', name: r.name, type: r.type, data: r.data })),
    ...missing.map((r): UpdateOperation => ({ op: 'add', name: r.name, type: r.type, ttl: r.ttl, data: r.data })),
  ];
  if (operations.length > 0) {
    await (options.send ?? sendUpdate)(options.bind.server, bindZone, options.bind.tsig, operations);
  }
  const seen = new Set<string>();
  const published = desired.filter((record) => !seen.has(keyOf(record)) && seen.add(keyOf(record)));
  return { published, added: missing.length, deleted: stale.length };
}

/** The bind9 of the local stack, as `stack.bind` describes it. */
export interface LocalBind {
  readonly host: string;
  readonly port: number;
  readonly zones: readonly string[];
  readonly tsig: Tsig;
}

/**
 * Wraps the Route53 provider so that each present/cleanup is followed by a sync of the hosted zones it touched into
 * bind9; `present` resolves only once bind serves the records. Syncs of one zone run one after another (the
 * published-state of a zone has one writer). `route53` must see the same zones as the provider (the moto client).
 */
export function syncingRoute53Provider(
  provider: DnsProvider,
  options: { readonly route53: Route53Client; readonly bind: LocalBind; readonly send?: typeof sendUpdate },
): DnsProvider {
  const zones = new Map<string, { published: readonly PublishedRecord[]; queue: Promise<unknown> }>();

  const bindZoneFor = (zone: string): string => {
    const name = decodeRoute53Name(zone);
    const enclosing = options.bind.zones
      .map((z) => decodeRoute53Name(z))
      .filter((z) => isWithin(name, z))
      .sort((a, b) => b.length - a.length)[0];
    if (enclosing === undefined) {
      throw new Route53SyncError(
        `bind: hosted zone ${name} is in none of bind's zones (${options.bind.zones.join(', ')})`,
      );
    }
    return enclosing;
  };

  const syncZone = (zoneId: string, zone: string): Promise<unknown> => {
    const state = zones.get(zoneId) ?? { published: [], queue: Promise.resolve() };
    zones.set(zoneId, state);
    const run = state.queue.then(async () => {
      const result = await syncRoute53ToBind({
        route53: options.route53,
        zoneId,
        bind: {
          server: { host: options.bind.host, port: options.bind.port },
          zone: bindZoneFor(zone),
          tsig: options.bind.tsig,
        },
        published: state.published,
        ...(options.send === undefined ? {} : { send: options.send }),
      });
      state.published = result.published;
    });
    state.queue = run.catch(() => undefined); // a failed sync does not block the next one
    return run;
  };

  const syncPresentation = async (presentation: Presentation): Promise<void> => {
    const touched = new Map(presentation.zones.flatMap((z) => (z.zoneId === undefined ? [] : [[z.zoneId, z.zone]])));
    await Promise.all([...touched].map(([zoneId, zone]) => syncZone(zoneId, zone)));
  };

  const wrapped: DnsProvider = {
    name: provider.name,
    async present(records) {
      const presentation = await provider.present(records);
      await syncPresentation(presentation);
      return presentation;
    },
    async cleanup(presentation) {
      await provider.cleanup(presentation);
      await syncPresentation(presentation);
    },
  };
  const isCommitted = provider.isCommitted?.bind(provider);
  return isCommitted === undefined ? wrapped : { ...wrapped, isCommitted };
}

import type { DnsProvider, Presentation, TxtRecord, ZonePresentation } from '@portcullis/core';
import { ValidationError } from '@portcullis/core';
import { normalizeName } from '../../names.js';
import {
  OversizedRecordSetError,
  packBatches,
  planMerge,
  planRemove,
  type RecordSetChange,
  type TxtRecordSet,
} from './change-batch.js';
import { accountOf, type ResolvedRoute53Config, type Route53ProviderConfig, validateRoute53Config } from './config.js';
import { Route53Error, Route53ErrorCode } from './errors.js';
import { backoffDelay, CONFLICT_CODES, listNames } from './route53-api.js';
import { type ResolvedZone, ZoneDirectory } from './zones.js';

/** The `provider` of every presentation this provider writes. */
export const ROUTE53_PROVIDER_NAME = 'route53';
/** Route53's limit for one `Value` (a TXT value is split into 255-octet strings inside it). */
const MAX_VALUE_LENGTH = 4000;
const RECORD_NAME =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

type Plan = (fqdn: string, current: TxtRecordSet | undefined, values: Set<string>) => RecordSetChange | undefined;

/** Options of `waitForCommit`. */
export interface WaitForCommitOptions {
  /** Give up after this long. Default 120 s (AWS: "within 60 s normally"). */
  readonly timeoutMs?: number;
}

/**
 * DNS-01 records in Route53 (see the `DnsProvider` contract in `@portcullis/core`).
 *
 * - All records of one zone go in ONE `ChangeResourceRecordSets` batch (present and cleanup alike); several batches
 *   only when one would exceed Route53's limits (100 changes / 1000 records / 32000 value characters), each then
 *   recorded with its own change id.
 * - Every record set is rewritten by compare-and-swap (DELETE the exact values read + CREATE the merged set); when
 *   AWS refuses the batch because the set changed meanwhile, the sets are read again and the batch rebuilt.
 * - Apex and wildcard values (same `_acme-challenge.<apex>`) end up in one record set; other writers' values stay.
 * - API calls per order and zone: one `ListResourceRecordSets` per distinct record name + one change batch
 *   (+ one `ListHostedZones` per 100 zones per cache period when discovering).
 */
export class Route53Provider implements DnsProvider {
  readonly name = ROUTE53_PROVIDER_NAME;
  readonly #config: ResolvedRoute53Config;
  readonly #zones: ZoneDirectory;

  constructor(config: Route53ProviderConfig) {
    this.#config = validateRoute53Config(config);
    this.#zones = new ZoneDirectory(this.#config);
  }

  async present(records: readonly TxtRecord[]): Promise<Presentation> {
    const normalized = normalizeRecords(records);
    const byZone = new Map<string, { zone: ResolvedZone; records: TxtRecord[] }>();
    for (const record of normalized) {
      const zone = await this.#zones.resolve(record.fqdn);
      const group = byZone.get(zoneKey(zone)) ?? { zone, records: [] };
      group.records.push(record);
      byZone.set(zoneKey(zone), group);
    }
    const zones = await Promise.all(
      [...byZone.values()].map(({ zone, records: inZone }) =>
        this.#apply(zone, inZone, 'present', (fqdn, current, values) =>
          planMerge(fqdn, current, values, this.#config.ttl),
        ),
      ),
    );
    return { provider: ROUTE53_PROVIDER_NAME, zones: zones.flat() };
  }

  async cleanup(presentation: Presentation): Promise<void> {
    const byZone = new Map<string, { zone: ResolvedZone; records: TxtRecord[] }>();
    for (const entry of this.#ours(presentation).zones) {
      const zone =
        entry.zoneId === undefined
          ? await this.#zones.resolve(entry.zone)
          : this.#zones.known(entry.zone, entry.zoneId);
      const group = byZone.get(zoneKey(zone)) ?? { zone, records: [] };
      group.records.push(...normalizeRecords(entry.records, 'presentation.records'));
      byZone.set(zoneKey(zone), group);
    }
    await Promise.all(
      [...byZone.values()].map(({ zone, records }) => this.#apply(zone, records, 'cleanup', planRemove)),
    );
  }

  /** True when every change of the presentation is INSYNC (one `GetChange` each; stops at the first PENDING). */
  async isCommitted(presentation: Presentation): Promise<boolean> {
    for (const entry of this.#ours(presentation).zones) {
      if (entry.changeId === undefined || entry.zoneId === undefined) continue;
      const zone = this.#zones.known(entry.zone, entry.zoneId);
      const status = await zone.api.changeStatus({ zoneId: zone.id, zone: zone.name }, entry.changeId);
      if (status !== 'INSYNC') return false;
    }
    return true;
  }

  /**
   * Polls `isCommitted` with backoff (1 s doubling to 8 s, jittered) until INSYNC. For long-running callers (CLI,
   * local runtime); Lambda code calls `isCommitted` once and requeues instead of waiting.
   */
  async waitForCommit(presentation: Presentation, options: WaitForCommitOptions = {}): Promise<void> {
    const { clock, random } = this.#config;
    const timeoutMs = options.timeoutMs ?? 120_000;
    const deadline = clock.now().getTime() + timeoutMs;
    const policy = { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 1000, maxDelayMs: 8000 };
    for (let attempt = 1; ; attempt++) {
      if (await this.isCommitted(presentation)) return;
      const remaining = deadline - clock.now().getTime();
      if (remaining <= 0) {
        const changes = presentation.zones.flatMap((zone) => (zone.changeId === undefined ? [] : [zone.changeId]));
        throw new Route53Error(
          Route53ErrorCode.CommitTimeout,
          { zoneId: presentation.zones[0]?.zoneId, zone: presentation.zones[0]?.zone, operation: 'GetChange' },
          `changes ${changes.join(', ')} not INSYNC after ${timeoutMs} ms`,
          { retryable: true },
        );
      }
      await clock.sleep(Math.min(remaining, backoffDelay(attempt, policy, random)));
    }
  }

  #ours(presentation: Presentation): Presentation {
    if (presentation.provider !== ROUTE53_PROVIDER_NAME) {
      throw new Route53Error(
        Route53ErrorCode.ForeignPresentation,
        {},
        `the presentation was written by provider ${JSON.stringify(presentation.provider)}`,
      );
    }
    return presentation;
  }

  /**
   * Read–plan–write for one zone, repeated when AWS refuses the batch because a set changed since our read.
   * Returns one `ZonePresentation` per batch actually sent (one, unless the limits forced a split).
   */
  async #apply(
    zone: ResolvedZone,
    records: readonly TxtRecord[],
    action: string,
    plan: Plan,
  ): Promise<ZonePresentation[]> {
    const wanted = new Map<string, Set<string>>();
    for (const { fqdn, value } of records) wanted.set(fqdn, (wanted.get(fqdn) ?? new Set()).add(value));
    const context = { zoneId: zone.id, zone: zone.name };
    const applied: { changeId: string; fqdns: Set<string> }[] = [];
    let lastRefused: string | undefined;

    for (let attempt = 0; ; attempt++) {
      const fqdns = [...wanted.keys()];
      const current = await Promise.all(fqdns.map((fqdn) => zone.api.readTxtRecordSet(context, fqdn)));
      const changes = fqdns.flatMap((fqdn, i) => plan(fqdn, current[i], wanted.get(fqdn) as Set<string>) ?? []);
      const batches = this.#pack(changes, context);
      let sending: string | undefined;
      try {
        for (const batch of batches) {
          sending = JSON.stringify(batch);
          const comment = `portcullis ${action} ${batch.length} record set(s)`;
          const changeId = await zone.api.changeRecordSets(
            context,
            batch.flatMap((c) => c.changes),
            comment,
          );
          applied.push({ changeId, fqdns: new Set(batch.map((c) => c.fqdn)) });
        }
        break;
      } catch (error) {
        if (!(error instanceof Route53Error) || !CONFLICT_CODES.has(error.awsCode ?? '')) {
          if (error instanceof Route53Error && error.awsCode === 'NoSuchHostedZone') this.#zones.invalidate(zone.entry);
          throw error;
        }
        // The same batch refused twice with nothing changed in between is not a race but a rejection.
        if (sending === lastRefused) throw error;
        if (attempt >= this.#config.maxConflictRetries) {
          throw new Route53Error(
            Route53ErrorCode.Conflict,
            { ...context, record: listNames(fqdns), operation: 'ChangeResourceRecordSets' },
            `the record sets kept changing; compare-and-swap lost ${attempt + 1} times (last: ${error.awsCode})`,
            { awsCode: error.awsCode, retryable: true, cause: error },
          );
        }
        lastRefused = sending;
        await this.#config.clock.sleep(backoffDelay(attempt + 1, this.#config.retry, this.#config.random));
      }
    }
    return presentations(zone, records, applied);
  }

  #pack(changes: RecordSetChange[], context: { zoneId: string; zone: string }): RecordSetChange[][] {
    try {
      return packBatches(changes);
    } catch (error) {
      if (!(error instanceof OversizedRecordSetError)) throw error;
      throw new Route53Error(Route53ErrorCode.BatchTooLarge, { ...context, record: error.fqdn }, error.message);
    }
  }
}

/** Groups records per hosted zone and account (ids are unique in AWS; the account keeps fakes and moto honest). */
function zoneKey(zone: ResolvedZone): string {
  return `${accountOf(zone.entry)}/${zone.id}`;
}

/** Each record is listed under the last batch that wrote its name; names that needed no change go with the first. */
function presentations(
  zone: ResolvedZone,
  records: readonly TxtRecord[],
  applied: readonly { changeId: string; fqdns: Set<string> }[],
): ZonePresentation[] {
  const base = { zone: zone.name, zoneId: zone.id };
  if (applied.length <= 1) {
    const changeId = applied[0]?.changeId;
    return [{ ...base, records: [...records], ...(changeId === undefined ? {} : { changeId }) }];
  }
  const lastBatch = (fqdn: string): number => applied.findLastIndex((batch) => batch.fqdns.has(fqdn));
  return applied
    .map((batch, i) => ({
      ...base,
      changeId: batch.changeId,
      records: records.filter((record) => Math.max(0, lastBatch(record.fqdn)) === i),
    }))
    .filter((entry) => entry.records.length > 0);
}

/** Lower case, no trailing dot, valid name, non-empty value of at most 4000 characters; duplicates dropped. */
function normalizeRecords(records: readonly TxtRecord[], field = 'records'): TxtRecord[] {
  if (!Array.isArray(records)) throw new ValidationError(field, 'type', 'must be an array of { fqdn, value }');
  const seen = new Set<string>();
  const result: TxtRecord[] = [];
  for (const [i, record] of records.entries()) {
    const fqdn = normalizeName(String(record?.fqdn ?? ''));
    if (!RECORD_NAME.test(fqdn)) {
      throw new ValidationError(
        `${field}[${i}].fqdn`,
        'dns-name',
        `${JSON.stringify(record?.fqdn)} is not a valid record name`,
      );
    }
    const value = record.value;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE_LENGTH) {
      throw new ValidationError(
        `${field}[${i}].value`,
        'txt-value',
        `must be a string of 1 to ${MAX_VALUE_LENGTH} characters`,
      );
    }
    const key = `${fqdn}\u0000${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ fqdn, value });
  }
  return result;
}

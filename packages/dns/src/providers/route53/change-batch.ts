/**
 * Pure planning of Route53 change batches. Every record set is rewritten by compare-and-swap: DELETE with the exact
 * values we read plus CREATE of the new set, in one atomic batch — if anyone changed the set since our read, AWS
 * refuses the whole batch (InvalidChangeBatch) and we re-read. UPSERT would silently overwrite a concurrent writer
 * (another order presenting at the same name), so it is never used.
 */

import type { Change } from '@aws-sdk/client-route-53';
import { quoteTxtValue, route53Name, txtValueOf } from './record-values.js';

/** A TXT record set as read from Route53: name, TTL and `Value`s exactly as AWS returned them. */
export interface TxtRecordSet {
  readonly name: string;
  readonly ttl: number;
  readonly values: readonly string[];
}

/** The changes for one record set; they must travel in the same batch to stay a compare-and-swap. */
export interface RecordSetChange {
  readonly fqdn: string;
  readonly changes: readonly Change[];
}

/**
 * Route53 limits per `ChangeResourceRecordSets` request (facts.md): changes, resource records and characters of all
 * `Value`s. An UPSERT counts twice towards the last two; we never send UPSERT, but the count follows the rule.
 */
export const ROUTE53_BATCH_LIMITS = { changes: 100, records: 1000, valueChars: 32_000 } as const;
export type BatchLimits = { readonly [K in keyof typeof ROUTE53_BATCH_LIMITS]: number };

function txtSet(name: string, ttl: number, values: readonly string[]): Change['ResourceRecordSet'] {
  return { Name: name, Type: 'TXT', TTL: ttl, ResourceRecords: values.map((Value) => ({ Value })) };
}

/** DELETE of exactly what was read (name, TTL and values verbatim: AWS compares them byte for byte). */
function deleteExact(current: TxtRecordSet): Change {
  return { Action: 'DELETE', ResourceRecordSet: txtSet(current.name, current.ttl, current.values) };
}

/**
 * Adds `values` to the set at `fqdn`. Values already there (compared as TXT data, whatever their quoting) are kept
 * verbatim, as is the TTL of an existing set — we never rewrite what is not ours. `undefined` when nothing changes.
 */
export function planMerge(
  fqdn: string,
  current: TxtRecordSet | undefined,
  values: Iterable<string>,
  ttl: number,
): RecordSetChange | undefined {
  const present = new Set((current?.values ?? []).map(txtValueOf));
  const added = [...new Set(values)].filter((value) => !present.has(value)).map(quoteTxtValue);
  if (added.length === 0) return undefined;
  if (current === undefined) {
    return { fqdn, changes: [{ Action: 'CREATE', ResourceRecordSet: txtSet(route53Name(fqdn), ttl, added) }] };
  }
  return {
    fqdn,
    changes: [
      deleteExact(current),
      { Action: 'CREATE', ResourceRecordSet: txtSet(current.name, current.ttl, [...current.values, ...added]) },
    ],
  };
}

/**
 * Removes `values` from the set at `fqdn`, keeping every other value verbatim; the whole set goes when nothing else
 * is left. `undefined` when none of the values is there (removing what is absent is success).
 */
export function planRemove(
  fqdn: string,
  current: TxtRecordSet | undefined,
  values: Iterable<string>,
): RecordSetChange | undefined {
  if (current === undefined) return undefined;
  const ours = new Set(values);
  const kept = current.values.filter((value) => !ours.has(txtValueOf(value)));
  if (kept.length === current.values.length) return undefined;
  const changes: Change[] = [deleteExact(current)];
  if (kept.length > 0) changes.push({ Action: 'CREATE', ResourceRecordSet: txtSet(current.name, current.ttl, kept) });
  return { fqdn, changes };
}

/** What one record-set change costs against each limit. */
export function costOf(change: RecordSetChange): BatchLimits {
  let records = 0;
  let valueChars = 0;
  for (const { Action, ResourceRecordSet } of change.changes) {
    const weight = Action === 'UPSERT' ? 2 : 1;
    for (const record of ResourceRecordSet?.ResourceRecords ?? []) {
      records += weight;
      valueChars += weight * (record.Value?.length ?? 0);
    }
  }
  return { changes: change.changes.length, records, valueChars };
}

/** Thrown by `packBatches` for a record set that alone exceeds a limit (it cannot be changed atomically). */
export class OversizedRecordSetError extends Error {
  constructor(
    readonly fqdn: string,
    readonly limit: keyof BatchLimits,
    readonly cost: number,
    readonly max: number,
  ) {
    super(`the change of ${fqdn} needs ${cost} ${limit} but one batch allows ${max}`);
  }
}

/**
 * Packs record-set changes into as few batches as the limits allow, in order, never splitting one record set's
 * DELETE + CREATE. Normally that is one batch per zone; an order whose changes exceed a limit (over 50 record sets
 * that already exist, or very long values) gets several, each atomic on its own.
 */
export function packBatches(
  changes: readonly RecordSetChange[],
  limits: BatchLimits = ROUTE53_BATCH_LIMITS,
): RecordSetChange[][] {
  const batches: RecordSetChange[][] = [];
  let batch: RecordSetChange[] = [];
  let used: BatchLimits = { changes: 0, records: 0, valueChars: 0 };
  const keys = Object.keys(limits) as (keyof BatchLimits)[];
  for (const change of changes) {
    const cost = costOf(change);
    for (const key of keys) {
      if (cost[key] > limits[key]) throw new OversizedRecordSetError(change.fqdn, key, cost[key], limits[key]);
    }
    if (batch.length > 0 && keys.some((key) => used[key] + cost[key] > limits[key])) {
      batches.push(batch);
      batch = [];
      used = { changes: 0, records: 0, valueChars: 0 };
    }
    batch.push(change);
    used = {
      changes: used.changes + cost.changes,
      records: used.records + cost.records,
      valueChars: used.valueChars + cost.valueChars,
    };
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

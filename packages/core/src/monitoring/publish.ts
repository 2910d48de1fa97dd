/**
 * Carries out dedup decisions: notify, then write. A record is written only after its notification was sent, so a
 * failed send leaves the stored record as it was and the next run retries the same transition (the Notifier is
 * at-least-once; a crash between send and write re-sends, which subscribers dedupe on key + fingerprint +
 * transition). One failing alert never stops the others: failures are collected as stable sentences.
 */
import { ConflictError } from '../errors.js';
import type { IsoTime } from '../lifecycle/types.js';
import type { Metrics } from '../ports/metrics.js';
import type { AlertRepository, AlertTransition, Notifier } from '../ports/monitoring.js';
import { type AlertDecision, AlertDecisionAction, alertOf } from './dedup.js';
import { AlertKind, type AlertRecord } from './types.js';

export type MonitorLogEntry = { level: 'info' | 'warn' | 'error'; message: string; [k: string]: unknown };
export type MonitorLog = (entry: MonitorLogEntry) => void;

export interface PublishDependencies {
  readonly alerts: AlertRepository;
  readonly notifier: Notifier;
  readonly metrics: Metrics;
  readonly log?: MonitorLog;
}

export interface PublishOutcome {
  readonly opened: number;
  readonly changed: number;
  readonly resolved: number;
  readonly notified: number;
  /** Alerts open once the decisions are carried out (a resolution that could not be sent stays open). */
  readonly openByKind: Readonly<Record<AlertKind, number>>;
  readonly errors: readonly string[];
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Result = { transition?: AlertTransition; open: boolean; kind: AlertKind; error?: string };

export async function publishAlertDecisions(
  deps: PublishDependencies,
  decisions: readonly AlertDecision[],
  now: IsoTime,
  concurrency = 8,
): Promise<PublishOutcome> {
  const results = await mapConcurrent(decisions, concurrency, (d) => carryOut(deps, d, now));
  const openByKind = Object.fromEntries(Object.values(AlertKind).map((k) => [k, 0])) as Record<AlertKind, number>;
  const count = (t: AlertTransition) => results.filter((r) => r.transition === t).length;
  for (const r of results) if (r.open) openByKind[r.kind] += 1;
  return {
    opened: count('opened'),
    changed: count('changed'),
    resolved: count('resolved'),
    notified: results.filter((r) => r.transition !== undefined).length,
    openByKind,
    errors: results.flatMap((r) => (r.error === undefined ? [] : [r.error])),
  };
}

async function carryOut(deps: PublishDependencies, decision: AlertDecision, now: IsoTime): Promise<Result> {
  const kind = (decision.record ?? decision.previous)?.kind as AlertKind;
  const record = decision.record;
  if (decision.action === AlertDecisionAction.Unobserved || record === undefined) return { open: true, kind };
  const staysOpen = decision.action !== AlertDecisionAction.Resolved;
  let toWrite: AlertRecord = record;
  try {
    if (decision.action === AlertDecisionAction.Opened && decision.previous === undefined) {
      // The key may have been open once before: its resolved record holds the version to write over.
      const earlier = await deps.alerts.get(record.key);
      if (earlier !== undefined) toWrite = { ...record, version: earlier.version };
    }
  } catch (error) {
    return failed(deps, decision, kind, `alert store: reading ${record.key} failed: ${messageOf(error)}`, staysOpen);
  }
  const transition = decision.notify;
  if (transition !== undefined) {
    try {
      await deps.notifier.notify(alertOf(toWrite), transition);
    } catch (error) {
      // The resolution was not sent: the record stays open and the next run resolves it again.
      return failed(deps, decision, kind, `notifier: ${transition} ${record.key} failed: ${messageOf(error)}`, true);
    }
    deps.metrics.record({ name: 'AlertsSent', value: 1, unit: 'Count', dimensions: { kind, transition } });
    toWrite = { ...toWrite, notifiedAt: now };
  }
  try {
    await deps.alerts.put(toWrite);
  } catch (error) {
    const why = error instanceof ConflictError ? 'another writer changed it' : messageOf(error);
    const message = `alert store: writing ${record.key} failed: ${why}`;
    // Whatever the decision, the stored record is still the open one (or absent while the condition holds).
    const outcome = failed(deps, decision, kind, message, true);
    return transition === undefined ? outcome : { ...outcome, transition };
  }
  return transition === undefined ? { open: staysOpen, kind } : { open: staysOpen, kind, transition };
}

function failed(
  deps: PublishDependencies,
  decision: AlertDecision,
  kind: AlertKind,
  message: string,
  open: boolean,
): Result {
  deps.log?.({ level: 'warn', message, key: decision.key, action: decision.action });
  return { open, kind, error: message };
}

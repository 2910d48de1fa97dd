/**
 * The expiry report's model: pure data from certificate views, alerts and "now" — one row per certificate, then one
 * per target and per live endpoint under it (what was delivered / what the monitor observed there). The HTML and
 * SVG renderers only draw this model; everything that decides (order, window, bands) is here and unit-tested.
 */
import type { ObservationView } from '../runtime/api-client.js';
import { sortAlerts } from '../views/alerts-view.js';
import { ExpiryBand, expiryBand, wholeDaysLeft } from '../views/expiry.js';
import {
  type AlertRow,
  endpointLocation,
  type MonitoredView,
  type ObservedMatch,
  observedMatch,
  sameSerial,
} from '../views/view-types.js';

const DAY_MS = 86_400_000;

export interface ReportInput {
  readonly certificates: readonly MonitoredView[];
  /** Open alerts (any order). */
  readonly alerts: readonly AlertRow[];
  readonly now: Date;
  /** How far ahead the timeline reaches (days, ≥ 1). */
  readonly days: number;
  /** Where the data came from (API URL), shown in the header. */
  readonly source?: string;
}

export const RowKind = { Certificate: 'certificate', Target: 'target', Endpoint: 'endpoint' } as const;
export type RowKind = (typeof RowKind)[keyof typeof RowKind];

export interface TimelineRow {
  readonly kind: RowKind;
  readonly certificateId: string;
  /** Certificate id, target id or `host:port`. */
  readonly label: string;
  /** Names (certificate), type and serial (target), observed serial (endpoint). */
  readonly detail: string;
  /** Start of the bar; absent when only the expiry is known (an observation): the bar starts at the window. */
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** Certificate rows: the chosen renewal time. */
  readonly renewalAt?: string;
  readonly band: ExpiryBand;
  readonly daysLeft?: number;
  /** Target and endpoint rows: what the monitor saw against the current serial. */
  readonly match?: ObservedMatch;
  /** Why nothing could be observed / delivered, when known. */
  readonly note?: string;
}

export interface ReportModel {
  readonly generatedAt: string;
  readonly source?: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly rows: readonly TimelineRow[];
  readonly alerts: readonly AlertRow[];
  /** Certificates per band (certificate rows only). */
  readonly counts: Readonly<Record<ExpiryBand, number>>;
}

/** The window starts a quarter of the horizon (at least a day) before now, so recent starts and expiries show. */
export function reportWindow(now: Date, days: number): { start: Date; end: Date } {
  const pastDays = Math.max(1, Math.round(days / 4));
  return { start: new Date(now.getTime() - pastDays * DAY_MS), end: new Date(now.getTime() + days * DAY_MS) };
}

function targetRow(view: MonitoredView, targetId: string, type: string, seen: ObservationView | undefined, now: Date) {
  const { status } = view;
  const delivery = status.deliveries[targetId];
  const current = sameSerial(delivery?.serial, status.serial);
  // The bar is what is really there when the monitor looked; else what was delivered (the current certificate).
  const dates =
    seen?.serial !== undefined && !sameSerial(seen.serial, status.serial)
      ? { notAfter: seen.notAfter }
      : current || sameSerial(seen?.serial, status.serial)
        ? { notBefore: status.notBefore, notAfter: status.notAfter }
        : {};
  const serial = seen?.serial ?? delivery?.serial;
  return defined<TimelineRow>({
    kind: RowKind.Target,
    certificateId: view.id,
    label: targetId,
    detail: `${type} · ${delivery?.state ?? 'pending'}${serial === undefined ? '' : ` · ${serial}`}`,
    ...dates,
    band: expiryBand(dates, now),
    daysLeft: wholeDaysLeft(dates.notAfter, now),
    match: observedMatch(seen, status.serial),
    note: seen?.error ?? delivery?.message,
  });
}

function endpointRow(
  view: MonitoredView,
  location: string,
  label: string,
  seen: ObservationView | undefined,
  now: Date,
) {
  const dates = sameSerial(seen?.serial, view.status.serial)
    ? { notBefore: view.status.notBefore, notAfter: view.status.notAfter }
    : { notAfter: seen?.notAfter };
  return defined<TimelineRow>({
    kind: RowKind.Endpoint,
    certificateId: view.id,
    label,
    detail: `endpoint${seen?.serial === undefined ? '' : ` · ${seen.serial}`}`,
    ...dates,
    band: expiryBand(dates, now),
    daysLeft: wholeDaysLeft(dates.notAfter, now),
    match: observedMatch(seen, view.status.serial),
    note: seen?.error ?? (seen === undefined ? `not observed yet (${location})` : undefined),
  });
}

function rowsOf(view: MonitoredView, now: Date): TimelineRow[] {
  const { status } = view;
  const observations = new Map((view.observations ?? []).map((o) => [o.location, o]));
  const certificate = defined<TimelineRow>({
    kind: RowKind.Certificate,
    certificateId: view.id,
    label: view.id,
    detail: view.spec.names.join(', '),
    notBefore: status.notBefore,
    notAfter: status.notAfter,
    renewalAt: status.renewalAt,
    band: expiryBand(status, now),
    daysLeft: wholeDaysLeft(status.notAfter, now),
    note: status.failures === undefined ? undefined : `${status.failures.count} × ${status.failures.reason}`,
  });
  const targets = view.spec.targets.map((t) => targetRow(view, t.id, t.type, observations.get(t.id), now));
  const endpoints = (view.spec.endpoints ?? []).map((e) => {
    const location = endpointLocation(e);
    return endpointRow(view, location, `${e.host}:${e.port}`, observations.get(location), now);
  });
  return [certificate, ...targets, ...endpoints];
}

/** Soonest expiry first (unknown last), then id: the certificates that need a look are on top. */
function compareCertificates(now: Date) {
  const left = (v: MonitoredView) => {
    const at = v.status.notAfter === undefined ? Number.NaN : Date.parse(v.status.notAfter);
    return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at - now.getTime();
  };
  return (a: MonitoredView, b: MonitoredView) =>
    left(a) === left(b) ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : left(a) < left(b) ? -1 : 1;
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { now } = input;
  const window = reportWindow(now, input.days);
  const certificates = [...input.certificates].sort(compareCertificates(now));
  const counts = Object.fromEntries(Object.values(ExpiryBand).map((band) => [band, 0])) as Record<ExpiryBand, number>;
  for (const view of certificates) counts[expiryBand(view.status, now)] += 1;
  const alerts = sortAlerts(input.alerts.filter((a) => a.state === 'open'));
  return {
    generatedAt: now.toISOString(),
    ...(input.source === undefined ? {} : { source: input.source }),
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    rows: certificates.flatMap((view) => rowsOf(view, now)),
    alerts,
    counts,
  };
}

function defined<T extends object>(value: { [K in keyof T]?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

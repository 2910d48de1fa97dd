/**
 * Alert rules (pure): from a certificate record, what the monitor observed and the time, the alerts that hold now.
 * The monitor deduplicates them against the open alerts (dedup.ts); a rule only says what is true at this moment.
 *
 * Keys (`Alert.key`) are stable across runs: `<kind>:<certificate id>[:<location>]`, `unmanaged-expiring:<arn>`,
 * `dlq-not-empty:<queue>` (account-rules.ts). Summaries carry no time of the moment (only fixed facts like notAfter), so a repeated
 * evaluation gives the same sentence.
 */
import type { CertificateRecord, DeliveryState, IsoTime } from '../lifecycle/types.js';
import { ms } from '../policies/time.js';
import { certificateLifetimeSeconds, crossedExpiry, formatDays } from './expiry.js';
import { type Alert, AlertKind, AlertSeverity, type MonitorPolicy, type Observation } from './types.js';

/** Location of the stored (current) certificate in `expiring` keys. */
export const CURRENT_LOCATION = 'current';
/** Days of validity left at or below which stale/failing/drift alerts are critical. */
const URGENT_SECONDS = 3 * 86_400;

export interface CertificateRuleInput {
  readonly record: CertificateRecord;
  /** What this run observed at each target and endpoint (errors included). */
  readonly observations: readonly Observation[];
  readonly now: IsoTime;
  readonly policy: MonitorPolicy;
}

export type CertificateRule = (input: CertificateRuleInput) => Alert[];

/** `docs/runbooks/<kind>.md`. */
export function runbookFor(kind: AlertKind): string {
  return `docs/runbooks/${kind}.md`;
}

/** The observation location of a live endpoint. */
export function endpointLocation(host: string, port: number): string {
  return `endpoint:${host}:${port}`;
}

function namesOf(record: CertificateRecord): readonly string[] {
  return record.status.names ?? record.spec.names;
}

function described(record: CertificateRecord): string {
  const names = namesOf(record);
  const more = names.length > 1 ? ` +${names.length - 1}` : '';
  return `certificate ${record.id} (${names[0] ?? 'no names'}${more})`;
}

function certificateAlert(
  record: CertificateRecord,
  kind: AlertKind,
  fields: Omit<Alert, 'kind' | 'key' | 'certificateId' | 'tenant' | 'subject' | 'names' | 'runbook'>,
): Alert {
  const location = fields.location === undefined ? '' : `:${fields.location}`;
  return {
    key: `${kind}:${record.id}${location}`,
    kind,
    certificateId: record.id,
    tenant: record.spec.tenant,
    subject: record.id,
    names: namesOf(record),
    runbook: runbookFor(kind),
    ...fields,
  };
}

function urgent(notAfter: IsoTime | undefined, now: IsoTime): boolean {
  return notAfter !== undefined && ms(notAfter) - ms(now) <= URGENT_SECONDS * 1000;
}

function severityOf(critical: boolean): AlertSeverity {
  return critical ? AlertSeverity.Critical : AlertSeverity.Warning;
}

/** `expiring`: every place the certificate is deployed, the stored current certificate included. */
export const expiringAlerts: CertificateRule = ({ record, observations, now, policy }) => {
  const { status } = record;
  const lifetime =
    status.notBefore === undefined || status.notAfter === undefined
      ? undefined
      : certificateLifetimeSeconds(status.notBefore, status.notAfter);
  const places: { location: string; serial?: string; notAfter: IsoTime; address?: string; lifetime?: number }[] = [];
  if (status.notAfter !== undefined) {
    places.push({
      location: CURRENT_LOCATION,
      notAfter: status.notAfter,
      ...(status.serial === undefined ? {} : { serial: status.serial }),
      ...(lifetime === undefined ? {} : { lifetime }),
    });
  }
  for (const o of observations) {
    if (o.error !== undefined || o.serial === undefined || o.notAfter === undefined) continue;
    // The current certificate's lifetime applies only to the current serial; another serial: days only.
    const known = o.serial === status.serial ? lifetime : undefined;
    places.push({
      location: o.location,
      serial: o.serial,
      notAfter: o.notAfter,
      ...(o.address === undefined ? {} : { address: o.address }),
      ...(known === undefined ? {} : { lifetime: known }),
    });
  }
  const alerts: Alert[] = [];
  for (const place of places) {
    const crossed = crossedExpiry({
      notAfter: place.notAfter,
      now,
      days: policy.expiry.days,
      fractions: policy.expiry.lifetimeFractions,
      ...(place.lifetime === undefined ? {} : { lifetimeSeconds: place.lifetime }),
    });
    if (crossed === undefined) continue;
    const where = place.location === CURRENT_LOCATION ? 'as stored' : `at ${place.location}`;
    const summary = crossed.expired
      ? `The ${described(record)} ${where} expired at ${place.notAfter}.`
      : `The ${described(record)} ${where} expires at ${place.notAfter} (within the ${crossed.label} threshold).`;
    alerts.push(
      certificateAlert(record, AlertKind.Expiring, {
        severity: severityOf(crossed.critical),
        location: place.location,
        threshold: crossed.label,
        summary,
        details: {
          notAfter: place.notAfter,
          daysLeft: formatDays(crossed.secondsLeft),
          ...(crossed.expired ? { expired: `expired at ${place.notAfter}` } : {}),
          ...(crossed.fractionLeft === undefined
            ? {}
            : { lifetimeLeft: `${Math.round(Math.max(0, crossed.fractionLeft) * 1000) / 10}%` }),
          ...(place.serial === undefined ? {} : { serial: place.serial }),
          ...(place.address === undefined ? {} : { address: place.address }),
        },
        fingerprint: `serial:${place.serial ?? 'unknown'}`,
      }),
    );
  }
  return alerts;
};

/** `renewal-failing`: issuance failures (`status.failures`) and failed deliveries, one alert per target. */
export const renewalFailingAlerts: CertificateRule = ({ record, now, policy }) => {
  const { status } = record;
  const critical = urgent(status.notAfter, now);
  const alerts: Alert[] = [];
  const failures = status.failures;
  if (failures !== undefined && failures.count >= policy.failingAfter) {
    const problem = failures.last.problem;
    alerts.push(
      certificateAlert(record, AlertKind.RenewalFailing, {
        severity: severityOf(critical),
        summary: `Issuing ${described(record)} failed ${failures.count} time(s) in a row: ${failures.last.reason}.`,
        details: {
          reason: failures.last.reason,
          message: failures.last.message,
          count: String(failures.count),
          backoffUntil: failures.backoffUntil,
          lastFailureAt: failures.lastFailureAt,
          ...(problem?.type === undefined ? {} : { problemType: problem.type }),
          ...(problem?.detail === undefined ? {} : { problemDetail: problem.detail }),
          ...(status.notAfter === undefined ? {} : { notAfter: status.notAfter }),
        },
        // A new reason or ACME problem is news; another failure for the same reason is not.
        fingerprint: `${failures.last.reason}|${problem?.type ?? ''}`,
      }),
    );
  }
  for (const [targetId, delivery] of sortedDeliveries(record)) {
    if (delivery.state !== 'failed') continue;
    // A quota refusal records no count: it is one failure.
    const count = delivery.failures ?? 1;
    if (count < policy.failingAfter) continue;
    alerts.push(
      certificateAlert(record, AlertKind.RenewalFailing, {
        severity: severityOf(critical),
        location: targetId,
        summary: `Delivering revision ${delivery.revision} of ${described(record)} to ${targetId} is failing.`,
        details: {
          reason: 'DeliveryFailed',
          message: delivery.message ?? 'delivery failed',
          count: String(count),
          revision: String(delivery.revision),
          serial: delivery.serial,
          ...(delivery.retryAt === undefined ? {} : { retryAt: delivery.retryAt }),
          ...(delivery.location === undefined ? {} : { address: delivery.location }),
        },
        fingerprint: `revision:${delivery.revision}|${delivery.message ?? ''}`,
      }),
    );
  }
  return alerts;
};

function sortedDeliveries(record: CertificateRecord): [string, DeliveryState][] {
  return Object.entries(record.status.deliveries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `stale`: no successful renewal by the end of the ARI window (or the chosen renewal time) plus grace.
 * `status.renewal` is dropped when a new revision is promoted (download step) and chosen again for it, so a
 * renewal state present here always belongs to the current certificate.
 */
export const staleAlerts: CertificateRule = ({ record, now, policy }) => {
  const renewal = record.status.renewal;
  if (renewal === undefined || record.status.serial === undefined) return [];
  const deadline = renewal.ariWindow?.end ?? renewal.at;
  if (ms(now) <= ms(deadline) + policy.staleGraceSeconds * 1000) return [];
  const by = renewal.ariWindow === undefined ? 'its renewal time' : 'the end of its ARI window';
  return [
    certificateAlert(record, AlertKind.Stale, {
      severity: severityOf(urgent(record.status.notAfter, now)),
      summary: `The ${described(record)} was not renewed by ${by} (${deadline}).`,
      details: {
        deadline,
        renewalAt: renewal.at,
        source: renewal.source,
        serial: record.status.serial,
        revision: String(record.status.revision),
        ...(record.status.notAfter === undefined ? {} : { notAfter: record.status.notAfter }),
        ...(renewal.ariWindow === undefined
          ? {}
          : { ariWindow: `${renewal.ariWindow.start} .. ${renewal.ariWindow.end}` }),
      },
      fingerprint: `deadline:${deadline}`,
    }),
  ];
};

/** True while a delivery of the current revision is in flight or younger than the grace (endpoints lag it). */
function deliverySettling(delivery: DeliveryState, revision: number, now: IsoTime, graceSeconds: number): boolean {
  if (delivery.state === 'publishing' && delivery.revision === revision) return true;
  const at = delivery.deliveredAt ?? delivery.claimedAt;
  return at !== undefined && ms(now) - ms(at) < graceSeconds * 1000;
}

/** `drift`: a target or live endpoint serves another serial than the current revision (or nothing at all). */
export const driftAlerts: CertificateRule = ({ record, observations, now, policy }) => {
  const { status } = record;
  const current = status.serial;
  if (current === undefined) return [];
  const grace = policy.driftGraceSeconds;
  const anySettling = Object.values(status.deliveries).some((d) => deliverySettling(d, status.revision, now, grace));
  const alerts: Alert[] = [];
  for (const o of observations) {
    if (o.error !== undefined) continue; // unobservable is not drift; the monitor keeps such alerts as they were
    const delivery = o.source === 'endpoint' ? undefined : status.deliveries[o.location];
    if (o.source === 'endpoint') {
      if (o.serial === undefined || o.serial === current || anySettling) continue;
    } else {
      // Never delivered: nothing the lifecycle believes is there to compare with.
      if (delivery === undefined || deliverySettling(delivery, status.revision, now, grace)) continue;
      if (o.serial === undefined ? delivery.state !== 'delivered' : o.serial === current) continue;
    }
    const served = o.serial === undefined ? 'nothing' : `serial ${o.serial}`;
    const expiresSoon = urgent(o.notAfter, now);
    alerts.push(
      certificateAlert(record, AlertKind.Drift, {
        severity: severityOf(expiresSoon),
        location: o.location,
        summary: `${o.source === 'endpoint' ? `Endpoint ${o.address ?? o.location}` : `Target ${o.location}`} of ${described(record)} serves ${served}, not the current serial ${current} (revision ${status.revision}).`,
        details: {
          expectedSerial: current,
          observedSerial: o.serial ?? 'none',
          revision: String(status.revision),
          ...(o.notAfter === undefined ? {} : { observedNotAfter: o.notAfter }),
          ...(o.address === undefined ? {} : { address: o.address }),
          ...(delivery === undefined ? {} : { delivery: `${delivery.state} (revision ${delivery.revision})` }),
        },
        fingerprint: `serial:${o.serial ?? 'none'}`,
      }),
    );
  }
  return alerts;
};

export const CERTIFICATE_RULES: readonly CertificateRule[] = [
  expiringAlerts,
  renewalFailingAlerts,
  staleAlerts,
  driftAlerts,
];

/** Every alert that holds for one certificate now, sorted by key. */
export function evaluateCertificate(input: CertificateRuleInput): Alert[] {
  return CERTIFICATE_RULES.flatMap((rule) => rule(input)).sort((a, b) => (a.key < b.key ? -1 : 1));
}

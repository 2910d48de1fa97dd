/**
 * Account-wide alert rules (pure): ACM certificates Portcullis does not manage, and the reconcile dead-letter queue.
 * These alerts have no certificate id or tenant; only operator tenants see them through the API.
 */
import type { IsoTime } from '../lifecycle/types.js';
import { crossedExpiry, EXPIRED_LABEL, formatDays } from './expiry.js';
import { runbookFor } from './rules.js';
import { type AcmCertificateSummary, type Alert, AlertKind, AlertSeverity, type MonitorPolicy } from './types.js';

/**
 * `unmanaged-expiring`: ACM certificates Portcullis did not import, by days left only (their lifetime is not ours).
 * An expired one that ACM reports as used by nothing is left out: it stays in ACM forever and harms no one.
 */
export function unmanagedExpiringAlerts(
  summaries: readonly AcmCertificateSummary[],
  now: IsoTime,
  policy: MonitorPolicy,
): Alert[] {
  const alerts: Alert[] = [];
  for (const s of summaries) {
    if (s.managed || s.notAfter === undefined) continue;
    const crossed = crossedExpiry({ notAfter: s.notAfter, now, days: policy.unmanagedDays, fractions: [] });
    if (crossed === undefined) continue;
    if (crossed.expired && s.inUseBy !== undefined && s.inUseBy.length === 0) continue;
    const inUse = s.inUseBy === undefined || s.inUseBy.length === 0 ? undefined : s.inUseBy.join(', ');
    alerts.push({
      key: `${AlertKind.UnmanagedExpiring}:${s.arn}`,
      kind: AlertKind.UnmanagedExpiring,
      severity: crossed.critical ? AlertSeverity.Critical : AlertSeverity.Warning,
      subject: s.arn,
      names: s.names.length === 0 ? [s.domainName] : s.names,
      threshold: crossed.label,
      summary:
        crossed.label === EXPIRED_LABEL
          ? `The ACM certificate for ${s.domainName} in ${s.region}, not managed by Portcullis, expired at ${s.notAfter}.`
          : `The ACM certificate for ${s.domainName} in ${s.region}, not managed by Portcullis, expires at ${s.notAfter} (within the ${crossed.label} threshold).`,
      details: {
        arn: s.arn,
        region: s.region,
        notAfter: s.notAfter,
        daysLeft: formatDays(crossed.secondsLeft),
        ...(crossed.expired ? { expired: `expired at ${s.notAfter}` } : {}),
        ...(s.serial === undefined ? {} : { serial: s.serial }),
        ...(s.type === undefined ? {} : { type: s.type }),
        ...(s.status === undefined ? {} : { status: s.status }),
        ...(inUse === undefined ? {} : { inUseBy: inUse }),
      },
      runbook: runbookFor(AlertKind.UnmanagedExpiring),
      fingerprint: `serial:${s.serial ?? 'unknown'}`,
    });
  }
  return alerts.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** `dlq-not-empty`: the fingerprint is empty on purpose — a growing or shrinking depth is not news. */
export function deadLetterAlerts(queueName: string, depth: number): Alert[] {
  if (depth <= 0) return [];
  return [
    {
      key: `${AlertKind.DeadLetterQueueNotEmpty}:${queueName}`,
      kind: AlertKind.DeadLetterQueueNotEmpty,
      severity: AlertSeverity.Warning,
      subject: queueName,
      names: [],
      summary: `The dead-letter queue ${queueName} holds messages: certificates whose reconcile failed repeatedly.`,
      details: { queue: queueName, depth: String(depth) },
      runbook: runbookFor(AlertKind.DeadLetterQueueNotEmpty),
      fingerprint: '',
    },
  ];
}

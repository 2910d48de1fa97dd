/**
 * Monitoring and alerting (architecture.md §3 "Schedules"): the `monitor` schedule observes every place a certificate
 * is deployed, evaluates alert rules (pure, `monitoring/rules.ts`), deduplicates against the open alerts
 * (`monitoring/dedup.ts`) and notifies (SNS). Everything here is plain JSON data, like lifecycle/types.ts:
 * IsoTime strings, no class instances, no key material.
 */
import type { IsoTime } from '../lifecycle/types.js';

export const AlertKind = {
  /** A certificate (anywhere it is deployed) crossed an expiry threshold (days left OR fraction of lifetime left). */
  Expiring: 'expiring',
  /** Issuance or delivery keeps failing (`status.failures` / a delivery's failures); carries the last reason. */
  RenewalFailing: 'renewal-failing',
  /** No successful renewal by the end of the ARI window, or by the renewal time + grace. */
  Stale: 'stale',
  /** A target (or a live endpoint) serves another serial than the current revision. */
  Drift: 'drift',
  /** An ACM certificate Portcullis does not manage is approaching expiry. */
  UnmanagedExpiring: 'unmanaged-expiring',
  /** The reconcile dead-letter queue holds messages. */
  DeadLetterQueueNotEmpty: 'dlq-not-empty',
} as const;
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];

export const AlertSeverity = { Info: 'info', Warning: 'warning', Critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/**
 * One alert as the rules produce it. `key` identifies "the same alert" across monitor runs:
 * `<kind>:<subject>[:<detail>]` — e.g. `expiring:cert-1:acm-eu`, `drift:cert-1:endpoint:www.example.com:443`,
 * `unmanaged-expiring:arn:aws:acm:...`, `dlq-not-empty:<queue name>`. `threshold` is the crossed threshold's label
 * (`14d`, `1/3`): dedup sends again only when `threshold`, `severity` or `fingerprint` change.
 */
export interface Alert {
  readonly key: string;
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** Managed certificate id; absent for account-wide alerts (unmanaged ACM, DLQ). */
  readonly certificateId?: string;
  /** Owning tenant of `certificateId` (API filter); absent for account-wide alerts. */
  readonly tenant?: string;
  /** What the alert is about: certificate id, ACM ARN, queue name. */
  readonly subject: string;
  /** DNS names concerned (SNS message attribute `names`, comma-joined). */
  readonly names: readonly string[];
  /** Target id, `endpoint:<host>:<port>` or absent. */
  readonly location?: string;
  readonly threshold?: string;
  /** One stable sentence for people: what is wrong (no timestamps of the moment, no key material). */
  readonly summary: string;
  /** Facts as strings (serials, notAfter, days left, last failure reason...), shown in the message body. */
  readonly details: Readonly<Record<string, string>>;
  /** Path of the runbook for this kind, relative to the repository (`docs/runbooks/expiring.md`). */
  readonly runbook: string;
  /** Changes when the alert's substance changes (e.g. another observed serial): a change is notified again. */
  readonly fingerprint: string;
}

/** An alert as stored between monitor runs (AlertRepository). */
export interface AlertRecord extends Alert {
  readonly state: 'open' | 'resolved';
  readonly openedAt: IsoTime;
  /** Last time a monitor run still saw the condition. */
  readonly lastSeenAt: IsoTime;
  /** Last time a notification was SENT for this alert (dedup). */
  readonly notifiedAt?: IsoTime;
  readonly resolvedAt?: IsoTime;
  /** Optimistic concurrency, as CertificateRecord.version. */
  readonly version: number;
}

/** What one monitor run saw at one place a certificate is deployed. */
export interface Observation {
  /** Target id from the spec, or `endpoint:<host>:<port>` for a live endpoint. */
  readonly location: string;
  readonly source: 'acm' | 'secrets-manager' | 'kubernetes' | 'endpoint';
  readonly observedAt: IsoTime;
  /** Absent when nothing is deployed there (deleted out of band) or the endpoint did not answer. */
  readonly serial?: string;
  readonly notAfter?: IsoTime;
  /** Where exactly (ACM ARN, secret ARN, namespace/name, host:port). */
  readonly address?: string;
  /** Why nothing could be observed (stable sentence), e.g. a TLS handshake error. */
  readonly error?: string;
}

/** Expiry thresholds: an alert fires when EITHER crosses (so 6-day certificates alert too). */
export interface ExpiryThresholds {
  /** Days left, e.g. [30, 14, 7, 3, 1]; the smallest crossed one is the alert's threshold label (`7d`). */
  readonly days: readonly number[];
  /** Fractions of lifetime left, e.g. [1/3, 1/6, 1/12]; label `1/6`. */
  readonly lifetimeFractions: readonly number[];
}

export interface MonitorPolicy {
  readonly expiry: ExpiryThresholds;
  /** Thresholds for unmanaged ACM certificates (days only; their lifetime is not ours). */
  readonly unmanagedDays: readonly number[];
  /** `failures.count` at which renewal-failing opens (default 1 for issuance; deliveries too). */
  readonly failingAfter: number;
  /** Seconds after `status.renewal.at` (or the ARI window end) before a certificate not yet renewed is stale. */
  readonly staleGraceSeconds: number;
  /** Do not alert drift for a delivery younger than this (propagation). */
  readonly driftGraceSeconds: number;
}

export const DEFAULT_MONITOR_POLICY: MonitorPolicy = {
  expiry: { days: [30, 14, 7, 3, 1], lifetimeFractions: [1 / 3, 1 / 6, 1 / 12] },
  unmanagedDays: [30, 14, 7, 3, 1],
  failingAfter: 1,
  staleGraceSeconds: 24 * 3_600,
  driftGraceSeconds: 15 * 60,
};

/** An ACM certificate as the monitor lists it (managed or not). */
export interface AcmCertificateSummary {
  readonly arn: string;
  readonly region: string;
  readonly domainName: string;
  readonly names: readonly string[];
  /** Lower-case hex, no leading zeros (`serialHex`): normalize moto's decimal and AWS's colon hex. */
  readonly serial?: string;
  readonly notAfter?: IsoTime;
  readonly keyAlgorithm?: string;
  /** `IMPORTED` | `AMAZON_ISSUED` | `PRIVATE`. */
  readonly type?: string;
  readonly status?: string;
  /** True when tagged `portcullis:certificate-id` (our import). */
  readonly managed: boolean;
  readonly certificateId?: string;
  /** ACM "in use by" (ALB/CloudFront ARNs) when known. */
  readonly inUseBy?: readonly string[];
}

/**
 * Metrics (CloudWatch Embedded Metric Format in Lambda: one JSON line per flush). Names are the `MetricName` map;
 * dimensions are low-cardinality only (`step`, `reason`, `issuer`, `targetType` — never a certificate id).
 */
export const MetricName = {
  /** A reconcile call ran one step (dimension `step`). */
  ReconcileStep: 'ReconcileStep',
  /** A certificate was issued or renewed (dimension `issuer`). */
  CertificateIssued: 'CertificateIssued',
  /** An issuance attempt failed (dimension `reason`). */
  IssuanceFailed: 'IssuanceFailed',
  /** Seconds from trigger to promoted certificate. */
  IssuanceDuration: 'IssuanceDuration',
  /** A delivery to a target succeeded (dimension `targetType`). */
  CertificateDelivered: 'CertificateDelivered',
  /** A delivery failed (dimension `targetType`). */
  DeliveryFailed: 'DeliveryFailed',
  /** The budget refused or deferred an order (dimension `reason` = bucket). */
  BudgetRefused: 'BudgetRefused',
  /** A conditional write lost to a concurrent writer. */
  WriteConflict: 'WriteConflict',
  /**
   * Days until the earliest expiry of a certificate anywhere it is deployed (monitor; dimension `certificate` —
   * the one per-certificate metric, on purpose: it is what an operator graphs and alarms on).
   */
  DaysToExpiry: 'DaysToExpiry',
  /** Renewal attempts failing right now (monitor; dimension `reason`). */
  FailingRenewals: 'FailingRenewals',
  /** Remaining Let's Encrypt budget in a bucket (monitor; dimensions `bucket`, `scope`). */
  RateLimitHeadroom: 'RateLimitHeadroom',
  /** ACM imports left in the rolling 365 days (monitor; dimension `region`). */
  AcmImportQuotaRemaining: 'AcmImportQuotaRemaining',
  /** Open alerts after a monitor run (dimension `kind`). */
  OpenAlerts: 'OpenAlerts',
  /** Notifications sent (dimensions `kind`, `transition`). */
  AlertsSent: 'AlertsSent',
  /** Messages in the reconcile dead-letter queue. */
  DeadLetterMessages: 'DeadLetterMessages',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export type MetricUnit = 'Count' | 'Seconds' | 'None';

export interface MetricPoint {
  readonly name: MetricName;
  readonly value: number;
  readonly unit: MetricUnit;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/**
 * - `record` never throws and never does I/O by itself (EMF buffers; the handler flushes at the end of the
 *   invocation). Recording the same point twice counts twice: metrics are not idempotent, events are.
 */
export interface Metrics {
  record(point: MetricPoint): void;
}

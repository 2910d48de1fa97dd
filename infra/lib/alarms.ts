/**
 * CloudWatch alarms, as data; every one notifies the alert topic (the same subscribers as the monitor's alerts).
 *   - dead-letter queue not empty: a certificate whose reconcile failed `RECONCILE_MAX_RECEIVES` times is stuck;
 *     the monitor raises `dlq-not-empty` too, but the alarm fires even when the monitor itself is broken;
 *   - worker errors: invocations that threw (a bad batch, a crash at cold start) — per-message failures are partial
 *     batch responses, not errors, so this stays at 0 in normal operation;
 *   - monitor errors / missing runs: the system that notices expiry must itself be watched — an error, or no
 *     invocation at all for a whole evaluation window (schedule disabled or deleted), breaches;
 *   - plan and acm-expiry errors.
 */
import type { FunctionKey } from './resources.js';

export interface AlarmDefinition {
  /** SST/Pulumi logical name. */
  readonly name: string;
  readonly description: string;
  readonly namespace: 'AWS/SQS' | 'AWS/Lambda';
  readonly metricName: string;
  /** What the dimension points at; the wiring resolves it to the queue or function name. */
  readonly subject:
    | { readonly kind: 'queue'; readonly queue: 'deadLetter' }
    | { readonly kind: 'function'; readonly fn: FunctionKey };
  readonly statistic: 'Maximum' | 'Sum';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
  readonly comparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  /** How a period without data counts. */
  readonly treatMissingData: 'notBreaching' | 'breaching';
}

function functionErrors(fn: FunctionKey, name: string, what: string): AlarmDefinition {
  return {
    name,
    description: `Portcullis ${what} failed (Lambda Errors > 0)`,
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    subject: { kind: 'function', fn },
    statistic: 'Sum',
    periodSeconds: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  };
}

/** Seconds of a `rate(N unit)` schedule; undefined for cron expressions. */
export function rateSeconds(schedule: string): number | undefined {
  const match = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(schedule);
  if (match === null) return undefined;
  const unit = { minute: 60, hour: 3600, day: 86_400 }[match[2] as 'minute' | 'hour' | 'day'];
  return Number(match[1]) * unit;
}

/** CloudWatch periods must be a multiple of 60 s; alarms evaluate at most 1 day (86,400 s × periods ≤ 7 days). */
function missingRunPeriod(monitorSchedule: string): number {
  const every = rateSeconds(monitorSchedule) ?? 3600;
  // Two schedule intervals without an invocation: one late run is tolerated, a missing schedule is not.
  return Math.min(86_400, Math.max(300, Math.ceil((every * 2) / 60) * 60));
}

export function alarmDefinitions(monitorSchedule: string): AlarmDefinition[] {
  return [
    {
      name: 'DeadLetterQueueNotEmpty',
      description: 'Portcullis reconcile dead-letter queue is not empty (runbook: docs/runbooks/dlq-not-empty.md)',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      subject: { kind: 'queue', queue: 'deadLetter' },
      statistic: 'Maximum',
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    },
    functionErrors('worker', 'WorkerErrors', 'reconcile worker invocation'),
    functionErrors('monitor', 'MonitorErrors', 'monitor run'),
    {
      name: 'MonitorNotRunning',
      description: 'Portcullis monitor has not run for two schedule intervals (expiry is not being watched)',
      namespace: 'AWS/Lambda',
      metricName: 'Invocations',
      subject: { kind: 'function', fn: 'monitor' },
      statistic: 'Sum',
      periodSeconds: missingRunPeriod(monitorSchedule),
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    },
    functionErrors('plan', 'PlanErrors', 'plan run'),
    functionErrors('acmExpiry', 'AcmExpiryErrors', 'ACM expiry event handling'),
  ];
}

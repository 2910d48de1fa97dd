/**
 * Configuration of the `monitor` schedule and the ACM "Approaching Expiration" rule, read from the environment once
 * per cold start and validated strictly like config.ts: each bad value fails with the variable's name and the rule
 * before any client is built. Kept apart from `readFunctionsConfig` because only these two functions need an alert
 * topic: the worker, the planner and the API must not fail to start for want of one.
 */
import { awsConfigFromEnv, SnsEnv } from '@portcullis/aws';
import { DEFAULT_MONITOR_POLICY, type MonitorPolicy, ValidationError } from '@portcullis/core';

export const MonitorEnv = {
  /** ARN of the SNS alert topic (required by the monitor and the ACM event handler). */
  AlertTopicArn: SnsEnv.AlertTopicArn,
  /** Prefix of runbook links in alert messages (`https://github.com/org/repo/blob/main`); optional. */
  RunbookBaseUrl: SnsEnv.RunbookBaseUrl,
  /** URL of the reconcile dead-letter queue; absent = no `dlq-not-empty` check. */
  DeadLetterQueueUrl: 'PORTCULLIS_DLQ_URL',
  /** Comma-separated regions whose ACM inventory is watched (unmanaged certificates); default the functions' region. `none` turns it off. */
  MonitorRegions: 'PORTCULLIS_MONITOR_REGIONS',
  /** Comma-separated day thresholds of `expiring`, e.g. `30,14,7,3,1` (also used for unmanaged ACM certificates). */
  AlertDays: 'PORTCULLIS_ALERT_DAYS',
  /** Comma-separated lifetime fractions of `expiring`, each in (0, 1), e.g. `0.333,0.167,0.083`. */
  AlertFractions: 'PORTCULLIS_ALERT_FRACTIONS',
  /** Seconds after the renewal time (or ARI window end) before a certificate not renewed yet is `stale`. */
  StaleGraceSeconds: 'PORTCULLIS_STALE_GRACE_SECONDS',
  /** Seconds after a delivery before a target serving another serial is `drift` (propagation); default 900. */
  DriftGraceSeconds: 'PORTCULLIS_DRIFT_GRACE_SECONDS',
} as const;
export type MonitorEnv = (typeof MonitorEnv)[keyof typeof MonitorEnv];

export interface MonitorConfig {
  readonly alertTopicArn: string;
  readonly runbookBaseUrl?: string;
  readonly deadLetterQueueUrl?: string;
  /** Empty: the ACM inventory is not listed. */
  readonly regions: readonly string[];
  readonly policy: MonitorPolicy;
}

type Env = Readonly<Record<string, string | undefined>>;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const QUEUE_URL = /^https?:\/\/[^\s/]+(:\d+)?\/\d{12}\/[\w-]{1,80}(\.fifo)?$/;
const MAX_SECONDS = 30 * 86_400;

function pick(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = pick(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > MAX_SECONDS) {
    throw new ValidationError(name, 'integer-range', `must be an integer from 0 to ${MAX_SECONDS}, got "${raw}"`);
  }
  return value;
}

function days(env: Env): readonly number[] {
  const raw = pick(env, MonitorEnv.AlertDays);
  if (raw === undefined) return DEFAULT_MONITOR_POLICY.expiry.days;
  const values = list(raw).map(Number);
  if (values.length === 0 || values.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) {
    throw new ValidationError(
      MonitorEnv.AlertDays,
      'day-list',
      `must be comma-separated whole days from 1 to 365, got "${raw}"`,
    );
  }
  return [...new Set(values)].sort((a, b) => b - a);
}

function fractions(env: Env): readonly number[] {
  const raw = pick(env, MonitorEnv.AlertFractions);
  if (raw === undefined) return DEFAULT_MONITOR_POLICY.expiry.lifetimeFractions;
  const values = list(raw).map(Number);
  if (values.length === 0 || values.some((f) => !Number.isFinite(f) || f <= 0 || f >= 1)) {
    throw new ValidationError(
      MonitorEnv.AlertFractions,
      'fraction-list',
      `must be comma-separated numbers between 0 and 1 (exclusive), got "${raw}"`,
    );
  }
  return [...new Set(values)].sort((a, b) => b - a);
}

function regions(env: Env): readonly string[] {
  const raw = pick(env, MonitorEnv.MonitorRegions);
  if (raw === 'none') return [];
  if (raw === undefined) return [awsConfigFromEnv(env).region];
  const values = list(raw);
  const bad = values.find((r) => !REGION.test(r));
  if (values.length === 0 || bad !== undefined) {
    throw new ValidationError(
      MonitorEnv.MonitorRegions,
      'region-list',
      `must be comma-separated AWS regions (e.g. us-east-1,eu-west-1) or "none", got "${bad ?? raw}"`,
    );
  }
  return [...new Set(values)];
}

function url(env: Env, name: string, pattern: RegExp | undefined, rule: string): string | undefined {
  const raw = pick(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    (pattern !== undefined && !pattern.test(raw))
  ) {
    throw new ValidationError(name, 'url', `must be ${rule}, got "${raw}"`);
  }
  return raw;
}

/** Reads and validates the monitor's settings from `env`; throws `ValidationError` naming the variable. */
export function readMonitorConfig(env: Env = process.env): MonitorConfig {
  const alertTopicArn = pick(env, MonitorEnv.AlertTopicArn);
  if (alertTopicArn === undefined) {
    throw new ValidationError(MonitorEnv.AlertTopicArn, 'required', 'is not set: alerts need an SNS topic');
  }
  if (!TOPIC_ARN.test(alertTopicArn)) {
    throw new ValidationError(
      MonitorEnv.AlertTopicArn,
      'topic-arn',
      `must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got "${alertTopicArn}"`,
    );
  }
  const runbookBaseUrl = url(env, MonitorEnv.RunbookBaseUrl, undefined, 'an http(s) URL');
  const deadLetterQueueUrl = url(
    env,
    MonitorEnv.DeadLetterQueueUrl,
    QUEUE_URL,
    'an SQS queue URL (http(s)://<host>/<account>/<queue>)',
  );
  const dayThresholds = days(env);
  return {
    alertTopicArn,
    ...(runbookBaseUrl === undefined ? {} : { runbookBaseUrl }),
    ...(deadLetterQueueUrl === undefined ? {} : { deadLetterQueueUrl }),
    regions: regions(env),
    policy: {
      ...DEFAULT_MONITOR_POLICY,
      expiry: { days: dayThresholds, lifetimeFractions: fractions(env) },
      unmanagedDays: dayThresholds,
      staleGraceSeconds: seconds(env, MonitorEnv.StaleGraceSeconds, DEFAULT_MONITOR_POLICY.staleGraceSeconds),
      driftGraceSeconds: seconds(env, MonitorEnv.DriftGraceSeconds, DEFAULT_MONITOR_POLICY.driftGraceSeconds),
    },
  };
}

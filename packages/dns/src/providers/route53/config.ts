import type { Route53Client } from '@aws-sdk/client-route-53';
import { type Clock, systemClock, ValidationError } from '@portcullis/core';
import { normalizeName } from '../../names.js';
import { bareZoneId } from './record-values.js';
import { DEFAULT_RETRY, type RetryPolicy } from './route53-api.js';
import { sharedRoute53Throttle, type TokenBucket } from './throttle.js';

/** One zone the provider writes to, optionally with its hosted zone id and a role in the zone's account. */
export interface Route53ZoneConfig {
  /** Zone apex, e.g. `example.com`. Records at or below it use this entry (the longest matching entry wins). */
  readonly name: string;
  /** Hosted zone id (`Z0123…` or `/hostedzone/Z0123…`): skips discovery. */
  readonly hostedZoneId?: string;
  /** Role to assume for this zone (cross-account). The client factory given by the entry point assumes it. */
  readonly roleArn?: string;
  /** ExternalId the role's trust policy requires. */
  readonly externalId?: string;
}

/**
 * The Route53 client for a zone entry (`undefined`: records outside every entry, discovered with the default
 * identity). The entry point builds it — `route53ClientForZone` of `@portcullis/aws` assumes `roleArn` through STS —
 * because adapters do not import each other. Give clients SDK-internal retries off (`maxAttempts: 1`, as
 * `@portcullis/aws` does): the provider retries itself, through the account's throttle.
 */
export type Route53ClientFactory = (zone: Route53ZoneConfig | undefined) => Route53Client;

export interface Route53ProviderConfig {
  readonly client: Route53Client | Route53ClientFactory;
  /** Zones with explicit ids and/or roles. Names outside all of them are discovered (longest public zone). */
  readonly zones?: readonly Route53ZoneConfig[];
  /** TTL of record sets we create (an existing set keeps its TTL). Default 60 s. */
  readonly ttl?: number;
  /** How long the hosted-zone list is reused for discovery. Default 5 min. */
  readonly zoneCacheTtlMs?: number;
  /** Re-reads after a lost compare-and-swap before giving up. Default 4. */
  readonly maxConflictRetries?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** The token bucket of an account (`default`, or the account id of a zone's role). Default: process-wide buckets. */
  readonly throttleFor?: (account: string) => TokenBucket;
  readonly clock?: Clock;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
}

export interface ResolvedRoute53Config {
  readonly clientFor: Route53ClientFactory;
  readonly zones: readonly Route53ZoneConfig[];
  readonly ttl: number;
  readonly zoneCacheTtlMs: number;
  readonly maxConflictRetries: number;
  readonly retry: RetryPolicy;
  readonly throttleFor: (account: string) => TokenBucket;
  readonly clock: Clock;
  readonly random: () => number;
}

const CONFIG_KEYS = [
  'client',
  'zones',
  'ttl',
  'zoneCacheTtlMs',
  'maxConflictRetries',
  'retry',
  'throttleFor',
  'clock',
  'random',
] as const;
const ZONE_KEYS = ['name', 'hostedZoneId', 'roleArn', 'externalId'] as const;
const RETRY_KEYS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs'] as const;

const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError(field, rule, message);
}

function checkKeys(field: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'type', 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${field}.${key}`, 'unknown', 'is not a known option');
  }
  return value as Record<string, unknown>;
}

function integer(field: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, 'range', `must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function pattern(field: string, value: unknown, regex: RegExp, rule: string): string {
  if (typeof value !== 'string' || !regex.test(value)) {
    fail(field, rule, `must match ${regex.source}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function validateZone(input: unknown, field: string): Route53ZoneConfig {
  const zone = checkKeys(field, input, ZONE_KEYS);
  const name = normalizeName(pattern(`${field}.name`, zone.name, /./, 'required'));
  pattern(`${field}.name`, name, ZONE_NAME, 'dns-name');
  const result: { -readonly [K in keyof Route53ZoneConfig]: Route53ZoneConfig[K] } = { name };
  if (zone.hostedZoneId !== undefined) {
    const id = bareZoneId(pattern(`${field}.hostedZoneId`, zone.hostedZoneId, /./, 'required'));
    result.hostedZoneId = pattern(`${field}.hostedZoneId`, id, HOSTED_ZONE_ID, 'hosted-zone-id');
  }
  if (zone.roleArn !== undefined) result.roleArn = pattern(`${field}.roleArn`, zone.roleArn, ROLE_ARN, 'role-arn');
  if (zone.externalId !== undefined) {
    if (zone.roleArn === undefined) fail(`${field}.externalId`, 'needs-role', 'is only meaningful with roleArn');
    result.externalId = pattern(`${field}.externalId`, zone.externalId, EXTERNAL_ID, 'external-id');
  }
  return result;
}

/** Strict validation (unknown keys fail, every rule named) before the provider makes any call. */
export function validateRoute53Config(input: Route53ProviderConfig): ResolvedRoute53Config {
  const config = checkKeys('route53', input, CONFIG_KEYS);
  const client = config.client;
  let clientFor: Route53ClientFactory;
  if (typeof client === 'function') {
    clientFor = client as Route53ClientFactory;
  } else if (typeof client === 'object' && client !== null && typeof (client as Route53Client).send === 'function') {
    clientFor = () => client as Route53Client;
  } else {
    fail('route53.client', 'required', 'must be a Route53Client or a function (zone) => Route53Client');
  }

  if (config.zones !== undefined && !Array.isArray(config.zones)) fail('route53.zones', 'type', 'must be an array');
  const zones = ((config.zones ?? []) as unknown[]).map((zone, i) => validateZone(zone, `route53.zones[${i}]`));
  const seen = new Set<string>();
  for (const [i, zone] of zones.entries()) {
    if (seen.has(zone.name)) fail(`route53.zones[${i}].name`, 'duplicate', `${zone.name} is configured twice`);
    seen.add(zone.name);
  }

  const retryInput = checkKeys('route53.retry', config.retry ?? {}, RETRY_KEYS);
  const retry: RetryPolicy = {
    maxAttempts: integer('route53.retry.maxAttempts', retryInput.maxAttempts, 1, 20, DEFAULT_RETRY.maxAttempts),
    baseDelayMs: integer('route53.retry.baseDelayMs', retryInput.baseDelayMs, 1, 60_000, DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: integer('route53.retry.maxDelayMs', retryInput.maxDelayMs, 1, 300_000, DEFAULT_RETRY.maxDelayMs),
  };
  if (retry.maxDelayMs < retry.baseDelayMs) {
    fail('route53.retry.maxDelayMs', 'range', `must be at least baseDelayMs (${retry.baseDelayMs})`);
  }

  for (const key of ['throttleFor', 'random'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'function')
      fail(`route53.${key}`, 'type', 'must be a function');
  }
  const clock = config.clock as Clock | undefined;
  if (clock !== undefined && (typeof clock.now !== 'function' || typeof clock.sleep !== 'function')) {
    fail('route53.clock', 'type', 'must be a Clock (now, sleep)');
  }

  return {
    clientFor,
    zones,
    // Route53 accepts 0–2147483647; a challenge record needs no more than a day, and 0 defeats nothing we rely on.
    ttl: integer('route53.ttl', config.ttl, 1, 86_400, 60),
    zoneCacheTtlMs: integer('route53.zoneCacheTtlMs', config.zoneCacheTtlMs, 0, 86_400_000, 300_000),
    maxConflictRetries: integer('route53.maxConflictRetries', config.maxConflictRetries, 0, 20, 4),
    retry,
    throttleFor: (config.throttleFor as ((account: string) => TokenBucket) | undefined) ?? sharedRoute53Throttle,
    clock: clock ?? systemClock,
    random: (config.random as (() => number) | undefined) ?? Math.random,
  };
}

/** The throttle account of a zone entry: the role's account, or `default` for the entry point's own identity. */
export function accountOf(zone: Route53ZoneConfig | undefined): string {
  return /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(zone?.roleArn ?? '')?.[1] ?? 'default';
}

/** Environment variables `route53ConfigFromEnv` reads (the client comes from the AWS factory's variables). */
export const ROUTE53_ENV = {
  /** Comma-separated zones, each `name` or `name=HOSTEDZONEID`; empty = discover every record's zone. */
  zones: 'PORTCULLIS_ROUTE53_ZONES',
  /** Role to assume for every zone in `PORTCULLIS_ROUTE53_ZONES` (the zones live in another account). */
  roleArn: 'PORTCULLIS_ROUTE53_ROLE_ARN',
  /** ExternalId the role's trust policy requires. */
  externalId: 'PORTCULLIS_ROUTE53_EXTERNAL_ID',
  /** TTL of created challenge record sets in seconds (default 60). */
  ttl: 'PORTCULLIS_ROUTE53_TTL',
} as const;

/** The provider config minus its client, from the environment; validated like any config (at construction). */
export function route53ConfigFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Omit<Route53ProviderConfig, 'client'> {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const roleArn = read(ROUTE53_ENV.roleArn);
  const externalId = read(ROUTE53_ENV.externalId);
  const zoneList = read(ROUTE53_ENV.zones);
  if (roleArn !== undefined && zoneList === undefined) {
    fail(ROUTE53_ENV.zones, 'needs-zones', `must list the zones ${ROUTE53_ENV.roleArn} applies to`);
  }
  const zones = (zoneList ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): Route53ZoneConfig => {
      const [name = '', hostedZoneId] = entry.split('=').map((part) => part.trim());
      return {
        name,
        ...(hostedZoneId === undefined ? {} : { hostedZoneId }),
        ...(roleArn === undefined ? {} : { roleArn }),
        ...(externalId === undefined ? {} : { externalId }),
      };
    });
  const ttl = read(ROUTE53_ENV.ttl);
  if (ttl !== undefined && !/^\d+$/.test(ttl))
    fail(ROUTE53_ENV.ttl, 'integer', `must be a number of seconds, got ${ttl}`);
  return {
    ...(zones.length === 0 ? {} : { zones }),
    ...(ttl === undefined ? {} : { ttl: Number(ttl) }),
  };
}

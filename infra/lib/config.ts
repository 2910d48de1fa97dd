/**
 * The deployment's configuration: one JSON object per stage (`infra/stages/<stage>.json`), validated strictly here
 * before any resource or policy is built — unknown keys fail, and every error names the field and the rule
 * (`ValidationError`, as everywhere in Portcullis). Pure: no SST, no file system, no AWS; `infra/config.ts` reads
 * the file and hands the parsed JSON to `parseInfraConfig`.
 */
import { ValidationError } from '@portcullis/core';

export interface Route53InfraConfig {
  /** Zones Portcullis writes challenge records to; each needs its hosted zone id (IAM is scoped to the zone ARN). */
  readonly zones: readonly { readonly name: string; readonly hostedZoneId: string }[];
  /** Role in the zones' account (cross-account DNS); the functions then get only `sts:AssumeRole` on it. */
  readonly roleArn?: string;
  readonly externalId?: string;
  /**
   * Names (IAM `StringLike` patterns) that `_acme-challenge` CNAMEs point to, in one of `zones`: the TXT record is
   * written there instead (delegated validation), so those names need the change permission as well.
   */
  readonly delegatedRecordNames: readonly string[];
  /** Grant `route53:ListHostedZones` (needs `*`) so names outside `zones` can be discovered. Default false. */
  readonly discoverZones: boolean;
}

export interface InfraConfig {
  readonly stage: string;
  /** AWS partition of every ARN the policies name. */
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** Regions beyond the deployment's own where ACM and export targets deliver (`targets[].options.region`). */
  readonly targetRegions: readonly string[];
  readonly acm: {
    /** Known certificate ARNs: import and tag only these (re-import); empty = any certificate we tagged. */
    readonly certificateArns: readonly string[];
    /** With known ARNs: still allow first imports (new ARNs, tagged at import). Default: true without ARNs. */
    readonly allowNewImports: boolean;
  };
  readonly dns: {
    readonly provider: 'route53' | 'rfc2136';
    /** `host:port` resolvers lookups start at (required: no silent fallback to a resolver we did not choose). */
    readonly resolvers: readonly string[];
  };
  readonly route53?: Route53InfraConfig;
  readonly secrets: {
    /** Prefix of every secret Portcullis owns (account keys, certificates); ends in `/`. */
    readonly prefix: string;
    /** Prefixes of secrets-manager export targets' names (`targets[].options.name`); each ends in `/`. */
    readonly exportPrefixes: readonly string[];
    /** Customer-managed KMS keys of export targets (`kmsKeyId`): the worker may encrypt/decrypt with them. */
    readonly kmsKeyArns: readonly string[];
  };
  readonly acme: {
    /** Named issuer (`letsencrypt-staging`, `letsencrypt`, ...) or a directory URL. */
    readonly issuer: string;
    readonly email?: string;
    /** EAB key id (ZeroSSL, Google); the HMAC key is the `AcmeEabHmacKey` secret. */
    readonly eabKid?: string;
  };
  readonly schedules: { readonly plan: string; readonly monitor: string };
  readonly alerts: {
    /** Addresses subscribed to the alert topic by e-mail (each confirms once). */
    readonly emails: readonly string[];
    readonly runbookBaseUrl?: string;
  };
  /** Create the cluster credentials secret (`KubeClusters` sst.Secret) for kubernetes targets. Default false. */
  readonly kubernetesClusters: boolean;
  /** `PORTCULLIS_API_TENANTS` (validated in full by the API's `TenantDirectory` at cold start). */
  readonly tenants: unknown;
  readonly metricsNamespace: string;
  /** Lambda log retention. */
  readonly logRetention: '1 week' | '1 month' | '3 months' | '1 year';
}

export const DEFAULT_SCHEDULES = {
  /** Due work is found through the `due` index; 5 minutes keeps the delay before a renewal small and cheap. */
  plan: 'rate(5 minutes)',
  /** Every target of every certificate is observed; hourly is enough for expiry in days and notices drift soon. */
  monitor: 'rate(1 hour)',
} as const;

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ZONE_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A delegated record name pattern: DNS labels, optionally `*.` first (IAM StringLike wildcard). */
const RECORD_PATTERN = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:certificate\/[0-9a-f-]{36}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/[0-9a-f-]{36}$/;
/** Secrets Manager name characters, ending in `/` (so a prefix cannot match `portcullis-other`). */
const SECRET_PREFIX = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]{0,199}\/$/;
const HOST_PORT = /^\[?[^\]\s]+?\]?:\d{1,5}$/;
const ISSUER = /^([a-z][a-z-]{1,40}|https:\/\/[\x21-\x7e]{1,500})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const HTTPS_URL = /^https:\/\/[\x21-\x7e]{1,500}$/;
const EAB_KID = /^[\x21-\x7e]{1,200}$/;
const NAMESPACE = /^[A-Za-z0-9./#:_-]{1,255}$/;
/** EventBridge Scheduler expressions SST's CronV2 accepts: `rate(...)` or `cron(...)` (no `at(...)`: recurring). */
const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\([^()]{9,200}\))$/;

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
const LOG_RETENTIONS = ['1 week', '1 month', '3 months', '1 year'] as const;

function fail(field: string, rule: string, message: string): never {
  throw new ValidationError(field, rule, message);
}

function object(field: string, value: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'type', 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${field}.${key}`, 'unknown', 'is not a known option');
  }
  return value as Record<string, unknown>;
}

function text(field: string, value: unknown, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    fail(field, rule, `must match ${pattern.source}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalText(field: string, value: unknown, pattern: RegExp, rule: string): string | undefined {
  return value === undefined ? undefined : text(field, value, pattern, rule);
}

function list(field: string, value: unknown, pattern: RegExp, rule: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(field, 'type', 'must be an array');
  const items = value.map((item, i) => text(`${field}[${i}]`, item, pattern, rule));
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item)) fail(`${field}[${i}]`, 'duplicate', `${item} is listed twice`);
    seen.add(item);
  }
  return items;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, 'one-of', `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(field, 'type', 'must be true or false');
  return value;
}

function parseRoute53(input: unknown): Route53InfraConfig {
  const raw = object('route53', input, ['zones', 'roleArn', 'externalId', 'delegatedRecordNames', 'discoverZones']);
  if (!Array.isArray(raw.zones) || raw.zones.length === 0) {
    fail('route53.zones', 'required', 'must list at least one zone (IAM is scoped to their hosted zone ARNs)');
  }
  const zones = raw.zones.map((zone, i) => {
    const field = `route53.zones[${i}]`;
    const entry = object(field, zone, ['name', 'hostedZoneId']);
    const name = text(`${field}.name`, entry.name, ZONE_NAME, 'dns-name');
    const rawId =
      typeof entry.hostedZoneId === 'string' ? entry.hostedZoneId.replace(/^\/hostedzone\//, '') : undefined;
    return { name, hostedZoneId: text(`${field}.hostedZoneId`, rawId, HOSTED_ZONE_ID, 'hosted-zone-id') };
  });
  for (const [i, zone] of zones.entries()) {
    if (zones.findIndex((other) => other.name === zone.name) !== i) {
      fail(`route53.zones[${i}].name`, 'duplicate', `${zone.name} is configured twice`);
    }
  }
  const roleArn = optionalText('route53.roleArn', raw.roleArn, ROLE_ARN, 'role-arn');
  const externalId = optionalText('route53.externalId', raw.externalId, EXTERNAL_ID, 'external-id');
  if (externalId !== undefined && roleArn === undefined) {
    fail('route53.externalId', 'needs-role', 'is only meaningful with route53.roleArn');
  }
  const delegated = list('route53.delegatedRecordNames', raw.delegatedRecordNames, RECORD_PATTERN, 'record-pattern');
  for (const [i, pattern] of delegated.entries()) {
    const bare = pattern.replace(/^\*\./, '');
    if (!zones.some((zone) => bare === zone.name || bare.endsWith(`.${zone.name}`))) {
      fail(
        `route53.delegatedRecordNames[${i}]`,
        'in-zone',
        `${pattern} is in none of route53.zones: the delegated TXT is written in one of them`,
      );
    }
  }
  return {
    zones,
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(externalId === undefined ? {} : { externalId }),
    delegatedRecordNames: delegated,
    discoverZones: bool('route53.discoverZones', raw.discoverZones, false),
  };
}

const TOP_KEYS = [
  'partition',
  'targetRegions',
  'acm',
  'dns',
  'route53',
  'secrets',
  'acme',
  'schedules',
  'alerts',
  'tenants',
  'kubernetesClusters',
  'metricsNamespace',
  'logRetention',
] as const;

/** Validates one stage's configuration and applies defaults; throws `ValidationError` naming field and rule. */
export function parseInfraConfig(stage: string, input: unknown): InfraConfig {
  text('stage', stage, STAGE, 'stage');
  const raw = object('config', input, TOP_KEYS);

  const dns = object('dns', raw.dns ?? {}, ['provider', 'resolvers']);
  const provider = oneOf('dns.provider', dns.provider, ['route53', 'rfc2136'] as const, 'route53');
  const resolvers = list('dns.resolvers', dns.resolvers, HOST_PORT, 'host-port');
  if (resolvers.length === 0) {
    fail('dns.resolvers', 'required', 'must list at least one host:port resolver where DNS lookups start');
  }
  const route53 = raw.route53 === undefined ? undefined : parseRoute53(raw.route53);
  if (provider === 'route53' && route53 === undefined) {
    fail('route53', 'required', 'is needed when dns.provider is route53 (zones to scope the IAM policy to)');
  }
  if (provider === 'rfc2136' && route53 !== undefined) {
    fail('route53', 'unused', 'is set but dns.provider is rfc2136: remove it or switch the provider');
  }

  const acm = object('acm', raw.acm ?? {}, ['certificateArns', 'allowNewImports']);
  const certificateArns = list('acm.certificateArns', acm.certificateArns, ACM_ARN, 'acm-arn');

  const secrets = object('secrets', raw.secrets ?? {}, ['prefix', 'exportPrefixes', 'kmsKeyArns']);
  const prefix = text('secrets.prefix', secrets.prefix ?? `portcullis/${stage}/`, SECRET_PREFIX, 'secret-prefix');
  const exportPrefixes = list('secrets.exportPrefixes', secrets.exportPrefixes, SECRET_PREFIX, 'secret-prefix');
  for (const [i, other] of exportPrefixes.entries()) {
    if (other.startsWith(prefix) || prefix.startsWith(other)) {
      // Overlap would let an export target's name land on (and overwrite) an account key or a stored certificate.
      fail(`secrets.exportPrefixes[${i}]`, 'disjoint', `${other} overlaps secrets.prefix ${prefix}`);
    }
  }

  const acme = object('acme', raw.acme ?? {}, ['issuer', 'email', 'eabKid']);
  const schedules = object('schedules', raw.schedules ?? {}, ['plan', 'monitor']);
  const alerts = object('alerts', raw.alerts ?? {}, ['emails', 'runbookBaseUrl']);
  if (raw.tenants === undefined) fail('tenants', 'required', 'is needed: the API refuses to start without tenants');
  const email = optionalText('acme.email', acme.email, EMAIL, 'email');
  const eabKid = optionalText('acme.eabKid', acme.eabKid, EAB_KID, 'eab-kid');
  const runbookBaseUrl = optionalText('alerts.runbookBaseUrl', alerts.runbookBaseUrl, HTTPS_URL, 'https-url');

  return {
    stage,
    partition: oneOf('partition', raw.partition, PARTITIONS, 'aws'),
    targetRegions: list('targetRegions', raw.targetRegions, REGION, 'region'),
    acm: {
      certificateArns,
      allowNewImports: bool('acm.allowNewImports', acm.allowNewImports, certificateArns.length === 0),
    },
    dns: { provider, resolvers },
    ...(route53 === undefined ? {} : { route53 }),
    secrets: {
      prefix,
      exportPrefixes,
      kmsKeyArns: list('secrets.kmsKeyArns', secrets.kmsKeyArns, KMS_KEY_ARN, 'kms-key-arn'),
    },
    acme: {
      issuer: text('acme.issuer', acme.issuer ?? 'letsencrypt-staging', ISSUER, 'issuer'),
      ...(email === undefined ? {} : { email }),
      ...(eabKid === undefined ? {} : { eabKid }),
    },
    schedules: {
      plan: text('schedules.plan', schedules.plan ?? DEFAULT_SCHEDULES.plan, SCHEDULE, 'schedule'),
      monitor: text('schedules.monitor', schedules.monitor ?? DEFAULT_SCHEDULES.monitor, SCHEDULE, 'schedule'),
    },
    alerts: {
      emails: list('alerts.emails', alerts.emails, EMAIL, 'email'),
      ...(runbookBaseUrl === undefined ? {} : { runbookBaseUrl }),
    },
    tenants: raw.tenants,
    kubernetesClusters: bool('kubernetesClusters', raw.kubernetesClusters, false),
    metricsNamespace: text('metricsNamespace', raw.metricsNamespace ?? 'Portcullis', NAMESPACE, 'namespace'),
    logRetention: oneOf('logRetention', raw.logRetention, LOG_RETENTIONS, '1 month'),
  };
}

/**
 * Configuration of the Lambda functions, read from the environment ONCE per cold start and validated strictly:
 * every variable this file reads is in `FunctionsEnv` (the adapters' own variables — tables, ACME, RFC 2136,
 * Route53, AWS — are documented next to their adapters and read by their `*FromEnv` helpers), and each bad value
 * fails with the variable's name and the rule before any client is built.
 */
import { EventBridgeEnv, MetricsEnv, SqsEnv } from '@portcullis/aws';
import { ValidationError } from '@portcullis/core';

export const FunctionsEnv = {
  /** DNS provider for dns-01: `rfc2136` (default) or `route53`. */
  DnsProvider: 'PORTCULLIS_DNS_PROVIDER',
  /** Comma-separated `host:port` resolvers where lookups start (VPC resolver in AWS; bind9 in local mode). */
  DnsResolvers: 'PORTCULLIS_DNS_RESOLVERS',
  /** Port every nameserver found by NS discovery is asked on (default 53; local mode: bind9's port). */
  DnsNameserverPort: 'PORTCULLIS_DNS_NAMESERVER_PORT',
  /** The `spec.issuer` id the configured ACME account serves (default: the ACME issuer name, `pebble` for a bare directory). */
  IssuerId: 'PORTCULLIS_ISSUER_ID',
  /** Comma-separated CAA identities of the issuer; default from the issuer (`letsencrypt.org`), empty skips CAA. */
  IssuerCaa: 'PORTCULLIS_ISSUER_CAA',
  /**
   * Further ACME issuers besides the `PORTCULLIS_ACME_*` one, for switching certificates to another CA during an
   * outage (`PATCH /certificates/{id}` `{"issuer": "<id>"}`): comma-separated `<id>=<named issuer or directory
   * URL>`, e.g. `zerossl=zerossl,backup=https://ca.example/acme/directory`. Ids match `[a-z0-9][a-z0-9-]{0,62}`
   * and differ from the primary issuer's id. Each shares the primary's contact e-mail, CA file and backoff; external
   * account binding per issuer in `PORTCULLIS_ACME_EAB_KID_<ID>` + `PORTCULLIS_ACME_EAB_HMAC_KEY_<ID>` (`<ID>`: the
   * id upper-cased, `-` → `_`). CAA identities and Let's Encrypt limits follow the named issuer (none for a URL).
   */
  AcmeIssuers: 'PORTCULLIS_ACME_ISSUERS',
  /** Secrets Manager prefix of ACME account keys (default `portcullis/acme-accounts/`). */
  AccountKeyPrefix: 'PORTCULLIS_ACCOUNT_KEY_PREFIX',
  /** Secrets Manager prefix of certificate keys and chains (default `portcullis/certificates/`). */
  CertificatePrefix: 'PORTCULLIS_CERTIFICATE_PREFIX',
  /** Most records one `plan` run enqueues (1..1000, default 500); the rest are found on the next run. */
  PlanLimit: 'PORTCULLIS_PLAN_LIMIT',
} as const;
export type FunctionsEnv = (typeof FunctionsEnv)[keyof typeof FunctionsEnv];

/** Variables that must be set for the worker and the planner (beyond the adapters' required ones). */
export const REQUIRED_ENV = [SqsEnv.ReconcileQueueUrl] as const;

export const DnsProviderKind = {
  /** TSIG-signed dynamic updates (`RFC2136_ENV`). */
  Rfc2136: 'rfc2136',
  /** Route53 (`ROUTE53_ENV`). */
  Route53: 'route53',
} as const;
export type DnsProviderKind = (typeof DnsProviderKind)[keyof typeof DnsProviderKind];

export interface DnsServerAddress {
  readonly host: string;
  readonly port: number;
}

export interface FunctionsConfig {
  readonly queueUrl: string;
  readonly eventBusName: string;
  readonly metricsNamespace: string;
  readonly dnsProvider: DnsProviderKind;
  readonly dnsResolvers: readonly DnsServerAddress[];
  readonly dnsNameserverPort: number;
  /** Absent: derived from the ACME issuer (see `issuerProfile`). */
  readonly issuerId?: string;
  readonly issuerCaa?: readonly string[];
  /** `PORTCULLIS_ACME_ISSUERS`, in the order given (absent: none). */
  readonly extraIssuers?: readonly ExtraIssuerConfig[];
  readonly accountKeyPrefix?: string;
  readonly certificatePrefix?: string;
  readonly planLimit: number;
}

/** One entry of `PORTCULLIS_ACME_ISSUERS`. */
export interface ExtraIssuerConfig {
  /** The `spec.issuer` id certificates name it by. */
  readonly id: string;
  /** A named issuer (`zerossl`, `letsencrypt`, ...) or an http(s) directory URL, as `PORTCULLIS_ACME_ISSUER`. */
  readonly issuer: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function pick(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, min: number, max: number, fallback: number): number {
  const raw = pick(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ValidationError(name, 'integer-range', `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function servers(raw: string, name: string): DnsServerAddress[] {
  return raw.split(',').map((entry) => {
    const match = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(entry.trim());
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65_535) {
      throw new ValidationError(name, 'host-port', `"${entry.trim()}" is not host:port (port 1..65535)`);
    }
    return { host: match[1] as string, port };
  });
}

const ISSUER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,200}\/$/;

/** `AcmeEnv.Issuer` / `AcmeEnv.Directory` of @portcullis/acme, by name: the API bundle imports no ACME code. */
const ACME_ISSUER_ENV = 'PORTCULLIS_ACME_ISSUER';
const ACME_DIRECTORY_ENV = 'PORTCULLIS_ACME_DIRECTORY';

/**
 * The id of the issuer `PORTCULLIS_ACME_*` configures (the default of requests that name none), derived the same way
 * for the worker and the API: `PORTCULLIS_ISSUER_ID`, else the named issuer, `acme` for a directory URL, `pebble`
 * for a bare directory (local mode), `letsencrypt-staging` when nothing is set (the ACME client's default).
 */
export function primaryIssuerId(env: Env, config: Pick<FunctionsConfig, 'issuerId'>): string {
  if (config.issuerId !== undefined) return config.issuerId;
  const issuer = pick(env, ACME_ISSUER_ENV) ?? (pick(env, ACME_DIRECTORY_ENV) === undefined ? undefined : 'pebble');
  if (issuer === undefined) return 'letsencrypt-staging';
  return issuer.includes('://') ? 'acme' : issuer;
}

/** Every issuer id the worker serves: the primary first, then `PORTCULLIS_ACME_ISSUERS` in order. */
export function configuredIssuerIds(env: Env, config: Pick<FunctionsConfig, 'issuerId' | 'extraIssuers'>): string[] {
  return [primaryIssuerId(env, config), ...(config.extraIssuers ?? []).map((extra) => extra.id)];
}

/** The environment suffix of an issuer's own variables (`backup-ca` → `BACKUP_CA`). */
export function issuerEnvSuffix(id: string): string {
  return id.toUpperCase().replaceAll('-', '_');
}

const NAMED_ISSUER = /^[a-z][a-z0-9-]{0,62}$/;

/** `PORTCULLIS_ACME_ISSUERS`, validated (ids unique and different from the primary's); undefined when unset. */
export function extraIssuers(env: Env, primaryId: string): ExtraIssuerConfig[] | undefined {
  const raw = pick(env, FunctionsEnv.AcmeIssuers);
  if (raw === undefined) return undefined;
  const name = FunctionsEnv.AcmeIssuers;
  const seen = new Set([primaryId]);
  return raw.split(',').map((entry) => {
    const trimmed = entry.trim();
    const at = trimmed.indexOf('=');
    const id = at < 0 ? '' : trimmed.slice(0, at).trim();
    const issuer = at < 0 ? '' : trimmed.slice(at + 1).trim();
    if (!ISSUER_ID.test(id) || issuer === '') {
      throw new ValidationError(name, 'id-issuer', `"${trimmed}" is not <id>=<named issuer or directory URL>`);
    }
    if (!NAMED_ISSUER.test(issuer) && !/^https?:\/\/[\x21-\x7e]+$/.test(issuer)) {
      throw new ValidationError(name, 'issuer', `issuer of "${id}" must be a named issuer or an http(s) URL`);
    }
    if (seen.has(id)) {
      throw new ValidationError(
        name,
        'unique',
        `issuer id "${id}" is used twice (the primary issuer is "${primaryId}")`,
      );
    }
    seen.add(id);
    return { id, issuer };
  });
}

/** Reads and validates everything the worker and the planner need from `env`; throws `ValidationError`. */
export function readFunctionsConfig(env: Env = process.env): FunctionsConfig {
  const queueUrl = pick(env, SqsEnv.ReconcileQueueUrl);
  if (queueUrl === undefined) {
    throw new ValidationError(SqsEnv.ReconcileQueueUrl, 'required', 'is not set: the reconcile queue URL is needed');
  }
  const provider = pick(env, FunctionsEnv.DnsProvider) ?? DnsProviderKind.Rfc2136;
  if (!Object.values<string>(DnsProviderKind).includes(provider)) {
    throw new ValidationError(FunctionsEnv.DnsProvider, 'one-of', `must be rfc2136 or route53, got "${provider}"`);
  }
  const resolvers = pick(env, FunctionsEnv.DnsResolvers);
  if (resolvers === undefined) {
    // No silent fallback to the system resolver: in AWS it is the VPC resolver's address, locally bind9's.
    throw new ValidationError(
      FunctionsEnv.DnsResolvers,
      'required',
      'is not set: DNS lookups need a starting resolver',
    );
  }
  const issuerId = pick(env, FunctionsEnv.IssuerId);
  if (issuerId !== undefined && !ISSUER_ID.test(issuerId)) {
    throw new ValidationError(FunctionsEnv.IssuerId, 'issuer-id', `must match ${ISSUER_ID.source}, got "${issuerId}"`);
  }
  const extras = extraIssuers(env, primaryIssuerId(env, issuerId === undefined ? {} : { issuerId }));
  const caa = env[FunctionsEnv.IssuerCaa];
  const prefixes: Record<string, string | undefined> = {};
  for (const name of [FunctionsEnv.AccountKeyPrefix, FunctionsEnv.CertificatePrefix]) {
    const value = pick(env, name);
    if (value !== undefined && !SECRET_PREFIX.test(value)) {
      throw new ValidationError(name, 'secret-prefix', `must match ${SECRET_PREFIX.source}, got "${value}"`);
    }
    prefixes[name] = value;
  }
  const accountKeyPrefix = prefixes[FunctionsEnv.AccountKeyPrefix];
  const certificatePrefix = prefixes[FunctionsEnv.CertificatePrefix];
  return {
    queueUrl,
    eventBusName: pick(env, EventBridgeEnv.EventBus) ?? 'default',
    metricsNamespace: pick(env, MetricsEnv.Namespace) ?? 'Portcullis',
    dnsProvider: provider as DnsProviderKind,
    dnsResolvers: servers(resolvers, FunctionsEnv.DnsResolvers),
    dnsNameserverPort: integer(env, FunctionsEnv.DnsNameserverPort, 1, 65_535, 53),
    ...(issuerId === undefined ? {} : { issuerId }),
    ...(extras === undefined ? {} : { extraIssuers: extras }),
    ...(caa === undefined
      ? {}
      : {
          issuerCaa: caa
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        }),
    ...(accountKeyPrefix === undefined ? {} : { accountKeyPrefix }),
    ...(certificatePrefix === undefined ? {} : { certificatePrefix }),
    planLimit: integer(env, FunctionsEnv.PlanLimit, 1, 1000, 500),
  };
}

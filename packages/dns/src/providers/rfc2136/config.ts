/**
 * Configuration of the RFC 2136 provider: validated strictly at construction (unknown keys fail, every rule named),
 * and readable from the environment under the names in `RFC2136_ENV`.
 */
import { redact, ValidationError } from '@portcullis/core';
import { dnsNameProblem, normalizeName } from '../../names.js';
import { parseServer } from '../../resolver/config.js';
import type { DnsServer } from '../../wire/transport.js';
import { assertValidTsig, type Tsig, type TsigAlgorithm } from '../../wire/tsig.js';

/** Environment variables `rfc2136ConfigFromEnv` reads. */
export const RFC2136_ENV = {
  /** `host:port` (or `host`, port 53) of the primary server that accepts updates. Required. */
  server: 'PORTCULLIS_RFC2136_SERVER',
  /** TSIG key name, as in the server's `key "<name>"` clause. Required. */
  tsigName: 'PORTCULLIS_RFC2136_TSIG_NAME',
  /** `hmac-sha256` (default), `hmac-sha384` or `hmac-sha512`. */
  tsigAlgorithm: 'PORTCULLIS_RFC2136_TSIG_ALGORITHM',
  /** TSIG secret, base64. Required. */
  tsigSecret: 'PORTCULLIS_RFC2136_TSIG_SECRET',
  /** Comma-separated zones this server is primary for; empty = discover each record's zone by SOA. */
  zones: 'PORTCULLIS_RFC2136_ZONES',
  /** TTL of the challenge records in seconds (default 60). */
  ttl: 'PORTCULLIS_RFC2136_TTL',
  /** Time-out of one exchange in milliseconds (default 3000). */
  timeoutMs: 'PORTCULLIS_RFC2136_TIMEOUT_MS',
} as const;

export interface Rfc2136Config {
  /** Primary server that accepts TSIG-signed updates. */
  readonly server: DnsServer;
  readonly tsig: Tsig;
  /** Zones the server is primary for (longest suffix wins); absent = SOA discovery at `server`. */
  readonly zones?: readonly string[];
  /** TTL of challenge TXT records (default 60 s: short, so a retried order's new value is not hidden by caches). */
  readonly ttl?: number;
  /** Time-out of one exchange (default 3000 ms). */
  readonly timeoutMs?: number;
}

export interface ResolvedRfc2136Config {
  readonly server: DnsServer;
  readonly tsig: Tsig;
  readonly zones: readonly string[] | undefined;
  readonly ttl: number;
  readonly timeoutMs: number;
}

const KEYS = ['server', 'tsig', 'zones', 'ttl', 'timeoutMs'];

function integerIn(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'integer-range', `${String(value)} is not an integer from ${min} to ${max}`);
  }
  return value;
}

export function parseRfc2136Config(config: unknown): ResolvedRfc2136Config {
  if (typeof config !== 'object' || config === null)
    throw new ValidationError('rfc2136', 'required', 'rfc2136 config is required');
  const input = config as Record<string, unknown>;
  const extra = Object.keys(input).find((key) => !KEYS.includes(key));
  if (extra !== undefined)
    throw new ValidationError(
      `rfc2136.${extra}`,
      'unknown-key',
      `unknown key "${extra}" (allowed: ${KEYS.join(', ')})`,
    );
  assertValidTsig(input.tsig, 'rfc2136.tsig');
  let zones: string[] | undefined;
  if (input.zones !== undefined) {
    if (!Array.isArray(input.zones) || input.zones.length === 0) {
      throw new ValidationError(
        'rfc2136.zones',
        'non-empty',
        'zones is a non-empty list of zone names (omit it to discover zones)',
      );
    }
    zones = input.zones.map((zone: unknown, index) => {
      const problem = typeof zone === 'string' ? dnsNameProblem(zone) : 'is not a string';
      if (problem !== undefined)
        throw new ValidationError(`rfc2136.zones[${index}]`, 'dns-name', `zone "${String(zone)}" ${problem}`);
      return normalizeName(zone as string);
    });
    const duplicate = zones.find((zone, index) => zones?.indexOf(zone) !== index);
    if (duplicate !== undefined)
      throw new ValidationError('rfc2136.zones', 'unique', `zone ${duplicate} is listed twice`);
  }
  return {
    server: parseServer(input.server, 'rfc2136.server'),
    // The secret is kept only as Redacted from here on, so logging the provider or its config prints no key.
    tsig: {
      name: input.tsig.name,
      algorithm: input.tsig.algorithm,
      secret: typeof input.tsig.secret === 'string' ? redact(input.tsig.secret) : input.tsig.secret,
    },
    zones,
    ttl: integerIn(input.ttl, 'rfc2136.ttl', 1, 86_400, 60),
    timeoutMs: integerIn(input.timeoutMs, 'rfc2136.timeoutMs', 10, 60_000, 3000),
  };
}

function parseHostPort(value: string, variable: string): DnsServer {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(value);
  const match = bracketed ?? plain;
  if (match === null) throw new ValidationError(variable, 'host-port', `${variable}="${value}" is not host:port`);
  return { host: match[1] as string, port: match[2] === undefined ? 53 : Number(match[2]) };
}

function optionalInteger(env: Readonly<Record<string, string | undefined>>, variable: string): number | undefined {
  const raw = env[variable];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new ValidationError(variable, 'integer', `${variable}="${raw}" is not an integer`);
  return Number(raw);
}

/** Reads `RFC2136_ENV` from `env`; the result still goes through `parseRfc2136Config` (in the provider). */
export function rfc2136ConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Rfc2136Config {
  const required = (variable: string): string => {
    const value = env[variable];
    if (value === undefined || value.trim() === '')
      throw new ValidationError(variable, 'required', `${variable} is not set`);
    return value.trim();
  };
  const zones = env[RFC2136_ENV.zones]
    ?.split(',')
    .map((zone) => zone.trim())
    .filter((zone) => zone !== '');
  const ttl = optionalInteger(env, RFC2136_ENV.ttl);
  const timeoutMs = optionalInteger(env, RFC2136_ENV.timeoutMs);
  return {
    server: parseHostPort(required(RFC2136_ENV.server), RFC2136_ENV.server),
    tsig: {
      name: required(RFC2136_ENV.tsigName),
      algorithm: (env[RFC2136_ENV.tsigAlgorithm]?.trim().replace(/\.$/, '') || 'hmac-sha256') as TsigAlgorithm,
      secret: required(RFC2136_ENV.tsigSecret),
    },
    ...(zones === undefined || zones.length === 0 ? {} : { zones }),
    ...(ttl === undefined ? {} : { ttl }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

import { ValidationError } from '@portcullis/core';
import { dnsNameProblem, normalizeName } from '../names.js';
import type { DnsServer } from '../wire/transport.js';

/**
 * Where the resolver asks. Production: `servers` are recursive resolvers (VPC resolver, 1.1.1.1) and NS addresses
 * found are asked on port 53. Local mode: NS records carry no port, so `servers` is the local bind9 (where lookups
 * start) and `nameserverPort` is its port, applied to every NS address found (`ns1.example.test A 127.0.0.1` → ask
 * 127.0.0.1:<nameserverPort>). `authoritative` pins the servers of given zones instead of discovering them from NS
 * records (split-horizon setups, tests).
 */
export interface DnsResolverConfig {
  /** Where lookups start; asked in order until one gives a usable answer. At least one. */
  readonly servers: readonly DnsServer[];
  /** Port for every NS address found (default 53). */
  readonly nameserverPort?: number;
  /** Zone apex → its authoritative servers; overrides NS discovery for that zone. */
  readonly authoritative?: Readonly<Record<string, readonly DnsServer[]>>;
  /** Time-out of one exchange with one server (default 3000). */
  readonly timeoutMs?: number;
  /** Longest CNAME chain followed (default 8). */
  readonly maxCnameHops?: number;
}

export interface ResolvedResolverConfig {
  readonly servers: readonly DnsServer[];
  readonly nameserverPort: number;
  readonly authoritative: ReadonlyMap<string, readonly DnsServer[]>;
  readonly timeoutMs: number;
  readonly maxCnameHops: number;
}

const KEYS = ['servers', 'nameserverPort', 'authoritative', 'timeoutMs', 'maxCnameHops'];

function integer(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, 'integer-range', `${String(value)} is not an integer from ${min} to ${max}`);
  }
  return value;
}

/** Validates one `{ host, port }` (strict: no other keys). */
export function parseServer(value: unknown, field: string): DnsServer {
  if (typeof value !== 'object' || value === null)
    throw new ValidationError(field, 'server', 'a server is { host, port }');
  const { host, port, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw new ValidationError(`${field}.${extra}`, 'unknown-key', `unknown key "${extra}" (allowed: host, port)`);
  if (typeof host !== 'string' || host.trim() === '')
    throw new ValidationError(`${field}.host`, 'required', 'host is required');
  if (port === undefined) throw new ValidationError(`${field}.port`, 'required', 'port is required');
  return { host: host.trim(), port: integer(port, `${field}.port`, 1, 65535, 53) };
}

export function parseServers(value: unknown, field: string): DnsServer[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ValidationError(field, 'non-empty', 'at least one server { host, port } is required');
  return value.map((server, index) => parseServer(server, `${field}[${index}]`));
}

/** Strict validation (unknown keys fail) before any query. */
export function parseResolverConfig(config: unknown): ResolvedResolverConfig {
  if (typeof config !== 'object' || config === null)
    throw new ValidationError('resolver', 'required', 'resolver config is required');
  const input = config as Record<string, unknown>;
  const extra = Object.keys(input).find((key) => !KEYS.includes(key));
  if (extra !== undefined)
    throw new ValidationError(
      `resolver.${extra}`,
      'unknown-key',
      `unknown key "${extra}" (allowed: ${KEYS.join(', ')})`,
    );
  const authoritative = new Map<string, readonly DnsServer[]>();
  if (input.authoritative !== undefined) {
    if (typeof input.authoritative !== 'object' || input.authoritative === null) {
      throw new ValidationError('resolver.authoritative', 'zone-map', 'authoritative maps zone names to server lists');
    }
    for (const [zone, servers] of Object.entries(input.authoritative)) {
      const problem = dnsNameProblem(zone);
      if (problem !== undefined)
        throw new ValidationError(`resolver.authoritative.${zone}`, 'dns-name', `zone "${zone}" ${problem}`);
      authoritative.set(normalizeName(zone), parseServers(servers, `resolver.authoritative.${zone}`));
    }
  }
  return {
    servers: parseServers(input.servers, 'resolver.servers'),
    nameserverPort: integer(input.nameserverPort, 'resolver.nameserverPort', 1, 65535, 53),
    authoritative,
    timeoutMs: integer(input.timeoutMs, 'resolver.timeoutMs', 10, 60_000, 3000),
    maxCnameHops: integer(input.maxCnameHops, 'resolver.maxCnameHops', 1, 32, 8),
  };
}

/**
 * Where the DNS commands (`doctor`, `dns check`) start their lookups, read the way the functions read it
 * (functions/src/wiring/config.ts): `PORTCULLIS_DNS_RESOLVERS` (comma-separated host:port) and
 * `PORTCULLIS_DNS_NAMESERVER_PORT` (the port every discovered name server is asked on; local bind9's port).
 * Without them: a detached local stack (`portcullis local up`) when one is running, else the system's resolvers on
 * port 53 — a person's laptop pointed at real DNS. And which zones Portcullis may update, for "is the challenge's
 * target zone writable".
 */
import { getServers } from 'node:dns';
import { ValidationError } from '@portcullis/core';
import { type DnsResolverConfig, RFC2136_ENV, ROUTE53_ENV } from '@portcullis/dns';
import { LocalStackEnv, loadLocalStackFromEnv } from '@portcullis/local';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The functions' variable names (`FunctionsEnv` in @portcullis/functions; a unit test keeps them equal). Not
 * imported: loading the functions package (API, middy, Powertools) would slow every CLI start for two strings.
 */
export const DnsEnv = {
  /** Comma-separated `host:port` resolvers where lookups start. */
  DnsResolvers: 'PORTCULLIS_DNS_RESOLVERS',
  /** Port every name server found by NS discovery is asked on (default 53; local bind9's port). */
  DnsNameserverPort: 'PORTCULLIS_DNS_NAMESERVER_PORT',
} as const;

export interface DnsSettings {
  readonly resolver: DnsResolverConfig;
  /** Where the settings came from, for the first line of output. */
  readonly source: string;
}

function pick(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `host:port`, `[v6]:port`; `defaultPort` when the port is left out (system resolvers only). */
export function parseServerList(raw: string, field: string, defaultPort?: number): { host: string; port: number }[] {
  return raw.split(',').map((entry) => {
    const match = /^\[?([^\]\s]+?)\]?(?::(\d{1,5}))?$/.exec(entry.trim());
    const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
    if (match === null || port === undefined || port < 1 || port > 65_535) {
      throw new ValidationError(field, 'host-port', `"${entry.trim()}" is not host:port (port 1..65535)`);
    }
    return { host: match[1] as string, port };
  });
}

function nameserverPort(env: Env): number | undefined {
  const raw = pick(env, DnsEnv.DnsNameserverPort);
  if (raw === undefined) return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw new ValidationError(DnsEnv.DnsNameserverPort, 'integer-range', `must be 1..65535, got "${raw}"`);
  }
  return port;
}

export function dnsSettingsFromEnv(env: Env): DnsSettings {
  const resolvers = pick(env, DnsEnv.DnsResolvers);
  const port = nameserverPort(env);
  if (resolvers !== undefined) {
    const servers = parseServerList(resolvers, DnsEnv.DnsResolvers);
    return {
      resolver: { servers, ...(port === undefined ? {} : { nameserverPort: port }) },
      source: `${DnsEnv.DnsResolvers}=${resolvers}${port === undefined ? '' : `, name servers on port ${port}`}`,
    };
  }
  const stack = loadLocalStackFromEnv(env);
  if (stack !== undefined) {
    const { host, port: bindPort } = stack.bind;
    return {
      resolver: { servers: [{ host, port: bindPort }], nameserverPort: port ?? bindPort },
      source: `the local stack's bind9 at ${host}:${bindPort}`,
    };
  }
  const system = getServers();
  if (system.length === 0) {
    throw new ValidationError(DnsEnv.DnsResolvers, 'required', 'is not set and the system has no resolver');
  }
  return {
    resolver: {
      servers: parseServerList(system.join(','), 'system resolvers', 53),
      ...(port === undefined ? {} : { nameserverPort: port }),
    },
    source: `the system resolvers (${system.join(', ')})`,
  };
}

/**
 * Zones Portcullis is configured to update (RFC 2136 and Route53 zone lists, the local stack's zones), lower case;
 * undefined when none is configured (providers then discover zones, and writability cannot be told from here).
 */
export function writableZonesFromEnv(env: Env): readonly string[] | undefined {
  const zones = new Set<string>();
  for (const name of [RFC2136_ENV.zones, ROUTE53_ENV.zones, LocalStackEnv.DnsZones]) {
    for (const entry of (pick(env, name) ?? '').split(',')) {
      const zone = (entry.split('=')[0] ?? '').trim().toLowerCase().replace(/\.$/, '');
      if (zone !== '') zones.add(zone);
    }
  }
  return zones.size === 0 ? undefined : [...zones].sort();
}

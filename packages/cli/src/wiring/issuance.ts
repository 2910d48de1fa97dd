/**
 * Builds the ports the issuance flow needs from the environment (and, in local mode, from the local stack):
 * the ACME client with its account key store, the DNS provider (RFC 2136 or Route53) with a resolver that asks
 * authoritative servers directly, and the HTTP-01 responder. Shared by `portcullis issue`, the demo and the
 * benchmark so all three run exactly the same code.
 */
import { getServers } from 'node:dns';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  type AcmeEngine,
  acmeConfigFromEnv,
  certificateKeyFactory,
  createAcmeClient,
  FileKeyStore,
} from '@portcullis/acme';
import { awsConfigFromEnv, createAwsClients, route53ClientForZone } from '@portcullis/aws';
import type { CertificateKeyFactory, ChallengeType, Clock, DnsProvider, Resolver } from '@portcullis/core';
import { systemClock, ValidationError } from '@portcullis/core';
import {
  DnsResolver,
  Rfc2136Provider,
  Route53Provider,
  rfc2136ConfigFromEnv,
  route53ConfigFromEnv,
} from '@portcullis/dns';
import {
  type Http01Responder,
  type LocalBind,
  MemoryHttp01TokenStore,
  startHttp01Responder,
  syncingRoute53Provider,
} from '@portcullis/local';

/** DNS providers the CLI can drive. */
export const DnsProviderName = {
  /** TSIG-signed dynamic updates (bind9, PowerDNS, Knot, Windows DNS). */
  Rfc2136: 'rfc2136',
  /** AWS Route53 (in local mode: moto, synced into bind9 so the CA validates what was written). */
  Route53: 'route53',
} as const;
export type DnsProviderName = (typeof DnsProviderName)[keyof typeof DnsProviderName];

/** Variables of the CLI itself (the adapters document theirs next to their config). */
export const CliEnv = {
  /** Where the CLI keeps ACME account keys; default `~/.portcullis`. */
  StateDir: 'PORTCULLIS_STATE_DIR',
  /** Comma-separated `host:port` resolvers where DNS lookups start; default the system's. */
  DnsResolvers: 'PORTCULLIS_DNS_RESOLVERS',
  /** Port to serve HTTP-01 on (default 80; the local stack sets pebble's `httpPort`). */
  Http01Port: 'PORTCULLIS_HTTP01_PORT',
} as const;

export interface IssuanceSetupOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly challenge: ChallengeType;
  readonly dns: DnsProviderName;
  /** Set in local mode: lookups start at bind9, NS addresses are asked on its port, Route53 (moto) syncs into it. */
  readonly localBind?: LocalBind;
  readonly clock?: Clock;
  /** Host the HTTP-01 responder binds (default 127.0.0.1 in local mode, else 0.0.0.0). */
  readonly http01Host?: string;
}

export interface IssuanceSetup {
  readonly acme: AcmeEngine;
  readonly keys: CertificateKeyFactory;
  readonly clock: Clock;
  readonly dns?: { readonly provider: DnsProvider; readonly resolver: Resolver };
  readonly http01?: MemoryHttp01TokenStore;
  /** Stops the HTTP-01 responder, if one was started. */
  close(): Promise<void>;
}

export async function setupIssuance(options: IssuanceSetupOptions): Promise<IssuanceSetup> {
  const { env } = options;
  const clock = options.clock ?? systemClock;
  const stateDir = env[CliEnv.StateDir]?.trim() || join(homedir(), '.portcullis');
  const acme = createAcmeClient({ ...acmeConfigFromEnv(env, new FileKeyStore(join(stateDir, 'keys'))), clock });

  if (options.challenge === 'http-01') {
    const store = new MemoryHttp01TokenStore();
    const port = parsePort(env[CliEnv.Http01Port], CliEnv.Http01Port, 80);
    const host = options.http01Host ?? (options.localBind === undefined ? '0.0.0.0' : '127.0.0.1');
    const responder: Http01Responder = await startHttp01Responder({ host, port, store });
    return { acme, keys: certificateKeyFactory, clock, http01: store, close: () => responder.close() };
  }

  const resolver = new DnsResolver(
    options.localBind === undefined
      ? { servers: parseResolvers(env[CliEnv.DnsResolvers]) }
      : {
          servers: [{ host: options.localBind.host, port: options.localBind.port }],
          nameserverPort: options.localBind.port,
        },
  );
  const provider = options.dns === 'rfc2136' ? new Rfc2136Provider(rfc2136ConfigFromEnv(env)) : route53(options);
  return { acme, keys: certificateKeyFactory, clock, dns: { provider, resolver }, close: async () => {} };
}

function route53(options: IssuanceSetupOptions): DnsProvider {
  const clients = createAwsClients(awsConfigFromEnv(options.env));
  const provider = new Route53Provider({
    ...route53ConfigFromEnv(options.env),
    client: route53ClientForZone(clients, { sessionName: 'portcullis-cli' }),
  });
  // moto answers no DNS queries: publish what the provider wrote into bind9, where pebble looks.
  return options.localBind === undefined
    ? provider
    : syncingRoute53Provider(provider, { route53: clients.route53, bind: options.localBind });
}

function parsePort(raw: string | undefined, field: string, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(field, 'port', `"${raw}" is not a port number from 1 to 65535`);
  }
  return port;
}

function parseResolvers(raw: string | undefined): { host: string; port: number }[] {
  const entries = raw?.trim() ? raw.split(',').map((s) => s.trim()) : getServers();
  return entries.map((entry) => {
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry);
    if (match === null) throw new ValidationError(CliEnv.DnsResolvers, 'host-port', `"${entry}" is not host:port`);
    return { host: match[1] as string, port: match[2] === undefined ? 53 : Number(match[2]) };
  });
}

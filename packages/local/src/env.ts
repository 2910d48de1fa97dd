import type { LocalStackState } from './stack-state.js';

/**
 * Environment variables that describe a running local stack, printed by `portcullis local env` for a shell and
 * returned by `stack.env()`. Names are part of the public interface: tools and scripts read them.
 */
export const LocalStackEnv = {
  /** pebble's ACME directory URL (`https://127.0.0.1:<port>/dir`). */
  AcmeDirectory: 'PORTCULLIS_ACME_DIRECTORY',
  /** File with the CA that signed pebble's HTTPS listener: trust it for ACME calls (lego `LEGO_CA_CERTIFICATES`). */
  AcmeCaFile: 'PORTCULLIS_ACME_CA_FILE',
  /** pebble's management API base URL (roots, intermediates, cert status). */
  AcmeManagementUrl: 'PORTCULLIS_ACME_MANAGEMENT_URL',
  /** External account binding key id (only when the stack requires EAB; the first generated key). */
  AcmeEabKid: 'PORTCULLIS_ACME_EAB_KID',
  /** External account binding HMAC key, base64url (only when the stack requires EAB). */
  AcmeEabHmacKey: 'PORTCULLIS_ACME_EAB_HMAC_KEY',
  /** bind9 as `127.0.0.1:<port>`: RFC 2136 updates and authoritative queries. */
  Rfc2136Server: 'PORTCULLIS_RFC2136_SERVER',
  /** TSIG key name (no trailing dot). */
  Rfc2136TsigName: 'PORTCULLIS_RFC2136_TSIG_NAME',
  /** TSIG algorithm, `hmac-sha256`. */
  Rfc2136TsigAlgorithm: 'PORTCULLIS_RFC2136_TSIG_ALGORITHM',
  /** TSIG secret, base64. */
  Rfc2136TsigSecret: 'PORTCULLIS_RFC2136_TSIG_SECRET',
  /** Comma-separated zones bind9 is authoritative for. */
  DnsZones: 'PORTCULLIS_DNS_ZONES',
  /** moto_server endpoint for every AWS SDK client (absent when the stack runs without moto). */
  AwsEndpoint: 'PORTCULLIS_AWS_ENDPOINT',
  /** AWS region to use against moto, `us-east-1`. */
  AwsRegion: 'PORTCULLIS_AWS_REGION',
  /** Port pebble's VA dials for HTTP-01: serve the responder on `127.0.0.1:<port>`. */
  Http01Port: 'PORTCULLIS_HTTP01_PORT',
  /** State file of a detached stack (`portcullis local up`); read by `loadLocalStackFromEnv()`. */
  LocalState: 'PORTCULLIS_LOCAL_STATE',
  /** Directory that holds `state.json` of the detached stack; default `<repo>/.tmp/local-stack`. */
  LocalDir: 'PORTCULLIS_LOCAL_DIR',
} as const;
export type LocalStackEnv = (typeof LocalStackEnv)[keyof typeof LocalStackEnv];

/** The variables for one stack; `stateFile` is set for detached stacks only. */
export function renderStackEnv(state: LocalStackState, stateFile?: string): Record<string, string> {
  const env: Record<string, string> = {
    [LocalStackEnv.AcmeDirectory]: state.pebble.directoryUrl,
    [LocalStackEnv.AcmeCaFile]: state.pebble.listenerCaFile,
    [LocalStackEnv.AcmeManagementUrl]: state.pebble.managementUrl,
    [LocalStackEnv.Rfc2136Server]: `${state.bind.host}:${state.bind.port}`,
    [LocalStackEnv.Rfc2136TsigName]: state.bind.tsig.name,
    [LocalStackEnv.Rfc2136TsigAlgorithm]: state.bind.tsig.algorithm,
    [LocalStackEnv.Rfc2136TsigSecret]: state.bind.tsig.secret,
    [LocalStackEnv.DnsZones]: state.bind.zones.join(','),
    [LocalStackEnv.Http01Port]: String(state.pebble.httpPort),
  };
  const firstEab = state.pebble.eab?.[0];
  if (firstEab !== undefined) {
    env[LocalStackEnv.AcmeEabKid] = firstEab.kid;
    env[LocalStackEnv.AcmeEabHmacKey] = firstEab.hmacKey;
  }
  if (state.moto !== undefined) {
    env[LocalStackEnv.AwsEndpoint] = state.moto.endpoint;
    env[LocalStackEnv.AwsRegion] = state.moto.region;
  }
  if (stateFile !== undefined) env[LocalStackEnv.LocalState] = stateFile;
  return env;
}

/** `export NAME='value'` lines, single-quoted so any value survives `eval` in sh/bash/zsh. */
export function formatShellExports(env: Readonly<Record<string, string>>): string {
  const quote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;
  return Object.entries(env)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `export ${name}=${quote(value)}`)
    .join('\n');
}

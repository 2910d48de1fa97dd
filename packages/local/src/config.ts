/**
 * Pure renderers for the files the local stack writes before it starts its children: named.conf, one zone file per
 * zone, pebble.json and pebble's environment. Kept free of I/O so the exact text is unit-tested.
 */

/** TSIG key that may update every zone of the local bind9. */
export interface TsigKey {
  readonly name: string;
  readonly algorithm: 'hmac-sha256';
  /** base64 */
  readonly secret: string;
}

export interface NamedConfInput {
  /** Absolute path of the run dir: named's `directory`, where zone files and journals live. */
  readonly dir: string;
  readonly port: number;
  readonly zones: readonly string[];
  readonly tsig: TsigKey;
}

/** Record types an update may touch anywhere below a zone; the apex itself may not get a CNAME (RFC 1034 §3.6.2). */
const BELOW_APEX_TYPES = 'TXT A AAAA CNAME CAA';
const APEX_TYPES = 'TXT A AAAA CAA';

export function zoneFileName(zone: string): string {
  return `${zone}.zone`;
}

/**
 * named.conf for an authoritative-only server on loopback. `-g` ignores `logging {}`, so there is none;
 * `controls { }` keeps named from reading the system's rndc.key; paths are absolute because named resolves them
 * against its cwd.
 */
export function renderNamedConf(input: NamedConfInput): string {
  const key = input.tsig.name;
  const zones = input.zones.map(
    (zone) => `zone "${zone}" {
  type primary;
  file "${input.dir}/${zoneFileName(zone)}";
  journal "${input.dir}/${zone}.jnl";
  update-policy {
    grant ${key} wildcard *.${zone}. ${BELOW_APEX_TYPES};
    grant ${key} name ${zone}. ${APEX_TYPES};
  };
};
`,
  );
  return `key "${key}" {
  algorithm ${input.tsig.algorithm};
  secret "${input.tsig.secret}";
};

options {
  directory "${input.dir}";
  listen-on port ${input.port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  allow-query { 127.0.0.1; };
  allow-transfer { none; };
  dnssec-validation no;
  notify no;
  pid-file none;
  session-keyfile none;
};

controls { };

${zones.join('\n')}`;
}

/**
 * Zone file: SOA, one name server, and A records for the apex, `ns1` and a wildcard, so that HTTP-01 validation of
 * any name in the zone reaches the responder on 127.0.0.1. TTL 60 keeps caches (pebble has none) honest.
 */
export function renderZoneFile(zone: string, serial = 1): string {
  return `$ORIGIN ${zone}.
$TTL 60
@ IN SOA ns1.${zone}. hostmaster.${zone}. ( ${serial} 3600 600 86400 60 )
@ IN NS ns1.${zone}.
@ IN A 127.0.0.1
ns1 IN A 127.0.0.1
* IN A 127.0.0.1
`;
}

export interface PebbleConfigInput {
  readonly acmePort: number;
  readonly managementPort: number;
  readonly certificateFile: string;
  readonly privateKeyFile: string;
  readonly httpPort: number;
  readonly tlsPort: number;
  /** kid → base64url HMAC key; present means EAB is required. */
  readonly eabKeys?: Readonly<Record<string, string>>;
  readonly validitySeconds?: number;
}

export function renderPebbleConfig(input: PebbleConfigInput): string {
  const pebble: Record<string, unknown> = {
    listenAddress: `127.0.0.1:${input.acmePort}`,
    managementListenAddress: `127.0.0.1:${input.managementPort}`,
    certificate: input.certificateFile,
    privateKey: input.privateKeyFile,
    httpPort: input.httpPort,
    tlsPort: input.tlsPort,
    ocspResponderURL: '',
    externalAccountBindingRequired: input.eabKeys !== undefined,
  };
  if (input.eabKeys !== undefined) pebble.externalAccountMACKeys = input.eabKeys;
  if (input.validitySeconds !== undefined) pebble.certificateValidityPeriod = input.validitySeconds;
  return `${JSON.stringify({ pebble }, null, 2)}\n`;
}

export interface PebbleEnvInput {
  readonly nonceRejectPercent?: number;
  readonly alternateRoots?: number;
  readonly chainLength?: number;
}

/**
 * pebble's behaviour switches. NOSLEEP: the VA otherwise sleeps up to 15 s before validating. AUTHZREUSE=0: the
 * default reuses half of the authorizations, so challenge callbacks would run only sometimes. NONCEREJECT=0: the
 * default rejects 5 % of good nonces; tests that want badNonce ask for it.
 */
export function renderPebbleEnv(input: PebbleEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_AUTHZREUSE: '0',
    PEBBLE_WFE_NONCEREJECT: String(input.nonceRejectPercent ?? 0),
  };
  if (input.alternateRoots !== undefined) env.PEBBLE_ALTERNATE_ROOTS = String(input.alternateRoots);
  if (input.chainLength !== undefined) env.PEBBLE_CHAIN_LENGTH = String(input.chainLength);
  return env;
}

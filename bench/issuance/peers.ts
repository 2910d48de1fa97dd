/**
 * How lego 4.9.1 and certbot 2.1 (Debian) are invoked against the run's pebble + bind9: DNS-01 over RFC 2136 with
 * the same TSIG key our provider uses, P-256 certificate keys, each process in its own directory. Pure builders,
 * so the safety-relevant flags can be tested.
 *
 * lego always gets `--dns.resolvers <bind>` and `--dns.disable-cp`: otherwise it looks up nameservers through the
 * system resolver and then queries them on port 53, which is not loopback here.
 * Children get a clean environment (no proxies, no machine-wide REQUESTS_CA_BUNDLE): PATH, HOME, LANG and the
 * variables below only.
 */
import { join } from 'node:path';
import { BenchTool } from './options.js';

export interface PeerContext {
  readonly directoryUrl: string;
  /** PEM of the CA of pebble's HTTPS listener. */
  readonly caFile: string;
  readonly bind: {
    readonly host: string;
    readonly port: number;
    readonly tsig: { readonly name: string; readonly algorithm: string; readonly secret: string };
  };
  /** For certbot: the RFC 2136 credentials file (mode 0600), see `certbotCredentials`. */
  readonly certbotCredentialsFile: string;
}

export interface PeerInvocation {
  readonly command: string;
  readonly args: readonly string[];
  /** Only the tool's own variables; the runner adds PATH, HOME and LANG. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the certificate chain (leaf first) ends up. */
  readonly certificateFile: string;
  /** Where the tool keeps its ACME account inside `dir` (copied from the warm-up run, see the runner). */
  readonly accountDir: string;
}

/** lego's account is looked up by this address under `<path>/accounts/<server>/`. */
export const LEGO_EMAIL = 'bench@example.test';

export function legoInvocation(ctx: PeerContext, names: readonly string[], dir: string): PeerInvocation {
  const nameserver = `${ctx.bind.host}:${ctx.bind.port}`;
  const first = names[0] ?? '';
  return {
    command: 'lego',
    args: [
      '--server',
      ctx.directoryUrl,
      '--accept-tos',
      '--email',
      LEGO_EMAIL,
      '--dns',
      'rfc2136',
      '--dns.resolvers',
      nameserver,
      '--dns.disable-cp',
      ...names.flatMap((name) => ['--domains', name]),
      '--key-type',
      'ec256',
      // Default 30 s; pebble answers at once, so waiting longer than this only hides a failure.
      '--cert.timeout',
      '6',
      '--path',
      dir,
      'run',
    ],
    env: {
      LEGO_CA_CERTIFICATES: ctx.caFile,
      RFC2136_NAMESERVER: nameserver,
      RFC2136_TSIG_KEY: ctx.bind.tsig.name,
      RFC2136_TSIG_SECRET: ctx.bind.tsig.secret,
      // miekg/dns names algorithms as FQDNs: "hmac-sha256."
      RFC2136_TSIG_ALGORITHM: `${ctx.bind.tsig.algorithm.toLowerCase().replace(/\.$/, '')}.`,
      // The defaults pause 60 s between authorizations and poll propagation every 2 s; 0 is the fastest legal value.
      RFC2136_SEQUENCE_INTERVAL: '0',
      RFC2136_POLLING_INTERVAL: '0',
    },
    // lego names files after the first domain, a wildcard's `*` becoming `_`; `.crt` holds leaf + issuer.
    certificateFile: join(dir, 'certificates', `${first.replace('*', '_')}.crt`),
    accountDir: join(dir, 'accounts'),
  };
}

export function certbotInvocation(ctx: PeerContext, names: readonly string[], dir: string): PeerInvocation {
  const configDir = join(dir, 'config');
  return {
    command: 'certbot',
    args: [
      'certonly',
      '--non-interactive',
      '--agree-tos',
      '--register-unsafely-without-email',
      '--server',
      ctx.directoryUrl,
      '--authenticator',
      'dns-rfc2136',
      '--dns-rfc2136-credentials',
      ctx.certbotCredentialsFile,
      '--dns-rfc2136-propagation-seconds',
      '0',
      '--key-type',
      'ecdsa',
      '--elliptic-curve',
      'secp256r1',
      // One set of dirs per process: certbot locks them, so concurrent runs must not share.
      '--config-dir',
      configDir,
      '--work-dir',
      join(dir, 'work'),
      '--logs-dir',
      join(dir, 'logs'),
      ...names.flatMap((name) => ['-d', name]),
    ],
    env: { REQUESTS_CA_BUNDLE: ctx.caFile },
    certificateFile: join(configDir, 'live', names[0] ?? '', 'fullchain.pem'),
    accountDir: join(configDir, 'accounts'),
  };
}

/** The dns-rfc2136 plugin's credentials file (write it with mode 0600: certbot warns about anything wider). */
export function certbotCredentials(bind: PeerContext['bind']): string {
  return [
    `dns_rfc2136_server = ${bind.host}`,
    `dns_rfc2136_port = ${bind.port}`,
    `dns_rfc2136_name = ${bind.tsig.name}`,
    `dns_rfc2136_secret = ${bind.tsig.secret}`,
    `dns_rfc2136_algorithm = ${bind.tsig.algorithm.toUpperCase().replace(/\.$/, '')}`,
    '',
  ].join('\n');
}

export type PeerTool = Exclude<BenchTool, typeof BenchTool.Portcullis>;

export function peerInvocation(tool: PeerTool, ctx: PeerContext, names: readonly string[], dir: string) {
  return tool === BenchTool.Lego ? legoInvocation(ctx, names, dir) : certbotInvocation(ctx, names, dir);
}

/**
 * `portcullis doctor <name> [--challenge dns-01|http-01] [--issuer-caa <domain>]... [--http-port <port>]`:
 * checks what would make validating <name> fail and prints one ✔/✖/!/- line per check, with a fix hint under
 * each failure. Exit code 0 when no check failed (warnings allowed), 1 when one did. See ops/doctor.ts.
 */
import { ChallengeType, ValidationError } from '@portcullis/core';
import { DnsResolver } from '@portcullis/dns';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { renderChecks } from '../ops/checks.js';
import { dnsSettingsFromEnv, writableZonesFromEnv } from '../ops/dns-settings.js';
import { runDoctor } from '../ops/doctor.js';
import { ExitCode, type OpsIo, paintFor, processOpsIo } from '../ops/io.js';
import { createProgress } from '../ops/progress.js';

export interface DoctorFlags {
  readonly challenge: ChallengeType;
  readonly issuerCaa?: string[];
  readonly httpPort?: number;
  readonly timeout?: number;
}

/** CAA identities of the named issuers (as functions/src/wiring/wiring.ts knows them), for the default. */
const ISSUER_CAA: Readonly<Record<string, readonly string[]>> = {
  letsencrypt: ['letsencrypt.org'],
  'letsencrypt-staging': ['letsencrypt.org'],
  zerossl: ['sectigo.com'],
  google: ['pki.goog'],
  'google-staging': ['pki.goog'],
};

/** `--issuer-caa`, else PORTCULLIS_ISSUER_CAA, else the named issuer's (PORTCULLIS_ACME_ISSUER), else none. */
export function caIdentitiesFor(flags: Pick<DoctorFlags, 'issuerCaa'>, env: OpsIo['env']): readonly string[] {
  if (flags.issuerCaa !== undefined && flags.issuerCaa.length > 0) return flags.issuerCaa;
  const configured = env.PORTCULLIS_ISSUER_CAA;
  if (configured !== undefined && configured.trim() !== '') {
    return configured
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  // As acmeConfigFromEnv: no issuer but a directory (the local stack) means pebble, which has no CAA identity.
  const issuer = env.PORTCULLIS_ACME_ISSUER?.trim() || (env.PORTCULLIS_ACME_DIRECTORY?.trim() ? 'pebble' : undefined);
  return ISSUER_CAA[issuer ?? 'letsencrypt-staging'] ?? [];
}

function httpPortFor(flags: DoctorFlags, env: OpsIo['env']): number {
  if (flags.httpPort !== undefined) return flags.httpPort;
  const raw = env.PORTCULLIS_HTTP01_PORT?.trim();
  if (raw === undefined || raw === '') return 80;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw new ValidationError('PORTCULLIS_HTTP01_PORT', 'port', `"${raw}" is not a port number from 1 to 65535`);
  }
  return port;
}

export async function runDoctorCommand(name: string, flags: DoctorFlags, io: OpsIo): Promise<boolean> {
  const settings = dnsSettingsFromEnv(io.env);
  const resolver = new DnsResolver({
    ...settings.resolver,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  });
  const caIdentities = caIdentitiesFor(flags, io.env);
  const writableZones = writableZonesFromEnv(io.env);
  const httpPort = httpPortFor(flags, io.env);
  io.err(`asking DNS from ${settings.source}`);
  const report = await runDoctor(
    name,
    {
      challenge: flags.challenge,
      caIdentities,
      httpPort,
      ...(writableZones === undefined ? {} : { writableZones }),
      ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
    },
    { resolver, progress: createProgress(io, 'doctor') },
  );
  io.out(
    `doctor ${report.name} (${report.challenge}${caIdentities.length === 0 ? '' : `, CAA identity ${caIdentities.join(', ')}`})`,
  );
  io.out(renderChecks(report.checks, paintFor(io)));
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  io.out(failed === 0 ? 'no problems found' : `${failed} check(s) failed`);
  io.setExitCode(report.ok ? ExitCode.Ok : ExitCode.Problem);
  return report.ok;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535) throw new InvalidArgumentError('must be a port 1..65535');
  return port;
}

export function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 10 || ms > 60_000) throw new InvalidArgumentError('must be 10..60000 ms');
  return ms;
}

export function registerDoctorCommand(program: Command, io: OpsIo = processOpsIo): void {
  program
    .command('doctor')
    .description(
      'check a name before issuing: zone and delegation, CAA, wildcard CNAME capture, _acme-challenge delegation ' +
        'and its zone, HTTP-01 reachability. Exit code 1 when a check fails.',
    )
    .argument('<name>', 'DNS name to check (a wildcard like *.example.com checks its base name)')
    .addOption(
      new Option('--challenge <type>', 'challenge to check for')
        .choices(Object.values(ChallengeType))
        .default('dns-01'),
    )
    .option(
      '--issuer-caa <domain>',
      "the issuer's CAA identity, e.g. letsencrypt.org (repeat for more; default $PORTCULLIS_ISSUER_CAA or the " +
        "issuer's own)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--http-port <port>', 'port of the HTTP-01 probe (default $PORTCULLIS_HTTP01_PORT or 80)', parsePort)
    .option('--timeout <ms>', 'time-out of one DNS or HTTP exchange (default 3000 / 5000)', parseTimeout)
    .addHelpText(
      'after',
      '\nDNS lookups start at $PORTCULLIS_DNS_RESOLVERS (host:port,...) with name servers asked on\n' +
        '$PORTCULLIS_DNS_NAMESERVER_PORT; without them at a running `portcullis local up` stack, else the system ' +
        'resolvers.\nExit codes: 0 no check failed (warnings allowed), 1 a check failed or the command could not run.',
    )
    .action(async (name: string, flags: DoctorFlags) => {
      await runDoctorCommand(name, flags, io);
    });
}

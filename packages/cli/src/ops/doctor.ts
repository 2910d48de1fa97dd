/**
 * `portcullis doctor <name>`: everything that makes an ACME validation of one name fail, checked before the CA
 * sees it. The challenge-record checks (CNAME delegation, wildcard capture, the record zone's servers, CAA) come
 * from @portcullis/dns `preflight` — the same code the API and the reconcile step run — and are translated into
 * check lines with fix hints here; doctor adds what an operator needs beyond it: the name's own zone and its
 * delegation (every server authoritative, one NS set everywhere), whether the record zone is one Portcullis may
 * update, and HTTP-01 reachability.
 */
import { ChallengeType, type Resolver, type ZoneInfo } from '@portcullis/core';
import {
  challengeRecordName,
  PreflightCode,
  type PreflightFinding,
  type PreflightReport,
  preflight,
} from '@portcullis/dns';
import { addressesOf, checkNameserverSet, formatServer, type QueryFn } from './authoritative.js';
import { anyFailed, type CheckResult, CheckStatus } from './checks.js';
import { type HttpGet, probeHttp01 } from './http-reachability.js';
import type { Progress } from './progress.js';

export const DoctorCheck = {
  /** The zone that holds the name, found by an SOA walk. */
  Zone: 'zone',
  /** Every name server of that zone answers authoritatively and lists the same NS set. */
  Delegation: 'delegation',
  /** CAA (climbing the tree) lets the issuer's CA identity issue. */
  Caa: 'caa',
  /** No `*.` CNAME answers for `_acme-challenge.<name>` (dns-01). */
  WildcardCname: 'wildcard cname',
  /** Where `_acme-challenge.<name>` leads (CNAME delegation) (dns-01). */
  ChallengeCname: 'challenge cname',
  /** The zone the challenge record is written to is served and configured for updates (dns-01). */
  ChallengeZone: 'challenge zone',
  /** Something answers HTTP on the name's address (http-01). */
  Http01: 'http-01',
} as const;
export type DoctorCheck = (typeof DoctorCheck)[keyof typeof DoctorCheck];

export interface DoctorOptions {
  readonly challenge: ChallengeType;
  /** CAA identities of the issuer (`letsencrypt.org`); no CAA check when empty. */
  readonly caIdentities: readonly string[];
  /** Port of the HTTP-01 probe (80; the local stack's pebble `httpPort`). */
  readonly httpPort: number;
  /** Zones Portcullis is configured to update; undefined = not configured (not checked). */
  readonly writableZones?: readonly string[];
  readonly timeoutMs?: number;
}

export interface DoctorDeps {
  readonly resolver: Resolver;
  /** Replaces `queryServer` (unit tests). */
  readonly query?: QueryFn;
  /** Replaces the HTTP GET (unit tests). */
  readonly httpGet?: HttpGet;
  readonly progress?: Progress;
}

export interface DoctorReport {
  readonly name: string;
  readonly challenge: ChallengeType;
  readonly checks: readonly CheckResult[];
  /** No check failed. */
  readonly ok: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const find = (report: PreflightReport, ...codes: PreflightCode[]): PreflightFinding[] =>
  report.findings.filter((f) => codes.includes(f.code));

export async function runDoctor(input: string, options: DoctorOptions, deps: DoctorDeps): Promise<DoctorReport> {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  const base = name.startsWith('*.') ? name.slice(2) : name;
  const step = <T>(label: string, work: () => Promise<T>) => deps.progress?.step(label, work) ?? work();
  const queryOptions = {
    ...(deps.query === undefined ? {} : { query: deps.query }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const checks: CheckResult[] = [];

  // The preflight validates the name first: bad input throws here, before anything else is asked.
  const report = await step(`pre-flight of ${name}`, () =>
    preflight(name, deps.resolver, {
      ...(options.caIdentities.length === 0 ? {} : { caIdentities: options.caIdentities }),
      ...(deps.query === undefined ? {} : { query: deps.query }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }),
  );

  let zone: ZoneInfo | undefined;
  let zoneError: unknown;
  try {
    zone = await step(`zone of ${base}`, () => deps.resolver.findZone(base));
  } catch (error) {
    zoneError = error;
  }
  if (zone === undefined) {
    checks.push({
      check: DoctorCheck.Zone,
      status: CheckStatus.Fail,
      message: message(zoneError),
      hint: `make sure a zone enclosing ${base} is served by the resolvers Portcullis asks (PORTCULLIS_DNS_RESOLVERS)`,
    });
    checks.push({ check: DoctorCheck.Delegation, status: CheckStatus.Skip, message: 'no zone to check' });
  } else {
    checks.push({
      check: DoctorCheck.Zone,
      status: CheckStatus.Pass,
      message: `${base} is in zone ${zone.zone}, served by ${zone.nameservers.map(formatServer).join(', ')}`,
    });
    const { zone: apex, nameservers } = zone;
    const set = await step(`name servers of ${apex}`, () => checkNameserverSet(apex, nameservers, queryOptions));
    checks.push(
      set.problems.length === 0
        ? {
            check: DoctorCheck.Delegation,
            status: CheckStatus.Pass,
            message: `${set.expected.length} name server(s) answer for ${zone.zone} with authority and list the same NS set (${set.expected.join(', ')})`,
          }
        : {
            check: DoctorCheck.Delegation,
            status: CheckStatus.Fail,
            message: set.problems.join('; '),
            hint: `make every name server of ${zone.zone} serve the zone and list the NS set the parent delegates to`,
          },
    );
  }

  checks.push(caaCheck(report, options));

  if (options.challenge === ChallengeType.Dns01) {
    checks.push(...dnsChallengeChecks(name, report, options));
    checks.push({
      check: DoctorCheck.Http01,
      status: CheckStatus.Skip,
      message: 'not used by dns-01 (run with --challenge http-01 to check it)',
    });
  } else {
    const skipped = 'not used by http-01';
    checks.push({ check: DoctorCheck.WildcardCname, status: CheckStatus.Skip, message: skipped });
    checks.push({ check: DoctorCheck.ChallengeCname, status: CheckStatus.Skip, message: skipped });
    checks.push({ check: DoctorCheck.ChallengeZone, status: CheckStatus.Skip, message: skipped });
    checks.push(await step(`HTTP-01 on ${base}:${options.httpPort}`, () => http01Check(name, options, deps)));
  }
  return { name, challenge: options.challenge, checks, ok: !anyFailed(checks) };
}

function caaCheck(report: PreflightReport, options: DoctorOptions): CheckResult {
  if (options.caIdentities.length === 0) {
    return {
      check: DoctorCheck.Caa,
      status: CheckStatus.Skip,
      message: 'no CA identity known for the issuer (pass --issuer-caa <domain>, e.g. letsencrypt.org)',
    };
  }
  const [finding] = find(report, PreflightCode.CaaAllowed, PreflightCode.CaaForbidden, PreflightCode.CaaLookupFailed);
  if (finding === undefined)
    return { check: DoctorCheck.Caa, status: CheckStatus.Warn, message: 'CAA was not checked' };
  const tag = report.name.startsWith('*.') ? 'issuewild' : 'issue';
  switch (finding.code) {
    case PreflightCode.CaaAllowed:
      return { check: DoctorCheck.Caa, status: CheckStatus.Pass, message: finding.message };
    case PreflightCode.CaaForbidden:
      return {
        check: DoctorCheck.Caa,
        status: CheckStatus.Fail,
        message: finding.message,
        hint: `add the CAA record 0 ${tag} "${options.caIdentities[0]}" next to the deciding one (or remove that one)`,
      };
    default:
      return {
        check: DoctorCheck.Caa,
        status: CheckStatus.Warn,
        message: finding.message,
        hint: 'the CA reads CAA the same way and will refuse while the servers fail: fix the failing name servers',
      };
  }
}

function dnsChallengeChecks(name: string, report: PreflightReport, options: DoctorOptions): CheckResult[] {
  const challenge = challengeRecordName(name);
  const checks: CheckResult[] = [];
  const [wildcard] = find(report, PreflightCode.WildcardCnameCapture);
  const [chainBroken] = find(report, PreflightCode.CnameChainBroken);
  const [unavailable] = report.recordName === undefined ? find(report, PreflightCode.DnsUnavailable) : [];
  if (wildcard !== undefined) {
    checks.push({
      check: DoctorCheck.WildcardCname,
      status: CheckStatus.Fail,
      message: wildcard.message.replace(/^dns: /, '').split('. Create')[0] as string,
      hint: `create an explicit ${challenge} record (a TXT, or a CNAME to a zone Portcullis updates)`,
    });
  } else if (unavailable !== undefined) {
    checks.push({
      check: DoctorCheck.WildcardCname,
      status: CheckStatus.Warn,
      message: `could not be checked: ${unavailable.message}`,
      hint: 'make the name servers of the zone answer, then run doctor again',
    });
  } else {
    checks.push({
      check: DoctorCheck.WildcardCname,
      status: CheckStatus.Pass,
      message: `no wildcard CNAME captures ${challenge}`,
    });
  }

  const [delegated] = find(report, PreflightCode.CnameDelegated, PreflightCode.NoDelegation);
  if (chainBroken !== undefined) {
    checks.push({
      check: DoctorCheck.ChallengeCname,
      status: CheckStatus.Fail,
      message: chainBroken.message.replace(/^dns: /, ''),
      hint: `point ${challenge} (directly or through a short chain) at a name in a zone Portcullis updates`,
    });
  } else if (delegated !== undefined) {
    checks.push({ check: DoctorCheck.ChallengeCname, status: CheckStatus.Pass, message: delegated.message });
  } else if (unavailable !== undefined) {
    // The chain could not be followed to its end (a target in a zone no server answers for, or servers down):
    // the CA will fail the same way.
    checks.push({
      check: DoctorCheck.ChallengeCname,
      status: CheckStatus.Fail,
      message: `${challenge} could not be followed: ${unavailable.message.replace(/^dns: /, '')}`,
      hint: `point ${challenge} at a name in a zone that is served, or make its name servers answer`,
    });
  } else {
    checks.push({ check: DoctorCheck.ChallengeCname, status: CheckStatus.Skip, message: 'see wildcard cname' });
  }

  if (report.recordName === undefined) {
    checks.push({ check: DoctorCheck.ChallengeZone, status: CheckStatus.Skip, message: 'no record name to check' });
    return checks;
  }
  const zoneProblem = find(report, PreflightCode.ZoneNotFound, PreflightCode.DnsUnavailable);
  const lame = find(report, PreflightCode.NameserverUnreachable);
  if (report.zone === undefined || zoneProblem.length > 0) {
    checks.push({
      check: DoctorCheck.ChallengeZone,
      status: CheckStatus.Fail,
      message: zoneProblem.map((f) => f.message).join('; ') || `no zone found for ${report.recordName}`,
      hint: `serve the zone of ${report.recordName} (or point ${challenge} at a name in a served zone)`,
    });
  } else if (lame.length > 0) {
    checks.push({
      check: DoctorCheck.ChallengeZone,
      status: CheckStatus.Fail,
      message: lame.map((f) => f.message).join('; '),
      hint: `make every name server of ${report.zone} answer for it: the CA may ask any of them`,
    });
  } else {
    const writable = options.writableZones;
    const served = `${report.recordName} is written in zone ${report.zone}, which every name server serves`;
    if (writable === undefined) {
      checks.push({
        check: DoctorCheck.ChallengeZone,
        status: CheckStatus.Pass,
        message: `${served} (no zone list configured: the provider discovers zones, writability not checked)`,
      });
    } else if (writable.includes(report.zone)) {
      checks.push({
        check: DoctorCheck.ChallengeZone,
        status: CheckStatus.Pass,
        message: `${served} and Portcullis is configured to update`,
      });
    } else {
      checks.push({
        check: DoctorCheck.ChallengeZone,
        status: CheckStatus.Fail,
        message: `${served}, but it is not among the zones Portcullis updates (${writable.join(', ')})`,
        hint: `add ${report.zone} to the provider's zones (PORTCULLIS_RFC2136_ZONES / PORTCULLIS_ROUTE53_ZONES) or point ${challenge} at one of them`,
      });
    }
  }
  return checks;
}

async function http01Check(name: string, options: DoctorOptions, deps: DoctorDeps): Promise<CheckResult> {
  if (name.startsWith('*.')) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Fail,
      message: `${name} is a wildcard: CAs validate wildcards only by dns-01`,
      hint: 'use --challenge dns-01 for wildcard names',
    };
  }
  let addresses: string[];
  try {
    addresses = await addressesOf(deps.resolver, name, {
      ...(deps.query === undefined ? {} : { query: deps.query }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (error) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Fail,
      message: `the address of ${name} could not be looked up: ${message(error)}`,
      hint: 'fix the zone first (see the zone and delegation checks)',
    };
  }
  const address = addresses[0];
  if (address === undefined) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Fail,
      message: `${name} has no A or AAAA record: the CA cannot connect`,
      hint: `add an A/AAAA record for ${name} pointing at the server (or gateway) that answers HTTP-01`,
    };
  }
  const outcome = await probeHttp01(name, address, options.httpPort, {
    ...(deps.httpGet === undefined ? {} : { get: deps.httpGet }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  if (outcome.error !== undefined || outcome.status === undefined) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Fail,
      message: `nothing answered GET ${outcome.url} at ${address}: ${outcome.error ?? 'no status'}`,
      hint: `serve HTTP on ${address}:${options.httpPort} for ${name} and open the firewall to the CA`,
    };
  }
  const status = outcome.status;
  if (status >= 500) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Warn,
      message: `GET ${outcome.url} at ${address} answered HTTP ${status}`,
      hint: 'the server answers but fails: check that it routes /.well-known/acme-challenge/ to the responder',
    };
  }
  if (status >= 300 && status < 400 && outcome.location !== undefined && !/^(https?:\/\/|\/)/i.test(outcome.location)) {
    return {
      check: DoctorCheck.Http01,
      status: CheckStatus.Warn,
      message: `GET ${outcome.url} redirects to ${outcome.location}, which the CA cannot follow`,
      hint: 'exempt /.well-known/acme-challenge/ from the redirect, or redirect only to http(s) on ports 80/443',
    };
  }
  return {
    check: DoctorCheck.Http01,
    status: CheckStatus.Pass,
    message: `GET ${outcome.url} at ${address} answered HTTP ${status}${status === 404 ? ' (expected for an unknown token)' : ''}${outcome.location === undefined ? '' : ` → ${outcome.location}`}`,
  };
}

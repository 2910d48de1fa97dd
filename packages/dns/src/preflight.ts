/**
 * Pre-flight of one certificate name before an order (used by CLI `doctor`, the API and the reconcile step 2):
 * where the challenge record goes (CNAME delegation, wildcard capture), whether its zone and every name server
 * answer authoritatively, and whether CAA lets our CA issue. Each finding has a stable code and a sentence.
 */
import type { Resolver } from '@portcullis/core';
import { challengeRecordName } from './challenge/record-name.js';
import { DnsError, DnsErrorCode, describeNameserver } from './errors.js';
import { normalizeName } from './names.js';
import { queryServer } from './wire/query.js';

export const PreflightCode = {
  /** `_acme-challenge.<name>` has no CNAME: the record is written in the name's own zone. */
  NoDelegation: 'NoDelegation',
  /** `_acme-challenge.<name>` is delegated by CNAME; the record is written at the chain's end. */
  CnameDelegated: 'CnameDelegated',
  /** A wildcard CNAME captures `_acme-challenge.<name>`: writing there would be wrong. Error. */
  WildcardCnameCapture: 'WildcardCnameCapture',
  /** The CNAME chain loops or is too long. Error. */
  CnameChainBroken: 'CnameChainBroken',
  /** The zone holding the challenge record was found, with its name servers. */
  ZoneFound: 'ZoneFound',
  /** No zone found (or no name server for it). Error. */
  ZoneNotFound: 'ZoneNotFound',
  /** A name server answered the zone's SOA authoritatively. */
  NameserverReachable: 'NameserverReachable',
  /** A name server did not answer, or not authoritatively (lame delegation). Error: the CA may ask exactly it. */
  NameserverUnreachable: 'NameserverUnreachable',
  /** CAA lets one of our CA identities issue for the name (or there is no CAA). */
  CaaAllowed: 'CaaAllowed',
  /** CAA forbids our CA. Error. */
  CaaForbidden: 'CaaForbidden',
  /** CAA could not be read (servers failing). Warning: the CA will fail the same way. */
  CaaLookupFailed: 'CaaLookupFailed',
  /** DNS could not be asked at all (time-out, refused). Error, retryable. */
  DnsUnavailable: 'DnsUnavailable',
} as const;
export type PreflightCode = (typeof PreflightCode)[keyof typeof PreflightCode];

export type PreflightSeverity = 'info' | 'warning' | 'error';

export interface PreflightFinding {
  readonly code: PreflightCode;
  readonly severity: PreflightSeverity;
  readonly message: string;
}

export interface PreflightReport {
  readonly name: string;
  /** Where the TXT record will be written (after CNAME delegation), when that could be determined. */
  readonly recordName?: string;
  readonly zone?: string;
  /** No finding of severity `error`. */
  readonly ok: boolean;
  readonly findings: readonly PreflightFinding[];
}

export interface PreflightOptions {
  /** CA identities for the CAA check (`letsencrypt.org`); no CAA check when absent. */
  readonly caIdentities?: readonly string[];
  readonly timeoutMs?: number;
  /** Asks one server (default `queryServer`); replaced in unit tests. */
  readonly query?: typeof queryServer;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs every check it can; a failing check becomes a finding, never an exception (except bad input). */
export async function preflight(
  name: string,
  resolver: Resolver,
  options: PreflightOptions = {},
): Promise<PreflightReport> {
  const identifier = normalizeName(name);
  const challenge = challengeRecordName(identifier);
  const query = options.query ?? queryServer;
  const findings: PreflightFinding[] = [];
  const add = (code: PreflightCode, severity: PreflightSeverity, message: string) =>
    findings.push({ code, severity, message });

  let recordName: string | undefined;
  try {
    recordName = await resolver.followCnames(challenge);
    if (recordName === challenge)
      add(PreflightCode.NoDelegation, 'info', `${challenge} has no CNAME: the challenge record is written there`);
    else
      add(
        PreflightCode.CnameDelegated,
        'info',
        `${challenge} is delegated by CNAME to ${recordName}: the challenge record is written there`,
      );
  } catch (error) {
    const code =
      error instanceof DnsError && error.code === DnsErrorCode.WildcardCnameCapture
        ? PreflightCode.WildcardCnameCapture
        : error instanceof DnsError && error.code === DnsErrorCode.CnameChainBroken
          ? PreflightCode.CnameChainBroken
          : PreflightCode.DnsUnavailable;
    add(code, 'error', errorMessage(error));
  }

  let zone: string | undefined;
  if (recordName !== undefined) {
    try {
      const info = await resolver.findZone(recordName);
      zone = info.zone;
      add(
        PreflightCode.ZoneFound,
        'info',
        `${recordName} is in zone ${info.zone}, served by ${info.nameservers.map(describeNameserver).join(', ')}`,
      );
      const timeoutMs = options.timeoutMs ?? 3000;
      const checks = await Promise.all(
        info.nameservers.map(async (server) => {
          try {
            const answer = await query(server, info.zone, 'SOA', { timeoutMs });
            const soa = answer.answers.some((r) => r.type === 'SOA' && normalizeName(r.name) === info.zone);
            if (answer.rcode === 'NOERROR' && answer.authoritative && soa) return { server, problem: undefined };
            return {
              server,
              problem: `answered ${answer.rcode}${answer.authoritative ? '' : ' without authority'} for the SOA of ${info.zone}`,
            };
          } catch (error) {
            return { server, problem: errorMessage(error) };
          }
        }),
      );
      for (const { server, problem } of checks) {
        if (problem === undefined)
          add(
            PreflightCode.NameserverReachable,
            'info',
            `name server ${describeNameserver(server)} answers for ${info.zone}`,
          );
        else
          add(
            PreflightCode.NameserverUnreachable,
            'error',
            `name server ${describeNameserver(server)} of ${info.zone}: ${problem}`,
          );
      }
    } catch (error) {
      const unavailable = error instanceof DnsError && error.retryable;
      add(unavailable ? PreflightCode.DnsUnavailable : PreflightCode.ZoneNotFound, 'error', errorMessage(error));
    }
  }

  if (options.caIdentities !== undefined) {
    try {
      const verdict = await resolver.checkCaa(identifier, options.caIdentities);
      add(
        verdict.allowed ? PreflightCode.CaaAllowed : PreflightCode.CaaForbidden,
        verdict.allowed ? 'info' : 'error',
        verdict.reason,
      );
    } catch (error) {
      add(PreflightCode.CaaLookupFailed, 'warning', `CAA for ${identifier} could not be read: ${errorMessage(error)}`);
    }
  }

  return {
    name: identifier,
    ...(recordName === undefined ? {} : { recordName }),
    ...(zone === undefined ? {} : { zone }),
    ok: !findings.some((finding) => finding.severity === 'error'),
    findings,
  };
}

import type { CaaVerdict, Resolver, ZoneInfo } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { DnsErrorCode, DnsResolveError, DnsTransportError } from './errors.js';
import { PreflightCode, preflight } from './preflight.js';
import type { DnsAnswer } from './wire/query.js';

/** A scripted Resolver and name-server query: preflight's job is turning outcomes into findings, tested here. */
function fakeResolver(overrides: Partial<Resolver>): Resolver {
  const zone: ZoneInfo = { zone: 'a.test', nameservers: [{ host: '127.0.0.1', port: 5300, name: 'ns1.a.test' }] };
  const allowed: CaaVerdict = {
    allowed: true,
    code: 'NoRecords',
    reason: 'no CAA record at a.test or above: every CA may issue',
  };
  return {
    followCnames: async (fqdn) => fqdn,
    findZone: async () => zone,
    checkPropagation: async () => ({ ready: true, pending: [] }),
    checkCaa: async () => allowed,
    ...overrides,
  };
}

const authoritativeSoa = async (): Promise<DnsAnswer> => ({
  server: { host: '127.0.0.1', port: 5300 },
  rcode: 'NOERROR',
  authoritative: true,
  transport: 'udp',
  answers: [{ name: 'a.test', type: 'SOA', ttl: 60, data: { mname: 'ns1.a.test', rname: 'h.a.test' } }],
  authorities: [],
  additionals: [],
});

describe('preflight', () => {
  const cases: Record<
    string,
    { resolver: Partial<Resolver>; query?: () => Promise<DnsAnswer>; ok: boolean; codes: string[] }
  > = {
    'reports a healthy name': {
      resolver: {},
      ok: true,
      codes: [
        PreflightCode.NoDelegation,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverReachable,
        PreflightCode.CaaAllowed,
      ],
    },
    'reports a CNAME delegation': {
      resolver: { followCnames: async () => 'a.acme.b.test' },
      ok: true,
      codes: [
        PreflightCode.CnameDelegated,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverReachable,
        PreflightCode.CaaAllowed,
      ],
    },
    'reports a wildcard CNAME capture as an error': {
      resolver: {
        followCnames: async (fqdn) => {
          throw new DnsResolveError(DnsErrorCode.WildcardCnameCapture, fqdn, 'dns: captured');
        },
      },
      ok: false,
      codes: [PreflightCode.WildcardCnameCapture, PreflightCode.CaaAllowed],
    },
    'reports a missing zone': {
      resolver: {
        findZone: async (fqdn) => {
          throw new DnsResolveError(DnsErrorCode.ZoneNotFound, fqdn, 'dns: no zone');
        },
      },
      ok: false,
      codes: [PreflightCode.NoDelegation, PreflightCode.ZoneNotFound, PreflightCode.CaaAllowed],
    },
    'reports a silent name server': {
      resolver: {},
      query: async () => {
        throw new DnsTransportError(
          DnsErrorCode.Timeout,
          '127.0.0.1:5300',
          'dns: 127.0.0.1:5300 (udp) did not answer within 100 ms',
        );
      },
      ok: false,
      codes: [
        PreflightCode.NoDelegation,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverUnreachable,
        PreflightCode.CaaAllowed,
      ],
    },
    'reports a lame name server (answers without authority)': {
      resolver: {},
      query: async () => ({ ...(await authoritativeSoa()), authoritative: false, answers: [] }),
      ok: false,
      codes: [
        PreflightCode.NoDelegation,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverUnreachable,
        PreflightCode.CaaAllowed,
      ],
    },
    'reports CAA that forbids our CA': {
      resolver: {
        checkCaa: async () => ({
          allowed: false,
          code: 'NotAuthorized',
          reason: 'CAA at a.test allows issue only by pki.goog',
        }),
      },
      ok: false,
      codes: [
        PreflightCode.NoDelegation,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverReachable,
        PreflightCode.CaaForbidden,
      ],
    },
    'reports a CAA lookup failure as a warning': {
      resolver: {
        checkCaa: async () => {
          throw new DnsTransportError(DnsErrorCode.Timeout, '127.0.0.1:5300', 'dns: timeout');
        },
      },
      ok: true,
      codes: [
        PreflightCode.NoDelegation,
        PreflightCode.ZoneFound,
        PreflightCode.NameserverReachable,
        PreflightCode.CaaLookupFailed,
      ],
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { resolver, query, ok, codes }) => {
    const report = await preflight('*.a.test', fakeResolver(resolver), {
      caIdentities: ['letsencrypt.org'],
      query: query ?? authoritativeSoa,
    });
    expect(report.ok).toBe(ok);
    expect(report.findings.map((finding) => finding.code)).toEqual(codes);
    for (const finding of report.findings) expect(finding.message.length).toBeGreaterThan(10);
    expect(report.name).toBe('*.a.test');
  });

  it('skips the CAA check without CA identities', async () => {
    const report = await preflight('a.test', fakeResolver({}), { query: authoritativeSoa });
    expect(report.findings.map((finding) => finding.code)).not.toContain(PreflightCode.CaaAllowed);
  });
});

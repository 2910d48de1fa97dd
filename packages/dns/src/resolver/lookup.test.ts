import { describe, expect, it } from 'vitest';
import { DnsErrorCode, DnsTransportError } from '../errors.js';
import type { DnsAnswer, DnsRecord, QueryType } from '../wire/query.js';
import type { DnsServer } from '../wire/transport.js';
import { findNameservers, findZoneApex, type LookupContext, lookup } from './lookup.js';

/**
 * Canned answers keyed by `host name TYPE`. These unit tests cover what the local bind9 (one authoritative server for
 * every zone) cannot show: referrals from an authoritative-only parent, refusing servers, missing glue, time-outs.
 */
type Script = Record<string, Partial<DnsAnswer> | Error>;

const soa = (name: string): DnsRecord => ({
  name,
  type: 'SOA',
  ttl: 60,
  data: { mname: `ns1.${name}`, rname: `hostmaster.${name}`, serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 },
});
const ns = (name: string, host: string): DnsRecord => ({ name, type: 'NS', ttl: 60, data: host });
const a = (name: string, address: string): DnsRecord => ({ name, type: 'A', ttl: 60, data: address });
const cname = (name: string, target: string): DnsRecord => ({ name, type: 'CNAME', ttl: 60, data: target });

function context(script: Script, servers: DnsServer[] = [{ host: '127.0.0.1', port: 5300 }]) {
  const asked: string[] = [];
  const query = async (server: DnsServer, name: string, type: QueryType): Promise<DnsAnswer> => {
    const key = `${server.host} ${name} ${type}`;
    asked.push(key);
    const found = script[key] ?? { rcode: 'REFUSED' };
    if (found instanceof Error) throw found;
    return {
      server,
      rcode: 'NOERROR',
      authoritative: true,
      transport: 'udp',
      answers: [],
      authorities: [],
      additionals: [],
      ...found,
    };
  };
  const ctx: LookupContext = { query, servers, nameserverPort: 5300, timeoutMs: 100 };
  return { ctx, asked };
}

describe('findZoneApex', () => {
  const cases: Record<string, { script: Script; name: string; want: string }> = {
    'takes the zone from the SOA in a negative answer': {
      script: { '127.0.0.1 _acme-challenge.www.a.test SOA': { rcode: 'NXDOMAIN', authorities: [soa('a.test')] } },
      name: '_acme-challenge.www.a.test',
      want: 'a.test',
    },
    'recognises a zone apex by its own SOA': {
      script: { '127.0.0.1 a.test SOA': { answers: [soa('a.test')] } },
      name: 'a.test',
      want: 'a.test',
    },
    'skips a CNAME level (its authority SOA describes the target zone)': {
      script: {
        '127.0.0.1 _acme-challenge.a.test SOA': {
          answers: [cname('_acme-challenge.a.test', 'x.b.test')],
          authorities: [soa('b.test')],
        },
        '127.0.0.1 a.test SOA': { answers: [soa('a.test')] },
      },
      name: '_acme-challenge.a.test',
      want: 'a.test',
    },
    'climbs past levels the server refuses': {
      script: { '127.0.0.1 a.test SOA': { answers: [soa('a.test')] } },
      name: 'x.y.a.test',
      want: 'a.test',
    },
    'follows a referral from an authoritative-only parent (glue in additionals)': {
      script: {
        '127.0.0.1 x.sub.a.test SOA': {
          authoritative: false,
          authorities: [ns('sub.a.test', 'ns.sub.a.test')],
          additionals: [a('ns.sub.a.test', '127.0.0.9')],
        },
        '127.0.0.9 x.sub.a.test SOA': { rcode: 'NXDOMAIN', authorities: [soa('sub.a.test')] },
      },
      name: 'x.sub.a.test',
      want: 'sub.a.test',
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { script, name, want }) => {
    await expect(findZoneApex(context(script).ctx, name)).resolves.toBe(want);
  });

  it('fails with ZoneNotFound when every level is refused', async () => {
    await expect(findZoneApex(context({}).ctx, 'x.other.test')).rejects.toMatchObject({
      code: DnsErrorCode.ZoneNotFound,
      retryable: false,
    });
  });

  it('throws a time-out at once, as retryable', async () => {
    const timeout = new DnsTransportError(
      DnsErrorCode.Timeout,
      '127.0.0.1:5300',
      'dns: 127.0.0.1:5300 (udp) did not answer',
    );
    const { ctx, asked } = context({ '127.0.0.1 x.a.test SOA': timeout });
    await expect(findZoneApex(ctx, 'x.a.test')).rejects.toMatchObject({
      code: DnsErrorCode.QueryFailed,
      retryable: true,
    });
    expect(asked).toEqual(['127.0.0.1 x.a.test SOA']);
  });
});

describe('lookup', () => {
  it('asks the next server when one refuses', async () => {
    const servers = [
      { host: '127.0.0.1', port: 5300 },
      { host: '127.0.0.2', port: 5300 },
    ];
    const { ctx, asked } = context({ '127.0.0.2 a.test A': { answers: [a('a.test', '127.0.0.5')] } }, servers);
    const answer = await lookup(ctx, 'a.test', 'A');
    expect(answer.server.host).toBe('127.0.0.2');
    expect(asked).toEqual(['127.0.0.1 a.test A', '127.0.0.2 a.test A']);
  });
});

describe('findNameservers', () => {
  it('uses glue, looks up the rest, skips hosts without address and applies the nameserver port', async () => {
    const { ctx } = context({
      '127.0.0.1 a.test NS': {
        answers: [ns('a.test', 'ns2.b.test'), ns('a.test', 'ns1.a.test'), ns('a.test', 'ns3.nowhere.test')],
        additionals: [a('ns1.a.test', '127.0.0.1')],
      },
      '127.0.0.1 ns2.b.test A': { answers: [cname('ns2.b.test', 'host.b.test'), a('host.b.test', '127.0.0.2')] },
    });
    await expect(findNameservers(ctx, 'a.test')).resolves.toEqual([
      { host: '127.0.0.1', port: 5300, name: 'ns1.a.test' },
      { host: '127.0.0.2', port: 5300, name: 'ns2.b.test' },
    ]);
  });

  it('fails with NoNameservers when no NS host has an address', async () => {
    const { ctx } = context({ '127.0.0.1 a.test NS': { answers: [ns('a.test', 'ns.nowhere.test')] } });
    await expect(findNameservers(ctx, 'a.test')).rejects.toMatchObject({ code: DnsErrorCode.NoNameservers });
  });
});

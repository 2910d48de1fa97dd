import type { NameServer, ZoneInfo } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { DnsErrorCode, DnsTransportError } from '../errors.js';
import { checkTxtPropagation } from './propagation.js';

const ns1: NameServer = { host: '127.0.0.1', port: 5301, name: 'ns1.a.test' };
const ns2: NameServer = { host: '127.0.0.2', port: 5301, name: 'ns2.a.test' };
const zone: ZoneInfo = { zone: 'a.test', nameservers: [ns1, ns2] };
const NAME = '_acme-challenge.a.test';

type Served = Record<string, string[] | Error>; // by server host

function deps(served: Served) {
  return {
    findZone: async () => zone,
    txtAt: async (server: NameServer) => {
      const values = served[server.host];
      if (values instanceof Error) throw values;
      return values ?? [];
    },
  };
}

describe('checkTxtPropagation', () => {
  const records = [
    { fqdn: NAME, value: 'apex' },
    { fqdn: NAME, value: 'wild' },
  ];
  const cases: Record<string, { served: Served; pending: [string, string][]; reason?: RegExp }> = {
    'is ready when every server serves every value (others may be there too)': {
      served: { '127.0.0.1': ['apex', 'wild', 'someone-else'], '127.0.0.2': ['wild', 'apex'] },
      pending: [],
    },
    'lists each value missing on each server': {
      served: { '127.0.0.1': ['apex'], '127.0.0.2': [] },
      pending: [
        ['apex', '127.0.0.2:5301 (ns2.a.test)'],
        ['wild', '127.0.0.1:5301 (ns1.a.test)'],
        ['wild', '127.0.0.2:5301 (ns2.a.test)'],
      ],
    },
    'counts a server that does not answer as pending, with the reason': {
      served: {
        '127.0.0.1': ['apex', 'wild'],
        '127.0.0.2': new DnsTransportError(
          DnsErrorCode.Timeout,
          '127.0.0.2:5301',
          'dns: 127.0.0.2:5301 (udp) did not answer',
        ),
      },
      pending: [
        ['apex', '127.0.0.2:5301 (ns2.a.test)'],
        ['wild', '127.0.0.2:5301 (ns2.a.test)'],
      ],
      reason: /did not answer/,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { served, pending, reason }) => {
    const result = await checkTxtPropagation(records, deps(served));
    expect(result.ready).toBe(pending.length === 0);
    expect(result.pending.map((p) => [p.value, p.server])).toEqual(pending);
    for (const p of result.pending) {
      expect(p.fqdn).toBe(NAME);
      if (reason !== undefined) expect(p.reason).toMatch(reason);
      else expect(p.reason).toBeUndefined();
    }
  });

  it('asks each name once even when records repeat it', async () => {
    let zoneLookups = 0;
    await checkTxtPropagation([...records, { fqdn: `${NAME.toUpperCase()}.`, value: 'apex' }], {
      ...deps({}),
      findZone: async () => {
        zoneLookups += 1;
        return zone;
      },
    });
    expect(zoneLookups).toBe(1);
  });
});

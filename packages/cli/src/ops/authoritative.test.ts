import type { NameServer } from '@portcullis/core';
import type { DnsAnswer, DnsRecord, QueryType } from '@portcullis/dns';
import { describe, expect, it } from 'vitest';
import { answersAgree, askEach, checkNameserverSet, type QueryFn, type ServerAnswer } from './authoritative.js';

/**
 * Canned answers: the local bind9 serves each zone from ONE server, so disagreeing servers, lame ones and
 * inconsistent NS sets — what these functions exist to find — cannot be produced with it.
 */
const ns1: NameServer = { host: '10.0.0.1', port: 53, name: 'ns1.a.test' };
const ns2: NameServer = { host: '10.0.0.2', port: 53, name: 'ns2.a.test' };

type Canned = Partial<DnsAnswer> | Error;
function query(script: Record<string, Canned>): QueryFn {
  return (async (server: { host: string }, name: string, type: QueryType) => {
    const found = script[`${server.host} ${name} ${type}`] ?? { rcode: 'REFUSED', authoritative: false };
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
  }) as QueryFn;
}
const txt = (name: string, value: string): DnsRecord => ({ name, type: 'TXT', ttl: 60, data: [value] }) as DnsRecord;
const nsRecord = (host: string): DnsRecord => ({ name: 'a.test', type: 'NS', ttl: 60, data: host }) as DnsRecord;
const cname = (name: string, target: string): DnsRecord =>
  ({ name, type: 'CNAME', ttl: 60, data: target }) as DnsRecord;

describe('askEach + answersAgree', () => {
  const name = '_acme-challenge.a.test';
  const cases: Record<string, { script: Record<string, Canned>; agree: boolean }> = {
    'agree when every server serves the same TXT': {
      script: {
        [`10.0.0.1 ${name} TXT`]: { answers: [txt(name, 'v')] },
        [`10.0.0.2 ${name} TXT`]: { answers: [txt(name, 'v')] },
      },
      agree: true,
    },
    'disagree when one server has not got the new value yet': {
      script: {
        [`10.0.0.1 ${name} TXT`]: { answers: [txt(name, 'v')] },
        [`10.0.0.2 ${name} TXT`]: { answers: [] },
      },
      agree: false,
    },
    'disagree when one server answers without authority (lame)': {
      script: {
        [`10.0.0.1 ${name} TXT`]: { answers: [txt(name, 'v')] },
        [`10.0.0.2 ${name} TXT`]: { answers: [txt(name, 'v')], authoritative: false },
      },
      agree: false,
    },
    'disagree when one server times out': {
      script: { [`10.0.0.1 ${name} TXT`]: { answers: [] }, [`10.0.0.2 ${name} TXT`]: new Error('timed out') },
      agree: false,
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { script, agree }) => {
    const answers = await askEach([ns1, ns2], name, 'TXT', { query: query(script) });
    expect(answersAgree(answers)).toBe(agree);
  });

  it('keeps a CNAME that leaves the answer, for the caller to follow', async () => {
    const [answer] = await askEach([ns1], name, 'TXT', {
      query: query({ [`10.0.0.1 ${name} TXT`]: { answers: [cname(name, 'x.b.test')] } }),
    });
    expect(answer).toMatchObject({ records: ['CNAME x.b.test'], cname: 'x.b.test' } satisfies Partial<ServerAnswer>);
  });
});

describe('checkNameserverSet', () => {
  const cases: Record<string, { script: Record<string, Canned>; problems: RegExp[] }> = {
    'passes when both servers list the set discovery found': {
      script: {
        '10.0.0.1 a.test NS': { answers: [nsRecord('ns1.a.test'), nsRecord('ns2.a.test')] },
        '10.0.0.2 a.test NS': { answers: [nsRecord('ns2.a.test'), nsRecord('ns1.a.test')] },
      },
      problems: [],
    },
    'names a server that lists another set': {
      script: {
        '10.0.0.1 a.test NS': { answers: [nsRecord('ns1.a.test'), nsRecord('ns2.a.test')] },
        '10.0.0.2 a.test NS': { answers: [nsRecord('ns2.a.test'), nsRecord('old.a.test')] },
      },
      problems: [
        /ns2\.a\.test \(10\.0\.0\.2:53\) lists NS ns2\.a\.test, old\.a\.test, discovery found ns1\.a\.test, ns2\.a\.test/,
      ],
    },
    'names a server that does not serve the zone': {
      script: { '10.0.0.1 a.test NS': { answers: [nsRecord('ns1.a.test'), nsRecord('ns2.a.test')] } },
      problems: [/10\.0\.0\.2:53\) answered REFUSED without authority for NS a\.test/],
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { script, problems }) => {
    const result = await checkNameserverSet('a.test', [ns1, ns2], { query: query(script) });
    expect(result.expected).toEqual(['ns1.a.test', 'ns2.a.test']);
    expect(result.problems).toHaveLength(problems.length);
    problems.forEach((pattern, index) => {
      expect(result.problems[index]).toMatch(pattern);
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { ZoneSurvey } from './authoritative.js';
import { type DnsCheckType, questionFor, renderSurvey } from './dns-check.js';

describe('questionFor', () => {
  const cases: Record<string, { input: string; type?: DnsCheckType; want: { name: string; type: DnsCheckType } }> = {
    'asks the challenge TXT of a bare name': {
      input: 'www.example.com',
      want: { name: '_acme-challenge.www.example.com', type: 'TXT' },
    },
    'asks the challenge TXT of a wildcard at its base name': {
      input: '*.Example.com.',
      want: { name: '_acme-challenge.example.com', type: 'TXT' },
    },
    'keeps a name that is already a record name': {
      input: '_acme-challenge.x.example.com',
      want: { name: '_acme-challenge.x.example.com', type: 'TXT' },
    },
    'asks an explicit type at exactly the name': {
      input: 'www.example.com',
      type: 'TXT',
      want: { name: 'www.example.com', type: 'TXT' },
    },
    'asks CAA where told': { input: 'example.com', type: 'CAA', want: { name: 'example.com', type: 'CAA' } },
  };
  it.each(Object.entries(cases))('%s', (_name, { input, type, want }) => {
    expect(questionFor(input, type)).toEqual(want);
  });
});

describe('renderSurvey', () => {
  it('prints one row per record and says when servers disagree', () => {
    const survey: ZoneSurvey = {
      name: '_acme-challenge.a.test',
      type: 'TXT',
      zone: 'a.test',
      agree: false,
      answers: [
        {
          server: { host: '10.0.0.1', port: 53, name: 'ns1.a.test' },
          rcode: 'NOERROR',
          authoritative: true,
          records: ['TXT "a"', 'TXT "b"'],
        },
        {
          server: { host: '10.0.0.2', port: 53, name: 'ns2.a.test' },
          records: [],
          error: 'dns: 10.0.0.2:53 (udp) did not answer',
        },
      ],
    };
    expect(renderSurvey(survey)).toBe(
      [
        '_acme-challenge.a.test TXT in zone a.test',
        'SERVER                    RCODE    AA   ANSWER',
        'ns1.a.test (10.0.0.1:53)  NOERROR  yes  TXT "a"',
        '                                        TXT "b"',
        'ns2.a.test (10.0.0.2:53)  ERROR    -    dns: 10.0.0.2:53 (udp) did not answer',
        '✖ the 2 name server(s) disagree or do not all answer with authority',
      ].join('\n'),
    );
  });
});

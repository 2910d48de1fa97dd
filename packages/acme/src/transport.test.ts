import { describe, expect, it } from 'vitest';
import { parseProblem, parseRetryAfter } from './transport.js';

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-20T00:00:00Z');
  const cases: Record<string, { header: string | undefined; want: number | undefined }> = {
    'reads delay-seconds': { header: '120', want: 120_000 },
    'reads zero seconds': { header: '0', want: 0 },
    'trims spaces': { header: ' 30 ', want: 30_000 },
    'reads an HTTP-date in the future': { header: 'Fri, 20 Nov 2026 00:10:00 GMT', want: 600_000 },
    'gives 0 for an HTTP-date in the past': { header: 'Thu, 19 Nov 2026 23:00:00 GMT', want: 0 },
    'ignores an absent header': { header: undefined, want: undefined },
    'ignores a negative number': { header: '-5', want: undefined },
    'ignores a fraction': { header: '1.5', want: undefined },
    'ignores garbage': { header: 'soon', want: undefined },
  };
  it.each(Object.entries(cases))('%s', (_name, { header, want }) => {
    expect(parseRetryAfter(header, now)).toBe(want);
  });
});

describe('parseProblem', () => {
  const cases: Record<string, { data: unknown; status: number; want: unknown }> = {
    'keeps type, detail and status of a problem document': {
      data: { type: 'urn:ietf:params:acme:error:badNonce', detail: 'stale', status: 400 },
      status: 400,
      want: { type: 'urn:ietf:params:acme:error:badNonce', detail: 'stale', status: 400 },
    },
    'parses a problem sent as text': {
      data: '{"type":"urn:ietf:params:acme:error:rateLimited","detail":"slow down"}',
      status: 429,
      want: { type: 'urn:ietf:params:acme:error:rateLimited', detail: 'slow down', status: 429 },
    },
    'keeps subproblems with identifiers': {
      data: {
        type: 'urn:ietf:params:acme:error:compound',
        subproblems: [{ type: 'urn:ietf:params:acme:error:caa', identifier: { type: 'dns', value: 'a.test' } }],
      },
      status: 403,
      want: {
        type: 'urn:ietf:params:acme:error:compound',
        status: 403,
        subproblems: [
          { type: 'urn:ietf:params:acme:error:caa', status: 403, identifier: { type: 'dns', value: 'a.test' } },
        ],
      },
    },
    'describes an HTML error page': {
      data: '<html>Bad Gateway</html>',
      status: 502,
      want: { type: 'about:blank', detail: 'HTTP 502: <html>Bad Gateway</html>', status: 502 },
    },
    'describes a body without type': {
      data: { message: 'nope' },
      status: 500,
      want: { type: 'about:blank', detail: 'HTTP 500 without a problem document', status: 500 },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { data, status, want }) => {
    expect(parseProblem(data, status)).toEqual(want);
  });
});

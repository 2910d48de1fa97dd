import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import {
  type AcmeAuthorization,
  AcmeProblemError,
  AcmeProblemType,
  type ChallengeType,
  chooseRenewalTime,
  selectChallenge,
} from './acme-client.js';

describe('chooseRenewalTime', () => {
  const window = { start: '2027-01-10T00:00:00Z', end: '2027-01-12T00:00:00Z' };
  const before = new Date('2027-01-01T00:00:00Z');
  const cases: Record<string, { now: Date; random: number; want: string }> = {
    'picks the start for random 0': { now: before, random: 0, want: '2027-01-10T00:00:00.000Z' },
    'picks the middle for random 0.5': { now: before, random: 0.5, want: '2027-01-11T00:00:00.000Z' },
    'stays inside the window for random just below 1': {
      now: before,
      random: 0.999_999_999,
      want: '2027-01-11T23:59:59.999Z',
    },
    'answers now when the chosen point is already past': {
      now: new Date('2027-01-11T12:00:00Z'),
      random: 0.25,
      want: '2027-01-11T12:00:00.000Z',
    },
    'keeps a chosen point still ahead inside a running window': {
      now: new Date('2027-01-10T06:00:00Z'),
      random: 0.75,
      want: '2027-01-11T12:00:00.000Z',
    },
    'answers now when the whole window has passed': {
      now: new Date('2027-02-01T00:00:00Z'),
      random: 0.5,
      want: '2027-02-01T00:00:00.000Z',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { now, random, want }) => {
    expect(chooseRenewalTime(window, now, () => random).toISOString()).toBe(want);
  });

  it('refuses a window whose end is not after its start', () => {
    expect(() => chooseRenewalTime({ start: window.end, end: window.start }, before, () => 0.5)).toThrow(
      ValidationError,
    );
  });
});

describe('selectChallenge', () => {
  const authorization = (wildcard: boolean, types: string[]): AcmeAuthorization => ({
    url: 'https://ca/authz/1',
    identifier: { type: 'dns', value: 'example.test' },
    wildcard,
    status: 'pending',
    challenges: types.map((type) => ({ type, url: `https://ca/chall/${type}`, token: 't', status: 'pending' })),
  });
  const cases: Record<
    string,
    { wildcard: boolean; offered: string[]; preferred: ChallengeType; want?: string; rule?: string }
  > = {
    'takes dns-01 when asked': { wildcard: false, offered: ['http-01', 'dns-01'], preferred: 'dns-01', want: 'dns-01' },
    'takes http-01 when asked': {
      wildcard: false,
      offered: ['http-01', 'dns-01'],
      preferred: 'http-01',
      want: 'http-01',
    },
    'takes dns-01 for a wildcard': { wildcard: true, offered: ['dns-01'], preferred: 'dns-01', want: 'dns-01' },
    'refuses http-01 for a wildcard': {
      wildcard: true,
      offered: ['dns-01'],
      preferred: 'http-01',
      rule: 'wildcard-needs-dns-01',
    },
    'refuses a type the CA does not offer': {
      wildcard: false,
      offered: ['tls-alpn-01'],
      preferred: 'http-01',
      rule: 'challenge-not-offered',
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { wildcard, offered, preferred, want, rule }) => {
    const authz = authorization(wildcard, offered);
    if (want !== undefined) {
      expect(selectChallenge(authz, preferred).type).toBe(want);
      return;
    }
    expect(() => selectChallenge(authz, preferred)).toThrow(expect.objectContaining({ rule }));
  });
});

describe('AcmeProblemError', () => {
  it('names the problem type and detail in its message', () => {
    const error = new AcmeProblemError({
      type: AcmeProblemType.unauthorized,
      detail: 'Correct value not found for DNS challenge',
    });
    expect(error.message).toBe(
      'acme: urn:ietf:params:acme:error:unauthorized: Correct value not found for DNS challenge',
    );
    expect({ code: error.code, retryable: error.retryable, name: error.name }).toEqual({
      code: 'AcmeProblem',
      retryable: false,
      name: 'AcmeProblemError',
    });
  });

  const retryable: Record<string, { type: string; status?: number; want: boolean }> = {
    'badNonce is retryable': { type: AcmeProblemType.badNonce, want: true },
    'rateLimited is retryable (after Retry-After)': { type: AcmeProblemType.rateLimited, status: 429, want: true },
    'serverInternal is retryable': { type: AcmeProblemType.serverInternal, want: true },
    'any 5xx is retryable': { type: 'about:blank', status: 502, want: true },
    'malformed is not': { type: AcmeProblemType.malformed, status: 400, want: false },
  };
  it.each(Object.entries(retryable))('%s', (_name, { type, status, want }) => {
    expect(new AcmeProblemError({ type, ...(status === undefined ? {} : { status }) }).retryable).toBe(want);
  });

  it('round-trips to plain data for a status record', () => {
    const problem = { type: AcmeProblemType.rateLimited, detail: 'slow down', status: 429 };
    const error = new AcmeProblemError(problem, { context: 'newOrder', retryAfter: new Date(0) });
    expect(error.toProblem()).toEqual(problem);
    expect(error.message).toBe('acme: newOrder: urn:ietf:params:acme:error:rateLimited: slow down');
  });
});

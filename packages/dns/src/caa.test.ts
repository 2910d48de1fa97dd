import { CaaVerdictCode } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { type CaaRecord, caaLevels, checkCaaTree, evaluateCaa, issuerDomain } from './caa.js';
import { DnsErrorCode, DnsQueryError } from './errors.js';

const issue = (value: string, flags = 0): CaaRecord => ({ flags, tag: 'issue', value });
const issuewild = (value: string, flags = 0): CaaRecord => ({ flags, tag: 'issuewild', value });
const LE = ['letsencrypt.org'];

describe('issuerDomain', () => {
  const cases: Record<string, [string, string]> = {
    'takes a bare domain': ['letsencrypt.org', 'letsencrypt.org'],
    'ignores parameters after the semicolon': ['letsencrypt.org; accounturi=https://acme/acct/1', 'letsencrypt.org'],
    'ignores white space around the domain': ['  letsencrypt.org  ;validationmethods=dns-01', 'letsencrypt.org'],
    'compares case-insensitively': ['LetsEncrypt.ORG', 'letsencrypt.org'],
    'drops a trailing dot': ['letsencrypt.org.', 'letsencrypt.org'],
    'finds no issuer in ";"': [';', ''],
    'finds no issuer in an empty value': ['', ''],
    'treats a malformed domain as no issuer': ['letsencrypt.org extra', ''],
  };
  it.each(Object.entries(cases))('%s', (_name, [value, want]) => {
    expect(issuerDomain(value)).toBe(want);
  });
});

describe('evaluateCaa', () => {
  const cases: Record<
    string,
    { records: CaaRecord[]; wildcard?: boolean; ids?: string[]; allowed: boolean; code: string; record?: string }
  > = {
    'allows the CA named in issue': {
      records: [issue('letsencrypt.org')],
      allowed: true,
      code: CaaVerdictCode.Authorized,
      record: '0 issue "letsencrypt.org"',
    },
    'allows when any issue property names the CA': {
      records: [issue('pki.goog'), issue('letsencrypt.org; accounturi=x')],
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'refuses when issue names another CA': {
      records: [issue('pki.goog')],
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
    },
    'refuses everybody with issue ";"': { records: [issue(';')], allowed: false, code: CaaVerdictCode.NotAuthorized },
    'refuses when the only issue value is malformed': {
      records: [issue('letsencrypt.org bad')],
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
    },
    'matches any of several CA identities': {
      records: [issue('pebble.test')],
      ids: ['letsencrypt.org', 'pebble.test'],
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'does not restrict when only iodef is present': {
      records: [{ flags: 0, tag: 'iodef', value: 'mailto:sec@example.test' }],
      allowed: true,
      code: CaaVerdictCode.NoIssueProperty,
    },
    'ignores issuewild for a non-wildcard name': {
      records: [issuewild(';'), issue('letsencrypt.org')],
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'lets issuewild override issue for a wildcard (allowed)': {
      records: [issue(';'), issuewild('letsencrypt.org')],
      wildcard: true,
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'lets issuewild override issue for a wildcard (forbidden)': {
      records: [issue('letsencrypt.org'), issuewild(';')],
      wildcard: true,
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
    },
    'falls back to issue for a wildcard without issuewild': {
      records: [issue('pki.goog')],
      wildcard: true,
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
    },
    'does not restrict a non-wildcard name with only issuewild': {
      records: [issuewild('pki.goog')],
      allowed: true,
      code: CaaVerdictCode.NoIssueProperty,
    },
    'refuses on a critical unknown tag even when issue allows': {
      records: [issue('letsencrypt.org'), { flags: 128, tag: 'tbs', value: 'x' }],
      allowed: false,
      code: CaaVerdictCode.UnknownCriticalTag,
      record: '128 tbs "x"',
    },
    'ignores a non-critical unknown tag': {
      records: [issue('letsencrypt.org'), { flags: 0, tag: 'tbs', value: 'x' }],
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'accepts the critical flag on a known tag': {
      records: [issue('letsencrypt.org', 128)],
      allowed: true,
      code: CaaVerdictCode.Authorized,
    },
    'matches tags case-insensitively': {
      records: [{ flags: 0, tag: 'ISSUE', value: 'pki.goog' }],
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { records, wildcard, ids, allowed, code, record }) => {
    const verdict = evaluateCaa(records, ids ?? LE, { wildcard: wildcard ?? false, domain: 'example.test' });
    expect(verdict).toMatchObject({ allowed, code, domain: 'example.test' });
    expect(verdict.reason).toContain('example.test');
    if (record !== undefined) expect(verdict.record).toBe(record);
  });
});

describe('caaLevels', () => {
  const cases: Record<string, [string, [string, boolean][]]> = {
    'climbs to the TLD, marking levels above the registrable domain': [
      'a.b.example.test',
      [
        ['a.b.example.test', false],
        ['b.example.test', false],
        ['example.test', false],
        ['test', true],
      ],
    ],
    'knows multi-label public suffixes': [
      'www.example.co.uk',
      [
        ['www.example.co.uk', false],
        ['example.co.uk', false],
        ['co.uk', true],
        ['uk', true],
      ],
    ],
  };
  it.each(Object.entries(cases))('%s', (_name, [name, want]) => {
    expect(caaLevels(name).map((level) => [level.name, level.publicSuffix])).toEqual(want);
  });
});

describe('checkCaaTree', () => {
  const refused = () => new DnsQueryError(DnsErrorCode.QueryFailed, 'test CAA', 'dns: refused');
  const tree = (rrsets: Record<string, CaaRecord[] | Error>) => async (name: string) => {
    const found = rrsets[name];
    if (found instanceof Error) throw found;
    return found ?? [];
  };
  const cases: Record<
    string,
    { identifier: string; rrsets: Record<string, CaaRecord[] | Error>; allowed: boolean; code: string; domain?: string }
  > = {
    'allows when no level has CAA (a refusing public suffix counts as empty)': {
      identifier: 'www.example.test',
      rrsets: { test: refused() },
      allowed: true,
      code: CaaVerdictCode.NoRecords,
    },
    'uses the parent RRset when the name has none': {
      identifier: 'www.example.test',
      rrsets: { 'example.test': [issue('pki.goog')] },
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
      domain: 'example.test',
    },
    'stops at the first non-empty RRset (the name overrides its parent)': {
      identifier: 'www.example.test',
      rrsets: { 'www.example.test': [issue('letsencrypt.org')], 'example.test': [issue(';')] },
      allowed: true,
      code: CaaVerdictCode.Authorized,
      domain: 'www.example.test',
    },
    'evaluates a wildcard identifier at its base name with issuewild': {
      identifier: '*.example.test',
      rrsets: { 'example.test': [issue('letsencrypt.org'), issuewild(';')] },
      allowed: false,
      code: CaaVerdictCode.NotAuthorized,
      domain: 'example.test',
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { identifier, rrsets, allowed, code, domain }) => {
    const verdict = await checkCaaTree(identifier, LE, {}, tree(rrsets));
    expect(verdict).toMatchObject({ allowed, code });
    expect(verdict.domain).toBe(domain);
  });

  it('does not hide a failure below the public suffix', async () => {
    await expect(checkCaaTree('www.example.test', LE, {}, tree({ 'example.test': refused() }))).rejects.toBeInstanceOf(
      DnsQueryError,
    );
  });
});

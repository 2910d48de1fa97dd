import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore } from '@portcullis/acme';
import { systemClock } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { FunctionsEnv, readFunctionsConfig } from './config.js';
import { buildIssuers, eabEnvOf, issuerDirectory } from './issuers.js';

const base = {
  PORTCULLIS_RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/portcullis-reconcile',
  [FunctionsEnv.DnsResolvers]: '10.0.0.2:53',
};
// Never read or written: building issuers makes no network call and touches no key.
const accountKeys = new FileKeyStore(join(tmpdir(), 'portcullis-issuers-test-unused'));
const hmac = Buffer.alloc(32, 7).toString('base64url');

function issuersOf(env: Record<string, string>) {
  const full = { ...base, ...env };
  return buildIssuers({ env: full, config: readFunctionsConfig(full), accountKeys, clock: systemClock });
}

describe('PORTCULLIS_ACME_ISSUERS in readFunctionsConfig', () => {
  const refused: Record<string, { value: string; rule: string }> = {
    'refuses an entry without =': { value: 'zerossl', rule: 'id-issuer' },
    'refuses an upper-case id': { value: 'ZeroSSL=zerossl', rule: 'id-issuer' },
    'refuses an empty issuer': { value: 'backup=', rule: 'id-issuer' },
    'refuses an issuer that is neither a name nor an http(s) URL': {
      value: 'backup=ftp://ca.example/',
      rule: 'issuer',
    },
    'refuses the same id twice': { value: 'a=zerossl,a=google', rule: 'unique' },
    'refuses the primary issuer’s id': { value: 'letsencrypt-staging=zerossl', rule: 'unique' },
  };
  it.each(Object.entries(refused))('%s', (_name, { value, rule }) => {
    expect(() => readFunctionsConfig({ ...base, [FunctionsEnv.AcmeIssuers]: value })).toThrow(
      expect.objectContaining({ field: FunctionsEnv.AcmeIssuers, rule }),
    );
  });

  it('keeps the entries in order, with a URL holding = signs intact', () => {
    const config = readFunctionsConfig({
      ...base,
      [FunctionsEnv.AcmeIssuers]: ' zerossl=zerossl , backup=https://ca.example/dir?x=1',
    });
    expect(config.extraIssuers).toEqual([
      { id: 'zerossl', issuer: 'zerossl' },
      { id: 'backup', issuer: 'https://ca.example/dir?x=1' },
    ]);
  });
});

describe('buildIssuers', () => {
  it('keeps the PORTCULLIS_ACME_* issuer alone when no extra issuer is configured', () => {
    const issuers = issuersOf({ PORTCULLIS_ACME_ISSUER: 'letsencrypt' });
    expect(
      issuers.map(({ id, caaIdentities, letsEncryptLimits }) => ({ id, caaIdentities, letsEncryptLimits })),
    ).toEqual([{ id: 'letsencrypt', caaIdentities: ['letsencrypt.org'], letsEncryptLimits: true }]);
  });

  it('builds every extra issuer with its own profile and external account binding', () => {
    const issuers = issuersOf({
      PORTCULLIS_ACME_DIRECTORY: 'https://127.0.0.1:14000/dir',
      [FunctionsEnv.IssuerId]: 'pebble',
      [FunctionsEnv.AcmeIssuers]: 'zerossl=zerossl,backup-ca=https://127.0.0.1:15000/dir',
      PORTCULLIS_ACME_EAB_KID_ZEROSSL: 'kid-1',
      PORTCULLIS_ACME_EAB_HMAC_KEY_ZEROSSL: hmac,
    });
    expect(
      issuers.map(({ id, caaIdentities, letsEncryptLimits }) => ({ id, caaIdentities, letsEncryptLimits })),
    ).toEqual([
      { id: 'pebble', caaIdentities: [], letsEncryptLimits: false },
      { id: 'zerossl', caaIdentities: ['sectigo.com'], letsEncryptLimits: false },
      { id: 'backup-ca', caaIdentities: [], letsEncryptLimits: false },
    ]);
    const directory = issuerDirectory(issuers);
    expect(['pebble', 'zerossl', 'backup-ca', 'other'].map((id) => directory.get(id)?.id)).toEqual([
      'pebble',
      'zerossl',
      'backup-ca',
      undefined,
    ]);
  });

  it('names the issuer and its variable when an extra issuer lacks its external account binding', () => {
    expect(() => issuersOf({ [FunctionsEnv.AcmeIssuers]: 'zerossl=zerossl' })).toThrow(
      expect.objectContaining({
        field: FunctionsEnv.AcmeIssuers,
        message: expect.stringMatching(/issuer "zerossl" \(zerossl\).*PORTCULLIS_ACME_EAB_KID_ZEROSSL/),
      }),
    );
  });

  it('names an unknown named issuer', () => {
    expect(() => issuersOf({ [FunctionsEnv.AcmeIssuers]: 'backup=letsencrypt-prod' })).toThrow(
      expect.objectContaining({ field: FunctionsEnv.AcmeIssuers, rule: 'acme-config' }),
    );
  });

  it('derives the variables of an issuer’s binding from its id', () => {
    expect(eabEnvOf('backup-ca')).toEqual({
      kid: 'PORTCULLIS_ACME_EAB_KID_BACKUP_CA',
      hmacKey: 'PORTCULLIS_ACME_EAB_HMAC_KEY_BACKUP_CA',
    });
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KeyStore, redact, ValidationError } from '@portcullis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AcmeClientConfig,
  AcmeEnv,
  acmeConfigFromEnv,
  defaultAccountKeyName,
  resolveAcmeConfig,
} from './config.js';

const keyStore: KeyStore = {
  get: async () => undefined,
  put: async () => {},
  create: async (_name, pem) => pem,
};
const hmacKey = redact(Buffer.alloc(32, 1).toString('base64url'));

describe('resolveAcmeConfig accepts', () => {
  const cases: Record<string, { config: AcmeClientConfig; want: Record<string, unknown> }> = {
    'nothing but a key store, as Let’s Encrypt staging with fast polling': {
      config: { keyStore },
      want: {
        issuer: 'letsencrypt-staging',
        directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        accountKeyName: 'acme-account/acme-staging-v02.api.letsencrypt.org-directory',
        backoffMinMs: 250,
        backoffMaxMs: 10_000,
        badNonceRetries: 5,
        termsOfServiceAgreed: true,
      },
    },
    'production Let’s Encrypt by name': {
      config: { keyStore, issuer: 'letsencrypt' },
      want: { directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory' },
    },
    'ZeroSSL with EAB': {
      config: { keyStore, issuer: 'zerossl', eab: { kid: 'kid-1', hmacKey } },
      want: { directoryUrl: 'https://acme.zerossl.com/v2/DV90' },
    },
    'Google Trust Services with EAB': {
      config: { keyStore, issuer: 'google', eab: { kid: 'kid-1', hmacKey } },
      want: { directoryUrl: 'https://dv.acme-v02.api.pki.goog/directory' },
    },
    'pebble with its directory URL': {
      config: { keyStore, issuer: 'pebble', directoryUrl: 'https://127.0.0.1:14000/dir' },
      want: { accountKeyName: 'acme-account/127.0.0.1-14000-dir' },
    },
    'a custom directory URL as issuer': {
      config: { keyStore, issuer: 'https://acme.internal.example/directory' },
      want: { directoryUrl: 'https://acme.internal.example/directory' },
    },
    'contacts and custom backoff': {
      config: { keyStore, contact: ['mailto:ops@example.test'], backoffMinMs: 50, backoffMaxMs: 50 },
      want: { contact: ['mailto:ops@example.test'], backoffMinMs: 50, backoffMaxMs: 50 },
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { config, want }) => {
    expect(resolveAcmeConfig(config)).toMatchObject(want);
  });
});

describe('resolveAcmeConfig refuses, naming the field and the rule', () => {
  const cases: Record<string, { config: unknown; field: string; rule: string }> = {
    'an unknown option': { config: { keyStore, directory: 'x' }, field: 'directory', rule: 'known-field' },
    'an unknown issuer name': {
      config: { keyStore, issuer: 'letsencrypt-prod' },
      field: 'issuer',
      rule: 'known-issuer',
    },
    'pebble without directory URL': { config: { keyStore, issuer: 'pebble' }, field: 'directoryUrl', rule: 'required' },
    'a directory URL that is not http(s)': {
      config: { keyStore, directoryUrl: 'ftp://ca/dir' },
      field: 'directoryUrl',
      rule: 'http-url',
    },
    'no key store': { config: {}, field: 'keyStore', rule: 'required' },
    'ZeroSSL without EAB': { config: { keyStore, issuer: 'zerossl' }, field: 'eab', rule: 'required' },
    'an EAB key in plain text': {
      config: { keyStore, eab: { kid: 'k', hmacKey: 'c2VjcmV0c2VjcmV0c2VjcmV0' } },
      field: 'eab.hmacKey',
      rule: 'redacted',
    },
    'an EAB key that is not base64url': {
      config: { keyStore, eab: { kid: 'k', hmacKey: redact('not base64!') } },
      field: 'eab.hmacKey',
      rule: 'base64url',
    },
    'an empty EAB kid': { config: { keyStore, eab: { kid: ' ', hmacKey } }, field: 'eab.kid', rule: 'required' },
    'a contact that is not mailto': {
      config: { keyStore, contact: ['ops@example.test'] },
      field: 'contact[0]',
      rule: 'mailto-url',
    },
    'a zero backoff': { config: { keyStore, backoffMinMs: 0 }, field: 'backoffMinMs', rule: 'positive-integer' },
    'a maximum below the minimum': {
      config: { keyStore, backoffMinMs: 500, backoffMaxMs: 100 },
      field: 'backoffMaxMs',
      rule: 'not-below-min',
    },
    'a CA that is not PEM': { config: { keyStore, caPem: 'hello' }, field: 'caPem', rule: 'pem-certificate' },
  };
  it.each(Object.entries(cases))('%s', (_name, { config, field, rule }) => {
    let caught: unknown;
    try {
      resolveAcmeConfig(config as AcmeClientConfig);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect({ field: (caught as ValidationError).field, rule: (caught as ValidationError).rule }).toEqual({
      field,
      rule,
    });
  });

  it('never puts the EAB key into a message', () => {
    const secret = redact('short');
    expect(() => resolveAcmeConfig({ keyStore, eab: { kid: 'k', hmacKey: secret } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('short') }),
    );
  });
});

describe('acmeConfigFromEnv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'portcullis-acme-env-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the local stack variables as a pebble configuration', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const config = acmeConfigFromEnv(
      {
        [AcmeEnv.Directory]: 'https://127.0.0.1:14000/dir',
        [AcmeEnv.CaFile]: caFile,
        [AcmeEnv.EabKid]: 'kid-1',
        [AcmeEnv.EabHmacKey]: hmacKey.reveal(),
        [AcmeEnv.Email]: 'ops@example.test',
        [AcmeEnv.BackoffMinMs]: '20',
      },
      keyStore,
    );
    expect(resolveAcmeConfig(config)).toMatchObject({
      issuer: 'pebble',
      directoryUrl: 'https://127.0.0.1:14000/dir',
      contact: ['mailto:ops@example.test'],
      backoffMinMs: 20,
      eab: { kid: 'kid-1' },
    });
    expect(JSON.stringify(config)).not.toContain(hmacKey.reveal());
  });

  it('defaults to staging when nothing is set', () => {
    expect(resolveAcmeConfig(acmeConfigFromEnv({}, keyStore)).issuer).toBe('letsencrypt-staging');
  });

  it('refuses an EAB kid without its key', () => {
    expect(() => acmeConfigFromEnv({ [AcmeEnv.EabKid]: 'kid-1' }, keyStore)).toThrow(/set both/);
  });

  it('refuses a CA file that cannot be read', () => {
    expect(() => acmeConfigFromEnv({ [AcmeEnv.CaFile]: join(dir, 'missing.pem') }, keyStore)).toThrow(
      /PORTCULLIS_ACME_CA_FILE: cannot read/,
    );
  });
});

describe('defaultAccountKeyName', () => {
  it('gives each CA directory its own account key', () => {
    expect(defaultAccountKeyName('https://acme-v02.api.letsencrypt.org/directory')).toBe(
      'acme-account/acme-v02.api.letsencrypt.org-directory',
    );
  });
});

import 'reflect-metadata';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Pkcs10CertificateRequest } from '@peculiar/x509';
import { KeyType, redact } from '@portcullis/core';
import { crypto as acmeCrypto } from 'acme-client';
import { describe, expect, it } from 'vitest';
import { createCsr, generatePrivateKey, keyTypeOf, parseKeyType } from './keys.js';

describe('generatePrivateKey', () => {
  const cases: Record<string, { keyType: KeyType; want: Record<string, unknown> }> = {
    'ECDSA P-256': { keyType: KeyType.EcP256, want: { type: 'ec', namedCurve: 'prime256v1' } },
    'ECDSA P-384': { keyType: KeyType.EcP384, want: { type: 'ec', namedCurve: 'secp384r1' } },
    'RSA 2048': { keyType: KeyType.Rsa2048, want: { type: 'rsa', modulusLength: 2048, publicExponent: 65537n } },
    'RSA 3072': { keyType: KeyType.Rsa3072, want: { type: 'rsa', modulusLength: 3072 } },
    'RSA 4096': { keyType: KeyType.Rsa4096, want: { type: 'rsa', modulusLength: 4096 } },
  };
  it.each(Object.entries(cases))(
    'makes a fresh %s key as PKCS#8 that redacts itself',
    async (_name, { keyType, want }) => {
      const pem = await generatePrivateKey(keyType);
      const key = createPrivateKey(pem.reveal());
      // PKCS#8 PEM exactly: re-exporting as PKCS#8 gives the same text.
      expect(key.export({ format: 'pem', type: 'pkcs8' })).toBe(pem.reveal());
      expect({ type: key.asymmetricKeyType, ...key.asymmetricKeyDetails }).toMatchObject(want);
      expect(keyTypeOf(pem)).toBe(keyType);
      expect(`${pem}`).toBe('[redacted]');
      expect(JSON.stringify({ pem })).toBe('{"pem":"[redacted]"}');
    },
  );

  it('makes a different key every time', async () => {
    const [a, b] = await Promise.all([generatePrivateKey(KeyType.EcP256), generatePrivateKey(KeyType.EcP256)]);
    expect(a.reveal()).not.toBe(b.reveal());
  });
});

describe('parseKeyType', () => {
  it('accepts the CLI names', () => {
    expect(parseKeyType('rsa-3072')).toBe(KeyType.Rsa3072);
  });
  it('refuses others with the list of allowed names', () => {
    expect(() => parseKeyType('ed25519', '--key')).toThrow(
      '--key: "ed25519" is not one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096',
    );
  });
});

describe('createCsr', () => {
  it('puts every identifier into the SAN and the first DNS name into the CN', async () => {
    const key = await generatePrivateKey(KeyType.EcP384);
    const csr = await createCsr(key, [
      { type: 'dns', value: 'example.test' },
      { type: 'dns', value: '*.example.test' },
      { type: 'ip', value: '192.0.2.1' },
    ]);
    expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const domains = acmeCrypto.readCsrDomains(csr);
    expect(domains.commonName).toBe('example.test');
    expect(domains.altNames).toEqual(['example.test', '*.example.test', '192.0.2.1']);
  });

  it('signs the CSR with the given key', async () => {
    const key = await generatePrivateKey(KeyType.Rsa2048);
    const csr = await createCsr(key, [{ type: 'dns', value: 'example.test' }]);
    const request = new Pkcs10CertificateRequest(csr);
    expect(await request.verify()).toBe(true);
    const csrKey = createPublicKey({ key: Buffer.from(request.publicKey.rawData), format: 'der', type: 'spki' });
    const ownKey = createPublicKey(createPrivateKey(key.reveal()));
    expect(csrKey.export({ format: 'jwk' })).toEqual(ownKey.export({ format: 'jwk' }));
  });

  it('leaves the CN out when the first name is longer than 64 characters', async () => {
    const long = `${'a'.repeat(60)}.example.test`;
    const csr = await createCsr(await generatePrivateKey(KeyType.EcP256), [{ type: 'dns', value: long }]);
    expect(acmeCrypto.readCsrDomains(csr)).toEqual({ commonName: null, altNames: [long] });
  });

  it('accepts a SEC1 ("EC PRIVATE KEY") key', async () => {
    const pkcs8 = await generatePrivateKey(KeyType.EcP256);
    const sec1 = createPrivateKey(pkcs8.reveal()).export({ type: 'sec1', format: 'pem' }).toString();
    await expect(createCsr(redact(sec1), [{ type: 'dns', value: 'example.test' }])).resolves.toMatch(/REQUEST/);
  });
});

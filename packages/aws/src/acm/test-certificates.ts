// Test support only (not exported from the package): @peculiar/x509 resolves its ASN.1 helpers through tsyringe,
// which needs the Reflect metadata polyfill loaded first. Production code reads certificates with asn1-x509 alone.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export type TestKey = 'rsa-2048' | 'rsa-3072' | 'ec-p256' | 'ec-p384';

export interface TestCertificateOptions {
  readonly key: TestKey;
  readonly names?: readonly string[];
  /** Key Usage names (`digitalSignature`, `keyEncipherment`); absent = no Key Usage extension. */
  readonly keyUsages?: readonly (keyof typeof x509.KeyUsageFlags)[];
  /** Extended key usage names (`serverAuth`, `clientAuth`); absent = no EKU extension. */
  readonly extendedKeyUsages?: readonly (keyof typeof x509.ExtendedKeyUsage)[];
  readonly notAfter?: Date;
}

export interface TestCertificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

function algorithmOf(key: TestKey): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  switch (key) {
    case 'rsa-2048':
    case 'rsa-3072':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: key === 'rsa-2048' ? 2048 : 3072,
      };
    case 'ec-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ec-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
  }
}

/**
 * A self-signed leaf with exactly the key and usages asked for: pebble cannot make an RSA certificate without
 * keyEncipherment (Let's Encrypt's `tlsserver` profile), so the re-import rules are exercised with these.
 */
export async function makeTestCertificate(options: TestCertificateOptions): Promise<TestCertificate> {
  const algorithm = algorithmOf(options.key);
  const signingAlgorithm = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = options.names ?? ['test.example.test'];
  const extensions: x509.Extension[] = [
    new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns', value }))),
  ];
  if (options.keyUsages !== undefined) {
    const flags = options.keyUsages.reduce((bits, name) => bits | x509.KeyUsageFlags[name], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  if (options.extendedKeyUsages !== undefined) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension(options.extendedKeyUsages.map((name) => x509.ExtendedKeyUsage[name])),
    );
  }
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: webcrypto
        .getRandomValues(new Uint8Array(16))
        .reduce((hex, b) => hex + b.toString(16).padStart(2, '0'), '7f'),
      name: `CN=${names[0]}`,
      notBefore: new Date(now - 60_000),
      notAfter: options.notAfter ?? new Date(now + 30 * 24 * 3600_000),
      keys,
      signingAlgorithm,
      extensions,
    },
    webcrypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return { certificatePem: certificate.toString('pem'), privateKeyPem };
}

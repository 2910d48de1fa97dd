// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { type Redacted, redact } from '@portcullis/core';

/**
 * Throwaway certificate chains for Kubernetes target tests: root → intermediate → leaf, ECDSA P-256, generated at
 * test time (never committed). `chainPem` is leaf + intermediate, as a CA delivers it.
 */
export interface TestChain {
  readonly chainPem: string;
  readonly leafPem: string;
  readonly key: Redacted<string>;
  readonly rootPem: string;
  /** Lower-case hex, no leading zeros. */
  readonly serial: string;
  /** RFC 3339, seconds. */
  readonly notAfter: string;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

interface Issuer {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

let cachedRoot: Promise<{ root: Issuer; intermediate: Issuer }> | undefined;

/** One root and intermediate per test file (leaves differ per call). */
function issuers(): Promise<{ root: Issuer; intermediate: Issuer }> {
  cachedRoot ??= (async () => {
    const notBefore = new Date(Date.now() - 3_600_000);
    const notAfter = new Date(Date.now() + 365 * DAY_MS);
    const rootKeys = await keyPair();
    const root = await x509.X509CertificateGenerator.createSelfSigned(
      {
        name: 'CN=Portcullis Test Root',
        keys: rootKeys,
        notBefore,
        notAfter,
        signingAlgorithm: SIGNING,
        extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
      },
      webcrypto,
    );
    const intermediateKeys = await keyPair();
    const intermediate = await x509.X509CertificateGenerator.create(
      {
        subject: 'CN=Portcullis Test Intermediate',
        issuer: root.subject,
        publicKey: intermediateKeys.publicKey,
        signingKey: rootKeys.privateKey,
        notBefore,
        notAfter,
        signingAlgorithm: SIGNING,
        extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
      },
      webcrypto,
    );
    return { root: { cert: root, keys: rootKeys }, intermediate: { cert: intermediate, keys: intermediateKeys } };
  })();
  return cachedRoot;
}

/** A leaf for `dnsName` with the given hex serial (default random) valid for `days` (default 90). */
export async function createTestChain(
  options: { serial?: string; days?: number; dnsName?: string } = {},
): Promise<TestChain> {
  const { root, intermediate } = await issuers();
  const serial = options.serial ?? `1${Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex')}`;
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 90) * DAY_MS);
  const leafKeys = await keyPair();
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial,
      subject: `CN=${options.dnsName ?? 'app.example.test'}`,
      issuer: intermediate.cert.subject,
      publicKey: leafKeys.publicKey,
      signingKey: intermediate.keys.privateKey,
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: options.dnsName ?? 'app.example.test' }]),
      ],
    },
    webcrypto,
  );
  const der = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  const leafPem = leaf.toString('pem');
  return {
    chainPem: `${leafPem}\n${intermediate.cert.toString('pem')}\n`,
    leafPem,
    key: redact(x509.PemConverter.encode(der, 'PRIVATE KEY')),
    rootPem: root.cert.toString('pem'),
    serial: serial.toLowerCase().replace(/^0+/, ''),
    notAfter: notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

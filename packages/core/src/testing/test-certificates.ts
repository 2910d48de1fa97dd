// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { serialHex } from '../certificates/inspect.js';
import { toIsoTime } from '../lifecycle/types.js';
import type { AcmeIdentifier, CertificateKeyFactory, KeyType } from '../ports/acme-client.js';
import type { CertificateMaterial } from '../ports/certificate-store.js';
import { Redacted } from '../redacted.js';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
let signer: Promise<webcrypto.CryptoKeyPair> | undefined;

/**
 * A real X.509 certificate (self-signed ECDSA P-256, generated at test time, never committed) with the given SANs,
 * validity and serial (hex). One key pair per process signs them all: tests need parseable certificates, not keys.
 */
export async function issueTestCertificate(options: {
  readonly names: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serial: string;
  /** Sign with (and certify) this key pair instead of the shared one. */
  readonly keys?: webcrypto.CryptoKeyPair;
  readonly signingAlgorithm?: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;
}): Promise<string> {
  signer ??= webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
  const keys = options.keys ?? (await signer);
  const first = options.names.find((n) => isIP(n) === 0) ?? 'portcullis-test';
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: options.serial.length % 2 === 0 ? options.serial : `0${options.serial}`,
      name: `CN=${first.replace(/[^A-Za-z0-9.*-]/g, '-')}`,
      keys,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      signingAlgorithm: options.signingAlgorithm ?? SIGNING,
      extensions: [
        new x509.SubjectAlternativeNameExtension(
          options.names.map((n) => (isIP(n) === 0 ? { type: 'dns', value: n } : { type: 'ip', value: n })),
        ),
      ],
    },
    webcrypto,
  );
  return `${certificate.toString('pem')}\n`;
}

/** Serial of the first certificate of a PEM bundle, in `serialHex` form. */
export function serialOfPem(pem: string): string {
  return serialHex(new X509Certificate(pem));
}

/**
 * A `CertificateKeyFactory` for lifecycle unit tests: keys are labelled strings (`fake-ec-p256-key-3`), counted in
 * `generated`; CSRs name the key's label so a test can tell which key a finalize used. Real key generation is
 * tested in `@portcullis/acme`.
 */
export class FakeKeyFactory implements CertificateKeyFactory {
  generated = 0;
  readonly csrs: string[] = [];

  async generateKey(keyType: KeyType): Promise<Redacted<string>> {
    this.generated += 1;
    return new Redacted(`fake-${keyType}-key-${this.generated}`);
  }

  async createCsr(key: Redacted<string>, identifiers: readonly AcmeIdentifier[]): Promise<string> {
    const csr = `csr(${key.reveal()}; ${identifiers.map((i) => i.value).join(',')})`;
    this.csrs.push(csr);
    return csr;
  }
}

const KEY_ALGORITHMS = {
  'ec-p256': { generate: ECDSA, sign: SIGNING },
  'rsa-2048': {
    generate: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  },
} as const;
let materialSequence = 0;

/**
 * Certificate material as the lifecycle hands it to targets: a fresh key (PKCS#8 PEM, in `Redacted`) and a
 * self-signed certificate for it, generated at test time. Serials are unique within the process and across runs
 * (time-based prefix), so adapters that index by serial (ACM) never see a collision.
 */
export async function createTestMaterial(options: {
  readonly certificateId: string;
  readonly revision: number;
  readonly names: readonly string[];
  readonly keyType?: 'ec-p256' | 'rsa-2048';
  readonly notBefore?: Date;
  readonly validitySeconds?: number;
}): Promise<CertificateMaterial> {
  const algorithm = KEY_ALGORITHMS[options.keyType ?? 'ec-p256'];
  const keys = (await webcrypto.subtle.generateKey(algorithm.generate, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
  const notAfter = new Date(notBefore.getTime() + (options.validitySeconds ?? 90 * 86_400) * 1000);
  materialSequence += 1;
  const serial = `7${Date.now().toString(16)}${materialSequence.toString(16).padStart(4, '0')}`;
  const chainPem = await issueTestCertificate({
    names: options.names,
    notBefore,
    notAfter,
    serial,
    keys,
    signingAlgorithm: algorithm.sign,
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificateId: options.certificateId,
    revision: options.revision,
    chainPem,
    serial: serialOfPem(chainPem),
    names: [...options.names],
    notBefore: toIsoTime(notBefore),
    notAfter: toIsoTime(notAfter),
    key: new Redacted(x509.PemConverter.encode(keyDer, 'PRIVATE KEY')),
  };
}

// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
/**
 * TEST ONLY (not exported from the package): certificates for unit tests and golden inputs, generated at test time
 * so that no key or certificate is ever committed. Golden inputs name them with placeholders in TLS Secrets
 * (documented in testdata/README.md):
 *
 *   data:        { tls.crt: GENERATED, tls.key: GENERATED }         → base64 PEM
 *   stringData:  { tls.crt: GENERATED:web-v2, tls.key: GENERATED:web-v2 } → PEM
 *
 * `GENERATED` alone uses the Secret's `namespace/name` as the label; the same label always yields the same
 * certificate and key within a process, different labels different ones (a rotation is two labels; a key that does
 * not match its certificate is `tls.key: GENERATED:<other label>`).
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { KubernetesObject } from '../sources/types.js';

export const CERTIFICATE_PLACEHOLDER = 'GENERATED';

export interface TestCertificate {
  readonly label: string;
  readonly certificatePem: string;
  readonly keyPem: string;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const generated = new Map<string, Promise<TestCertificate>>();

/** A self-signed ECDSA P-256 leaf for `label` (its CN), memoised per label. */
export function testCertificate(label: string): Promise<TestCertificate> {
  let certificate = generated.get(label);
  if (certificate === undefined) {
    certificate = generate(label);
    generated.set(label, certificate);
  }
  return certificate;
}

async function generate(label: string): Promise<TestCertificate> {
  const keys = (await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${label.replace(/[^A-Za-z0-9.-]/g, '-')}`,
      keys,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 30 * 86_400_000),
      signingAlgorithm: SIGNING,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
    },
    webcrypto,
  );
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    label,
    certificatePem: certificate.toString('pem'),
    keyPem: x509.PemConverter.encode(keyDer, 'PRIVATE KEY'),
  };
}

/**
 * Copies of `objects` with every placeholder in Secret `data` / `stringData` (`tls.crt`, `tls.key`, `ca.crt`) and
 * in ConfigMap `data` (`ca.crt` of a BackendTLSPolicy CA bundle, PEM as is) replaced, and the certificates used, by label (so a runner can map generated PEM back to labels in its output).
 */
export async function fillTestCertificates(
  objects: readonly KubernetesObject[],
): Promise<{ objects: KubernetesObject[]; certificates: Map<string, TestCertificate> }> {
  const certificates = new Map<string, TestCertificate>();
  const out: KubernetesObject[] = [];
  for (const object of objects) {
    if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') {
      out.push(object);
      continue;
    }
    const fields =
      object.kind === 'Secret'
        ? ([
            ['data', (pem: string) => Buffer.from(pem, 'utf8').toString('base64')],
            ['stringData', (pem: string) => pem],
          ] as const)
        : ([['data', (pem: string) => pem]] as const);
    const copy: KubernetesObject = { ...object };
    const ownLabel = `${object.metadata?.namespace ?? 'default'}/${object.metadata?.name ?? ''}`;
    for (const [field, encode] of fields) {
      const values = object[field] as Record<string, string> | undefined;
      if (values === undefined) continue;
      const filled: Record<string, string> = { ...values };
      for (const [key, value] of Object.entries(values)) {
        if (typeof value !== 'string' || !value.startsWith(CERTIFICATE_PLACEHOLDER)) continue;
        const label = value === CERTIFICATE_PLACEHOLDER ? ownLabel : value.slice(CERTIFICATE_PLACEHOLDER.length + 1);
        if (value !== CERTIFICATE_PLACEHOLDER && !value.startsWith(`${CERTIFICATE_PLACEHOLDER}:`)) continue;
        const certificate = await testCertificate(label);
        certificates.set(label, certificate);
        filled[key] = encode(key === 'tls.key' ? certificate.keyPem : certificate.certificatePem);
      }
      copy[field] = filled;
    }
    out.push(copy);
  }
  return { objects: out, certificates };
}

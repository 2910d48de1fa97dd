import { X509Certificate } from 'node:crypto';
import { ValidationError } from '../errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, in order. */
export function splitPemChain(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ValidationError('chain', 'pem-certificates', 'holds no PEM certificate');
  return blocks.map((block) => new X509Certificate(block));
}

/** Serial as lower-case hex without leading zeros or colons (the form pebble and ACM's normalised form use). */
export function serialHex(certificate: X509Certificate): string {
  return certificate.serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
}

export interface ChainVerdict {
  readonly serial: string;
  readonly subject: string;
  readonly dnsNames: readonly string[];
  /** ISO 8601, seconds. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Subject of the trusted root the chain ends in. */
  readonly root: string;
}

/**
 * Checks that a chain (leaf first, intermediates after, no root — as ACME delivers it) is signed link by link and
 * ends in one of `roots`. Throws naming the broken link; returns what a summary shows. Validity dates are reported,
 * not enforced, so short-lived test certificates can still be inspected.
 */
export function verifyChain(chainPem: string, rootsPem: readonly string[]): ChainVerdict {
  const chain = splitPemChain(chainPem);
  const roots = rootsPem.flatMap((pem) => splitPemChain(pem));
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i] as X509Certificate;
    const parent = chain[i + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new ValidationError(`chain[${i}]`, 'signed-by-next', `${child.subject} is not signed by ${parent.subject}`);
    }
  }
  const top = chain.at(-1) as X509Certificate;
  const root = roots.find((candidate) => top.checkIssued(candidate) && top.verify(candidate.publicKey));
  if (root === undefined) {
    throw new ValidationError('chain', 'trusted-root', `${top.issuer} is none of the ${roots.length} trusted roots`);
  }
  const leaf = chain[0] as X509Certificate;
  return {
    serial: serialHex(leaf),
    subject: leaf.subject,
    dnsNames: (leaf.subjectAltName ?? '')
      .split(', ')
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4)),
    notBefore: new Date(leaf.validFrom).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    notAfter: new Date(leaf.validTo).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    root: root.subject,
  };
}

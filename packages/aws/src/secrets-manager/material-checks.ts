/**
 * Checks on certificate material before it is written anywhere. moto accepts a key that does not belong to the
 * certificate (AWS refuses it), so these run in our code rather than being left to the service.
 */
import { createPrivateKey, createPublicKey, type X509Certificate } from 'node:crypto';
import { type CertificateFacts, type Redacted, serialHex, splitPemChain, ValidationError } from '@portcullis/core';

/** The leaf (first certificate) of a PEM chain; `ValidationError` naming `field` when there is none. */
export function leafOf(chainPem: string, field = 'chainPem'): X509Certificate {
  try {
    return splitPemChain(chainPem)[0] as X509Certificate;
  } catch (error) {
    throw new ValidationError(
      field,
      'pem-certificates',
      `holds no readable PEM certificate (${(error as Error).message})`,
    );
  }
}

/** The facts handed to `promote` must describe the chain's leaf (a mix-up would tag and report the wrong serial). */
export function checkFactsMatchChain(chainPem: string, facts: CertificateFacts): void {
  const leaf = leafOf(chainPem);
  const serial = serialHex(leaf);
  const expected = facts.serial
    .toLowerCase()
    .replaceAll(':', '')
    .replace(/^0+(?=.)/, '');
  if (serial !== expected) {
    throw new ValidationError(
      'facts.serial',
      'matches-chain',
      `is ${facts.serial}, but the chain's leaf has ${serial}`,
    );
  }
}

/** The leaf must carry the public half of `key`: otherwise every TLS handshake with it would fail. */
export function checkChainFitsKey(chainPem: string, key: Redacted<string>, context: string): void {
  const leaf = leafOf(chainPem);
  let keyPublic: Buffer;
  try {
    keyPublic = createPublicKey(createPrivateKey(key.reveal())).export({ type: 'spki', format: 'der' });
  } catch {
    // The parser's message could quote key bytes: say only what failed.
    throw new ValidationError('key', 'pem-private-key', `${context}: the private key is not a readable PEM key`);
  }
  const leafPublic = leaf.publicKey.export({ type: 'spki', format: 'der' });
  if (!keyPublic.equals(leafPublic)) {
    throw new ValidationError(
      'chainPem',
      'fits-key',
      `${context}: the leaf certificate (serial ${serialHex(leaf)}) was not issued for this private key`,
    );
  }
}

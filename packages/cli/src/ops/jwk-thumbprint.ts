/**
 * JWK thumbprint (RFC 7638) of the public half of a private key: SHA-256 over the key's required JWK members in
 * lexicographic order, no whitespace, base64url. The one safe way to show which ACME account key is in use — it is
 * what the CA itself derives from the key (the `keyAuthorization` suffix) and reveals nothing about the private key.
 * Hand-written because node:crypto exports JWKs but computes no thumbprint, and it is eight lines.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { Redacted } from '@portcullis/core';

/** Required members per key type (RFC 7638 §3.2; RFC 8037 for OKP). */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  RSA: ['e', 'kty', 'n'],
  OKP: ['crv', 'kty', 'x'],
};

export function jwkThumbprint(privateKeyPem: Redacted<string>): string {
  const jwk = createPublicKey(createPrivateKey(privateKeyPem.reveal())).export({ format: 'jwk' });
  return thumbprintOfJwk(jwk as Record<string, unknown>);
}

/** The thumbprint of a public JWK (only the required members count). */
export function thumbprintOfJwk(jwk: Readonly<Record<string, unknown>>): string {
  const members = REQUIRED[String(jwk.kty)];
  if (members === undefined) throw new TypeError(`JWK thumbprint: unsupported key type ${String(jwk.kty)}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(jwk[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

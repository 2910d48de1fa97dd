/**
 * Turns a `kubernetes.io/tls` Secret into a `ModelSecret`, or says why it cannot be served. The certificate chain
 * and key are parsed with node:crypto (and the key checked against the leaf) so that a malformed Secret is reported
 * as `InvalidCertificateRef` instead of being pushed to Envoy, which would reject the whole listener update.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { redact } from '@portcullis/core';
import type { ModelSecret } from './types.js';

export type TlsSecretResult = { ok: true; secret: ModelSecret } | { ok: false; problem: string };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Parsing is the costly part of a translation with thousands of certificates, and every snapshot carries fresh
 * Secret objects, so results are remembered by content (a digest of name and data: a rotation is a new entry).
 * Bounded: cleared wholesale when full, which only costs one re-parse of what is still in use.
 */
const resolved = new Map<string, TlsSecretResult>();
const CACHE_LIMIT = 50_000;

/** `namespace/name`: the SDS name of a Secret. */
export function secretName(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function resolveTlsSecret(secret: V1Secret): TlsSecretResult {
  const key = createHash('sha256')
    .update(`${secret.metadata?.namespace}/${secret.metadata?.name}\0${secret.type}\0`)
    .update(`${secret.data?.['tls.crt'] ?? ''}\0${secret.data?.['tls.key'] ?? ''}`)
    .digest('base64');
  const cached = resolved.get(key);
  if (cached !== undefined) return cached;
  const result = parseTlsSecret(secret);
  if (resolved.size >= CACHE_LIMIT) resolved.clear();
  resolved.set(key, result);
  return result;
}

function parseTlsSecret(secret: V1Secret): TlsSecretResult {
  const name = secretName(secret.metadata?.namespace ?? '', secret.metadata?.name ?? '');
  if (secret.type !== undefined && secret.type !== 'kubernetes.io/tls') {
    return { ok: false, problem: `Secret ${name} has type ${secret.type}, not kubernetes.io/tls` };
  }
  const certificatePem = decode(secret.data?.['tls.crt']);
  const keyPem = decode(secret.data?.['tls.key']);
  if (!certificatePem) return { ok: false, problem: `Secret ${name} has no tls.crt` };
  if (!keyPem) return { ok: false, problem: `Secret ${name} has no tls.key` };
  const blocks = certificatePem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return { ok: false, problem: `Secret ${name}: tls.crt holds no PEM certificate` };
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(blocks[0] ?? '');
    for (const block of blocks.slice(1)) new X509Certificate(block);
  } catch {
    return { ok: false, problem: `Secret ${name}: tls.crt is not a valid PEM certificate chain` };
  }
  try {
    // The parse error text could quote key bytes, so it is never passed on.
    if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) {
      return { ok: false, problem: `Secret ${name}: tls.key does not match the certificate in tls.crt` };
    }
  } catch {
    return { ok: false, problem: `Secret ${name}: tls.key is not a valid PEM private key` };
  }
  return {
    ok: true,
    secret: { name, certificateChain: `${blocks.join('\n')}\n`, privateKey: redact(keyPem) },
  };
}

function decode(base64: string | undefined): string | undefined {
  if (base64 === undefined || base64 === '') return undefined;
  return Buffer.from(base64, 'base64').toString('utf8');
}

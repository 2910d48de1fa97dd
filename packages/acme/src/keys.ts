import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  type AcmeIdentifier,
  type CertificateKeyFactory,
  KeyType,
  type Redacted,
  redact,
  ValidationError,
} from '@portcullis/core';
import { crypto as acmeCrypto } from 'acme-client';

const generateKeyPairAsync = promisify(generateKeyPair);

/** PKCS#8 PEM for every key type: acme-client's CSR code imports keys as PKCS#8. */
const PKCS8_PEM = { type: 'pkcs8', format: 'pem' } as const;
const SPKI_PEM = { type: 'spki', format: 'pem' } as const;

/**
 * A fresh private key of the given type (node:crypto, no library: the platform does it right and fast).
 * RSA keys use e = 65537; EC keys use named curves.
 */
export async function generatePrivateKey(keyType: KeyType): Promise<Redacted<string>> {
  switch (keyType) {
    case KeyType.EcP256:
    case KeyType.EcP384: {
      const namedCurve = keyType === KeyType.EcP256 ? 'P-256' : 'P-384';
      const { privateKey } = await generateKeyPairAsync('ec', {
        namedCurve,
        publicKeyEncoding: SPKI_PEM,
        privateKeyEncoding: PKCS8_PEM,
      });
      return redact(privateKey);
    }
    case KeyType.Rsa2048:
    case KeyType.Rsa3072:
    case KeyType.Rsa4096: {
      const modulusLength = Number(keyType.slice('rsa-'.length));
      const { privateKey } = await generateKeyPairAsync('rsa', {
        modulusLength,
        publicExponent: 0x10001,
        publicKeyEncoding: SPKI_PEM,
        privateKeyEncoding: PKCS8_PEM,
      });
      return redact(privateKey);
    }
    default:
      throw new ValidationError('keyType', 'known-key-type', `unknown key type ${JSON.stringify(keyType)}`);
  }
}

/** Parses a `--key` style value; refuses anything not in `KeyType` with the list of allowed values. */
export function parseKeyType(value: string, field = 'keyType'): KeyType {
  const known = Object.values(KeyType) as string[];
  if (!known.includes(value)) {
    throw new ValidationError(field, 'known-key-type', `"${value}" is not one of ${known.join(', ')}`);
  }
  return value as KeyType;
}

/** The type of an existing private key (to check a stored key, or what a certificate was issued for). */
export function keyTypeOf(pem: Redacted<string>): KeyType {
  return keyTypeOfKeyObject(createPrivateKey(pem.reveal()));
}

function keyTypeOfKeyObject(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return KeyType.EcP256;
    if (details.namedCurve === 'secp384r1') return KeyType.EcP384;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength;
    if (bits === 2048) return KeyType.Rsa2048;
    if (bits === 3072) return KeyType.Rsa3072;
    if (bits === 4096) return KeyType.Rsa4096;
  }
  throw new ValidationError(
    'privateKey',
    'supported-key-type',
    `unsupported key (${key.asymmetricKeyType ?? 'unknown'} ${details.namedCurve ?? details.modulusLength ?? ''})`,
  );
}

/** Re-encodes any PEM private key (SEC1, PKCS#1, PKCS#8) as PKCS#8, which acme-client needs for CSRs. */
export function toPkcs8(pem: Redacted<string>): Redacted<string> {
  return redact(createPrivateKey(pem.reveal()).export(PKCS8_PEM).toString());
}

/**
 * A CSR (PEM) for the identifiers, signed by `key`. Built with acme-client's crypto helpers (@peculiar/x509 under
 * the hood). All identifiers go into the SAN extension (DNS names and IP addresses); the common name is the first
 * DNS identifier when it fits the 64-character limit of RFC 5280 (CAs ignore the CSR subject otherwise).
 */
export async function createCsr(key: Redacted<string>, identifiers: readonly AcmeIdentifier[]): Promise<string> {
  if (identifiers.length === 0) throw new ValidationError('identifiers', 'required', 'a CSR needs at least one name');
  const commonName = identifiers.find((id) => id.type === 'dns' && id.value.length <= 64)?.value;
  const altNames = identifiers.map((id) => id.value);
  const [, csr] = await acmeCrypto.createCsr(
    { altNames, ...(commonName === undefined ? {} : { commonName }) },
    toPkcs8(key).reveal(),
  );
  return csr.toString();
}

/** The `CertificateKeyFactory` port over this module. */
export const certificateKeyFactory: CertificateKeyFactory = {
  generateKey: generatePrivateKey,
  createCsr,
};

/**
 * The parts of a certificate that decide whether ACM accepts it as a re-import over another one: key algorithm,
 * key size / curve, key usages and extended key usages (facts.md, "AWS Certificate Manager").
 *
 * node:crypto's X509Certificate gives the key but not the Key Usage bits, so the extensions are read with
 * @peculiar/asn1-x509 (the schema layer of @peculiar/x509, without its tsyringe container and the process-wide
 * reflect polyfill that would need).
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  Certificate,
  ExtendedKeyUsage,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  KeyUsage,
  KeyUsageFlags,
} from '@peculiar/asn1-x509';
import { ValidationError } from '@portcullis/core';

/** ACM's `KeyAlgorithm` values for the keys ACM accepts on import. */
export const AcmKeyAlgorithm = {
  Rsa1024: 'RSA_1024',
  Rsa2048: 'RSA_2048',
  Rsa3072: 'RSA_3072',
  Rsa4096: 'RSA_4096',
  EcP256: 'EC_prime256v1',
  EcP384: 'EC_secp384r1',
  EcP521: 'EC_secp521r1',
} as const;
export type AcmKeyAlgorithm = (typeof AcmKeyAlgorithm)[keyof typeof AcmKeyAlgorithm];

/** Every key type, for `ListCertificates` `Includes.keyTypes` (without it real ACM lists RSA_1024/2048 only). */
export const ALL_ACM_KEY_TYPES: readonly AcmKeyAlgorithm[] = Object.values(AcmKeyAlgorithm);

/** Key Usage names in RFC 5280 bit order. */
const KEY_USAGE_NAMES = [
  ['digitalSignature', KeyUsageFlags.digitalSignature],
  ['nonRepudiation', KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', KeyUsageFlags.dataEncipherment],
  ['keyAgreement', KeyUsageFlags.keyAgreement],
  ['keyCertSign', KeyUsageFlags.keyCertSign],
  ['cRLSign', KeyUsageFlags.cRLSign],
  ['encipherOnly', KeyUsageFlags.encipherOnly],
  ['decipherOnly', KeyUsageFlags.decipherOnly],
] as const;

/** Extended key usages by OID; others keep their OID as the name. */
const EXTENDED_KEY_USAGE_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'ocspSigning',
};

export interface KeyProfile {
  readonly algorithm: 'rsa' | 'ec';
  /** RSA modulus bits, or the EC curve's field size (256, 384, 521). */
  readonly size: number;
  readonly acmKeyAlgorithm: AcmKeyAlgorithm;
  /** Key Usage names present (`digitalSignature`, `keyEncipherment`, ...); empty without the extension. */
  readonly keyUsages: readonly string[];
  /** Extended key usage names (`serverAuth`, `clientAuth`, or the OID); empty without the extension. */
  readonly extendedKeyUsages: readonly string[];
}

const CURVE_SIZES: Readonly<Record<string, { size: number; acm: AcmKeyAlgorithm }>> = {
  prime256v1: { size: 256, acm: AcmKeyAlgorithm.EcP256 },
  secp384r1: { size: 384, acm: AcmKeyAlgorithm.EcP384 },
  secp521r1: { size: 521, acm: AcmKeyAlgorithm.EcP521 },
};

const RSA_SIZES: Readonly<Record<number, AcmKeyAlgorithm>> = {
  1024: AcmKeyAlgorithm.Rsa1024,
  2048: AcmKeyAlgorithm.Rsa2048,
  3072: AcmKeyAlgorithm.Rsa3072,
  4096: AcmKeyAlgorithm.Rsa4096,
};

/** The key profile of a leaf certificate (PEM, the first certificate of a chain, or a parsed one). */
export function readKeyProfile(leaf: X509Certificate | string): KeyProfile {
  const certificate = typeof leaf === 'string' ? new X509Certificate(leaf) : leaf;
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  let algorithm: KeyProfile['algorithm'];
  let size: number;
  let acmKeyAlgorithm: AcmKeyAlgorithm | undefined;
  if (key.asymmetricKeyType === 'rsa') {
    algorithm = 'rsa';
    size = details.modulusLength ?? 0;
    acmKeyAlgorithm = RSA_SIZES[size];
  } else if (key.asymmetricKeyType === 'ec') {
    algorithm = 'ec';
    const curve = CURVE_SIZES[details.namedCurve ?? ''];
    size = curve?.size ?? 0;
    acmKeyAlgorithm = curve?.acm;
  } else {
    algorithm = 'rsa';
    size = 0;
  }
  if (acmKeyAlgorithm === undefined) {
    throw new ValidationError(
      'certificate',
      'acm-key-algorithm',
      `acm: the certificate's ${key.asymmetricKeyType ?? 'unknown'} key (${details.namedCurve ?? details.modulusLength ?? '?'}) is not a key type ACM imports`,
    );
  }
  const { keyUsages, extendedKeyUsages } = readUsages(certificate.raw);
  return { algorithm, size, acmKeyAlgorithm, keyUsages, extendedKeyUsages };
}

function readUsages(der: Buffer): Pick<KeyProfile, 'keyUsages' | 'extendedKeyUsages'> {
  const parsed = AsnConvert.parse(der, Certificate);
  let keyUsages: string[] = [];
  let extendedKeyUsages: string[] = [];
  for (const extension of parsed.tbsCertificate.extensions ?? []) {
    if (extension.extnID === id_ce_keyUsage) {
      const bits = AsnConvert.parse(extension.extnValue, KeyUsage).toNumber();
      keyUsages = KEY_USAGE_NAMES.filter(([, flag]) => (bits & flag) !== 0).map(([name]) => name);
    } else if (extension.extnID === id_ce_extKeyUsage) {
      extendedKeyUsages = [...AsnConvert.parse(extension.extnValue, ExtendedKeyUsage)].map(
        (oid) => EXTENDED_KEY_USAGE_NAMES[oid] ?? oid,
      );
    }
  }
  return { keyUsages, extendedKeyUsages };
}

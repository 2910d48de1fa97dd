/**
 * The `kubernetes.io/tls` Secret Portcullis publishes for a certificate, built and checked without any I/O:
 * input validation (names, label-safe certificate id, a parseable chain whose leaf matches the given serial,
 * notAfter and private key), the applied configuration, and "does the cluster already hold exactly this?".
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { V1Secret } from '@kubernetes/client-node';
import { type Redacted, ValidationError } from '@portcullis/core';
import { FIELD_MANAGER, SecretAnnotation, SecretLabel, TlsSecretKey } from './labels.js';

export interface PublishTlsSecretInput {
  readonly namespace: string;
  readonly name: string;
  /** Certificate id; stored as the `portcullis.dev/certificate` label value, so it must be label-safe. */
  readonly certificateId: string;
  /** Leaf certificate followed by the intermediates, PEM. */
  readonly chainPem: string;
  readonly key: Redacted<string>;
  /** Hex serial of the leaf (any case, colons allowed); must match the leaf in `chainPem`. */
  readonly serial: string;
  /** `notAfter` of the leaf; must match the leaf in `chainPem`. */
  readonly notAfter: Date | string;
  /** Root certificate, PEM; written as `ca.crt` only when given. */
  readonly caPem?: string;
}

/** The Secret as it must be in the cluster (data base64-encoded, as in the API). */
export interface DesiredTlsSecret {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, string>>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Lower-case hex without separators or leading zeros: the one spelling of a serial we store and compare. */
export function normalizeSerial(serial: string): string {
  const hex = serial.replaceAll(':', '').toLowerCase().replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

/** RFC 3339, UTC, whole seconds (how Portcullis persists times). */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function splitPemCertificates(pem: string): string[] {
  return pem.match(PEM_CERTIFICATE) ?? [];
}

export interface LeafInfo {
  readonly serial: string;
  readonly notAfter: string;
  readonly certificate: X509Certificate;
}

/** Serial and notAfter of the first certificate of a PEM chain; `undefined` if there is none or it does not parse. */
export function readLeaf(chainPem: string): LeafInfo | undefined {
  const first = splitPemCertificates(chainPem)[0];
  if (first === undefined) return undefined;
  try {
    const certificate = new X509Certificate(first);
    return {
      serial: normalizeSerial(certificate.serialNumber),
      notAfter: toIsoSeconds(new Date(certificate.validTo)),
      certificate,
    };
  } catch {
    return undefined;
  }
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function validateNames(input: PublishTlsSecretInput): void {
  if (input.namespace.length > 63 || !DNS1123_LABEL.test(input.namespace)) {
    throw new ValidationError('namespace', 'dns1123Label', `"${input.namespace}" is not a valid namespace name`);
  }
  if (input.name.length > 253 || !DNS1123_SUBDOMAIN.test(input.name)) {
    throw new ValidationError('name', 'dns1123Subdomain', `"${input.name}" is not a valid Secret name`);
  }
  if (input.certificateId.length > 63 || !LABEL_VALUE.test(input.certificateId)) {
    throw new ValidationError(
      'certificateId',
      'labelValue',
      `"${input.certificateId}" must be a Kubernetes label value (at most 63 alphanumerics, '-', '_', '.')`,
    );
  }
}

/** Checks the chain, the key and the metadata against each other; returns the leaf. Messages never echo keys. */
function validateMaterial(input: PublishTlsSecretInput): LeafInfo {
  const leaf = readLeaf(input.chainPem);
  if (!leaf) throw new ValidationError('chainPem', 'pemCertificate', 'must start with a PEM certificate that parses');
  if (normalizeSerial(input.serial) !== leaf.serial) {
    throw new ValidationError(
      'serial',
      'matchesLeaf',
      `${input.serial} is not the serial of the leaf (${leaf.serial})`,
    );
  }
  const notAfter = toIsoSeconds(new Date(input.notAfter));
  if (notAfter !== leaf.notAfter) {
    throw new ValidationError(
      'notAfter',
      'matchesLeaf',
      `${notAfter} is not the notAfter of the leaf (${leaf.notAfter})`,
    );
  }
  let matches = false;
  try {
    matches = leaf.certificate.checkPrivateKey(createPrivateKey(input.key.reveal()));
  } catch {
    throw new ValidationError('key', 'pemPrivateKey', 'is not a PEM private key');
  }
  if (!matches) throw new ValidationError('key', 'matchesLeaf', 'does not belong to the leaf certificate');
  if (input.caPem !== undefined && readLeaf(input.caPem) === undefined) {
    throw new ValidationError('caPem', 'pemCertificate', 'must be a PEM certificate that parses');
  }
  return leaf;
}

export function buildDesiredSecret(input: PublishTlsSecretInput): DesiredTlsSecret {
  validateNames(input);
  const leaf = validateMaterial(input);
  return {
    namespace: input.namespace,
    name: input.name,
    labels: { [SecretLabel.Certificate]: input.certificateId, [SecretLabel.ManagedBy]: FIELD_MANAGER },
    annotations: { [SecretAnnotation.Serial]: leaf.serial, [SecretAnnotation.NotAfter]: leaf.notAfter },
    data: {
      [TlsSecretKey.Certificate]: b64(input.chainPem),
      [TlsSecretKey.PrivateKey]: b64(input.key.reveal()),
      ...(input.caPem === undefined ? {} : { [TlsSecretKey.CaCertificate]: b64(input.caPem) }),
    },
  };
}

/** The server-side apply configuration; `resourceVersion` makes the apply conditional on what was read. */
export function applyConfiguration(desired: DesiredTlsSecret, resourceVersion?: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: desired.name,
      namespace: desired.namespace,
      labels: { ...desired.labels },
      annotations: { ...desired.annotations },
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    },
    type: 'kubernetes.io/tls',
    data: { ...desired.data },
  };
}

const pick = (source: Record<string, string> | undefined, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => source?.[k] !== undefined).map((k) => [k, source?.[k]]));

/** Whether the cluster's Secret already holds exactly the desired type, data, and our labels and annotations. */
export function secretMatches(current: V1Secret, desired: DesiredTlsSecret): boolean {
  const tlsKeys = Object.values(TlsSecretKey) as string[];
  return (
    current.type === 'kubernetes.io/tls' &&
    isDeepStrictEqual(pick(current.data, tlsKeys), desired.data) &&
    isDeepStrictEqual(pick(current.metadata?.labels, Object.keys(desired.labels)), desired.labels) &&
    isDeepStrictEqual(pick(current.metadata?.annotations, Object.keys(desired.annotations)), desired.annotations)
  );
}

/**
 * Who owns an existing Secret: ours when it carries our certificate label AND our field manager has applied it;
 * a Secret merely labelled by hand, or applied by someone else, is foreign.
 */
export function ownershipOf(current: V1Secret, certificateId: string): 'ours' | 'foreign' | 'other-certificate' {
  const label = current.metadata?.labels?.[SecretLabel.Certificate];
  const applied = (current.metadata?.managedFields ?? []).some((m) => m.manager === FIELD_MANAGER);
  if (label === undefined || !applied) return 'foreign';
  return label === certificateId ? 'ours' : 'other-certificate';
}

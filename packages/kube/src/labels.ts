/**
 * Names Portcullis writes into clusters. The gateway reads the HTTP-01 label and data keys; it defines the same
 * strings in its own `sources/annotations.ts` (the controller does not depend on this package's internals).
 */

/** Field manager of every server-side apply by the certificate lifecycle. */
export const FIELD_MANAGER = 'portcullis';

export const SecretLabel = {
  /** Value: the certificate id. Marks a Secret as published (and owned) by Portcullis; used to select them. */
  Certificate: 'portcullis.dev/certificate',
  /** Value: `portcullis` (the recommended Kubernetes label). */
  ManagedBy: 'app.kubernetes.io/managed-by',
} as const;
export type SecretLabel = (typeof SecretLabel)[keyof typeof SecretLabel];

export const SecretAnnotation = {
  /** Hex serial of the leaf certificate in `tls.crt` (lower case, no leading zeros). */
  Serial: 'portcullis.dev/serial',
  /** `notAfter` of the leaf certificate, RFC 3339 in UTC with seconds. */
  NotAfter: 'portcullis.dev/not-after',
} as const;
export type SecretAnnotation = (typeof SecretAnnotation)[keyof typeof SecretAnnotation];

/** Keys of a `kubernetes.io/tls` Secret. */
export const TlsSecretKey = {
  /** Leaf certificate followed by the intermediates, PEM. */
  Certificate: 'tls.crt',
  /** Private key, PEM. */
  PrivateKey: 'tls.key',
  /** Root certificate, PEM; present only when a root is configured. */
  CaCertificate: 'ca.crt',
} as const;
export type TlsSecretKey = (typeof TlsSecretKey)[keyof typeof TlsSecretKey];

/** `"true"` on a ConfigMap holding one pending ACME HTTP-01 challenge. */
export const HTTP01_CHALLENGE_LABEL = 'portcullis.dev/http01-challenge';

/** Data keys of an HTTP-01 challenge ConfigMap. */
export const Http01ChallengeKey = {
  /** The ACME token (last path segment of `/.well-known/acme-challenge/<token>`). */
  Token: 'token',
  /** The key authorization the gateway serves as the response body. */
  KeyAuthorization: 'keyAuthorization',
} as const;
export type Http01ChallengeKey = (typeof Http01ChallengeKey)[keyof typeof Http01ChallengeKey];

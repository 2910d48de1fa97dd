/**
 * Errors of the Kubernetes target. Messages name the cluster first, then the object (`kubernetes: cluster prod:
 * secret apps/web-tls: ...`), and never carry key material or credentials.
 */
import { PortcullisError } from '@portcullis/core';

export const KubeErrorCode = {
  /** The Secret exists and is not ours (no `portcullis.dev/certificate` label or no `portcullis` field manager). */
  ForeignSecret: 'KubeForeignSecret',
  /** The Secret is ours but labelled for another certificate: two certificates target the same Secret. */
  SecretOfOtherCertificate: 'KubeSecretOfOtherCertificate',
  /** Optimistic-concurrency conflicts (409) persisted through every retry. */
  ConflictRetriesExhausted: 'KubeConflictRetriesExhausted',
  /** The API server refused or failed a request (status code and reason in the message). */
  ApiRequestFailed: 'KubeApiRequestFailed',
  /** No credentials for the cluster, or credentials that cannot be used. */
  ClusterCredentials: 'KubeClusterCredentials',
  /** A Secret's `tls.crt` is missing or is not a PEM certificate. */
  UnreadableTlsSecret: 'KubeUnreadableTlsSecret',
} as const;
export type KubeErrorCode = (typeof KubeErrorCode)[keyof typeof KubeErrorCode];

export class ForeignSecretError extends PortcullisError {
  constructor(
    readonly cluster: string,
    readonly namespace: string,
    readonly secretName: string,
    reason: string,
    code: KubeErrorCode = KubeErrorCode.ForeignSecret,
  ) {
    super(code, `kubernetes: cluster ${cluster}: secret ${namespace}/${secretName}: refusing to overwrite: ${reason}`);
  }
}

export class KubeConflictError extends PortcullisError {
  constructor(cluster: string, object: string, attempts: number, cause: unknown) {
    super(
      KubeErrorCode.ConflictRetriesExhausted,
      `kubernetes: cluster ${cluster}: ${object}: still conflicting (409) after ${attempts} attempts`,
      { retryable: true, cause },
    );
  }
}

/** Status codes after which the same request may succeed later (conflicts, expiry, throttling, server trouble). */
const RETRYABLE_STATUS = new Set([409, 410, 429, 500, 502, 503, 504]);

export class KubeApiError extends PortcullisError {
  constructor(
    readonly cluster: string,
    readonly object: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    message: string,
    cause: unknown,
  ) {
    super(KubeErrorCode.ApiRequestFailed, `kubernetes: cluster ${cluster}: ${object}: ${message}`, {
      retryable: status === undefined || RETRYABLE_STATUS.has(status),
      cause,
    });
  }
}

export class ClusterCredentialsError extends PortcullisError {
  constructor(cluster: string, message: string, cause?: unknown) {
    super(KubeErrorCode.ClusterCredentials, `kubernetes: cluster ${cluster}: credentials: ${message}`, {
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

export class UnreadableTlsSecretError extends PortcullisError {
  constructor(cluster: string, namespace: string, name: string, message: string) {
    super(KubeErrorCode.UnreadableTlsSecret, `kubernetes: cluster ${cluster}: secret ${namespace}/${name}: ${message}`);
  }
}

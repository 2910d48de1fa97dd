import { PortcullisError } from '@portcullis/core';

/** Stable codes of the operations commands (`doctor`, `dns check`, `inspect`, `dlq`, `account`). */
export const OpsErrorCode = {
  /** No TLS handshake with the endpoint `inspect` was pointed at (refused, timed out, not TLS). Retryable. */
  HandshakeFailed: 'ops.handshake-failed',
  /** `inspect` was given something that is neither an ACM ARN, `secret:<id>`, an existing file nor host[:port]. */
  UnknownTarget: 'ops.unknown-target',
  /** The secret (or ACM certificate) holds no certificate `inspect` can read. */
  NoCertificate: 'ops.no-certificate',
  /** `dlq` needs a queue URL variable that is not set. */
  QueueNotConfigured: 'ops.queue-not-configured',
  /** `account` was asked for an issuer that is not configured. */
  UnknownIssuer: 'ops.unknown-issuer',
} as const;
export type OpsErrorCode = (typeof OpsErrorCode)[keyof typeof OpsErrorCode];

/** Messages name the outside system first (`tls: 127.0.0.1:8443 (SNI a.example): ...`). */
export class OpsError extends PortcullisError {
  constructor(code: OpsErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

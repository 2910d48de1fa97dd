import { PortcullisError, ValidationError } from '@portcullis/core';

// The CA's problem documents surface as `AcmeProblemError`, defined next to the port in core so that the issuance
// orchestration can match on it without importing this package.
export { AcmeProblemError, AcmeProblemType } from '@portcullis/core';

/** Stable codes of this package's own errors (problem documents from the CA use `AcmeProblem`). */
export const AcmeErrorCode = {
  /** The client configuration broke a rule (raised at construction, before any request). */
  ConfigInvalid: 'ValidationFailed',
  /** No answer from the CA: connection refused, TLS trust, timeout of one request. Retryable. */
  TransportFailed: 'AcmeTransportFailed',
  /** Waiting for an order or authorization took longer than allowed. Retryable. */
  WaitTimedOut: 'AcmeWaitTimedOut',
  /** The CA answered something RFC 8555/9773 does not allow (no Location, bad ARI window, ...). */
  ProtocolViolation: 'AcmeProtocolViolation',
  /** The key store failed (file permissions, a half-finished key rollover). */
  KeyStoreFailed: 'AcmeKeyStoreFailed',
  /** Another process rolled the account key over; the session was reopened. Retryable (the next call signs right). */
  AccountKeyRotated: 'AcmeAccountKeyRotated',
} as const;
export type AcmeErrorCode = (typeof AcmeErrorCode)[keyof typeof AcmeErrorCode];

/** Bad configuration of the ACME client: names the field and the rule. */
export class AcmeConfigError extends ValidationError {}

/** The CA could not be reached or the TLS handshake failed. */
export class AcmeTransportError extends PortcullisError {
  constructor(message: string, cause: unknown) {
    super(AcmeErrorCode.TransportFailed, message, { retryable: true, cause });
  }
}

/** A wait helper gave up; the order/authorization may still complete: poll again later. */
export class AcmeWaitTimeoutError extends PortcullisError {
  constructor(message: string) {
    super(AcmeErrorCode.WaitTimedOut, message, { retryable: true });
  }
}

/** The CA's answer breaks the protocol (or acme-client refused it for that reason). */
export class AcmeProtocolError extends PortcullisError {
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(AcmeErrorCode.ProtocolViolation, message, options);
  }
}

/** A key store operation failed. */
export class AcmeKeyStoreError extends PortcullisError {
  constructor(message: string, cause?: unknown) {
    super(AcmeErrorCode.KeyStoreFailed, message, { cause });
  }
}

/**
 * The CA refused our signature because the account key was rolled over by another process (the KeyStore holds a
 * newer key). The session is dropped before this is thrown, so the retry signs with the new key.
 */
export class AcmeAccountKeyRotatedError extends PortcullisError {
  constructor(context: string, cause: unknown) {
    super(
      AcmeErrorCode.AccountKeyRotated,
      `acme: ${context}: the account key was rolled over by another process; retry with the new key`,
      { retryable: true, cause },
    );
  }
}

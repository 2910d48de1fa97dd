import { PortcullisError } from '@portcullis/core';

/** Stable codes of the Secrets Manager adapters (API mapping, metrics and tests match on them). */
export const SecretsManagerErrorCode = {
  /** Throttling or a 5xx persisted through the SDK's retries. Retryable later. */
  Unavailable: 'SecretsManagerUnavailable',
  /** AWS refused the request (AccessDenied, KMS key disabled, invalid parameter...); carries the AWS code. */
  RequestFailed: 'SecretsManagerRequestFailed',
  /** A stored secret value is not what Portcullis wrote (not our JSON, no PEM, a key that does not fit the chain). */
  CorruptSecret: 'SecretsManagerCorruptSecret',
  /** The export target's secret exists but was not created by Portcullis for this certificate: never overwritten. */
  ForeignSecret: 'SecretsManagerForeignSecret',
} as const;
export type SecretsManagerErrorCode = (typeof SecretsManagerErrorCode)[keyof typeof SecretsManagerErrorCode];

/**
 * A Secrets Manager failure naming the secret and the operation ("secretsmanager: portcullis/certificates/c1:
 * PutSecretValue: AccessDeniedException: ..."). Never carries secret values: messages are built from the secret
 * name and AWS's error message only, and the SDK error kept as `cause` holds the response, not the request.
 */
export class SecretsManagerError extends PortcullisError {
  declare readonly code: SecretsManagerErrorCode;
  readonly secretName: string;
  /** The AWS error code (`AccessDeniedException`, `ThrottlingException`, ...) when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: SecretsManagerErrorCode,
    secretName: string,
    detail: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, `secretsmanager: ${secretName}: ${detail}`, options);
    this.secretName = secretName;
    this.awsCode = options.awsCode;
  }
}

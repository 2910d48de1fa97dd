import { PortcullisError } from '@portcullis/core';

/** Stable codes of the AWS package (API mapping, metrics and tests match on them). */
export const AwsErrorCode = {
  /** STS refused or failed `AssumeRole` (trust policy, ExternalId mismatch, throttling). Retryable on throttling/5xx. */
  AssumeRoleFailed: 'AwsAssumeRoleFailed',
  /** STS answered `AssumeRole` without credentials: a broken or unexpected response. */
  AssumeRoleEmpty: 'AwsAssumeRoleEmpty',
} as const;
export type AwsErrorCode = (typeof AwsErrorCode)[keyof typeof AwsErrorCode];

/** Base of every error of this package. Messages name the AWS service first and never carry credentials. */
export class AwsError extends PortcullisError {
  declare readonly code: AwsErrorCode;
  /** The AWS error code (`AccessDenied`, `Throttling`, ...) when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: AwsErrorCode,
    message: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.awsCode = options.awsCode;
  }
}

import { PortcullisError } from '@portcullis/core';

/** Stable codes of the ACM target (API mapping, metrics and tests match on them). */
export const AcmErrorCode = {
  /** Throttling (or a 5xx) persisted through every retry, or a first import failed in a way that may have landed. Retryable. */
  Throttled: 'AcmThrottled',
  /** The regional import quota is used up (`LimitExceededException`): no import until the rolling window frees one. */
  QuotaExceeded: 'AcmQuotaExceeded',
  /** ACM refused the certificate or key (`ValidationException`, `InvalidParameterException`, tag errors). */
  ImportRefused: 'AcmImportRefused',
  /** ACM answered `DescribeCertificate` with a serial in neither known form (colon hex, decimal). */
  UnreadableSerial: 'AcmUnreadableSerial',
  /** Any other ACM error (AccessDenied, InvalidArn, ...), carried with its AWS code. */
  RequestFailed: 'AcmRequestFailed',
} as const;
export type AcmErrorCode = (typeof AcmErrorCode)[keyof typeof AcmErrorCode];

/**
 * An ACM failure naming the region, the certificate (ARN, or the certificate id before the first import) and the
 * operation: "acm: us-east-1 arn:aws:acm:...: ImportCertificate: ValidationException: ...". Never carries key
 * material: messages are built from ARNs and AWS's message with PEM blocks cut out.
 */
export class AcmError extends PortcullisError {
  declare readonly code: AcmErrorCode;
  /** The AWS error code when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: AcmErrorCode,
    where: string,
    detail: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, `acm: ${where}: ${detail}`, options);
    this.awsCode = options.awsCode;
  }
}

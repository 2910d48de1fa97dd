import { PortcullisError } from '@portcullis/core';

/** Stable codes of the SNS notifier. */
export const SnsErrorCode = {
  /** `Publish` failed after the SDK's retries (throttling and 5xx are retryable; AuthorizationError, NotFound are not). */
  PublishFailed: 'SnsPublishFailed',
} as const;
export type SnsErrorCode = (typeof SnsErrorCode)[keyof typeof SnsErrorCode];

/** "sns: <topic arn>: Publish <alert key> (<transition>): <aws code>: <message>". */
export class SnsError extends PortcullisError {
  declare readonly code: SnsErrorCode;
  /** The AWS error code when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: SnsErrorCode,
    message: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown },
  ) {
    super(code, `sns: ${message}`, options);
    this.awsCode = options.awsCode;
  }
}

import { PortcullisError } from '@portcullis/core';

/** Stable codes of the SQS queue adapter. */
export const SqsErrorCode = {
  /** SQS refused or failed `SendMessage` (throttling and 5xx are retryable; AccessDenied, NonExistentQueue are not). */
  SendFailed: 'SqsSendFailed',
  /**
   * A dead-letter queue call failed (GetQueueAttributes, ReceiveMessage, ChangeMessageVisibility, DeleteMessage).
   * Retryable for throttling and 5xx.
   */
  RequestFailed: 'SqsRequestFailed',
} as const;
export type SqsErrorCode = (typeof SqsErrorCode)[keyof typeof SqsErrorCode];

/** "sqs: <queue url>: SendMessage for <certificateId>: <aws code>: <message>". */
export class SqsError extends PortcullisError {
  declare readonly code: SqsErrorCode;
  /** The AWS error code when AWS answered with one. */
  readonly awsCode: string | undefined;

  constructor(
    code: SqsErrorCode,
    message: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown },
  ) {
    super(code, `sqs: ${message}`, options);
    this.awsCode = options.awsCode;
  }
}

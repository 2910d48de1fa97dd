import { PortcullisError } from '@portcullis/core';

/** Stable codes of the EventBridge publisher. */
export const EventBridgeErrorCode = {
  /** `PutEvents` failed as a call, or EventBridge refused the entry (`FailedEntryCount` > 0). */
  PutEventsFailed: 'EventBridgePutEventsFailed',
} as const;
export type EventBridgeErrorCode = (typeof EventBridgeErrorCode)[keyof typeof EventBridgeErrorCode];

/** "eventbridge: <bus>: PutEvents <detail-type> <event id>: <aws code>: <message>". */
export class EventBridgeError extends PortcullisError {
  declare readonly code: EventBridgeErrorCode;
  readonly awsCode: string | undefined;

  constructor(
    code: EventBridgeErrorCode,
    message: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown },
  ) {
    super(code, `eventbridge: ${message}`, options);
    this.awsCode = options.awsCode;
  }
}

/**
 * Errors of the DynamoDB adapters. Lost conditional writes are NOT these: they become the ports' `ConflictError`
 * / `NotFoundError` from `@portcullis/core`. Everything else DynamoDB refuses becomes a `DynamoDbError`, after the
 * SDK's own retries (throttling and 5xx are retried there with backoff; conditional failures never are).
 */
import { PortcullisError } from '@portcullis/core';

/** Stable codes (API mapping, metrics and tests match on them). */
export const DynamoDbErrorCode = {
  /** A request failed after the SDK's retries. Retryable when DynamoDB throttled or answered 5xx. */
  RequestFailed: 'DynamoDbRequestFailed',
  /** A stored item is not a record this adapter wrote (missing key attributes or wrong types). */
  CorruptItem: 'DynamoDbCorruptItem',
  /** `createTables` found a table with the same name but other keys or indexes. */
  TableMismatch: 'DynamoDbTableMismatch',
  /** `createTables` waited in vain for a table to become ACTIVE. Retryable. */
  TableNotReady: 'DynamoDbTableNotReady',
} as const;
export type DynamoDbErrorCode = (typeof DynamoDbErrorCode)[keyof typeof DynamoDbErrorCode];

/** Base of the DynamoDB adapters' errors. Messages start with `dynamodb:` and name the table and the item. */
export class DynamoDbError extends PortcullisError {
  declare readonly code: DynamoDbErrorCode;
  /** The AWS error name (`ProvisionedThroughputExceededException`, `ValidationException`, ...) when there is one. */
  readonly awsCode: string | undefined;

  constructor(
    code: DynamoDbErrorCode,
    message: string,
    options: { awsCode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.awsCode = options.awsCode;
  }
}

/** AWS error names that mean "try again later" once the SDK's own retries are spent. */
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
  'TransactionInProgressException',
]);

/** The `name` of an SDK error (`ConditionalCheckFailedException`, ...), or undefined. */
export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata as { httpStatusCode?: number } | undefined;
  return metadata?.httpStatusCode;
}

/** Socket-level failures (no answer from DynamoDB at all): the same request may succeed later. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

function isNetworkFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return NETWORK_CODES.has(code ?? '') || NETWORK_CODES.has(errorName(error) ?? '');
}

/**
 * Wraps what the SDK threw: `dynamodb: <what> (<subject>): <AWS name>: <message>`. Retryable for throttling, 5xx
 * and socket failures; not for 4xx validation answers or local marshalling errors (a bug, not a moment).
 */
export function wrapDynamoDbError(error: unknown, operation: string, subject: string): PortcullisError {
  // Already ours (a corrupt item found while reading, a validation of the input): keep it as it is.
  if (error instanceof PortcullisError) return error;
  const name = errorName(error);
  const status = httpStatus(error);
  const retryable =
    (name !== undefined && RETRYABLE_NAMES.has(name)) ||
    (status !== undefined && status >= 500) ||
    isNetworkFailure(error);
  const detail = error instanceof Error ? error.message : String(error);
  // Only an answer from DynamoDB carries an AWS error code; a socket or local error's name is not one.
  const fromAws = typeof error === 'object' && error !== null && '$metadata' in error;
  return new DynamoDbError(
    DynamoDbErrorCode.RequestFailed,
    `dynamodb: ${operation} (${subject}): ${name ?? 'Error'}: ${detail}`,
    { ...(name === undefined || !fromAws ? {} : { awsCode: name }), retryable, cause: error },
  );
}

/** True for a lost conditional write (single item or transaction). */
export function isConditionalCheckFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

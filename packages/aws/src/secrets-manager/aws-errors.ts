/**
 * Reading SDK v3 errors the same way in every Secrets Manager and ACM adapter: the AWS code, whether it is worth
 * asking again, and a message safe to show (any PEM block an outside system might echo is cut out).
 */
import { SecretsManagerError, SecretsManagerErrorCode } from './errors.js';

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code (`ResourceNotFoundException`, ...) or a Node network code (`ECONNRESET`). */
export function awsCodeOf(error: unknown): string {
  const e = error as AwsErrorShape | undefined;
  return e?.code !== undefined && /^E[A-Z]+$/.test(e.code) ? e.code : (e?.name ?? 'Unknown');
}

/** AWS codes meaning "ask again later"; any 5xx counts too. */
const TRANSIENT_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isTransient(error: unknown): boolean {
  const status = (error as AwsErrorShape | undefined)?.$metadata?.httpStatusCode ?? 0;
  return TRANSIENT_CODES.has(awsCodeOf(error)) || status >= 500;
}

/** Throttling proper: the request was refused before doing anything, so even a non-idempotent call may be repeated. */
export function isThrottling(error: unknown): boolean {
  return ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded'].includes(
    awsCodeOf(error),
  );
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;

/** `<AwsCode>: <message>` with any PEM block replaced by `[pem]` (defence in depth: keys never reach a message). */
export function describeAwsError(error: unknown): string {
  const message = String((error as AwsErrorShape | undefined)?.message ?? error).replace(PEM_BLOCK, '[pem]');
  return `${awsCodeOf(error)}: ${message}`;
}

/** Secrets Manager's "no such secret / version / stage" answer. */
export function isResourceNotFound(error: unknown): boolean {
  return awsCodeOf(error) === 'ResourceNotFoundException';
}

/**
 * Runs one Secrets Manager call and turns its failure into a `SecretsManagerError` naming the secret and the
 * operation. Retrying is left to the SDK client (standard mode, jittered): every write carries a ClientRequestToken,
 * so a repeated write is the same version.
 */
export async function callSecretsManager<T>(secretName: string, operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toSecretsManagerError(secretName, operation, error);
  }
}

export function toSecretsManagerError(secretName: string, operation: string, error: unknown): SecretsManagerError {
  if (error instanceof SecretsManagerError) return error;
  const transient = isTransient(error);
  return new SecretsManagerError(
    transient ? SecretsManagerErrorCode.Unavailable : SecretsManagerErrorCode.RequestFailed,
    secretName,
    `${operation}: ${describeAwsError(error)}`,
    { awsCode: awsCodeOf(error), retryable: transient, cause: error },
  );
}

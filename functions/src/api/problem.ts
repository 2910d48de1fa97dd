/**
 * RFC 9457 problem details for every error answer of the API, and the middy `onError` middleware that produces
 * them. Why not `@middy/http-error-handler`: it answers `text/plain` with the message only; the API promises
 * `application/problem+json` naming each field and rule (openapi.yaml `Problem`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { ConflictError, NotFoundError, ValidationError } from '@portcullis/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { ApiError, ApiErrorCode, type FieldProblem, invalidRequest } from './errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Base of every problem `type` URI (a stable identifier, documented in openapi.yaml). */
export const PROBLEM_TYPE_BASE = 'https://portcullis.dev/problems/';
/** What a caller sees instead of a 5xx's real message (which is logged in full). */
export const GENERIC_SERVER_ERROR = 'the request could not be completed; it was logged and can be retried';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors: readonly FieldProblem[];
}

function kebab(code: string): string {
  return code.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The middy body parser's own errors (`createError(415, ...)`), recognised by their shape. */
function isHttpError(error: unknown): error is Error & { statusCode: number; expose?: boolean } {
  return error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}

/** Maps any thrown value to an `ApiError` (4xx) or `undefined` (a server error). */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof ValidationError) {
    return invalidRequest([{ field: error.field, rule: error.rule, message: error.message }]);
  }
  if (error instanceof NotFoundError) {
    return new ApiError(ApiErrorCode.NotFound, 404, error.message, [
      { field: 'path.id', rule: 'exists', message: 'the certificate no longer exists' },
    ]);
  }
  if (error instanceof ConflictError) {
    const message = 'the certificate changed while the request ran; retry it';
    return new ApiError(ApiErrorCode.Conflict, 409, message, [{ field: 'version', rule: 'concurrent-write', message }]);
  }
  if (error instanceof Error && error.name === 'IdempotencyValidationError') {
    return new ApiError(ApiErrorCode.IdempotencyKeyReused, 422, 'the Idempotency-Key was used with another request', [
      {
        field: 'header.idempotency-key',
        rule: 'same-request',
        message: 'this key was already used with a different request body; use a new key for a new request',
      },
    ]);
  }
  if (error instanceof Error && error.name === 'IdempotencyAlreadyInProgressError') {
    return new ApiError(ApiErrorCode.IdempotencyInProgress, 409, 'a request with this Idempotency-Key is in progress', [
      { field: 'header.idempotency-key', rule: 'in-progress', message: 'retry once the first request has finished' },
    ]);
  }
  if (isHttpError(error) && error.statusCode === 415 && error.message === 'Unsupported Media Type') {
    return new ApiError(ApiErrorCode.UnsupportedMediaType, 415, 'the body must be application/json', [
      { field: 'header.content-type', rule: 'media-type', message: 'send Content-Type: application/json' },
    ]);
  }
  if (isHttpError(error) && error.statusCode === 415) {
    // middy answers 415 for unparsable JSON too; for the caller it is a malformed body (400).
    const cause = (error.cause as { message?: unknown } | undefined)?.message;
    const why = typeof cause === 'string' ? `: ${cause}` : '';
    return invalidRequest([{ field: 'body', rule: 'json', message: `is not valid JSON${why}` }]);
  }
  return undefined;
}

export function problemOf(error: ApiError): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${kebab(error.code)}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    errors: error.problems,
  };
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
    body: JSON.stringify(problem),
  };
}

/**
 * `onError`: every error becomes a problem+json answer. 4xx are logged at info (the caller's mistake), 5xx at error
 * with the whole error (stack, cause) while the caller sees `GENERIC_SERVER_ERROR`.
 */
export function problemErrorHandler(logger: Logger): MiddlewareObj {
  return {
    onError: async (request) => {
      const known = toApiError(request.error);
      if (known !== undefined) {
        logger.info('request refused', { status: known.status, code: known.code, detail: known.message });
        request.response = problemResponse(problemOf(known), { ...known.headers });
        return;
      }
      logger.error('request failed', request.error as Error);
      request.response = problemResponse({
        type: `${PROBLEM_TYPE_BASE}internal`,
        title: TITLES[500] ?? 'Internal Server Error',
        status: 500,
        detail: GENERIC_SERVER_ERROR,
        errors: [],
      });
    },
  };
}

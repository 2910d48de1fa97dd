/**
 * Errors of the HTTP API. Every one maps to an RFC 9457 problem (problem.ts): `status` is the HTTP status,
 * `problems` name each field and the rule it broke. 4xx messages are shown to the caller as they are; anything
 * that is not an `ApiError` (nor a core `ValidationError` / `NotFoundError` / `ConflictError`) becomes a 500 whose
 * message is replaced by a generic one and logged in full.
 */
import { PortcullisError } from '@portcullis/core';

/** Stable codes of API errors (the problem `type` ends in the kebab-case form of the code). */
export const ApiErrorCode = {
  /** The request is malformed: body, path, query or header broke a rule (400). */
  InvalidRequest: 'InvalidRequest',
  /** No usable IAM identity in the request context (401). */
  Unauthenticated: 'Unauthenticated',
  /** The caller maps to no tenant, or asked for names outside the tenant's zones (403). */
  Forbidden: 'Forbidden',
  /** No such certificate for this tenant (404; a foreign certificate is reported the same way). */
  NotFound: 'NotFound',
  /** The route exists but not with this method (405). */
  MethodNotAllowed: 'MethodNotAllowed',
  /** The request conflicts with the certificate's state (deletion requested, another revocation reason) (409). */
  Conflict: 'Conflict',
  /** The body is larger than `MAX_BODY_BYTES` (413). */
  PayloadTooLarge: 'PayloadTooLarge',
  /** The body is not `application/json` (415). */
  UnsupportedMediaType: 'UnsupportedMediaType',
  /** The Idempotency-Key was used before with another request body (422). */
  IdempotencyKeyReused: 'IdempotencyKeyReused',
  /** A request with the same Idempotency-Key is still being processed (409). */
  IdempotencyInProgress: 'IdempotencyInProgress',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** One broken rule: `field` is a JSON-path-like location (`names[2]`, `query.limit`, `header.idempotency-key`). */
export interface FieldProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export class ApiError extends PortcullisError {
  readonly status: number;
  readonly problems: readonly FieldProblem[];
  /** Extra response headers (405: `allow`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ApiErrorCode,
    status: number,
    message: string,
    problems: readonly FieldProblem[] = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message);
    this.status = status;
    this.problems = problems;
    this.headers = headers;
  }
}

/** A 400 for one or more broken rules; the message lists them (`names[0]: ...; query.limit: ...`). */
export function invalidRequest(problems: readonly FieldProblem[]): ApiError {
  const message = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  return new ApiError(ApiErrorCode.InvalidRequest, 400, message, problems);
}

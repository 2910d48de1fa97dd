import { PortcullisError } from '@portcullis/core';

/** Stable codes of the CLI's API client. */
export const ApiClientErrorCode = {
  /** The API answered with a problem (4xx/5xx); the message carries its title and detail. */
  Problem: 'api-client.problem',
  /** The API could not be reached (connection refused, DNS, timeout). */
  Unreachable: 'api-client.unreachable',
  /** No API URL: neither `--api` nor `PORTCULLIS_API_URL`. */
  NoApiUrl: 'api-client.no-api-url',
} as const;
export type ApiClientErrorCode = (typeof ApiClientErrorCode)[keyof typeof ApiClientErrorCode];

export class ApiClientError extends PortcullisError {
  /** HTTP status of a problem answer; 0 when there was no answer. */
  readonly status: number;

  constructor(code: ApiClientErrorCode, message: string, status = 0, options: { cause?: unknown } = {}) {
    super(code, message, { retryable: status === 0 || status >= 500, ...options });
    this.status = status;
  }
}

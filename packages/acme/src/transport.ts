/**
 * How requests of acme-client reach the CA, and how its failures become our errors.
 *
 * acme-client 5.4.0 sends everything through one shared axios instance (`acme.axios`) and throws plain `Error`s
 * that keep only the problem's `detail`. We need more, so this module hooks that instance once:
 * - its own retry interceptor is switched off (`retryMaxAttempts = 0`): it retried HTTP 429 after Retry-After
 *   in-process (hours at Let's Encrypt, where `rateLimited` must surface instead) and re-sent 5xx requests with the
 *   SAME signed body and nonce, which hid the real server error behind a later `badNonce`;
 * - every response of a call made through `runAcmeCall` is recorded in an AsyncLocalStorage context, so a failure
 *   becomes an `AcmeProblemError` with the full problem `type`, `subproblems`, HTTP status and Retry-After;
 * - network errors are recorded by wrapping the HTTP adapter (with retries off, acme-client's interceptor would
 *   otherwise turn them into "Cannot read properties of undefined");
 * - trust is per origin (an `https.Agent` per CA directory origin), so no process-wide TLS setting is touched.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Agent } from 'node:https';
import { type AcmeProblem, AcmeProblemError, AcmeProblemType } from '@portcullis/core';
import { axios as acmeAxios } from 'acme-client';
import axios, { type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { AcmeProtocolError, AcmeTransportError } from './errors.js';

/** One HTTP answer seen during a call. */
export interface RecordedResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly problem?: AcmeProblem;
}

interface CallRecord {
  readonly responses: RecordedResponse[];
  networkError?: { readonly method: string; readonly url: string; readonly error: unknown };
}

const calls = new AsyncLocalStorage<CallRecord>();
const agentsByOrigin = new Map<string, Agent>();
/** One request that hangs must not hang an issuance; the CA answers in well under a second normally. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
let installed = false;

/** Makes requests to `url`'s origin use `agent` (e.g. one that trusts pebble's listener CA). */
export function trustOrigin(url: string, agent: Agent): void {
  installHooks();
  agentsByOrigin.set(new URL(url).origin, agent);
}

/** The agent registered for a URL's origin, for requests made outside acme-client (ARI). */
export function agentFor(url: string): Agent | undefined {
  return agentsByOrigin.get(new URL(url).origin);
}

/** Installs the hooks on acme-client's axios instance (idempotent). */
export function installHooks(): void {
  if (installed) return;
  installed = true;
  const settings = (acmeAxios.defaults as unknown as { acmeSettings: { retryMaxAttempts: number } }).acmeSettings;
  settings.retryMaxAttempts = 0;
  const httpAdapter = axios.getAdapter('http');
  acmeAxios.interceptors.request.use((config: InternalAxiosRequestConfig) => {
    if (config.url !== undefined && config.httpsAgent === undefined) {
      const agent = agentsByOrigin.get(new URL(config.url).origin);
      if (agent !== undefined) config.httpsAgent = agent;
    }
    if (!config.timeout) config.timeout = DEFAULT_REQUEST_TIMEOUT_MS;
    const recordingAdapter: AxiosAdapter = async (adapterConfig) => {
      try {
        return await httpAdapter(adapterConfig);
      } catch (error) {
        const record = calls.getStore();
        if (record !== undefined && !(error as { response?: unknown }).response) {
          record.networkError = { method: methodOf(adapterConfig), url: adapterConfig.url ?? '?', error };
        }
        throw error;
      }
    };
    config.adapter = recordingAdapter;
    return config;
  });
  acmeAxios.interceptors.response.use((response: AxiosResponse) => {
    calls.getStore()?.responses.push(recordResponse(response));
    return response;
  });
}

function methodOf(config: { method?: string | undefined }): string {
  return (config.method ?? 'get').toUpperCase();
}

function recordResponse(response: AxiosResponse): RecordedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
    else if (Array.isArray(value)) headers[name.toLowerCase()] = value.join(', ');
  }
  const problem = response.status >= 400 ? parseProblem(response.data, response.status) : undefined;
  return {
    method: methodOf(response.config),
    url: response.config.url ?? '?',
    status: response.status,
    headers,
    ...(problem === undefined ? {} : { problem }),
  };
}

/** A problem document from a response body; non-problem error bodies become `serverInternal`-like placeholders. */
export function parseProblem(data: unknown, status: number): AcmeProblem {
  let body = data;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    const text = data.toString();
    try {
      body = JSON.parse(text);
    } catch {
      return { type: 'about:blank', detail: `HTTP ${status}: ${text.slice(0, 200)}`, status };
    }
  }
  if (body === null || typeof body !== 'object' || typeof (body as { type?: unknown }).type !== 'string') {
    return { type: 'about:blank', detail: `HTTP ${status} without a problem document`, status };
  }
  const raw = body as { type: string; detail?: unknown; status?: unknown; identifier?: unknown; subproblems?: unknown };
  const subproblems = Array.isArray(raw.subproblems)
    ? raw.subproblems.map((sub: unknown) => parseProblem(sub, status))
    : undefined;
  const identifier = parseIdentifier(raw.identifier);
  return {
    type: raw.type,
    ...(typeof raw.detail === 'string' ? { detail: raw.detail } : {}),
    status: typeof raw.status === 'number' ? raw.status : status,
    ...(identifier === undefined ? {} : { identifier }),
    ...(subproblems === undefined || subproblems.length === 0 ? {} : { subproblems }),
  };
}

function parseIdentifier(value: unknown): AcmeProblem['identifier'] {
  if (value === null || typeof value !== 'object') return undefined;
  const { type, value: text } = value as { type?: unknown; value?: unknown };
  if ((type === 'dns' || type === 'ip') && typeof text === 'string') return { type, value: text };
  return undefined;
}

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP-date. Absent, unparsable or
 * negative values give `undefined`; a date in the past gives 0.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface CallOptions {
  /** Extra rounds after acme-client's own badNonce retries (each round fetches a fresh nonce). */
  readonly badNonceRetries: number;
  readonly now: () => Date;
  /** Called before each extra round (1-based), for logs and tests. */
  readonly onBadNonceRetry?: (round: number) => void;
}

export interface CallResult<T> {
  readonly value: T;
  /** The responses of the successful round, for headers acme-client drops (Retry-After, Link). */
  readonly responses: readonly RecordedResponse[];
}

/**
 * Runs one acme-client operation with recording, bounded badNonce retries and error conversion. `context` names
 * the operation for messages ("newOrder", "finalize https://…").
 *
 * Retrying the whole operation on `badNonce` is safe even for non-idempotent requests: a CA rejects a bad nonce
 * before acting on the request (RFC 8555 §6.5). Nothing else is retried here — rateLimited, serverInternal and
 * transport errors go to the caller, who owns the backoff (and a Lambda must not sleep).
 */
export async function runAcmeCall<T>(
  context: string,
  operation: () => Promise<T>,
  options: CallOptions,
): Promise<CallResult<T>> {
  installHooks();
  for (let round = 0; ; round++) {
    const record: CallRecord = { responses: [] };
    try {
      const value = await calls.run(record, operation);
      return { value, responses: record.responses };
    } catch (error) {
      const converted = convertError(context, error, record, options.now());
      if (converted instanceof AcmeProblemError && converted.type === AcmeProblemType.badNonce) {
        if (round < options.badNonceRetries) {
          options.onBadNonceRetry?.(round + 1);
          continue;
        }
      }
      throw converted;
    }
  }
}

function convertError(context: string, error: unknown, record: CallRecord, now: Date): Error {
  if (error instanceof AcmeProblemError || error instanceof AcmeProtocolError) return error;
  if (record.networkError !== undefined) {
    const { method, url, error: cause } = record.networkError;
    return new AcmeTransportError(`acme: ${context}: ${method} ${url}: ${describeNetworkError(cause)}`, cause);
  }
  // Only the LAST answer explains the failure: an earlier badNonce that acme-client retried successfully does not.
  const failed = record.responses.at(-1);
  if (failed?.problem !== undefined) {
    const retryAfterMs = parseRetryAfter(failed.headers['retry-after'], now);
    return new AcmeProblemError(failed.problem, {
      context,
      retryAfter: retryAfterMs === undefined ? undefined : new Date(now.getTime() + retryAfterMs),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AcmeProtocolError(`acme: ${context}: ${message}`, { cause: error });
}

/** The error code and message of a failed request, with a hint when the CA's certificate is not trusted. */
export function describeNetworkError(cause: unknown): string {
  const code = (cause as { code?: string } | undefined)?.code;
  const reason = `${code === undefined ? '' : `${code} `}${(cause as Error | undefined)?.message ?? String(cause)}`;
  const hint = TLS_TRUST_CODES.has(code ?? '')
    ? ' (the CA certificate is not trusted: configure caPem, or PORTCULLIS_ACME_CA_FILE)'
    : '';
  return `${reason}${hint}`;
}

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The header of the last response in a call whose URL matches (Retry-After of a poll, Link of a download). */
export function headerOf(responses: readonly RecordedResponse[], url: string, name: string): string | undefined {
  for (let i = responses.length - 1; i >= 0; i--) {
    const response = responses[i];
    if (response !== undefined && response.url === url) return response.headers[name.toLowerCase()];
  }
  return undefined;
}

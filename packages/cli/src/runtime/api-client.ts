/**
 * A small client of the Portcullis HTTP API for the CLI (`status`, `list`, `renew`, `revoke`, `events`): `fetch`,
 * JSON in and out, problem+json answers turned into `ApiClientError` naming the API first. Locally the API is the
 * runtime's loopback server; in AWS it is the HTTP API (requests there must be SigV4-signed, which this client
 * leaves to a signing proxy for now).
 */
import { ApiClientError, ApiClientErrorCode } from './errors.js';

/** Where the CLI finds the API when `--api` is not given. */
export const API_URL_ENV = 'PORTCULLIS_API_URL';

export interface ConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message?: string;
  readonly lastTransitionAt?: string;
}

export interface DeliveryView {
  readonly state: string;
  readonly revision?: number;
  readonly serial?: string;
  readonly location?: string;
  readonly deliveredAt?: string;
  readonly message?: string;
}

/** `GET /certificates/{id}` (openapi.yaml `Certificate`), the fields the CLI shows. */
export interface CertificateView {
  readonly id: string;
  readonly tenant: string;
  readonly version: number;
  readonly createdAt: string;
  readonly spec: {
    readonly names: readonly string[];
    readonly keyType: string;
    readonly challenge: string;
    readonly issuer: string;
    readonly profile?: string;
    readonly targets: readonly { readonly id: string; readonly type: string }[];
  };
  readonly status: {
    readonly ready: string;
    readonly conditions: readonly ConditionView[];
    readonly revision: number;
    readonly serial?: string;
    readonly notBefore?: string;
    readonly notAfter?: string;
    readonly renewalAt?: string;
    readonly phase?: string;
    readonly failures?: { readonly count: number; readonly reason: string; readonly message?: string };
    readonly deliveries: Readonly<Record<string, DeliveryView>>;
  };
  readonly requests: { readonly renewRequestedAt?: string };
}

export interface EventView {
  readonly id: string;
  readonly type: string;
  readonly at: string;
  readonly revision?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly serial?: string;
  readonly targetId?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface CreateCertificateRequest {
  readonly names: readonly string[];
  readonly keyType?: string;
  readonly challenge?: string;
  readonly issuer?: string;
  readonly targets?: readonly { id: string; type: string; options?: Record<string, string> }[];
}

/** The API URL from `--api`, else `PORTCULLIS_API_URL`; validated before any request. */
export function resolveApiUrl(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = flag ?? env[API_URL_ENV];
  if (raw === undefined || raw.trim() === '') {
    throw new ApiClientError(
      ApiClientErrorCode.NoApiUrl,
      `Portcullis API: no URL; pass --api <url> or set ${API_URL_ENV}`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ApiClientError(ApiClientErrorCode.NoApiUrl, `Portcullis API: --api "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiClientError(ApiClientErrorCode.NoApiUrl, `Portcullis API: --api must be http(s), got ${url.protocol}`);
  }
  return url.href.replace(/\/+$/, '');
}

export class ApiClient {
  readonly #base: string;

  constructor(baseUrl: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  create(request: CreateCertificateRequest, idempotencyKey?: string): Promise<CertificateView> {
    return this.#call('POST', '/certificates', request, idempotencyKey);
  }

  get(id: string): Promise<CertificateView> {
    return this.#call('GET', `/certificates/${encodeURIComponent(id)}`);
  }

  list(query: Readonly<Record<string, string>> = {}): Promise<Page<CertificateView>> {
    const search = new URLSearchParams(query).toString();
    return this.#call('GET', `/certificates${search === '' ? '' : `?${search}`}`);
  }

  renew(id: string): Promise<CertificateView> {
    return this.#call('POST', `/certificates/${encodeURIComponent(id)}/renew`, {});
  }

  revoke(id: string, reason: string): Promise<CertificateView> {
    return this.#call('POST', `/certificates/${encodeURIComponent(id)}/revoke`, { reason });
  }

  events(id: string, query: Readonly<Record<string, string>> = {}): Promise<Page<EventView>> {
    const search = new URLSearchParams(query).toString();
    return this.#call('GET', `/certificates/${encodeURIComponent(id)}/events${search === '' ? '' : `?${search}`}`);
  }

  async #call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ApiClientError(
        ApiClientErrorCode.Unreachable,
        `Portcullis API ${this.#base}: ${method} ${path} got no answer (${(error as Error).message})`,
        0,
        { cause: error },
      );
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const problem = (parsed ?? {}) as { title?: string; detail?: string };
      throw new ApiClientError(
        ApiClientErrorCode.Problem,
        `Portcullis API: ${method} ${path} → ${response.status} ${problem.title ?? response.statusText}${problem.detail === undefined ? '' : `: ${problem.detail}`}`,
        response.status,
      );
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: keep it as the detail rather than failing on the parse.
    return { detail: text.slice(0, 200) };
  }
}

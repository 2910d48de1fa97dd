/**
 * A small client of the Portcullis HTTP API for the CLI (`status`, `list`, `renew`, `revoke`, `events`): `fetch`,
 * JSON in and out, problem+json answers turned into `ApiClientError` naming the API first. Locally the API is the
 * runtime's loopback server; in AWS it is the HTTP API (requests there must be SigV4-signed, which this client
 * leaves to a signing proxy for now).
 */
import type { AlertRecord, Observation } from '@portcullis/core';
import { ApiClientError, ApiClientErrorCode } from './errors.js';

/** RFC 7396's media type, sent with `update`. */
const MERGE_PATCH = 'application/merge-patch+json';

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

/** A live TLS endpoint the monitor checks (openapi.yaml `Endpoint`). */
export interface EndpointView {
  readonly host: string;
  readonly port: number;
  readonly serverName?: string;
}

/** What the monitor last saw at one target or endpoint (openapi.yaml `Observation`). */
export type ObservationView = Observation;

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
    readonly endpoints: readonly EndpointView[];
  };
  readonly status: {
    readonly ready: string;
    readonly conditions: readonly ConditionView[];
    readonly revision: number;
    readonly serial?: string;
    readonly notBefore?: string;
    readonly notAfter?: string;
    readonly renewalAt?: string;
    readonly renewalSource?: 'ari' | 'lifetime';
    /** The answer to the last restore request (`revision` when restored, `refused` otherwise). */
    readonly restore?: RestoreAnswerView;
    readonly phase?: string;
    readonly failures?: { readonly count: number; readonly reason: string; readonly message?: string };
    readonly deliveries: Readonly<Record<string, DeliveryView>>;
  };
  readonly requests: {
    readonly renewRequestedAt?: string;
    readonly restore?: { readonly at: string; readonly serial: string; readonly by: string };
  };
  /** Only from `get(id)` (`[]` before the first monitor run); listings and write answers leave it out. */
  readonly observations?: readonly ObservationView[];
}

/** `GET /alerts` items (openapi.yaml `Alert`): the stored alert without its version. */
export type AlertView = Omit<AlertRecord, 'version'>;

/** Filters of `GET /alerts` (all optional): `state` open|resolved, `kind`, `certificateId`, `limit`, `cursor`. */
export type AlertQuery = Readonly<Partial<Record<'state' | 'kind' | 'certificateId' | 'limit' | 'cursor', string>>>;

/**
 * `PATCH /certificates/{id}` (JSON merge patch): an absent field keeps its value, `null` clears an optional one.
 * Names, tenant and challenge never change (request a new certificate instead).
 */
export interface UpdateCertificateRequest {
  readonly issuer?: string;
  readonly profile?: string | null;
  readonly keyType?: string;
  readonly targets?: readonly { id: string; type: string; options?: Record<string, string> }[];
  readonly endpoints?: readonly EndpointView[] | null;
  readonly renewal?: { readonly renewBeforeSeconds: number } | null;
  readonly preferredChain?: string | null;
}

/** `status.restore` of the view. */
export interface RestoreAnswerView {
  readonly requestedAt: string;
  readonly restoredAt: string;
  readonly serial: string;
  readonly revision?: number;
  readonly refused?: string;
}

/** `GET /certificates/{id}/versions` items (openapi.yaml `VersionList`). */
export interface VersionView {
  readonly revision: number;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly current: boolean;
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
  readonly endpoints?: readonly EndpointView[];
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

  /** `PATCH /certificates/{id}` as `application/merge-patch+json`; answers the certificate with its new spec. */
  update(id: string, body: UpdateCertificateRequest, idempotencyKey?: string): Promise<CertificateView> {
    return this.#call('PATCH', `/certificates/${encodeURIComponent(id)}`, body, idempotencyKey, MERGE_PATCH);
  }

  /** One page of `GET /alerts` (the caller's tenant's alerts; operators also see account-wide ones). */
  alerts(query: AlertQuery = {}): Promise<Page<AlertView>> {
    const entries = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
    const search = new URLSearchParams(entries).toString();
    return this.#call('GET', `/alerts${search === '' ? '' : `?${search}`}`);
  }

  renew(id: string): Promise<CertificateView> {
    return this.#call('POST', `/certificates/${encodeURIComponent(id)}/renew`, {});
  }

  revoke(id: string, reason: string): Promise<CertificateView> {
    return this.#call('POST', `/certificates/${encodeURIComponent(id)}/revoke`, { reason });
  }

  /** Asks for the stored certificate with `serial` to become current again (202; the answer is `status.restore`). */
  restore(id: string, serial: string): Promise<CertificateView> {
    return this.#call('POST', `/certificates/${encodeURIComponent(id)}/restore`, { serial });
  }

  versions(id: string): Promise<{ readonly items: readonly VersionView[] }> {
    return this.#call('GET', `/certificates/${encodeURIComponent(id)}/versions`);
  }

  events(id: string, query: Readonly<Record<string, string>> = {}): Promise<Page<EventView>> {
    const search = new URLSearchParams(query).toString();
    return this.#call('GET', `/certificates/${encodeURIComponent(id)}/events${search === '' ? '' : `?${search}`}`);
  }

  async #call<T>(
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
    contentType = 'application/json',
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': contentType }),
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

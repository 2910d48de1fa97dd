/**
 * Reads the outcome of a failed `@kubernetes/client-node` call: its `ApiException` carries the HTTP status and the
 * API server's `metav1.Status` body (as text or parsed JSON depending on the call). Only the status code, reason,
 * message and causes are kept — response bodies of Secret requests are never copied into errors.
 */
import { ApiException } from '@kubernetes/client-node';
import { KubeApiError } from './errors.js';

export interface ApiFailure {
  status: number | undefined;
  reason: string | undefined;
  message: string;
  /** `details.causes` of the Status (server-side apply conflicts list `FieldManagerConflict` causes here). */
  causes: { reason?: string; message?: string; field?: string }[];
}

function parseStatusBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

export function apiFailure(err: unknown): ApiFailure {
  if (err instanceof ApiException) {
    const status = parseStatusBody(err.body);
    const details = status?.details as { causes?: ApiFailure['causes'] } | undefined;
    return {
      status: err.code,
      reason: typeof status?.reason === 'string' ? status.reason : undefined,
      message: typeof status?.message === 'string' ? status.message : `HTTP ${err.code}`,
      causes: Array.isArray(details?.causes) ? details.causes : [],
    };
  }
  const code = (err as { code?: unknown; statusCode?: unknown } | undefined)?.statusCode;
  return {
    status: typeof code === 'number' ? code : undefined,
    reason: undefined,
    message: err instanceof Error ? err.message : String(err),
    causes: [],
  };
}

export function isNotFound(err: unknown): boolean {
  return apiFailure(err).status === 404;
}

/** A 409 from server-side apply naming other field managers (as opposed to a resourceVersion conflict). */
export function fieldManagerConflicts(failure: ApiFailure): string[] {
  if (failure.status !== 409) return [];
  const managers = failure.causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1])
    .filter((m): m is string => m !== undefined);
  return [...new Set(managers)];
}

export function toKubeApiError(cluster: string, object: string, action: string, err: unknown): KubeApiError {
  const f = apiFailure(err);
  const status = f.status === undefined ? '' : ` (${f.status}${f.reason ? ` ${f.reason}` : ''})`;
  return new KubeApiError(cluster, object, f.status, f.reason, `${action} failed${status}: ${f.message}`, err);
}

import { PortcullisError } from '@portcullis/core';

/** Stable codes of the Kubernetes provider's and status writer's errors. */
export const KubernetesProviderErrorCode = {
  /** Discovery or the first list of a kind failed: `start` rejects, nothing was emitted. */
  SyncFailed: 'KubernetesProviderSyncFailed',
  /** A watch or re-list failed after the first sync; the informer is restarted with backoff. */
  WatchFailed: 'KubernetesProviderWatchFailed',
  /** Reading a referenced Secret's data failed; the previous snapshot stays in force until it succeeds. */
  SecretReadFailed: 'KubernetesProviderSecretReadFailed',
  /** A status write failed (after the bounded 409 retries). */
  StatusWriteFailed: 'KubernetesStatusWriteFailed',
} as const;
export type KubernetesProviderErrorCode =
  (typeof KubernetesProviderErrorCode)[keyof typeof KubernetesProviderErrorCode];

/** Messages name the API server first, then the kind or object: `kubernetes: httproutes: list failed: ...`. */
export class KubernetesProviderError extends PortcullisError {
  constructor(code: KubernetesProviderErrorCode, subject: string, message: string, cause?: unknown) {
    super(code, `kubernetes: ${subject}: ${message}`, { retryable: true, ...(cause === undefined ? {} : { cause }) });
  }
}

/** The status code and Status message of a failed client-node call, without response bodies of other kinds. */
export function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown } | undefined;
  const status = typeof e?.code === 'number' ? e.code : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  let message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
  if (typeof e?.body === 'string') {
    try {
      const parsed = JSON.parse(e.body) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {
      // not a Status body; keep the first line of the error message
    }
  }
  return status === undefined ? String(message) : `HTTP ${status}: ${message}`;
}

/**
 * `--wait` of the commands that ask the lifecycle for something (`request`, `renew`, `restore`): follow the
 * certificate through the API until it settles, one progress line per change on stderr, and turn "did not settle"
 * into a `WaitTimedOut` error that says what was waited for.
 */
import { ValidationError } from '@portcullis/core';
import type { ApiClient, CertificateView } from '../runtime/api-client.js';
import { watchCertificate } from '../runtime/inspect.js';
import { ViewError, ViewErrorCode } from './errors.js';
import { createProgress, type Progress } from './progress.js';
import type { ViewIo } from './terminal.js';

export const DEFAULT_WAIT_SECONDS = 600;

/** `--timeout <seconds>`: whole seconds from 1 to a day; absent = DEFAULT_WAIT_SECONDS. */
export function parseWaitTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 86_400) {
    throw new ValidationError('--timeout', 'integer-range', `"${value}" must be whole seconds from 1 to 86400`);
  }
  return seconds;
}

export interface WaitOptions {
  /** Progress label (`renew <id>`). */
  readonly label: string;
  readonly until: (view: CertificateView) => boolean;
  readonly describe: (view: CertificateView) => string;
  readonly timeoutSeconds: number;
  /** What did not happen, for the timeout error (`has no new Ready revision`). */
  readonly waitingFor: string;
}

/** Waits; returns the settled view and the progress line (the caller says `done` with the outcome). */
export async function waitForCertificate(
  client: ApiClient,
  id: string,
  options: WaitOptions,
  io: ViewIo,
): Promise<{ view: CertificateView; progress: Progress }> {
  const progress = createProgress(io, options.label);
  try {
    const view = await watchCertificate(client, id, {
      until: options.until,
      timeoutMs: options.timeoutSeconds * 1000,
      intervalMs: 500,
      onChange: (v) => progress.update(options.describe(v)),
    });
    return { view, progress };
  } catch (error) {
    progress.done('gave up waiting');
    if (error instanceof Error && /did not settle in time/.test(error.message)) {
      throw new ViewError(
        ViewErrorCode.WaitTimedOut,
        `Portcullis API: certificate ${id} ${options.waitingFor} after ${options.timeoutSeconds} s (${error.message})`,
        { cause: error },
      );
    }
    throw error;
  }
}

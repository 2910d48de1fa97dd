import { PortcullisError } from '@portcullis/core';

/** Stable codes of the CLI's views (`list`, `alerts`, `report` and its screenshot, `renew --wait`). */
export const ViewErrorCode = {
  /** The API answered the same `nextCursor` twice: paging would never end. */
  RepeatedCursor: 'view.repeated-cursor',
  /** `report --png` found no Chromium binary (`chromium`, `chromium-browser`, `$PORTCULLIS_CHROMIUM`). */
  ChromiumMissing: 'view.chromium-missing',
  /** Chromium ran but wrote no usable screenshot. */
  ScreenshotFailed: 'view.screenshot-failed',
  /** `renew --wait`: the renewal failed (status.failures grew); the message carries the last reason. */
  RenewalFailed: 'view.renewal-failed',
  /** `restore --wait`: the lifecycle refused the restore (`status.restore.refused` is the message). */
  RestoreRefused: 'view.restore-refused',
  /** `renew --wait`: no new Ready revision within `--timeout`. */
  WaitTimedOut: 'view.wait-timed-out',
  /** A PNG file could not be read (bad signature, truncated chunk, unsupported format). */
  PngUnreadable: 'view.png-unreadable',
} as const;
export type ViewErrorCode = (typeof ViewErrorCode)[keyof typeof ViewErrorCode];

export class ViewError extends PortcullisError {
  constructor(code: ViewErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retryable: false, ...options });
  }
}

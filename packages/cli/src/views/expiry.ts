/**
 * How close a certificate is to expiry, for colours (list, status, report). A certificate is `critical` at 7 days
 * left or 1/12 of its lifetime, `warning` at 30 days or 1/3 — whichever threshold is SMALLER, so a 90-day
 * certificate turns yellow at 30 days while a 6-day one turns yellow at 2 days rather than always. The fractions
 * match the monitor's default expiry alerts (DEFAULT_MONITOR_POLICY) at a 90-day lifetime.
 */
import type { Colours } from './terminal.js';

const DAY_MS = 86_400_000;

export const ExpiryBand = {
  /** notAfter has passed. */
  Expired: 'expired',
  /** At or below the critical threshold: renew now (red). */
  Critical: 'critical',
  /** At or below the warning threshold (yellow). */
  Warning: 'warning',
  /** Comfortably valid (green). */
  Ok: 'ok',
  /** No certificate yet, or dates unknown. */
  Unknown: 'unknown',
} as const;
export type ExpiryBand = (typeof ExpiryBand)[keyof typeof ExpiryBand];

export const EXPIRY_THRESHOLDS = {
  critical: { days: 7, lifetimeFraction: 1 / 12 },
  warning: { days: 30, lifetimeFraction: 1 / 3 },
} as const;

/** A certificate's validity as the views know it (either end may be unknown). */
export interface ValidityDates {
  readonly notBefore?: string | undefined;
  readonly notAfter?: string | undefined;
}

/** Milliseconds from `now` to `notAfter` (negative once expired); undefined when unknown. */
export function msLeft(notAfter: string | undefined, now: Date): number | undefined {
  if (notAfter === undefined) return undefined;
  const at = Date.parse(notAfter);
  return Number.isNaN(at) ? undefined : at - now.getTime();
}

/** Whole days left, rounded down (negative once expired). */
export function wholeDaysLeft(notAfter: string | undefined, now: Date): number | undefined {
  const ms = msLeft(notAfter, now);
  return ms === undefined ? undefined : Math.floor(ms / DAY_MS);
}

export function expiryBand(dates: ValidityDates, now: Date): ExpiryBand {
  const left = msLeft(dates.notAfter, now);
  if (left === undefined) return ExpiryBand.Unknown;
  if (left <= 0) return ExpiryBand.Expired;
  const start = dates.notBefore === undefined ? Number.NaN : Date.parse(dates.notBefore);
  const lifetime = Number.isNaN(start) ? undefined : Date.parse(dates.notAfter as string) - start;
  const threshold = (t: { days: number; lifetimeFraction: number }) =>
    lifetime === undefined || lifetime <= 0
      ? t.days * DAY_MS
      : Math.min(t.days * DAY_MS, t.lifetimeFraction * lifetime);
  if (left <= threshold(EXPIRY_THRESHOLDS.critical)) return ExpiryBand.Critical;
  if (left <= threshold(EXPIRY_THRESHOLDS.warning)) return ExpiryBand.Warning;
  return ExpiryBand.Ok;
}

export function colourByBand(band: ExpiryBand, colours: Colours): (text: string) => string {
  switch (band) {
    case ExpiryBand.Expired:
    case ExpiryBand.Critical:
      return colours.red;
    case ExpiryBand.Warning:
      return colours.yellow;
    case ExpiryBand.Ok:
      return colours.green;
    default:
      return colours.dim;
  }
}

/** The days-left cell: `12`, `-3` once expired, `-` when unknown; coloured by band. */
export function daysLeftCell(dates: ValidityDates, now: Date, colours: Colours): string {
  const days = wholeDaysLeft(dates.notAfter, now);
  if (days === undefined) return '-';
  return colourByBand(expiryBand(dates, now), colours)(String(days));
}

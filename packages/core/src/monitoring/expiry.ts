/**
 * Expiry thresholds (pure): which threshold a certificate has crossed, from its notAfter and — when its lifetime is
 * known — the fraction of the lifetime left. Either kind crossing fires, so short-lived certificates alert too.
 *
 * Day thresholds longer than the first lifetime-fraction point are ignored for a certificate of known lifetime:
 * a 6-day certificate is "within 7 days" from birth, and its normal renewal (half-life) comes before 1/3 of its
 * lifetime is left. Without that rule every short-lived certificate would alert all its life. Certificates of
 * unknown lifetime (an observed serial that is not ours, unmanaged ACM certificates) use day thresholds only.
 */
import type { IsoTime } from '../lifecycle/types.js';
import { ms } from '../policies/time.js';

const DAY_SECONDS = 86_400;

/** Days left at or below which an alert is critical (when that many days is a meaningful span for the lifetime). */
export const CRITICAL_DAYS = 3;
/** Fraction of the lifetime left at or below which an alert is critical. */
export const CRITICAL_FRACTION = 1 / 12;
/** The threshold label of a certificate past its notAfter. */
export const EXPIRED_LABEL = 'expired';

export interface ExpiryInput {
  readonly notAfter: IsoTime;
  readonly now: IsoTime;
  /** Known lifetime (`certificateLifetimeSeconds`); absent = day thresholds only. */
  readonly lifetimeSeconds?: number;
  readonly days: readonly number[];
  readonly fractions: readonly number[];
}

export interface CrossedExpiry {
  /** The smallest crossed threshold (`7d`, `1/6`) or `expired`. */
  readonly label: string;
  readonly critical: boolean;
  readonly expired: boolean;
  readonly secondsLeft: number;
  /** Fraction of the lifetime left (negative once expired); absent when the lifetime is unknown. */
  readonly fractionLeft?: number;
}

/** RFC 5280 validity is inclusive of both ends: a Let's Encrypt 90-day certificate has notAfter − notBefore = 90 d − 1 s. */
export function certificateLifetimeSeconds(notBefore: IsoTime, notAfter: IsoTime): number {
  return Math.max(1, Math.round((ms(notAfter) - ms(notBefore)) / 1000) + 1);
}

/** `1/6` for one sixth; other fractions as a decimal (`0.25` would read `1/4`, `0.4` reads `0.4`). */
export function fractionLabel(fraction: number): string {
  const n = Math.round(1 / fraction);
  return n > 0 && Math.abs(1 / n - fraction) < 1e-9 ? `1/${n}` : String(Number(fraction.toFixed(4)));
}

/** Days (one decimal) for people: `6.5`, `-0.3` once expired. */
export function formatDays(seconds: number): string {
  return (Math.round((seconds / DAY_SECONDS) * 10) / 10).toFixed(1);
}

/** The crossed threshold, or undefined when none is crossed (an expired certificate always is). */
export function crossedExpiry(input: ExpiryInput): CrossedExpiry | undefined {
  const secondsLeft = (ms(input.notAfter) - ms(input.now)) / 1000;
  const expired = secondsLeft < 0;
  const lifetime = input.lifetimeSeconds;
  const fractionLeft = lifetime === undefined ? undefined : secondsLeft / lifetime;
  const firstFractionSpan =
    lifetime === undefined || input.fractions.length === 0 ? undefined : Math.max(...input.fractions) * lifetime;
  // Whole seconds, so 1/3 of 90 d ties with 30 d instead of losing to floating-point noise.
  const applies = (spanSeconds: number) =>
    firstFractionSpan === undefined || spanSeconds <= Math.round(firstFractionSpan);

  const crossed: { label: string; span: number }[] = [];
  for (const days of input.days) {
    const span = days * DAY_SECONDS;
    if (applies(span) && secondsLeft <= span) crossed.push({ label: `${days}d`, span });
  }
  if (lifetime !== undefined) {
    for (const fraction of input.fractions) {
      const span = Math.round(fraction * lifetime);
      if (secondsLeft <= span) crossed.push({ label: fractionLabel(fraction), span });
    }
  }
  if (crossed.length === 0 && !expired) return undefined;
  // Smallest span wins; on a tie the day label (pushed first, sort is stable) reads better.
  const smallest = [...crossed].sort((a, b) => a.span - b.span)[0];
  const critical =
    expired ||
    (applies(CRITICAL_DAYS * DAY_SECONDS) && secondsLeft <= CRITICAL_DAYS * DAY_SECONDS) ||
    (fractionLeft !== undefined && fractionLeft <= CRITICAL_FRACTION);
  return {
    label: expired || smallest === undefined ? EXPIRED_LABEL : smallest.label,
    critical,
    expired,
    secondsLeft,
    ...(fractionLeft === undefined ? {} : { fractionLeft }),
  };
}

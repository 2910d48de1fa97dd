/**
 * When to renew (Let's Encrypt integration guide, RFC 9773): a point in the CA's ARI window when it offers one,
 * chosen ONCE at random and stored; otherwise a backstop at 1/3 of the lifetime left (1/2 when the whole lifetime
 * is under 10 days, so short-lived certificates keep a retry margin), moved earlier by a random jitter so that a
 * fleet issued together does not renew together.
 */
import type { IsoTime, RenewalPolicy } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';
import { chooseRenewalTime, type RenewalWindow } from '../ports/acme-client.js';
import type { Random } from '../ports/random.js';
import { ms } from './time.js';

/** Lifetimes below this renew at half-life instead of at 2/3 (LE's guide: "1/2 if lifetime < 10 days"). */
export const SHORT_LIFETIME_SECONDS = 10 * 86_400;
/**
 * Jitter: up to this fraction of the lifetime EARLIER than the backstop (90 d → up to 4.5 d, 160 h → up to 8 h).
 * Earlier, never later, so the backstop margin is never eaten into.
 */
export const JITTER_FRACTION = 0.05;

export interface RenewalTimeInput {
  readonly notBefore: IsoTime;
  readonly notAfter: IsoTime;
  readonly now: IsoTime;
  readonly random: Random;
  /** The CA's ARI window, when it answered one. */
  readonly ariWindow?: RenewalWindow;
  readonly policy?: RenewalPolicy;
}

export interface RenewalChoice {
  readonly at: IsoTime;
  readonly source: 'ari' | 'lifetime';
}

export function chooseRenewal(input: RenewalTimeInput): RenewalChoice {
  if (input.ariWindow !== undefined) {
    const at = chooseRenewalTime(input.ariWindow, new Date(input.now), () => input.random.next());
    return { at: toIsoTime(at), source: 'ari' };
  }
  return { at: lifetimeRenewalTime(input), source: 'lifetime' };
}

/** The backstop renewal time, with jitter; never before notBefore. */
export function lifetimeRenewalTime(input: Omit<RenewalTimeInput, 'ariWindow' | 'now'>): IsoTime {
  const notBefore = ms(input.notBefore);
  const notAfter = ms(input.notAfter);
  const lifetime = Math.max(0, notAfter - notBefore);
  const renewBefore =
    input.policy?.renewBeforeSeconds !== undefined
      ? Math.min(input.policy.renewBeforeSeconds * 1000, lifetime)
      : lifetime < SHORT_LIFETIME_SECONDS * 1000
        ? lifetime / 2
        : lifetime / 3;
  const jitter = input.random.next() * JITTER_FRACTION * lifetime;
  return toIsoTime(Math.max(notBefore, notAfter - renewBefore - jitter));
}

import type { IsoTime } from '../lifecycle/types.js';
import { toIsoTime } from '../lifecycle/types.js';

/** Milliseconds of an `IsoTime`. */
export function ms(time: IsoTime): number {
  return Date.parse(time);
}

/** `time` plus `seconds`, as an `IsoTime` (truncated to seconds). */
export function addSeconds(time: IsoTime | Date, seconds: number): IsoTime {
  const base = typeof time === 'string' ? Date.parse(time) : time.getTime();
  return toIsoTime(base + seconds * 1000);
}

/** Whole seconds from `from` until `to` (0 when `to` is not later). */
export function secondsUntil(from: IsoTime, to: IsoTime): number {
  return Math.max(0, Math.ceil((ms(to) - ms(from)) / 1000));
}

/** The earlier of two optional times. */
export function earliest(...times: readonly (IsoTime | undefined)[]): IsoTime | undefined {
  return times.filter((t): t is IsoTime => t !== undefined).sort()[0];
}

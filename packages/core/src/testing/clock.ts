import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';

/** A clock that moves only when told (`advance`, `set`) or when something `sleep`s on it. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: string | Date = '2026-06-01T00:00:00Z') {
    this.#ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  async sleep(ms: number): Promise<void> {
    this.#ms += ms;
  }

  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }

  set(time: string | Date): void {
    this.#ms = new Date(time).getTime();
  }
}

/** Deterministic `Random` (mulberry32): the same seed gives the same sequence. */
export class SeededRandom implements Random {
  #state: number;

  constructor(seed = 1) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A `Random` that always answers `value` (table-driven policy tests). */
export function fixedRandom(value: number): Random {
  return { next: () => value };
}

import { type Clock, systemClock } from '@portcullis/core';

export interface TokenBucketConfig {
  /** Sustained rate (tokens added per second). */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet period. */
  readonly burst: number;
  readonly clock?: Clock;
}

/**
 * A token bucket that makes callers wait their turn instead of failing. A token is reserved at call time (the level
 * may go negative), so concurrent callers are served in call order and the wait is computed once, exactly, from
 * the injected clock — no polling loop.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;

  constructor(config: TokenBucketConfig) {
    if (!(config.ratePerSecond > 0) || !Number.isFinite(config.ratePerSecond)) {
      throw new RangeError(`token bucket: ratePerSecond must be a positive number, got ${config.ratePerSecond}`);
    }
    if (!Number.isInteger(config.burst) || config.burst < 1) {
      throw new RangeError(`token bucket: burst must be a positive integer, got ${config.burst}`);
    }
    this.#rate = config.ratePerSecond;
    this.#burst = config.burst;
    this.#clock = config.clock ?? systemClock;
    this.#tokens = config.burst;
    this.#updatedAt = this.#clock.now().getTime();
  }

  /** Tokens available now (negative while callers are queued). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes one token, waiting (through the clock) until it is available. */
  async take(): Promise<void> {
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    await this.#clock.sleep(Math.ceil((-this.#tokens / this.#rate) * 1000));
  }

  #refill(): void {
    const now = this.#clock.now().getTime();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#rate);
  }
}

/**
 * Route53's API budget per AWS account (facts.md): about 10 requests/s sustained with bursts of about 50, shared by
 * every caller in the account — so one bucket per account per process, shared by every provider instance.
 */
export const ROUTE53_THROTTLE = { ratePerSecond: 10, burst: 50 } as const;

const sharedThrottles = new Map<string, TokenBucket>();

/** The process-wide bucket of one account (`default` for the identity the entry point's client runs as). */
export function sharedRoute53Throttle(account: string): TokenBucket {
  let bucket = sharedThrottles.get(account);
  if (bucket === undefined) {
    bucket = new TokenBucket(ROUTE53_THROTTLE);
    sharedThrottles.set(account, bucket);
  }
  return bucket;
}

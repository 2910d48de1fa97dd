/**
 * Randomness is injected: core never calls `Math.random` or `crypto.random*`, so every decision (ARI point, jitter)
 * is reproducible in tests and replays. Random choices that must stay stable are made once and persisted.
 */
export interface Random {
  /** A uniformly distributed number in [0, 1). */
  next(): number;
}

/** The production source (the only place `Math.random` appears; not for cryptography — nothing here needs it). */
export const systemRandom: Random = { next: () => Math.random() };

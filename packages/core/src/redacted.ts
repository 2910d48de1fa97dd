import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Holds key material so that it cannot leak by accident: JSON, `util.inspect`, string conversion and template
 * literals all print `[redacted]`. The only way to the value is an explicit `reveal()`, which is easy to grep for.
 */
export class Redacted<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** Returns the secret. Call only where the value goes to its destination (a CSR, a store, a target). */
  reveal(): T {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function redact<T>(value: T): Redacted<T> {
  return new Redacted(value);
}

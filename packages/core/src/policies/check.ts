/**
 * Decisions as ordered chains of small pure checks (cert-manager's `policies` shape): each check looks at one thing
 * and either passes (`undefined`) or returns a `Violation` — a documented reason constant plus one sentence for
 * people. `evaluate` returns the first violation, so the order of a chain is its priority.
 */
export interface Violation<R extends string = string> {
  readonly reason: R;
  /** One stable sentence: no request ids, no "now" timestamps (it is stored in status and compared). */
  readonly message: string;
}

export type Check<I, R extends string = string> = (input: I) => Violation<R> | undefined;

export function evaluate<I, R extends string>(chain: readonly Check<I, R>[], input: I): Violation<R> | undefined {
  for (const check of chain) {
    const violation = check(input);
    if (violation !== undefined) return violation;
  }
  return undefined;
}

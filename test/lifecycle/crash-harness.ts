/**
 * Crash injection for the lifecycle integration tests. A real worker crash kills the process between a side effect
 * and the write that records it: nothing it still tries afterwards lands. `CrashSwitch.wrap` puts a Proxy around a
 * port; once `arm(port, method)` fires (right AFTER that method's side effect succeeded), every wrapped port of the
 * "process" throws `SimulatedCrash` until `restart()` — so reconcile cannot even record the failure, exactly as
 * after a kill. Counting happens in the same proxies (calls that succeeded, per port and method).
 */

export class SimulatedCrash extends Error {}

export class CrashSwitch {
  #armed: { port: string; method: string; after: number } | undefined;
  #dead = false;
  readonly #calls = new Map<string, number>();

  /** Crash right after the `after`-th (default first) successful call of `port.method` from now on. */
  arm(port: string, method: string, after = 1): void {
    this.#armed = { port, method, after: this.count(port, method) + after };
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** A new worker process: nothing armed, ports work again. */
  restart(): void {
    this.#dead = false;
    this.#armed = undefined;
  }

  /** Successful calls of `port.method` so far. */
  count(port: string, method: string): number {
    return this.#calls.get(`${port}.${method}`) ?? 0;
  }

  /** Wraps every method of `target`; methods listed in `children` return objects that are wrapped as `port`s too. */
  wrap<T extends object>(port: string, target: T, children: Readonly<Record<string, string>> = {}): T {
    return new Proxy(target, {
      get: (object, property, receiver) => {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          if (this.#dead) throw new SimulatedCrash(`worker is dead (${port}.${property} not called)`);
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
          const child = children[property];
          if (child !== undefined && typeof result === 'object' && result !== null) {
            return this.wrap(child, result as object);
          }
          if (!(result instanceof Promise)) return result;
          return result.then((answer: unknown) => {
            const key = `${port}.${property}`;
            const calls = (this.#calls.get(key) ?? 0) + 1;
            this.#calls.set(key, calls);
            const armed = this.#armed;
            if (armed !== undefined && armed.port === port && armed.method === property && armed.after === calls) {
              this.#dead = true;
              throw new SimulatedCrash(`worker died right after ${key} #${calls}`);
            }
            return answer;
          });
        };
      },
    });
  }
}

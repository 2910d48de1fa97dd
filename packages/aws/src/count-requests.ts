/** Minimal shape of an SDK v3 client's middleware stack (structural: works for every `@aws-sdk/client-*`). */
interface CountableClient {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: never) => Promise<unknown>,
        context: { readonly commandName?: string },
      ) => (args: never) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; priority: 'low' },
    ): void;
    remove(toRemove: string): boolean;
  };
}

/** Requests a client has sent since the counter was attached (or last reset), per SDK command name. */
export interface AwsRequestCounter {
  /** All requests, every command. */
  readonly total: number;
  /** Requests of one command, e.g. `ChangeResourceRecordSetsCommand`. */
  count(commandName: string): number;
  /** A copy of the per-command counts. */
  byCommand(): Record<string, number>;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

let counterSerial = 0;

/**
 * Counts the HTTP requests a client sends, per command, with a middleware in the `deserialize` step — inside the
 * SDK's retry loop, so an SDK-internal retry counts as the request AWS sees (and bills against the throttle).
 * Used by the integration tests and the benchmark ("Route53 API calls per order").
 */
export function countAwsRequests(client: CountableClient): AwsRequestCounter {
  const name = `portcullis-count-requests-${++counterSerial}`;
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      counts[command] = (counts[command] ?? 0) + 1;
      return next(args);
    },
    { step: 'deserialize', name, priority: 'low' },
  );
  return {
    get total() {
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    count: (commandName) => counts[commandName] ?? 0,
    byCommand: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}

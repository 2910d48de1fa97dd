/**
 * Counts the items DynamoDB read for a client: `ScannedCount` of every Query/Scan (items evaluated, before any
 * filter — what capacity is billed on), items returned by GetItem/BatchGetItem. Used by the tests ("listDue of 5 due
 * among 500 reads 5") and the planning-cost benchmark. Capacity units would be the other measure, but moto reports
 * a constant 1 per request, so item counts are what can be checked on the local stack and in AWS alike.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbItemsReadCounter {
  /** Items read by every command since attach/reset. */
  readonly total: number;
  /** Items read by one command (`QueryCommand`, `GetItemCommand`, `BatchGetItemCommand`, `ScanCommand`). */
  count(commandName: string): number;
  /** Requests of one command. */
  requests(commandName: string): number;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

let serial = 0;

function itemsReadBy(output: unknown): number {
  if (typeof output !== 'object' || output === null) return 0;
  const answer = output as {
    ScannedCount?: number;
    Item?: unknown;
    Responses?: Record<string, unknown[]>;
  };
  if (typeof answer.ScannedCount === 'number') return answer.ScannedCount;
  if (answer.Responses !== undefined)
    return Object.values(answer.Responses).reduce((sum, items) => sum + items.length, 0);
  return answer.Item === undefined ? 0 : 1;
}

/**
 * Attaches to the client's middleware stack (shared with every document client wrapping it), in the `initialize`
 * step: it sees each command's final output once, after the SDK's retries.
 */
export function countDynamoDbItemsRead(client: DynamoDBClient): DynamoDbItemsReadCounter {
  const name = `portcullis-count-items-read-${++serial}`;
  let items: Record<string, number> = {};
  let requests: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = context.commandName ?? 'unknown';
      requests[command] = (requests[command] ?? 0) + 1;
      items[command] = (items[command] ?? 0) + itemsReadBy(result.output);
      return result;
    },
    { step: 'initialize', name, priority: 'low' },
  );
  return {
    get total() {
      return Object.values(items).reduce((sum, n) => sum + n, 0);
    },
    count: (commandName) => items[commandName] ?? 0,
    requests: (commandName) => requests[commandName] ?? 0,
    reset: () => {
      items = {};
      requests = {};
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/**
 * Shared set-up of the DynamoDB integration and conformance tests: one local stack per test file (real
 * moto_server), and a fresh set of the four tables per test — unique names, so no test sees another's items and no
 * reset races a running test. Tables made by a test are deleted after it; kept ones go with the stack.
 */
import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AwsClients,
  createAwsClients,
  createTables,
  type DynamoDbTableNames,
  defaultTableNames,
  deleteTables,
} from '@portcullis/aws';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll } from 'vitest';

export interface DynamoDbTestContext {
  readonly stack: LocalStack;
  readonly clients: AwsClients;
  readonly client: DynamoDBClient;
  /**
   * Creates the four tables under a new prefix and returns their names. They are deleted after the test, or with
   * `keep` only when the stack stops (a seeded inventory shared by several read-only tests).
   */
  freshTables(options?: { readonly keep?: boolean }): Promise<DynamoDbTableNames>;
  /** Another client of the same moto (a second writer with its own connection pool). */
  secondClient(): DynamoDBClient;
}

/** Registers beforeAll/afterEach/afterAll in the calling file; the returned getter works inside tests. */
export function useDynamoDbStack(): () => DynamoDbTestContext {
  let context: DynamoDbTestContext | undefined;
  let stack: LocalStack | undefined;
  const extraClients: AwsClients[] = [];
  let created: DynamoDbTableNames[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({});
    const moto = stack.moto;
    if (moto === undefined) throw new Error('local stack: moto_server did not start');
    const clients = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
    const running = stack;
    context = {
      stack: running,
      clients,
      client: clients.dynamodb,
      freshTables: async (options = {}) => {
        const names = defaultTableNames(`t-${randomBytes(5).toString('hex')}`);
        if (options.keep !== true) created.push(names);
        await createTables(clients.dynamodb, names);
        return names;
      },
      secondClient: () => {
        const other = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
        extraClients.push(other);
        return other.dynamodb;
      },
    };
  });

  afterEach(async () => {
    const client = context?.client;
    if (client !== undefined) for (const names of created) await deleteTables(client, names);
    created = [];
  });

  afterAll(async () => {
    for (const clients of extraClients) clients.destroy();
    context?.clients.destroy();
    await stack?.stop();
  });

  return () => {
    if (context === undefined) throw new Error('useDynamoDbStack: the stack is only there inside tests');
    return context;
  };
}

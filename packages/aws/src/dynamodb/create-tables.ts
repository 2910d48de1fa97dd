/**
 * Creates (and, for tests, deletes) the lifecycle tables from their definitions. In AWS the infra creates them;
 * this is for local mode and the test suites against moto. Idempotent: an existing table with the same keys and
 * indexes is success, one with other keys or indexes is an error naming what differs (never silently reused).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbError, DynamoDbErrorCode, errorName, wrapDynamoDbError } from './errors.js';
import { type DynamoDbTableNames, dynamoDbTableDefinitions, type Projection, type TableDefinition } from './tables.js';

const PROJECTION = { all: 'ALL', 'keys-only': 'KEYS_ONLY' } as const satisfies Record<Projection, string>;

function keySchema(hashKey: string, rangeKey: string | undefined) {
  return [
    { AttributeName: hashKey, KeyType: 'HASH' as const },
    ...(rangeKey === undefined ? [] : [{ AttributeName: rangeKey, KeyType: 'RANGE' as const }]),
  ];
}

/** The SDK's `CreateTable` input for one definition (on-demand billing, every index declared). */
export function toCreateTableInput(definition: TableDefinition): CreateTableCommandInput {
  const globals = Object.entries(definition.globalIndexes);
  const locals = Object.entries(definition.localIndexes);
  return {
    TableName: definition.name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: Object.entries(definition.fields).map(([name, type]) => ({
      AttributeName: name,
      AttributeType: type === 'string' ? 'S' : 'N',
    })),
    KeySchema: keySchema(definition.primaryIndex.hashKey, definition.primaryIndex.rangeKey),
    ...(globals.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: globals.map(([name, index]) => ({
            IndexName: name,
            KeySchema: keySchema(index.hashKey, index.rangeKey),
            Projection: { ProjectionType: PROJECTION[index.projection] },
          })),
        }),
    ...(locals.length === 0
      ? {}
      : {
          LocalSecondaryIndexes: locals.map(([name, index]) => ({
            IndexName: name,
            KeySchema: keySchema(definition.primaryIndex.hashKey, index.rangeKey),
            Projection: { ProjectionType: PROJECTION[index.projection] },
          })),
        }),
  };
}

/** What differs between an existing table and its definition (empty when they match). */
export function describeMismatch(definition: TableDefinition, table: TableDescription): string[] {
  const problems: string[] = [];
  const keys = (schema: { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined) =>
    JSON.stringify((schema ?? []).map((key) => [key.AttributeName, key.KeyType]));
  const wanted = toCreateTableInput(definition);
  if (keys(table.KeySchema) !== keys(wanted.KeySchema)) {
    problems.push(`key schema is ${keys(table.KeySchema)}, expected ${keys(wanted.KeySchema)}`);
  }
  const existing = new Map(
    [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((index) => [
      index.IndexName,
      index,
    ]),
  );
  for (const index of [...(wanted.GlobalSecondaryIndexes ?? []), ...(wanted.LocalSecondaryIndexes ?? [])]) {
    const found = existing.get(index.IndexName);
    if (found === undefined) problems.push(`index ${index.IndexName} is missing`);
    else if (keys(found.KeySchema) !== keys(index.KeySchema)) {
      problems.push(`index ${index.IndexName} has keys ${keys(found.KeySchema)}, expected ${keys(index.KeySchema)}`);
    } else if (found.Projection?.ProjectionType !== index.Projection?.ProjectionType) {
      problems.push(
        `index ${index.IndexName} projects ${found.Projection?.ProjectionType}, expected ${index.Projection?.ProjectionType}`,
      );
    }
  }
  return problems;
}

/** Polls DescribeTable until ACTIVE (moto: at once; AWS on-demand: seconds). */
async function waitUntilActive(client: DynamoDBClient, name: string, timeoutMs: number): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (table?.TableStatus === 'ACTIVE') return table;
    if (Date.now() > deadline) {
      throw new DynamoDbError(
        DynamoDbErrorCode.TableNotReady,
        `dynamodb: table ${name} is ${table?.TableStatus} after ${timeoutMs} ms`,
        {
          retryable: true,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function ensureTtl(client: DynamoDBClient, definition: TableDefinition): Promise<void> {
  if (definition.ttl === undefined) return;
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: definition.name }),
  );
  if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: definition.name,
      TimeToLiveSpecification: { AttributeName: definition.ttl, Enabled: true },
    }),
  );
}

async function ensureTable(client: DynamoDBClient, definition: TableDefinition, timeoutMs: number): Promise<void> {
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(definition)));
  } catch (error) {
    // Present already: accepted only if it has our keys and indexes (checked below).
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  const table = await waitUntilActive(client, definition.name, timeoutMs);
  const problems = describeMismatch(definition, table);
  if (problems.length > 0) {
    throw new DynamoDbError(
      DynamoDbErrorCode.TableMismatch,
      `dynamodb: table ${definition.name} (${definition.role}) exists with another layout: ${problems.join('; ')}`,
    );
  }
  await ensureTtl(client, definition);
}

/** Creates every defined table if absent, waits until they are active, enables TTL. Safe to call on every start. */
export async function createTables(
  client: DynamoDBClient,
  names: DynamoDbTableNames,
  options: { readonly timeoutMs?: number } = {},
): Promise<void> {
  const definitions = Object.values(dynamoDbTableDefinitions(names));
  try {
    await Promise.all(definitions.map((definition) => ensureTable(client, definition, options.timeoutMs ?? 60_000)));
  } catch (error) {
    if (error instanceof DynamoDbError) throw error;
    throw wrapDynamoDbError(error, 'CreateTable', `tables ${definitions.map((d) => d.name).join(', ')}`);
  }
}

/** Deletes every table; absent tables are success (tests clean up with it). */
export async function deleteTables(client: DynamoDBClient, names: DynamoDbTableNames): Promise<void> {
  const definitions = Object.values(dynamoDbTableDefinitions(names));
  await Promise.all(
    definitions.map(async (definition) => {
      try {
        await client.send(new DeleteTableCommand({ TableName: definition.name }));
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return;
        throw wrapDynamoDbError(error, 'DeleteTable', `table ${definition.name}`);
      }
    }),
  );
}

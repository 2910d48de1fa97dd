/**
 * Table creation on real moto_server: idempotent, exactly the layout of the definitions (keys, indexes,
 * projections, TTL), refusing a same-named table of another layout, and what a request against a missing table
 * becomes (a DynamoDbError naming the table, not retryable).
 */
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  createTables,
  DynamoDbCertificateRepository,
  DynamoDbError,
  DynamoDbErrorCode,
  defaultTableNames,
  deleteTables,
  describeMismatch,
  dynamoDbTableDefinitions,
} from '@portcullis/aws';
import { describe, expect, it } from 'vitest';
import { useDynamoDbStack } from './dynamodb-support.js';

const dynamodb = useDynamoDbStack();

describe('createTables', () => {
  it('creates the four tables as defined, and a second call changes nothing', async () => {
    const { client, freshTables } = dynamodb();
    const names = await freshTables();
    await createTables(client, names);

    for (const definition of Object.values(dynamoDbTableDefinitions(names))) {
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: definition.name }));
      expect(table?.TableStatus).toBe('ACTIVE');
      expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(describeMismatch(definition, table ?? {})).toEqual([]);
      const { TimeToLiveDescription: ttl } = await client.send(
        new DescribeTimeToLiveCommand({ TableName: definition.name }),
      );
      expect([definition.name, ttl?.TimeToLiveStatus, ttl?.AttributeName]).toEqual(
        definition.ttl === undefined
          ? [definition.name, 'DISABLED', undefined]
          : [definition.name, 'ENABLED', definition.ttl],
      );
    }
  });

  it('refuses a same-named table of another layout, naming the table and what differs', async () => {
    const { client } = dynamodb();
    const names = defaultTableNames(`t-${randomBytes(5).toString('hex')}`);
    await client.send(
      new CreateTableCommand({
        TableName: names.certificates,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    try {
      const failure = await createTables(client, names).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DynamoDbError);
      expect(failure).toMatchObject({ code: DynamoDbErrorCode.TableMismatch, retryable: false });
      expect((failure as Error).message).toContain(
        `dynamodb: table ${names.certificates} (certificates) exists with another layout`,
      );
      expect((failure as Error).message).toContain('index due is missing');
    } finally {
      await deleteTables(client, names);
    }
  });

  it('deletes tables idempotently', async () => {
    const { client } = dynamodb();
    const names = defaultTableNames(`t-${randomBytes(5).toString('hex')}`);
    await createTables(client, names);
    await deleteTables(client, names);
    await deleteTables(client, names);
    await expect(client.send(new DescribeTableCommand({ TableName: names.events }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('requests against a missing table', () => {
  it('become a DynamoDbError naming the operation and the table, not retryable', async () => {
    const repository = new DynamoDbCertificateRepository({ client: dynamodb().client, tableName: 'portcullis-absent' });

    const failure = await repository.get('c1').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DynamoDbError);
    expect(failure).toMatchObject({
      code: DynamoDbErrorCode.RequestFailed,
      awsCode: 'ResourceNotFoundException',
      retryable: false,
    });
    expect((failure as Error).message).toMatch(
      /^dynamodb: GetItem \(table portcullis-absent, certificate c1\): ResourceNotFoundException: /,
    );
  });
});

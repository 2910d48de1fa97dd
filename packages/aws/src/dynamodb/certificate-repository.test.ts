/**
 * Unit tests without network. The retry cases use a fake HTTP handler under a real DynamoDBClient, because moto
 * never throttles: they pin down that throttling is retried by the SDK while a lost condition is mapped at once
 * (never retried blindly). Everything moto can do is tested against it in test/aws/dynamodb-*.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConflictError, NotFoundError, ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { DynamoDbCertificateRepository, dueShardOf } from './certificate-repository.js';
import { DynamoDbError, DynamoDbErrorCode } from './errors.js';

interface FakeAnswer {
  readonly status: number;
  readonly json: object;
}

const throttled: FakeAnswer = {
  status: 400,
  json: {
    __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
};
const conditionFailed = (item?: object): FakeAnswer => ({
  status: 400,
  json: {
    __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
    message: 'The conditional request failed',
    ...(item === undefined ? {} : { Item: item }),
  },
});
const storedItem = { id: { S: 'c1' }, version: { N: '4' }, spec: { M: {} }, status: { M: {} } };

/** A DynamoDBClient with the factory's settings whose HTTP handler answers from a script and records targets. */
function scriptedClient(answers: FakeAnswer[], options: { maxAttempts?: number } = {}) {
  const targets: string[] = [];
  const handler = {
    async handle(request: { headers: Record<string, string> }) {
      targets.push(String(request.headers['x-amz-target']).replace('DynamoDB_20120810.', ''));
      const answer = answers.shift() ?? { status: 200, json: {} };
      return {
        response: {
          statusCode: answer.status,
          reason: '',
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: new TextEncoder().encode(JSON.stringify(answer.json)),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: handler,
    ...options,
  });
  return { client, targets };
}

const record = {
  id: 'c1',
  spec: {
    names: ['a.test'],
    keyType: 'ec-p256',
    issuer: 'letsencrypt',
    challenge: 'dns-01',
    targets: [],
    tenant: 't1',
  },
  status: { conditions: [], revision: 0, deliveries: {} },
  version: 3,
  nextWakeAt: '2026-06-01T00:00:00Z',
  createdAt: '2026-06-01T00:00:00Z',
} as const;

describe('DynamoDbCertificateRepository against a scripted DynamoDB', () => {
  it('gets a record after the SDK retried a throttled read', async () => {
    const { client, targets } = scriptedClient([throttled, { status: 200, json: { Item: storedItem } }]);
    const repository = new DynamoDbCertificateRepository({ client, tableName: 'certs' });

    expect(await repository.get('c1')).toEqual({ id: 'c1', version: 4, spec: {}, status: {} });
    expect(targets).toEqual(['GetItem', 'GetItem']);
  });

  it('maps a lost version condition to a ConflictError after one request, naming the stored version', async () => {
    const { client, targets } = scriptedClient([conditionFailed(storedItem)]);
    const repository = new DynamoDbCertificateRepository({ client, tableName: 'certs' });

    const failure = await repository.update(record).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toBe(
      'dynamodb: table certs: certificate c1 is at version 4, the update expected 3',
    );
    expect(targets).toEqual(['PutItem']);
  });

  it('maps a lost condition without a stored item to a NotFoundError', async () => {
    const { client } = scriptedClient([conditionFailed()]);
    const repository = new DynamoDbCertificateRepository({ client, tableName: 'certs' });

    await expect(repository.update(record)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives up with a retryable DynamoDbError when every attempt is throttled', async () => {
    const { client, targets } = scriptedClient([throttled, throttled], { maxAttempts: 2 });
    const repository = new DynamoDbCertificateRepository({ client, tableName: 'certs' });

    const failure = await repository.get('c1').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DynamoDbError);
    expect(failure).toMatchObject({
      code: DynamoDbErrorCode.RequestFailed,
      awsCode: 'ThrottlingException',
      retryable: true,
    });
    expect(targets).toEqual(['GetItem', 'GetItem']);
  });
});

describe('DynamoDbCertificateRepository options', () => {
  const { client } = scriptedClient([]);
  const cases: Record<string, { options: object; field: string }> = {
    'refuses zero due shards': { options: { tableName: 'certs', dueShards: 0 }, field: 'dueShards' },
    'refuses more than 16 due shards': { options: { tableName: 'certs', dueShards: 17 }, field: 'dueShards' },
    'refuses an empty table name': { options: { tableName: '' }, field: 'tableName' },
  };
  it.each(Object.entries(cases))('%s', (_name, { options, field }) => {
    const failure = (() => {
      try {
        return new DynamoDbCertificateRepository({ client, ...(options as { tableName: string }) });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).field).toBe(field);
  });
});

describe('dueShardOf', () => {
  it('puts every record in shard 0 when there is one shard', () => {
    expect(new Set(['a', 'b', 'c', 'cert-123'].map((id) => dueShardOf(id, 1)))).toEqual(new Set(['0']));
  });

  it('gives one id the same shard every time, and spreads 1000 ids over all of 4 shards', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `cert-${i}`);
    expect(ids.map((id) => dueShardOf(id, 4))).toEqual(ids.map((id) => dueShardOf(id, 4)));
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(dueShardOf(id, 4), (counts.get(dueShardOf(id, 4)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['0', '1', '2', '3']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(150);
  });
});

import { DynamoDbIndex, dynamoDbTableDefinitions, toCreateTableInput } from '@portcullis/aws';
import { describe, expect, it } from 'vitest';
import {
  dynamoTables,
  FUNCTIONS,
  RECONCILE_MAX_RECEIVES,
  reconcileVisibilitySeconds,
  tableNames,
} from './resources.js';

describe('dynamoTables', () => {
  const tables = dynamoTables('portcullis', 'prod');

  it('declares the six tables with stage-prefixed names', () => {
    expect(Object.fromEntries(Object.entries(tables).map(([key, t]) => [key, t.tableName]))).toEqual(
      tableNames('portcullis', 'prod'),
    );
  });

  it('keeps the sparse due index of the certificates table (the planner never scans)', () => {
    expect(tables.certificates.globalIndexes[DynamoDbIndex.CertificatesDue]).toEqual({
      hashKey: 'idxDueShard',
      rangeKey: 'nextWakeAt',
      projection: 'all',
    });
  });

  it('matches the key schema createTables builds for local mode and tests, table by table', () => {
    const { idempotency: _i, ...lifecycle } = tableNames('portcullis', 'prod');
    for (const [role, definition] of Object.entries(dynamoDbTableDefinitions(lifecycle))) {
      const ours = tables[role as keyof typeof tables];
      const sdk = toCreateTableInput(definition);
      expect(Object.keys(ours.fields).sort()).toEqual(sdk.AttributeDefinitions?.map((a) => a.AttributeName).sort());
      expect(Object.keys(ours.globalIndexes).sort()).toEqual(
        (sdk.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort(),
      );
      expect(Object.keys(ours.localIndexes).sort()).toEqual(
        (sdk.LocalSecondaryIndexes ?? []).map((index) => index.IndexName).sort(),
      );
      expect(ours.ttl).toBe(definition.ttl);
    }
  });

  it('enables TTL where the adapters write expiresAt, and on the idempotency records', () => {
    expect(Object.fromEntries(Object.entries(tables).map(([key, t]) => [key, t.ttl]))).toEqual({
      certificates: undefined,
      orders: 'expiresAt',
      ledger: 'expiresAt',
      events: 'expiresAt',
      alerts: 'expiresAt',
      idempotency: 'expiration',
    });
  });
});

describe('functions', () => {
  it('keeps the reconcile visibility timeout at six worker timeouts (AWS advice for SQS event sources)', () => {
    expect(reconcileVisibilitySeconds()).toBe(FUNCTIONS.worker.timeout * 6);
    expect(reconcileVisibilitySeconds()).toBeLessThanOrEqual(43_200);
    expect(RECONCILE_MAX_RECEIVES).toBeGreaterThan(1);
  });

  it.each(Object.entries(FUNCTIONS))('points %s at an exported handler of a file that exists', async (_key, fn) => {
    const [file, exportName] = [fn.handler.slice(0, fn.handler.lastIndexOf('.')), fn.handler.split('.').pop()];
    const { existsSync } = await import('node:fs');
    expect(existsSync(new URL(`../../${file}.ts`, import.meta.url))).toBe(true);
    expect(exportName).toBe('handler');
  });

  it('stays within API Gateway and Lambda limits', () => {
    expect(FUNCTIONS.api.timeout).toBeLessThanOrEqual(29);
    for (const fn of Object.values(FUNCTIONS)) expect(fn.timeout).toBeLessThanOrEqual(900);
  });
});

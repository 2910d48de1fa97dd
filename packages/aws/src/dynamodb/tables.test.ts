import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { describeMismatch, toCreateTableInput } from './create-tables.js';
import {
  DynamoDbEnv,
  type DynamoDbTableNames,
  defaultTableNames,
  dynamoDbTableDefinitions,
  tableNamesFromEnv,
  validateTableNames,
} from './tables.js';

const names = defaultTableNames('stage');

describe('table names', () => {
  it('derives the five names from a prefix', () => {
    expect(names).toEqual({
      certificates: 'stage-certificates',
      orders: 'stage-orders',
      ledger: 'stage-ledger',
      events: 'stage-events',
      alerts: 'stage-alerts',
    });
  });

  const refused: Record<string, { input: object; field: string }> = {
    'refuses an unknown role': { input: { ...names, locks: 'stage-locks' }, field: 'tables.locks' },
    'refuses a missing role': { input: { certificates: 'a-c', orders: 'a-o', ledger: 'a-l' }, field: 'tables.events' },
    'refuses a missing alerts table': {
      input: { certificates: 'a-c', orders: 'a-o', ledger: 'a-l', events: 'a-e' },
      field: 'tables.alerts',
    },
    'refuses a name with a slash': { input: { ...names, events: 'stage/events' }, field: 'tables.events' },
    'refuses two roles in one table': { input: { ...names, events: 'stage-ledger' }, field: 'tables' },
  };
  it.each(Object.entries(refused))('%s', (_name, { input, field }) => {
    expect(() => validateTableNames(input as DynamoDbTableNames)).toThrow(expect.objectContaining({ field }));
  });

  it('reads the names from the environment and names a missing variable', () => {
    const env = {
      [DynamoDbEnv.CertificatesTable]: 'p-certificates',
      [DynamoDbEnv.OrdersTable]: 'p-orders',
      [DynamoDbEnv.LedgerTable]: 'p-ledger',
      [DynamoDbEnv.EventsTable]: 'p-events',
      [DynamoDbEnv.AlertsTable]: 'p-alerts',
    };
    expect(tableNamesFromEnv(env)).toEqual(defaultTableNames('p'));
    expect(() => tableNamesFromEnv({ ...env, [DynamoDbEnv.LedgerTable]: ' ' })).toThrow(
      expect.objectContaining({ field: DynamoDbEnv.LedgerTable, rule: 'required' }),
    );
  });
});

describe('table definitions', () => {
  const definitions = Object.values(dynamoDbTableDefinitions(names));

  // DynamoDB refuses an attribute definition no key uses, and a key whose attribute is not defined.
  it.each(definitions.map((definition) => [definition.role, definition] as const))(
    'declares exactly the key attributes the %s table and its indexes use',
    (_role, definition) => {
      const input = toCreateTableInput(definition);
      const used = new Set(
        [
          ...(input.KeySchema ?? []),
          ...(input.GlobalSecondaryIndexes ?? []).flatMap((index) => index.KeySchema ?? []),
          ...(input.LocalSecondaryIndexes ?? []).flatMap((index) => index.KeySchema ?? []),
        ].map((key) => key.AttributeName),
      );
      expect(new Set((input.AttributeDefinitions ?? []).map((attribute) => attribute.AttributeName))).toEqual(used);
    },
  );

  it('projects everything into the due index and only keys into the listing indexes', () => {
    const input = toCreateTableInput(dynamoDbTableDefinitions(names).certificates);
    expect(
      Object.fromEntries(
        (input.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index.Projection?.ProjectionType]),
      ),
    ).toEqual({ due: 'ALL', 'by-tenant': 'KEYS_ONLY', 'by-id': 'KEYS_ONLY' });
  });

  it('expires history and ledger items by TTL but never certificates', () => {
    const ttl = Object.fromEntries(definitions.map((definition) => [definition.role, definition.ttl]));
    expect(ttl).toEqual({
      certificates: undefined,
      orders: 'expiresAt',
      ledger: 'expiresAt',
      events: 'expiresAt',
      alerts: 'expiresAt',
    });
  });

  it('rejects bad names before building any definition', () => {
    expect(() => dynamoDbTableDefinitions({ ...names, orders: '' })).toThrow(ValidationError);
  });
});

describe('describeMismatch', () => {
  const definition = dynamoDbTableDefinitions(names).events;
  const created = toCreateTableInput(definition);

  it('finds nothing wrong with a table created from the definition', () => {
    expect(
      describeMismatch(definition, {
        KeySchema: created.KeySchema,
        LocalSecondaryIndexes: created.LocalSecondaryIndexes,
      }),
    ).toEqual([]);
  });

  it('names a missing index and a different key schema', () => {
    expect(describeMismatch(definition, { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] })).toEqual([
      'key schema is [["id","HASH"]], expected [["certificateId","HASH"],["id","RANGE"]]',
      'index by-time is missing',
    ]);
  });

  it('names an index projecting other attributes', () => {
    const local = created.LocalSecondaryIndexes?.[0];
    expect(
      describeMismatch(definition, {
        KeySchema: created.KeySchema,
        LocalSecondaryIndexes: [{ ...local, Projection: { ProjectionType: 'KEYS_ONLY' } }],
      }),
    ).toEqual(['index by-time projects KEYS_ONLY, expected ALL']);
  });
});

/**
 * The DynamoDB tables of the lifecycle, as data: the adapters, `createTables` (tests, local mode) and the SST infra
 * read the same definitions, so a key or index can only be renamed in one place. Why separate tables and not one,
 * and why each index looks the way it does: README.md next to this file.
 */
import { ValidationError } from '@portcullis/core';

/** The five tables. Names are per deployment (stage prefix); `defaultTableNames` gives the usual ones. */
export interface DynamoDbTableNames {
  readonly certificates: string;
  readonly orders: string;
  readonly ledger: string;
  readonly events: string;
  /** The monitor's open/resolved alerts and last observations per certificate. */
  readonly alerts: string;
}

export type TableRole = keyof DynamoDbTableNames;

/** Environment variables naming the tables (Lambda wiring reads them; SST sets them from the same definitions). */
export const DynamoDbEnv = {
  /** Table of certificate records (spec + status + version). */
  CertificatesTable: 'PORTCULLIS_TABLE_CERTIFICATES',
  /** Table of ACME orders per certificate revision and attempt. */
  OrdersTable: 'PORTCULLIS_TABLE_ORDERS',
  /** Table of the rate-limit ledger (Let's Encrypt buckets, ACM import quota). */
  LedgerTable: 'PORTCULLIS_TABLE_LEDGER',
  /** Table of the append-only lifecycle event history. */
  EventsTable: 'PORTCULLIS_TABLE_EVENTS',
  /** Table of the monitor's alerts and observations. */
  AlertsTable: 'PORTCULLIS_TABLE_ALERTS',
} as const;
export type DynamoDbEnv = (typeof DynamoDbEnv)[keyof typeof DynamoDbEnv];

/** DynamoDB table names: 3–255 characters of `[a-zA-Z0-9_.-]`. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** `<prefix>-certificates`, `<prefix>-orders`, `<prefix>-ledger`, `<prefix>-events`, `<prefix>-alerts`. */
export function defaultTableNames(prefix = 'portcullis'): DynamoDbTableNames {
  return validateTableNames({
    certificates: `${prefix}-certificates`,
    orders: `${prefix}-orders`,
    ledger: `${prefix}-ledger`,
    events: `${prefix}-events`,
    alerts: `${prefix}-alerts`,
  });
}

/** Rejects unknown keys, missing roles, bad names and two roles sharing one table. */
export function validateTableNames(input: DynamoDbTableNames): DynamoDbTableNames {
  const roles: readonly TableRole[] = ['certificates', 'orders', 'ledger', 'events', 'alerts'];
  for (const key of Object.keys(input)) {
    if (!roles.includes(key as TableRole)) throw new ValidationError(`tables.${key}`, 'unknown', 'is not a table role');
  }
  for (const role of roles) {
    const name: unknown = input[role];
    if (typeof name !== 'string' || !TABLE_NAME.test(name)) {
      throw new ValidationError(
        `tables.${role}`,
        'table-name',
        `must match ${TABLE_NAME.source}, got ${JSON.stringify(name)}`,
      );
    }
  }
  if (new Set(roles.map((role) => input[role])).size !== roles.length) {
    throw new ValidationError('tables', 'distinct', 'every table role needs its own table (the key schemas differ)');
  }
  return {
    certificates: input.certificates,
    orders: input.orders,
    ledger: input.ledger,
    events: input.events,
    alerts: input.alerts,
  };
}

/** Which variable names which table (one place for both directions). */
const TABLE_ENV: Readonly<Record<keyof DynamoDbTableNames, DynamoDbEnv>> = {
  certificates: DynamoDbEnv.CertificatesTable,
  orders: DynamoDbEnv.OrdersTable,
  ledger: DynamoDbEnv.LedgerTable,
  events: DynamoDbEnv.EventsTable,
  alerts: DynamoDbEnv.AlertsTable,
};

/** Table names from `DynamoDbEnv`; every variable is required. */
export function tableNamesFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): DynamoDbTableNames {
  const pick = (variable: DynamoDbEnv): string => {
    const value = env[variable]?.trim();
    if (value === undefined || value === '')
      throw new ValidationError(variable, 'required', 'is not set: the table name is needed');
    return value;
  };
  const entries = Object.entries(TABLE_ENV).map(([role, variable]) => [role, pick(variable)]);
  return validateTableNames(Object.fromEntries(entries) as unknown as DynamoDbTableNames);
}

/** The `DynamoDbEnv` variables naming `tables` (what a function is configured with). */
export function tableEnv(tables: DynamoDbTableNames): Record<DynamoDbEnv, string> {
  const entries = Object.entries(TABLE_ENV).map(([role, variable]) => [
    variable,
    tables[role as keyof DynamoDbTableNames],
  ]);
  return Object.fromEntries(entries) as Record<DynamoDbEnv, string>;
}

/**
 * Attributes the adapters add to stored items for keys and indexes. They are not part of the port's records: the
 * adapters strip them on read. Each is documented where it is written.
 */
export const DerivedAttribute = {
  /** certificates: due-index partition (`0`..`shards-1`), present only while `nextWakeAt` is (sparse index). */
  DueShard: 'idxDueShard',
  /** certificates: copy of `spec.tenant`, partition of the tenant index. */
  Tenant: 'idxTenant',
  /** certificates: constant `certificate`, partition of the inventory index (list without tenant, by id). */
  Inventory: 'idxInventory',
  /** orders: `<revision, 12 digits>.<attempt, 6 digits>`, sort key (fixed width, so text order = number order). */
  OrderKey: 'orderKey',
  /** ledger: `<bucket>|<scope>`, partition key. */
  BucketScope: 'bucketScope',
  /** ledger + events: `<at>|<id>`, sort key of the time index (`at` is fixed width, so this orders by at, id). */
  AtId: 'atId',
  /** orders, ledger, events, alerts: epoch seconds after which DynamoDB TTL may delete the item (never relied upon). */
  ExpiresAt: 'expiresAt',
  /** alerts: partition key, `alert#<Alert.key>` or `obs#<certificateId>` (two kinds of item in one table). */
  PartitionKey: 'pk',
  /** alerts: constant `alert` on alert items only, partition of the listing index (observations are not in it). */
  AlertList: 'idxAlerts',
} as const;
export type DerivedAttribute = (typeof DerivedAttribute)[keyof typeof DerivedAttribute];

/** Index names (queried by the adapters, created by `createTables` and the infra). */
export const TableIndex = {
  /** certificates GSI: (idxDueShard, nextWakeAt), projection ALL: `listDue` is one Query per shard. */
  CertificatesDue: 'due',
  /** certificates GSI: (idxTenant, id), keys only: tenant listings by id, records fetched consistently. */
  CertificatesByTenant: 'by-tenant',
  /** certificates GSI: (idxInventory, id), keys only: the whole inventory by id. */
  CertificatesById: 'by-id',
  /** ledger LSI: (bucketScope, atId): entries of one bucket and scope since a time. */
  LedgerByTime: 'by-time',
  /** events LSI: (certificateId, atId): a certificate's history oldest first. */
  EventsByTime: 'by-time',
  /** alerts GSI: (idxAlerts, key), projection ALL: every alert in key order (observation items are not in it). */
  AlertsByKey: 'by-key',
  /** alerts GSI: (certificateId, key), projection ALL: one certificate's alerts (account-wide ones have no id). */
  AlertsByCertificate: 'by-certificate',
} as const;

/** Value of `idxAlerts` on every alert item. */
export const ALERT_LIST_PARTITION = 'alert';

/** Value of `idxInventory` on every certificate item. */
export const INVENTORY_PARTITION = 'certificate';

export type AttributeType = 'string' | 'number';
export type Projection = 'all' | 'keys-only';

export interface KeyPair {
  readonly hashKey: string;
  readonly rangeKey?: string;
}

/**
 * One table, in a neutral shape close to SST's `sst.aws.Dynamo` args (`fields`, `primaryIndex`, `globalIndexes`,
 * `localIndexes`, `ttl`), so the infra can pass it through; `toCreateTableInput` turns it into the SDK's input.
 */
export interface TableDefinition {
  readonly role: TableRole;
  readonly name: string;
  /** Every key attribute of the table and its indexes, with its type (DynamoDB declares only key attributes). */
  readonly fields: Readonly<Record<string, AttributeType>>;
  readonly primaryIndex: KeyPair;
  readonly globalIndexes: Readonly<Record<string, KeyPair & { readonly projection: Projection }>>;
  readonly localIndexes: Readonly<Record<string, { readonly rangeKey: string; readonly projection: Projection }>>;
  /** TTL attribute (epoch seconds). Deletion by TTL is best-effort and late; no read depends on it. */
  readonly ttl?: string;
  /** On-demand: lifecycle traffic is bursty (a wave of renewals) and small on average. */
  readonly billing: 'on-demand';
}

/** The table definitions for these names. */
export function dynamoDbTableDefinitions(input: DynamoDbTableNames): Readonly<Record<TableRole, TableDefinition>> {
  const names = validateTableNames(input);
  return {
    certificates: {
      role: 'certificates',
      name: names.certificates,
      fields: {
        id: 'string',
        nextWakeAt: 'string',
        [DerivedAttribute.DueShard]: 'string',
        [DerivedAttribute.Tenant]: 'string',
        [DerivedAttribute.Inventory]: 'string',
      },
      primaryIndex: { hashKey: 'id' },
      globalIndexes: {
        [TableIndex.CertificatesDue]: {
          hashKey: DerivedAttribute.DueShard,
          rangeKey: 'nextWakeAt',
          projection: 'all',
        },
        [TableIndex.CertificatesByTenant]: {
          hashKey: DerivedAttribute.Tenant,
          rangeKey: 'id',
          projection: 'keys-only',
        },
        [TableIndex.CertificatesById]: { hashKey: DerivedAttribute.Inventory, rangeKey: 'id', projection: 'keys-only' },
      },
      localIndexes: {},
      billing: 'on-demand',
    },
    orders: {
      role: 'orders',
      name: names.orders,
      fields: { certificateId: 'string', [DerivedAttribute.OrderKey]: 'string' },
      primaryIndex: { hashKey: 'certificateId', rangeKey: DerivedAttribute.OrderKey },
      globalIndexes: {},
      localIndexes: {},
      ttl: DerivedAttribute.ExpiresAt,
      billing: 'on-demand',
    },
    ledger: {
      role: 'ledger',
      name: names.ledger,
      fields: { [DerivedAttribute.BucketScope]: 'string', id: 'string', [DerivedAttribute.AtId]: 'string' },
      primaryIndex: { hashKey: DerivedAttribute.BucketScope, rangeKey: 'id' },
      globalIndexes: {},
      localIndexes: { [TableIndex.LedgerByTime]: { rangeKey: DerivedAttribute.AtId, projection: 'all' } },
      ttl: DerivedAttribute.ExpiresAt,
      billing: 'on-demand',
    },
    events: {
      role: 'events',
      name: names.events,
      fields: { certificateId: 'string', id: 'string', [DerivedAttribute.AtId]: 'string' },
      primaryIndex: { hashKey: 'certificateId', rangeKey: 'id' },
      globalIndexes: {},
      localIndexes: { [TableIndex.EventsByTime]: { rangeKey: DerivedAttribute.AtId, projection: 'all' } },
      ttl: DerivedAttribute.ExpiresAt,
      billing: 'on-demand',
    },
    alerts: {
      role: 'alerts',
      name: names.alerts,
      fields: {
        [DerivedAttribute.PartitionKey]: 'string',
        [DerivedAttribute.AlertList]: 'string',
        key: 'string',
        certificateId: 'string',
      },
      primaryIndex: { hashKey: DerivedAttribute.PartitionKey },
      globalIndexes: {
        [TableIndex.AlertsByKey]: { hashKey: DerivedAttribute.AlertList, rangeKey: 'key', projection: 'all' },
        [TableIndex.AlertsByCertificate]: { hashKey: 'certificateId', rangeKey: 'key', projection: 'all' },
      },
      localIndexes: {},
      // Resolved alerts only (`retentionDays` after `resolvedAt`); open alerts and observations never expire.
      ttl: DerivedAttribute.ExpiresAt,
      billing: 'on-demand',
    },
  };
}

/**
 * What the app deploys, as data: the functions and their handlers, logical names, physical table names per stage,
 * and the DynamoDB tables in SST's `sst.aws.Dynamo` argument shape — taken from the same definitions the adapters
 * and `createTables` use (`dynamoDbTableDefinitions` in @portcullis/aws), so keys and indexes cannot drift.
 */
import {
  type DynamoDbTableNames,
  dynamoDbTableDefinitions,
  type DynamoDbTableDefinition as TableDefinition,
  type DynamoDbTableRole as TableRole,
} from '@portcullis/aws';

/** The five Lambda functions. */
export const FunctionKey = {
  /** HTTP API (IAM auth), every route. */
  Api: 'api',
  /** Reconcile worker, subscribed to the reconcile queue with partial batch responses. */
  Worker: 'worker',
  /** `plan` schedule: due certificates → queue. */
  Plan: 'plan',
  /** `monitor` schedule: observe every target, open/resolve alerts, notify. */
  Monitor: 'monitor',
  /** EventBridge rule `ACM Certificate Approaching Expiration` → renew (managed) or alert (unmanaged). */
  AcmExpiry: 'acmExpiry',
} as const;
export type FunctionKey = (typeof FunctionKey)[keyof typeof FunctionKey];

export const FUNCTION_KEYS: readonly FunctionKey[] = Object.values(FunctionKey);

export interface FunctionDefinition {
  /** SST logical name (PascalCase, unique in the app). */
  readonly name: string;
  /** `sst.aws.Function` handler: path from the repository root + exported `handler`. */
  readonly handler: string;
  readonly description: string;
  /** Seconds. The worker's must stay below the queue's visibility timeout. */
  readonly timeout: number;
  /** MB. */
  readonly memory: number;
}

/**
 * Timeouts: the worker does one reconcile step per message (an ACME round trip, a DNS propagation check, a
 * delivery), well under 2 minutes; the monitor probes every endpoint with bounded concurrency.
 */
export const FUNCTIONS: Readonly<Record<FunctionKey, FunctionDefinition>> = {
  api: {
    name: 'Api',
    handler: 'functions/src/api/lambda.handler',
    description: 'Portcullis HTTP API (IAM auth)',
    timeout: 29,
    memory: 512,
  },
  worker: {
    name: 'ReconcileWorker',
    handler: 'functions/src/workers/reconcile.handler',
    description: 'Portcullis reconcile worker (one step per message)',
    timeout: 120,
    memory: 1024,
  },
  plan: {
    name: 'Plan',
    handler: 'functions/src/schedules/plan.handler',
    description: 'Portcullis plan schedule: due certificates to the reconcile queue',
    timeout: 60,
    memory: 512,
  },
  monitor: {
    name: 'Monitor',
    handler: 'functions/src/schedules/monitor.handler',
    description: 'Portcullis monitor schedule: observe targets, alert on expiry, drift, staleness',
    timeout: 600,
    memory: 1024,
  },
  acmExpiry: {
    name: 'AcmExpiry',
    handler: 'functions/src/events/acm-expiry.handler',
    description: 'Portcullis ACM Certificate Approaching Expiration handler',
    timeout: 60,
    memory: 512,
  },
};

/**
 * SQS visibility timeout of the reconcile queue: AWS advises at least 6 × the function timeout for SQS event
 * sources (retries of throttled invocations happen within it), so a message is not delivered twice concurrently.
 */
export function reconcileVisibilitySeconds(): number {
  return FUNCTIONS.worker.timeout * 6;
}

/** Deliveries before a message goes to the dead-letter queue (each failure is a reconcile that threw). */
export const RECONCILE_MAX_RECEIVES = 5;

/** The idempotency table of the API (Powertools: key `id`, expiry attribute `expiration`). */
export const IDEMPOTENCY_TABLE = { key: 'id', ttl: 'expiration' } as const;

export type TableKey = TableRole | 'idempotency';

/** Physical table names: `<app>-<stage>-<role>` (a stage per account or several stages side by side). */
export function tableNames(app: string, stage: string): DynamoDbTableNames & { readonly idempotency: string } {
  const prefix = `${app}-${stage}`;
  return {
    certificates: `${prefix}-certificates`,
    orders: `${prefix}-orders`,
    ledger: `${prefix}-ledger`,
    events: `${prefix}-events`,
    alerts: `${prefix}-alerts`,
    idempotency: `${prefix}-idempotency`,
  };
}

/** `sst.aws.Dynamo` arguments (plus the physical name, set through `transform.table`). */
export interface DynamoComponentArgs {
  readonly logicalName: string;
  readonly tableName: string;
  readonly fields: Record<string, 'string' | 'number'>;
  readonly primaryIndex: { hashKey: string; rangeKey?: string };
  readonly globalIndexes: Record<string, { hashKey: string; rangeKey?: string; projection: 'all' | 'keys-only' }>;
  readonly localIndexes: Record<string, { rangeKey: string; projection: 'all' | 'keys-only' }>;
  readonly ttl?: string;
}

const LOGICAL_TABLE_NAMES: Readonly<Record<TableKey, string>> = {
  certificates: 'CertificatesTable',
  orders: 'OrdersTable',
  ledger: 'LedgerTable',
  events: 'EventsTable',
  alerts: 'AlertsTable',
  idempotency: 'IdempotencyTable',
};

function toComponentArgs(key: TableKey, definition: TableDefinition): DynamoComponentArgs {
  const globalIndexes: DynamoComponentArgs['globalIndexes'] = {};
  for (const [name, index] of Object.entries(definition.globalIndexes)) {
    globalIndexes[name] = {
      hashKey: index.hashKey,
      ...(index.rangeKey === undefined ? {} : { rangeKey: index.rangeKey }),
      projection: index.projection,
    };
  }
  const localIndexes: DynamoComponentArgs['localIndexes'] = {};
  for (const [name, index] of Object.entries(definition.localIndexes)) {
    localIndexes[name] = { rangeKey: index.rangeKey, projection: index.projection };
  }
  return {
    logicalName: LOGICAL_TABLE_NAMES[key],
    tableName: definition.name,
    fields: { ...definition.fields },
    primaryIndex: {
      hashKey: definition.primaryIndex.hashKey,
      ...(definition.primaryIndex.rangeKey === undefined ? {} : { rangeKey: definition.primaryIndex.rangeKey }),
    },
    globalIndexes,
    localIndexes,
    ...(definition.ttl === undefined ? {} : { ttl: definition.ttl }),
  };
}

/** Every table of a stage: the lifecycle tables from their shared definitions, plus the API's idempotency table. */
export function dynamoTables(app: string, stage: string): Readonly<Record<TableKey, DynamoComponentArgs>> {
  const { idempotency, ...lifecycle } = tableNames(app, stage);
  const definitions = dynamoDbTableDefinitions(lifecycle);
  const tables = {} as Record<TableKey, DynamoComponentArgs>;
  for (const [role, definition] of Object.entries(definitions) as [TableRole, TableDefinition][]) {
    tables[role] = toComponentArgs(role, definition);
  }
  tables.idempotency = {
    logicalName: LOGICAL_TABLE_NAMES.idempotency,
    tableName: idempotency,
    fields: { [IDEMPOTENCY_TABLE.key]: 'string' },
    primaryIndex: { hashKey: IDEMPOTENCY_TABLE.key },
    globalIndexes: {},
    localIndexes: {},
    ttl: IDEMPOTENCY_TABLE.ttl,
  };
  return tables;
}

/**
 * `AlertRepository` on DynamoDB (table `alerts`, shared with the observation store; see tables.ts and README.md).
 * An alert item is the record plus `pk = alert#<key>` and `idxAlerts = alert`; only alert items carry `idxAlerts`,
 * so the `by-key` listing index never holds observations. Writes are conditional on the stored version, like the
 * certificate repository: a lost condition is the port's `ConflictError`, the monitor re-reads at its next run.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AlertFilter,
  AlertKind,
  type AlertRecord,
  type AlertRepository,
  ConflictError,
  type Page,
  type PageRequest,
  ValidationError,
} from '@portcullis/core';
import {
  decodeCursor,
  documentClientFor,
  encodeCursor,
  expiryEpochSeconds,
  requireKeyString,
  requireLimit,
  requireRetentionDays,
  withoutDerived,
} from './document.js';
import { DynamoDbError, DynamoDbErrorCode, isConditionalCheckFailure, wrapDynamoDbError } from './errors.js';
import { ALERT_LIST_PARTITION, DerivedAttribute, TableIndex } from './tables.js';

export interface DynamoDbAlertRepositoryOptions {
  readonly client: DynamoDBClient;
  /** The `alerts` table (`dynamoDbTableDefinitions(...).alerts.name`). */
  readonly tableName: string;
  /**
   * Days after `resolvedAt` when DynamoDB TTL may delete a resolved alert (1..3650; default 30). Open alerts never
   * expire. TTL deletion is late and best effort: listings filter by state, never by age.
   */
  readonly resolvedRetentionDays?: number;
}

/** Partition key of an alert item. */
export function alertItemKey(key: string): string {
  return `alert#${key}`;
}

const KINDS = new Set<string>(Object.values(AlertKind));
const STATES = new Set(['open', 'resolved']);
/** Partition keys are at most 2048 bytes; keys of the rules are far shorter. */
const KEY_MAX = 1024;

/** Stored version of an item returned by a failed condition (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
function storedVersion(error: unknown): string {
  if (typeof error !== 'object' || error === null || !('Item' in error)) return 'absent';
  const item = error.Item as { version?: { N?: string } } | undefined;
  return item === undefined ? 'absent' : (item.version?.N ?? '?');
}

export class DynamoDbAlertRepository implements AlertRepository {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number;

  constructor(options: DynamoDbAlertRepositoryOptions) {
    if (typeof options?.client?.send !== 'function') {
      throw new ValidationError('client', 'required', 'must be a DynamoDBClient');
    }
    this.#table = requireKeyString('tableName', options.tableName);
    this.#retentionDays = requireRetentionDays(options.resolvedRetentionDays) ?? 30;
    this.#document = documentClientFor(options.client);
  }

  async get(key: string): Promise<AlertRecord | undefined> {
    requireAlertKey('key', key);
    try {
      const { Item: item } = await this.#document.send(
        new GetCommand({
          TableName: this.#table,
          Key: { [DerivedAttribute.PartitionKey]: alertItemKey(key) },
          ConsistentRead: true,
        }),
      );
      return item === undefined ? undefined : this.#fromItem(item);
    } catch (error) {
      throw wrapDynamoDbError(error, 'GetItem', `table ${this.#table}, alert ${key}`);
    }
  }

  async put(record: AlertRecord): Promise<AlertRecord> {
    validateRecord(record);
    const next: AlertRecord = { ...structuredClone(record), version: record.version + 1 };
    const item = this.#toItem(next);
    const pk = DerivedAttribute.PartitionKey;
    try {
      await this.#document.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: record.version === 0 ? 'attribute_not_exists(#pk)' : 'version = :expected',
          ...(record.version === 0
            ? { ExpressionAttributeNames: { '#pk': pk } }
            : { ExpressionAttributeValues: { ':expected': record.version } }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new ConflictError(
          `dynamodb: table ${this.#table}: alert ${record.key} is at version ${storedVersion(error)}, the put expected ${record.version === 0 ? 'absent' : record.version}`,
          { cause: error },
        );
      }
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, alert ${record.key}`);
    }
    return next;
  }

  /**
   * A Query on `by-certificate` when the filter names a certificate, else on `by-key` (every alert), in key order,
   * with the other conditions as a FilterExpression. Reads on until one item past the page has matched, so
   * `nextCursor` is present exactly when another non-empty page exists; the cursor is the last key returned, so
   * alerts written between pages never make a page repeat or skip another. Eventually consistent (GSI).
   */
  async list(filter: AlertFilter, page: PageRequest): Promise<Page<AlertRecord>> {
    const limit = requireLimit('page.limit', page.limit);
    const query = this.#queryOf(filter);
    const after = page.cursor === undefined ? undefined : decodeCursor('alerts', page.cursor);
    const items: AlertRecord[] = [];
    let start: Record<string, unknown> | undefined =
      after === undefined
        ? undefined
        : {
            [query.partitionName]: query.partition,
            key: after,
            [DerivedAttribute.PartitionKey]: alertItemKey(after),
          };
    for (;;) {
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: query.index,
            KeyConditionExpression: '#partition = :partition',
            ExpressionAttributeNames: { '#partition': query.partitionName, ...query.names },
            ExpressionAttributeValues: { ':partition': query.partition, ...query.values },
            ...(query.filter === undefined ? {} : { FilterExpression: query.filter }),
            // A filter drops items after they are read: read more than still wanted, within reason.
            Limit: Math.min(1000, query.filter === undefined ? limit + 1 - items.length : 4 * (limit + 1)),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of answer.Items ?? []) items.push(this.#fromItem(item));
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(error, 'Query', `table ${this.#table}, index ${query.index}`);
      }
      if (items.length > limit) {
        const pageItems = items.slice(0, limit);
        return { items: pageItems, nextCursor: encodeCursor('alerts', pageItems[limit - 1]?.key ?? '') };
      }
      if (start === undefined) return { items };
    }
  }

  #queryOf(filter: AlertFilter): {
    index: string;
    partitionName: string;
    partition: string;
    filter?: string;
    names: Record<string, string>;
    values: Record<string, unknown>;
  } {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.state !== undefined) {
      if (!STATES.has(filter.state)) {
        throw new ValidationError(
          'filter.state',
          'state',
          `must be open or resolved, got ${JSON.stringify(filter.state)}`,
        );
      }
      conditions.push('#state = :state');
      names['#state'] = 'state';
      values[':state'] = filter.state;
    }
    if (filter.kind !== undefined) {
      if (!KINDS.has(filter.kind)) {
        throw new ValidationError('filter.kind', 'kind', `must be an alert kind, got ${JSON.stringify(filter.kind)}`);
      }
      conditions.push('#kind = :kind');
      names['#kind'] = 'kind';
      values[':kind'] = filter.kind;
    }
    if (filter.tenant === null) {
      conditions.push('attribute_not_exists(#tenant)');
      names['#tenant'] = 'tenant';
    } else if (filter.tenant !== undefined) {
      requireKeyString('filter.tenant', filter.tenant);
      conditions.push('#tenant = :tenant');
      names['#tenant'] = 'tenant';
      values[':tenant'] = filter.tenant;
    }
    const byCertificate = filter.certificateId !== undefined;
    if (byCertificate) requireKeyString('filter.certificateId', filter.certificateId);
    return {
      index: byCertificate ? TableIndex.AlertsByCertificate : TableIndex.AlertsByKey,
      partitionName: byCertificate ? 'certificateId' : DerivedAttribute.AlertList,
      partition: filter.certificateId ?? ALERT_LIST_PARTITION,
      ...(conditions.length === 0 ? {} : { filter: conditions.join(' AND ') }),
      names,
      values,
    };
  }

  #toItem(record: AlertRecord): Record<string, unknown> {
    return {
      ...record,
      [DerivedAttribute.PartitionKey]: alertItemKey(record.key),
      [DerivedAttribute.AlertList]: ALERT_LIST_PARTITION,
      // Only resolved alerts may expire; a reopened alert (state open again) loses the attribute with the put.
      ...(record.state === 'resolved'
        ? {
            [DerivedAttribute.ExpiresAt]: expiryEpochSeconds(
              record.resolvedAt ?? record.lastSeenAt,
              this.#retentionDays,
            ),
          }
        : {}),
    };
  }

  #fromItem(item: Record<string, unknown>): AlertRecord {
    const record = withoutDerived(item);
    if (
      typeof record.key !== 'string' ||
      typeof record.version !== 'number' ||
      typeof record.kind !== 'string' ||
      typeof record.state !== 'string'
    ) {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${JSON.stringify(item[DerivedAttribute.PartitionKey])} is not an alert record (key, version, kind, state)`,
      );
    }
    return record as unknown as AlertRecord;
  }
}

function requireAlertKey(field: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > KEY_MAX) {
    throw new ValidationError(
      field,
      'key',
      `must be a non-empty string of at most ${KEY_MAX} characters, got ${JSON.stringify(key)}`,
    );
  }
  return key;
}

/** Checks what becomes a key or a filter attribute; the rest of the record is the monitor's business. */
function validateRecord(record: AlertRecord): void {
  if (typeof record !== 'object' || record === null)
    throw new ValidationError('record', 'type', 'must be an alert record');
  requireAlertKey('key', record.key);
  if (!Number.isInteger(record.version) || record.version < 0) {
    throw new ValidationError('version', 'range', `must be the stored version (0 = new), got ${record.version}`);
  }
  if (!KINDS.has(record.kind))
    throw new ValidationError('kind', 'kind', `must be an alert kind, got ${JSON.stringify(record.kind)}`);
  if (!STATES.has(record.state)) {
    throw new ValidationError('state', 'state', `must be open or resolved, got ${JSON.stringify(record.state)}`);
  }
  if (record.certificateId !== undefined) requireKeyString('certificateId', record.certificateId);
  if (record.tenant !== undefined) requireKeyString('tenant', record.tenant);
}

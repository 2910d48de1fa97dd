/**
 * `CertificateRepository` on DynamoDB (table `certificates`, see tables.ts and README.md). Every write is
 * conditional — create on absence, update and delete on the stored `version` — and a lost condition becomes the
 * port's `ConflictError` / `NotFoundError`, never a retry: the caller re-reads and decides again.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CertificateRecord,
  type CertificateRepository,
  ConflictError,
  type IsoTime,
  type ListCertificatesFilter,
  NotFoundError,
  type Page,
  type PageRequest,
  ValidationError,
} from '@portcullis/core';
import { batchGetByKey } from './batch-get.js';
import {
  decodeCursor,
  documentClientFor,
  encodeCursor,
  requireIsoTime,
  requireKeyString,
  requireLimit,
  withoutDerived,
} from './document.js';
import { DynamoDbError, DynamoDbErrorCode, isConditionalCheckFailure, wrapDynamoDbError } from './errors.js';
import { DerivedAttribute, INVENTORY_PARTITION, TableIndex } from './tables.js';

export interface DynamoDbCertificateRepositoryOptions {
  readonly client: DynamoDBClient;
  /** The `certificates` table (`dynamoDbTableDefinitions(...).certificates.name`). */
  readonly tableName: string;
  /**
   * Partitions of the due index, 1..16 (default 1). Every record write also writes the due index; one partition
   * takes ~1,000 writes/s, far above the lifecycle's rate, so one is the default. Raising it later is safe (records
   * keep their shard until their next write, and every shard below the count is queried); LOWERING IT HIDES the
   * records in the dropped shards from `listDue` until each is written again.
   */
  readonly dueShards?: number;
}

/** Stored version of an item returned by a failed condition (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
function storedVersion(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('Item' in error)) return undefined;
  const item = error.Item as { version?: { N?: string } } | undefined;
  return item === undefined ? undefined : (item.version?.N ?? '?');
}

/** FNV-1a of the id: a stable shard per record, spread evenly. */
export function dueShardOf(id: string, shards: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % shards);
}

function readyOf(record: CertificateRecord): 'True' | 'False' {
  return record.status.conditions.find((condition) => condition.type === 'Ready')?.status === 'True' ? 'True' : 'False';
}

function matches(record: CertificateRecord, filter: ListCertificatesFilter): boolean {
  if (filter.tenant !== undefined && record.spec.tenant !== filter.tenant) return false;
  if (filter.name !== undefined && !record.spec.names.includes(filter.name)) return false;
  if (filter.ready !== undefined && readyOf(record) !== filter.ready) return false;
  return true;
}

function byWakeThenId(a: CertificateRecord, b: CertificateRecord): number {
  const left = `${a.nextWakeAt ?? ''}|${a.id}`;
  const right = `${b.nextWakeAt ?? ''}|${b.id}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

export class DynamoDbCertificateRepository implements CertificateRepository {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #shards: number;

  constructor(options: DynamoDbCertificateRepositoryOptions) {
    this.#table = requireKeyString('tableName', options.tableName);
    const shards = options.dueShards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > 16) {
      throw new ValidationError('dueShards', 'range', `must be an integer from 1 to 16, got ${shards}`);
    }
    this.#shards = shards;
    this.#document = documentClientFor(options.client);
  }

  async get(id: string): Promise<CertificateRecord | undefined> {
    requireKeyString('id', id);
    try {
      const { Item: item } = await this.#document.send(
        new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }),
      );
      return item === undefined ? undefined : this.#fromItem(item);
    } catch (error) {
      throw wrapDynamoDbError(error, 'GetItem', `table ${this.#table}, certificate ${id}`);
    }
  }

  async create(record: CertificateRecord): Promise<void> {
    if (record.version !== 1) {
      throw new ValidationError('version', 'initial-version', `a new record has version 1, got ${record.version}`);
    }
    const item = this.#toItem(record);
    try {
      await this.#document.send(
        new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new ConflictError(`dynamodb: table ${this.#table}: certificate ${record.id} exists already`, {
          cause: error,
        });
      }
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, certificate ${record.id}`);
    }
  }

  async update(record: CertificateRecord): Promise<CertificateRecord> {
    if (!Number.isInteger(record.version) || record.version < 1) {
      throw new ValidationError(
        'version',
        'range',
        `must be the stored version (an integer >= 1), got ${record.version}`,
      );
    }
    const next: CertificateRecord = { ...structuredClone(record), version: record.version + 1 };
    const item = this.#toItem(next);
    try {
      await this.#document.send(
        new PutCommand({
          TableName: this.#table,
          Item: item,
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': record.version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        const stored = storedVersion(error);
        if (stored === undefined) {
          throw new NotFoundError(`dynamodb: table ${this.#table}: certificate ${record.id} does not exist`, {
            cause: error,
          });
        }
        throw new ConflictError(
          `dynamodb: table ${this.#table}: certificate ${record.id} is at version ${stored}, the update expected ${record.version}`,
          { cause: error },
        );
      }
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, certificate ${record.id}`);
    }
    return next;
  }

  async delete(id: string, version: number): Promise<void> {
    requireKeyString('id', id);
    try {
      await this.#document.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { id },
          // Absent is success (idempotent delete); present only at the version the caller decided on.
          ConditionExpression: 'attribute_not_exists(id) OR version = :expected',
          ExpressionAttributeValues: { ':expected': version },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new ConflictError(
          `dynamodb: table ${this.#table}: certificate ${id} is at version ${storedVersion(error) ?? '?'}, the delete expected ${version}`,
          { cause: error },
        );
      }
      throw wrapDynamoDbError(error, 'DeleteItem', `table ${this.#table}, certificate ${id}`);
    }
  }

  /**
   * One Query per shard on the due index (`nextWakeAt <= now`, ascending, `Limit`), merged: DynamoDB reads only
   * index entries up to `now`, so the cost is the number of due records (at most `limit` per shard), never the
   * inventory. Eventually consistent (GSI): the planner only enqueues ids and reconcile re-reads.
   */
  async listDue(now: IsoTime, limit: number): Promise<readonly CertificateRecord[]> {
    requireIsoTime('now', now);
    requireLimit('limit', limit);
    const perShard = await Promise.all(
      Array.from({ length: this.#shards }, (_, shard) => this.#queryDue(String(shard), now, limit)),
    );
    return perShard.flat().sort(byWakeThenId).slice(0, limit);
  }

  async #queryDue(shard: string, now: IsoTime, limit: number): Promise<CertificateRecord[]> {
    const found: CertificateRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: TableIndex.CertificatesDue,
            KeyConditionExpression: '#shard = :shard AND nextWakeAt <= :now',
            ExpressionAttributeNames: { '#shard': DerivedAttribute.DueShard },
            ExpressionAttributeValues: { ':shard': shard, ':now': now },
            ScanIndexForward: true,
            Limit: limit - found.length,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of answer.Items ?? []) found.push(this.#fromItem(item));
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(
          error,
          'Query',
          `table ${this.#table}, index ${TableIndex.CertificatesDue}, shard ${shard}`,
        );
      }
      // A page ends at `Limit` or at 1 MB of items; only the second case needs another round trip.
    } while (start !== undefined && found.length < limit);
    return found;
  }

  /**
   * Ids in order from a keys-only index (tenant's, or the whole inventory's), then the records themselves with a
   * consistent BatchGetItem, filtered here (name, ready, and tenant again: the index may lag a write). Reads on
   * until one record past the page matched, so `nextCursor` is present exactly when another page has items.
   */
  async list(filter: ListCertificatesFilter, page: PageRequest): Promise<Page<CertificateRecord>> {
    const limit = requireLimit('page.limit', page.limit);
    if (filter.tenant !== undefined) requireKeyString('filter.tenant', filter.tenant);
    const after = page.cursor === undefined ? undefined : decodeCursor('certificates', page.cursor);
    const byTenant = filter.tenant !== undefined;
    const partitionName = byTenant ? DerivedAttribute.Tenant : DerivedAttribute.Inventory;
    const partition = filter.tenant ?? INVENTORY_PARTITION;
    const index = byTenant ? TableIndex.CertificatesByTenant : TableIndex.CertificatesById;
    const filtered = filter.name !== undefined || filter.ready !== undefined;

    const items: CertificateRecord[] = [];
    let start: Record<string, unknown> | undefined =
      after === undefined ? undefined : { [partitionName]: partition, id: after };
    for (;;) {
      const wanted = limit + 1 - items.length;
      let ids: string[];
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: index,
            KeyConditionExpression: '#partition = :partition',
            ExpressionAttributeNames: { '#partition': partitionName },
            ExpressionAttributeValues: { ':partition': partition },
            // Filters drop records after the fetch: ask for more ids than still wanted, within one batch get.
            Limit: Math.min(100, filtered ? wanted * 4 : wanted),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        ids = (answer.Items ?? []).map((item) => String(item.id));
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(error, 'Query', `table ${this.#table}, index ${index}`);
      }
      const records = await batchGetByKey(this.#document, this.#table, 'id', ids);
      for (const item of records) {
        const record = this.#fromItem(item);
        if (matches(record, filter)) items.push(record);
      }
      if (items.length > limit) {
        const pageItems = items.slice(0, limit);
        return { items: pageItems, nextCursor: encodeCursor('certificates', pageItems[limit - 1]?.id ?? '') };
      }
      if (start === undefined) return { items };
    }
  }

  #toItem(record: CertificateRecord): Record<string, unknown> {
    requireKeyString('id', record.id);
    requireKeyString('spec.tenant', record.spec?.tenant);
    if (record.nextWakeAt !== undefined) requireIsoTime('nextWakeAt', record.nextWakeAt);
    return {
      ...record,
      [DerivedAttribute.Tenant]: record.spec.tenant,
      [DerivedAttribute.Inventory]: INVENTORY_PARTITION,
      // Sparse: without nextWakeAt the item has no due-index key and is not in the index at all.
      ...(record.nextWakeAt === undefined ? {} : { [DerivedAttribute.DueShard]: dueShardOf(record.id, this.#shards) }),
    };
  }

  #fromItem(item: Record<string, unknown>): CertificateRecord {
    const record = withoutDerived(item);
    if (
      typeof record.id !== 'string' ||
      typeof record.version !== 'number' ||
      typeof record.spec !== 'object' ||
      typeof record.status !== 'object'
    ) {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${JSON.stringify(record.id)} is not a certificate record (id, version, spec, status)`,
      );
    }
    return record as unknown as CertificateRecord;
  }
}

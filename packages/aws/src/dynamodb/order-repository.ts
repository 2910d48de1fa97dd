/**
 * `OrderRepository` on DynamoDB (table `orders`): one item per (certificateId, revision, attempt), sort key
 * `orderKey` = zero-padded `<revision>.<attempt>` so text order is number order and newest first is a reverse
 * Query. Puts are plain upserts, as the port says: the certificate record's conditional write is the guard.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderRecord, OrderRepository, Page, PageRequest } from '@portcullis/core';
import {
  decodeCursor,
  documentClientFor,
  encodeCursor,
  expiryEpochSeconds,
  requireCount,
  requireIsoTime,
  requireKeyString,
  requireLimit,
  requireRetentionDays,
  withoutDerived,
} from './document.js';
import { DynamoDbError, DynamoDbErrorCode, wrapDynamoDbError } from './errors.js';
import { DerivedAttribute } from './tables.js';

/** Widths of the sort key parts: 12 digits of revisions and 6 of attempts outlast any certificate. */
const MAX_REVISION = 999_999_999_999;
const MAX_ATTEMPT = 999_999;

export interface DynamoDbOrderRepositoryOptions {
  readonly client: DynamoDBClient;
  /** The `orders` table. */
  readonly tableName: string;
  /**
   * Days after `startedAt` when DynamoDB TTL may delete an order (1..3650); absent = kept forever. Deletion is
   * late and best-effort; nothing reads orders to decide anything, so TTL never affects correctness.
   */
  readonly retentionDays?: number;
}

/** `000000000003.000001` for revision 3, attempt 1. */
export function orderKeyOf(revision: number, attempt: number): string {
  requireCount('revision', revision, MAX_REVISION);
  requireCount('attempt', attempt, MAX_ATTEMPT);
  return `${String(revision).padStart(12, '0')}.${String(attempt).padStart(6, '0')}`;
}

export class DynamoDbOrderRepository implements OrderRepository {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number | undefined;

  constructor(options: DynamoDbOrderRepositoryOptions) {
    this.#table = requireKeyString('tableName', options.tableName);
    this.#retentionDays = requireRetentionDays(options.retentionDays);
    this.#document = documentClientFor(options.client);
  }

  async put(order: OrderRecord): Promise<void> {
    requireKeyString('certificateId', order.certificateId);
    const orderKey = orderKeyOf(order.revision, order.attempt);
    const item: Record<string, unknown> = { ...order, [DerivedAttribute.OrderKey]: orderKey };
    if (this.#retentionDays !== undefined) {
      item[DerivedAttribute.ExpiresAt] = expiryEpochSeconds(
        requireIsoTime('startedAt', order.startedAt),
        this.#retentionDays,
      );
    }
    try {
      await this.#document.send(new PutCommand({ TableName: this.#table, Item: item }));
    } catch (error) {
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, order ${order.certificateId}/${orderKey}`);
    }
  }

  async get(certificateId: string, revision: number, attempt: number): Promise<OrderRecord | undefined> {
    requireKeyString('certificateId', certificateId);
    const orderKey = orderKeyOf(revision, attempt);
    try {
      const { Item: item } = await this.#document.send(
        new GetCommand({
          TableName: this.#table,
          Key: { certificateId, [DerivedAttribute.OrderKey]: orderKey },
          ConsistentRead: true,
        }),
      );
      return item === undefined ? undefined : this.#fromItem(item);
    } catch (error) {
      throw wrapDynamoDbError(error, 'GetItem', `table ${this.#table}, order ${certificateId}/${orderKey}`);
    }
  }

  /** Newest first; `Limit` one past the page tells whether another page exists. */
  async list(certificateId: string, page: PageRequest): Promise<Page<OrderRecord>> {
    requireKeyString('certificateId', certificateId);
    const limit = requireLimit('page.limit', page.limit);
    const after = page.cursor === undefined ? undefined : decodeCursor('orders', page.cursor);
    const items: OrderRecord[] = [];
    let start: Record<string, unknown> | undefined =
      after === undefined ? undefined : { certificateId, [DerivedAttribute.OrderKey]: after };
    do {
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: 'certificateId = :id',
            ExpressionAttributeValues: { ':id': certificateId },
            ScanIndexForward: false,
            ConsistentRead: true,
            Limit: limit + 1 - items.length,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of answer.Items ?? []) items.push(this.#fromItem(item));
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(error, 'Query', `table ${this.#table}, orders of ${certificateId}`);
      }
    } while (start !== undefined && items.length <= limit);
    if (items.length <= limit) return { items };
    const pageItems = items.slice(0, limit);
    const last = pageItems[limit - 1] as OrderRecord;
    return { items: pageItems, nextCursor: encodeCursor('orders', orderKeyOf(last.revision, last.attempt)) };
  }

  #fromItem(item: Record<string, unknown>): OrderRecord {
    const order = withoutDerived(item);
    if (
      typeof order.certificateId !== 'string' ||
      typeof order.revision !== 'number' ||
      typeof order.attempt !== 'number'
    ) {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${JSON.stringify(item[DerivedAttribute.OrderKey])} is not an order (certificateId, revision, attempt)`,
      );
    }
    return order as unknown as OrderRecord;
  }
}

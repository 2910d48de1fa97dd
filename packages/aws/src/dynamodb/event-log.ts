/**
 * `EventLog` on DynamoDB (table `events`), append-only:
 *
 * - key (certificateId, id): the event id is deterministic per step (`<certificateId>/<revision>.<attempt>/<type>`),
 *   so a repeated step appends the same id, and the conditional put (`attribute_not_exists`) keeps the first
 *   entry — even when the repeat carries a later `at`. No write path updates or deletes an event.
 * - LSI by-time (certificateId, atId = `<at>|<id>`): the history oldest first, ties by id, paged by the last atId.
 *
 * A time-plus-sequence sort key was the other candidate; it would need a counter per certificate (another
 * conditional write per event) and still could not make a replay with a later `at` land on the same item.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventLog, LifecycleEvent, Page, PageRequest } from '@portcullis/core';
import {
  decodeCursor,
  documentClientFor,
  encodeCursor,
  expiryEpochSeconds,
  requireIsoTime,
  requireKeyString,
  requireLimit,
  requireRetentionDays,
  withoutDerived,
} from './document.js';
import { DynamoDbError, DynamoDbErrorCode, isConditionalCheckFailure, wrapDynamoDbError } from './errors.js';
import { DerivedAttribute, TableIndex } from './tables.js';

export interface DynamoDbEventLogOptions {
  readonly client: DynamoDBClient;
  /** The `events` table. */
  readonly tableName: string;
  /** Days after `at` when DynamoDB TTL may delete an event (1..3650); absent = kept forever. */
  readonly retentionDays?: number;
}

export class DynamoDbEventLog implements EventLog {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number | undefined;

  constructor(options: DynamoDbEventLogOptions) {
    this.#table = requireKeyString('tableName', options.tableName);
    this.#retentionDays = requireRetentionDays(options.retentionDays);
    this.#document = documentClientFor(options.client);
  }

  async append(event: LifecycleEvent): Promise<void> {
    requireKeyString('event.certificateId', event.certificateId);
    requireKeyString('event.id', event.id);
    const at = requireIsoTime('event.at', event.at);
    const item: Record<string, unknown> = { ...event, [DerivedAttribute.AtId]: `${at}|${event.id}` };
    if (this.#retentionDays !== undefined)
      item[DerivedAttribute.ExpiresAt] = expiryEpochSeconds(at, this.#retentionDays);
    try {
      await this.#document.send(
        new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
    } catch (error) {
      // Appended before (a repeated step): the history keeps the first entry.
      if (isConditionalCheckFailure(error)) return;
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, event ${event.id}`);
    }
  }

  /** Oldest first. Consistent (LSI): a step's own event shows in the listing right after it. */
  async list(certificateId: string, page: PageRequest): Promise<Page<LifecycleEvent>> {
    requireKeyString('certificateId', certificateId);
    const limit = requireLimit('page.limit', page.limit);
    const after = page.cursor === undefined ? undefined : decodeCursor('events', page.cursor);
    const items: { event: LifecycleEvent; atId: string }[] = [];
    let start: Record<string, unknown> | undefined;
    if (after !== undefined) {
      // atId = `<at>|<id>` and `at` holds no `|`: the event id is everything after the first one.
      const id = after.slice(after.indexOf('|') + 1);
      start = { certificateId, id, [DerivedAttribute.AtId]: after };
    }
    do {
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: TableIndex.EventsByTime,
            KeyConditionExpression: 'certificateId = :id',
            ExpressionAttributeValues: { ':id': certificateId },
            ScanIndexForward: true,
            ConsistentRead: true,
            Limit: limit + 1 - items.length,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of answer.Items ?? []) {
          items.push({ event: this.#fromItem(item), atId: String(item[DerivedAttribute.AtId]) });
        }
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(error, 'Query', `table ${this.#table}, events of ${certificateId}`);
      }
    } while (start !== undefined && items.length <= limit);
    const pageItems = items.slice(0, limit);
    const last = pageItems.at(-1);
    return items.length > limit && last !== undefined
      ? { items: pageItems.map(({ event }) => event), nextCursor: encodeCursor('events', last.atId) }
      : { items: pageItems.map(({ event }) => event) };
  }

  #fromItem(item: Record<string, unknown>): LifecycleEvent {
    const event = withoutDerived(item);
    if (typeof event.id !== 'string' || typeof event.at !== 'string' || typeof event.type !== 'string') {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${JSON.stringify(event.id)} is not a lifecycle event (id, type, at)`,
      );
    }
    return event as unknown as LifecycleEvent;
  }
}

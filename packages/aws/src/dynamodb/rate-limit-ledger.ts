/**
 * `RateLimitLedger` on DynamoDB (table `ledger`). The port is a log of spent entries per (bucket, scope), counted
 * over a sliding window by `policies/budget.ts` — not stored token counters — so this stores entries:
 *
 * - key (bucketScope = `<bucket>|<scope>`, id): the entry id is the idempotency key, so recording the same entry
 *   again, even at a later `at` (a replayed step), hits the same item, and a conditional put
 *   (`attribute_not_exists`) leaves the first one untouched: nothing is counted twice, nothing overwritten;
 * - LSI by-time (bucketScope, atId = `<at>|<id>`): `list(bucket, scope, since)` is one Query `atId >= since`,
 *   reading only the window, oldest first with ties by id — the order the port asks for.
 *
 * Entries carry a TTL a little past the longest window (ACM's 365 days) so the table does not grow forever; reads
 * filter by `since` themselves and never depend on TTL having run.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type IsoTime, LedgerBucket, type LedgerEntry, type RateLimitLedger, ValidationError } from '@portcullis/core';
import { documentClientFor, expiryEpochSeconds, requireIsoTime, requireKeyString, withoutDerived } from './document.js';
import { DynamoDbError, DynamoDbErrorCode, isConditionalCheckFailure, wrapDynamoDbError } from './errors.js';
import { DerivedAttribute, TableIndex } from './tables.js';

/** The longest bucket window is 365 days (ACM imports); one spare day covers clock skew between writers. */
export const LEDGER_RETENTION_DAYS = 366;

const BUCKETS = new Set<string>(Object.values(LedgerBucket));

export interface DynamoDbRateLimitLedgerOptions {
  readonly client: DynamoDBClient;
  /** The `ledger` table. */
  readonly tableName: string;
}

function bucketScopeOf(bucket: string, scope: string): string {
  if (!BUCKETS.has(bucket)) {
    throw new ValidationError(
      'bucket',
      'known',
      `must be one of ${[...BUCKETS].join(', ')}, got ${JSON.stringify(bucket)}`,
    );
  }
  return `${bucket}|${requireKeyString('scope', scope)}`;
}

export class DynamoDbRateLimitLedger implements RateLimitLedger {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbRateLimitLedgerOptions) {
    this.#table = requireKeyString('tableName', options.tableName);
    this.#document = documentClientFor(options.client);
  }

  /** Every entry is checked before any is written (bad input writes nothing); then one conditional put each. */
  async record(entries: readonly LedgerEntry[]): Promise<void> {
    const items = entries.map((entry, index) => {
      const bucketScope = bucketScopeOf(entry.bucket, entry.scope);
      requireKeyString(`entries[${index}].id`, entry.id);
      const at = requireIsoTime(`entries[${index}].at`, entry.at);
      return {
        ...entry,
        [DerivedAttribute.BucketScope]: bucketScope,
        [DerivedAttribute.AtId]: `${at}|${entry.id}`,
        [DerivedAttribute.ExpiresAt]: expiryEpochSeconds(at, LEDGER_RETENTION_DAYS),
      };
    });
    await Promise.all(items.map((item) => this.#putOnce(item)));
  }

  async #putOnce(item: Record<string, unknown>): Promise<void> {
    try {
      await this.#document.send(
        new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
    } catch (error) {
      // Recorded before (a replayed step): the first record stands, which is the point.
      if (isConditionalCheckFailure(error)) return;
      throw wrapDynamoDbError(
        error,
        'PutItem',
        `table ${this.#table}, ledger ${String(item[DerivedAttribute.BucketScope])} entry ${String(item.id)}`,
      );
    }
  }

  /**
   * Consistent reads (an LSI allows them): a worker that just recorded an order sees it in the next budget check.
   * The port allows eventual consistency; this is stricter at the same item cost (x2 capacity units).
   */
  async list(bucket: LedgerBucket, scope: string, since: IsoTime): Promise<readonly LedgerEntry[]> {
    const bucketScope = bucketScopeOf(bucket, scope);
    requireIsoTime('since', since);
    const entries: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      try {
        const answer = await this.#document.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: TableIndex.LedgerByTime,
            KeyConditionExpression: '#partition = :partition AND #atId >= :since',
            ExpressionAttributeNames: { '#partition': DerivedAttribute.BucketScope, '#atId': DerivedAttribute.AtId },
            ExpressionAttributeValues: { ':partition': bucketScope, ':since': since },
            ScanIndexForward: true,
            ConsistentRead: true,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        );
        for (const item of answer.Items ?? []) entries.push(this.#fromItem(item));
        start = answer.LastEvaluatedKey;
      } catch (error) {
        throw wrapDynamoDbError(error, 'Query', `table ${this.#table}, ledger ${bucketScope} since ${since}`);
      }
    } while (start !== undefined);
    return entries;
  }

  #fromItem(item: Record<string, unknown>): LedgerEntry {
    const entry = withoutDerived(item);
    if (typeof entry.id !== 'string' || typeof entry.at !== 'string' || typeof entry.bucket !== 'string') {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${JSON.stringify(item[DerivedAttribute.BucketScope])} is not a ledger entry (id, bucket, at)`,
      );
    }
    return entry as unknown as LedgerEntry;
  }
}

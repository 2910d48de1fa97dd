/**
 * The append-only tables on real moto_server, beyond the conformance suites: the event log and the ledger keep the
 * FIRST entry of an id even when a replay carries a later time (or races it), order by time then id, read only
 * the time window asked for; orders sort revisions and attempts as numbers; TTL attributes are written as
 * configured (moto never runs TTL, and nothing here depends on it).
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  countDynamoDbItemsRead,
  DynamoDbDerivedAttribute,
  DynamoDbEventLog,
  DynamoDbOrderRepository,
  DynamoDbRateLimitLedger,
  LEDGER_RETENTION_DAYS,
} from '@portcullis/aws';
import {
  LedgerBucket,
  type LedgerEntry,
  type LifecycleEvent,
  type OrderRecord,
  ValidationError,
} from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { useDynamoDbStack } from './dynamodb-support.js';

const dynamodb = useDynamoDbStack();

/** Every raw item of one partition, straight from the table (what is really stored, derived attributes included). */
async function rawItems(tableName: string, keyName: string, key: string) {
  const answer = await dynamodb().client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': keyName },
      ExpressionAttributeValues: { ':k': { S: key } },
      ConsistentRead: true,
    }),
  );
  return answer.Items ?? [];
}

function event(id: string, at: string, changes: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    id,
    certificateId: 'c1',
    type: 'delivered',
    at,
    revision: 1,
    reason: 'Delivered',
    message: 'first',
    ...changes,
  };
}

describe('event log', () => {
  async function eventLog(retentionDays?: number) {
    const { client, freshTables } = dynamodb();
    const tableName = (await freshTables()).events;
    return {
      tableName,
      log: new DynamoDbEventLog({ client, tableName, ...(retentionDays === undefined ? {} : { retentionDays }) }),
    };
  }

  it('keeps the first entry when a replayed step appends the same id at a later time', async () => {
    const { tableName, log } = await eventLog();
    await log.append(event('c1/1.1/delivered/acm', '2026-06-01T00:00:00Z'));
    await log.append(event('c1/1.1/delivered/acm', '2026-06-01T00:05:00Z', { message: 'replayed' }));

    expect((await log.list('c1', { limit: 10 })).items).toEqual([
      event('c1/1.1/delivered/acm', '2026-06-01T00:00:00Z'),
    ]);
    expect(await rawItems(tableName, 'certificateId', 'c1')).toHaveLength(1);
  });

  it('stores exactly one of two appends of one id racing each other', async () => {
    const { tableName, log } = await eventLog();
    await Promise.all([
      log.append(event('c1/1.1/issued', '2026-06-01T00:00:00Z', { message: 'writer a' })),
      log.append(event('c1/1.1/issued', '2026-06-01T00:00:01Z', { message: 'writer b' })),
    ]);

    const items = (await log.list('c1', { limit: 10 })).items;
    expect(items).toHaveLength(1);
    expect(['writer a', 'writer b']).toContain(items[0]?.message);
    expect(await rawItems(tableName, 'certificateId', 'c1')).toHaveLength(1);
  });

  it('orders events of one second by id and pages through them without repeats', async () => {
    const { log } = await eventLog();
    const ids = Array.from({ length: 13 }, (_, i) => `c1/1.1/delivered/t${String(i).padStart(2, '0')}`);
    for (const id of [...ids].reverse()) await log.append(event(id, '2026-06-01T00:00:00Z'));
    await log.append(event('c1/0.1/requested', '2026-05-31T23:59:59Z', { type: 'requested' }));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await log.list('c1', { limit: 4, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== undefined && pages < 20);

    expect(seen).toEqual(['c1/0.1/requested', ...ids]);
    expect(pages).toBe(4);
  });

  it('writes a TTL attribute only when a retention is configured', async () => {
    const kept = await eventLog();
    const expiring = await eventLog(30);
    await kept.log.append(event('c1/1', '2026-06-01T00:00:00Z'));
    await expiring.log.append(event('c1/1', '2026-06-01T00:00:00Z'));

    const [keptItem] = await rawItems(kept.tableName, 'certificateId', 'c1');
    const [expiringItem] = await rawItems(expiring.tableName, 'certificateId', 'c1');
    expect(keptItem?.[DynamoDbDerivedAttribute.ExpiresAt]).toBeUndefined();
    expect(expiringItem?.[DynamoDbDerivedAttribute.ExpiresAt]).toEqual({
      N: String(Date.parse('2026-07-01T00:00:00Z') / 1000),
    });
    expect((await expiring.log.list('c1', { limit: 1 })).items).toEqual([event('c1/1', '2026-06-01T00:00:00Z')]);
  });
});

function order(revision: number, attempt: number): OrderRecord {
  return {
    certificateId: 'c1',
    revision,
    attempt,
    phase: 'Ordering',
    reason: 'RenewalDue',
    startedAt: '2026-06-01T00:00:00Z',
    specHash: 'h',
  };
}

describe('orders', () => {
  it('sorts revisions and attempts as numbers, newest first, and keeps the TTL attribute out of the records', async () => {
    const { client, freshTables } = dynamodb();
    const tableName = (await freshTables()).orders;
    const orders = new DynamoDbOrderRepository({ client, tableName, retentionDays: 90 });
    for (const [revision, attempt] of [
      [99, 1],
      [100, 2],
      [100, 10],
      [9, 3],
    ] as const) {
      await orders.put(order(revision, attempt));
    }

    const listed = await orders.list('c1', { limit: 10 });

    expect(listed.items.map((item) => `${item.revision}.${item.attempt}`)).toEqual(['100.10', '100.2', '99.1', '9.3']);
    expect(listed.items[0]).toEqual(order(100, 10));
    const raw = await rawItems(tableName, 'certificateId', 'c1');
    expect(raw.map((item) => item[DynamoDbDerivedAttribute.ExpiresAt]?.N)).toEqual(
      Array(4).fill(String(Date.parse('2026-08-30T00:00:00Z') / 1000)),
    );
  });

  it('refuses a negative revision before writing anything', async () => {
    const { client, freshTables } = dynamodb();
    const tableName = (await freshTables()).orders;
    const orders = new DynamoDbOrderRepository({ client, tableName });

    await expect(orders.put(order(-1, 1))).rejects.toMatchObject({ field: 'revision', rule: 'range' });
    expect(await rawItems(tableName, 'certificateId', 'c1')).toEqual([]);
  });
});

function entry(id: string, at: string, changes: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id, bucket: LedgerBucket.OrdersPerExactSet, scope: 'letsencrypt|h1', at, certificateId: 'c1', ...changes };
}

describe('rate-limit ledger', () => {
  async function ledger() {
    const { client, freshTables } = dynamodb();
    const tableName = (await freshTables()).ledger;
    return { tableName, ledger: new DynamoDbRateLimitLedger({ client, tableName }) };
  }

  it('counts a replayed entry once and keeps its first time, even when the replay is later', async () => {
    const { ledger: store } = await ledger();
    await store.record([entry('c1/1.1/order', '2026-06-01T00:00:00Z')]);
    await store.record([entry('c1/1.1/order', '2026-06-03T00:00:00Z')]);

    expect(await store.list(LedgerBucket.OrdersPerExactSet, 'letsencrypt|h1', '2026-05-25T00:00:00Z')).toEqual([
      entry('c1/1.1/order', '2026-06-01T00:00:00Z'),
    ]);
    expect(await store.list(LedgerBucket.OrdersPerExactSet, 'letsencrypt|h1', '2026-06-02T00:00:00Z')).toEqual([]);
  });

  it('reads only the entries inside the window asked for', async () => {
    const { ledger: store } = await ledger();
    const entries = Array.from({ length: 60 }, (_, day) =>
      entry(`c${day}/1.1/order`, new Date(Date.UTC(2026, 0, 1 + day)).toISOString().replace('.000Z', 'Z')),
    );
    await store.record(entries);
    const counter = countDynamoDbItemsRead(dynamodb().client);
    try {
      const window = await store.list(LedgerBucket.OrdersPerExactSet, 'letsencrypt|h1', '2026-02-23T00:00:00Z');
      expect(window.map((item) => item.at)).toEqual(entries.slice(53).map((item) => item.at));
      expect(counter.count('QueryCommand')).toBe(7);
    } finally {
      counter.detach();
    }
  });

  it('expires entries a little after the longest window (TTL attribute), and never reads by it', async () => {
    const { tableName, ledger: store } = await ledger();
    await store.record([entry('c1/1.1/order', '2026-06-01T00:00:00Z')]);

    const [item] = await rawItems(tableName, DynamoDbDerivedAttribute.BucketScope, 'OrdersPerExactSet|letsencrypt|h1');
    expect(item?.[DynamoDbDerivedAttribute.ExpiresAt]).toEqual({
      N: String(Date.parse('2026-06-01T00:00:00Z') / 1000 + LEDGER_RETENTION_DAYS * 86_400),
    });
  });

  it('refuses a batch with an unknown bucket or a bad time before writing any of it', async () => {
    const { tableName, ledger: store } = await ledger();
    const batches: Record<string, LedgerEntry[]> = {
      'unknown bucket': [
        entry('ok', '2026-06-01T00:00:00Z'),
        entry('bad', '2026-06-01T00:00:00Z', { bucket: 'Nope' as LedgerBucket }),
      ],
      'time with milliseconds': [entry('ok', '2026-06-01T00:00:00Z'), entry('bad', '2026-06-01T00:00:00.500Z')],
    };
    for (const batch of Object.values(batches)) {
      await expect(store.record(batch)).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await rawItems(tableName, DynamoDbDerivedAttribute.BucketScope, 'OrdersPerExactSet|letsencrypt|h1')).toEqual(
      [],
    );
  });
});

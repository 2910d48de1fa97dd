/**
 * DynamoDB certificate repository on real moto_server, beyond the conformance suite: what `listDue` costs (items
 * DynamoDB read, counted from each Query's ScannedCount), optimistic concurrency between separate writers, paging
 * while the inventory changes, the stored item layout (sparse due index) and input refused before any write.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  countDynamoDbItemsRead,
  DynamoDbCertificateRepository,
  DynamoDbDerivedAttribute,
  type DynamoDbItemsReadCounter,
} from '@portcullis/aws';
import { type CertificateRecord, ConflictError, ValidationError } from '@portcullis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRecord, withReady } from '../conformance/fixtures.js';
import { useDynamoDbStack } from './dynamodb-support.js';

const dynamodb = useDynamoDbStack();
let counter: DynamoDbItemsReadCounter | undefined;

afterEach(() => {
  counter?.detach();
  counter = undefined;
});

async function repositoryWithTables(dueShards = 1) {
  const { client, freshTables } = dynamodb();
  const tableName = (await freshTables()).certificates;
  return { tableName, repository: new DynamoDbCertificateRepository({ client, tableName, dueShards }) };
}

/** Runs `work` over `items`, `width` at a time (moto is one process: a bounded fan-out keeps it responsive). */
async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

/** `2026-<month>-01T00:<mm>:<ss>Z`, unique per index (< 3600): no ties at a page or limit boundary. */
function timeOf(month: '06' | '08', index: number): string {
  const mm = String(Math.floor(index / 60)).padStart(2, '0');
  const ss = String(index % 60).padStart(2, '0');
  return `2026-${month}-01T00:${mm}:${ss}Z`;
}

/**
 * 500 records: 50 wake in June (index % 10 === 3, earlier index = earlier time), the rest in August or never (every
 * 10th has no wake-up time). Seeded once per shard count and only read by the listDue cases.
 */
const seeded = new Map<number, Promise<DynamoDbCertificateRepository>>();
function seededInventory(dueShards: number): Promise<DynamoDbCertificateRepository> {
  let repository = seeded.get(dueShards);
  if (repository === undefined) {
    repository = (async () => {
      const { client, freshTables } = dynamodb();
      const tableName = (await freshTables({ keep: true })).certificates;
      const seededRepository = new DynamoDbCertificateRepository({ client, tableName, dueShards });
      const ids = Array.from({ length: 500 }, (_, i) => `cert-${String(i).padStart(3, '0')}`);
      await inBatches(ids, 25, async (id) => {
        const index = Number(id.slice(5));
        if (index % 10 === 5) {
          const { nextWakeAt: _none, ...unscheduled } = sampleRecord(id);
          return seededRepository.create(unscheduled);
        }
        return seededRepository.create(sampleRecord(id, { nextWakeAt: timeOf(index % 10 === 3 ? '06' : '08', index) }));
      });
      return seededRepository;
    })();
    seeded.set(dueShards, repository);
  }
  return repository;
}

/** The first `count` June records, earliest first (times grow with the index). */
function firstDue(count: number): string[] {
  return Array.from({ length: count }, (_, k) => `cert-${String(k * 10 + 3).padStart(3, '0')}`);
}

describe('listDue reads what is due, not the inventory', () => {
  const cases: Record<string, { dueShards: number; now: string; limit: number; want: string[] }> = {
    'reads 5 items for 5 due among 500 records (one shard)': {
      dueShards: 1,
      now: timeOf('06', 43),
      limit: 100,
      want: firstDue(5),
    },
    'reads 5 items for 5 due among 500 records (four shards, one Query each)': {
      dueShards: 4,
      now: timeOf('06', 43),
      limit: 100,
      want: firstDue(5),
    },
    'reads 10 items when 50 are due and the limit is 10': {
      dueShards: 1,
      now: '2026-07-01T00:00:00Z',
      limit: 10,
      want: firstDue(10),
    },
    'reads nothing when nothing is due yet': { dueShards: 1, now: '2026-05-01T00:00:00Z', limit: 100, want: [] },
  };

  it.each(Object.entries(cases))('%s', async (_name, { dueShards, now, limit, want }) => {
    const repository = await seededInventory(dueShards);
    counter = countDynamoDbItemsRead(dynamodb().client);

    const listed = await repository.listDue(now, limit);

    expect(listed.map((record) => record.id)).toEqual(want);
    expect(counter.count('QueryCommand')).toBe(want.length);
    expect(counter.requests('QueryCommand')).toBe(dueShards);
    expect(counter.total).toBe(want.length);
  });

  it('returns due records earliest first across shards', async () => {
    const { repository } = await repositoryWithTables(4);
    const times = ['2026-06-01T00:04:00Z', '2026-06-01T00:01:00Z', '2026-06-01T00:03:00Z', '2026-06-01T00:02:00Z'];
    for (const [i, at] of times.entries()) await repository.create(sampleRecord(`r${i}`, { nextWakeAt: at }));

    const listed = await repository.listDue('2026-07-01T00:00:00Z', 3);

    expect(listed.map((record) => record.nextWakeAt)).toEqual([
      '2026-06-01T00:01:00Z',
      '2026-06-01T00:02:00Z',
      '2026-06-01T00:03:00Z',
    ]);
  });
});

function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }) as const,
    (reason: unknown) => ({ status: 'rejected', reason }) as const,
  );
}

describe('optimistic concurrency between separate writers', () => {
  it('lets one of two writers with their own clients win and gives the other a ConflictError', async () => {
    const { tableName, repository } = await repositoryWithTables();
    const other = new DynamoDbCertificateRepository({ client: dynamodb().secondClient(), tableName });
    await repository.create(sampleRecord('c1'));
    const [mine, theirs] = await Promise.all([repository.get('c1'), other.get('c1')]);

    // Both read version 1; the writes go one after the other. Sent at the same instant they race inside moto,
    // whose threaded server does not make a conditional write atomic (DynamoDB does), so such a test would be
    // testing moto. What matters here is that the stale writer is refused, whoever comes second.
    const results = [
      await settle(repository.update({ ...(mine as CertificateRecord), nextWakeAt: '2026-06-02T00:00:00Z' })),
      await settle(other.update({ ...(theirs as CertificateRecord), nextWakeAt: '2026-06-03T00:00:00Z' })),
    ];

    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((result) => result.status === 'rejected');
    expect(lost?.reason).toBeInstanceOf(ConflictError);
    expect(String(lost?.reason.message)).toMatch(
      /^dynamodb: table .*: certificate c1 is at version 2, the update expected 1$/,
    );
    const stored = await repository.get('c1');
    expect(stored?.version).toBe(2);
    expect(stored?.nextWakeAt).toBe((won[0] as PromiseFulfilledResult<CertificateRecord>).value.nextWakeAt);
  });

  it('loses no increment when eight writers re-read and retry after each conflict', async () => {
    const { tableName, repository } = await repositoryWithTables();
    await repository.create(sampleRecord('c1'));
    const writers = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0 ? repository : new DynamoDbCertificateRepository({ client: dynamodb().secondClient(), tableName }),
    );

    // Rounds: every writer still pending reads, then they write in turn (not at the same instant: see above). In
    // each round exactly one write lands and the others, holding a stale version, get a ConflictError and retry.
    let pending = writers;
    let conflicts = 0;
    while (pending.length > 0) {
      const reads = await Promise.all(pending.map((writer) => writer.get('c1')));
      const next: typeof pending = [];
      for (const [i, writer] of pending.entries()) {
        const read = reads[i] as CertificateRecord;
        const result = await settle(
          writer.update({ ...read, status: { ...read.status, revision: read.status.revision + 1 } }),
        );
        if (result.status === 'fulfilled') continue;
        if (!(result.reason instanceof ConflictError)) throw result.reason;
        conflicts += 1;
        next.push(writer);
      }
      expect(next).toHaveLength(pending.length - 1);
      pending = next;
    }
    expect(conflicts).toBe(7 + 6 + 5 + 4 + 3 + 2 + 1);

    const stored = (await repository.get('c1')) as CertificateRecord;
    expect(stored.status.revision).toBe(8);
    // Eight increments and eight versions: every write that won built on the one before, none overwrote another.
    expect(stored.version).toBe(9);
  });
});

describe('paging through the inventory', () => {
  it('round-trips a filtered listing page by page, in id order, while records come and go', async () => {
    const { repository } = await repositoryWithTables();
    const ids = Array.from({ length: 30 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    await inBatches(ids, 10, (id) => {
      const index = Number(id.slice(2));
      const record = sampleRecord(
        id,
        index % 3 === 0 ? { spec: { ...sampleRecord(id).spec, tenant: 'tenant-b' } } : {},
      );
      return repository.create(index % 2 === 0 ? withReady(record, 'True') : record);
    });
    const wanted = ids.filter((id) => Number(id.slice(2)) % 3 !== 0 && Number(id.slice(2)) % 2 === 0);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repository.list(
        { tenant: 'tenant-a', ready: 'True' },
        { limit: 3, ...(cursor === undefined ? {} : { cursor }) },
      );
      seen.push(...page.items.map((record) => record.id));
      cursor = page.nextCursor;
      pages += 1;
      if (pages === 2) {
        // Changes between pages: a new record after the cursor shows up, one before it does not repeat anything.
        await repository.create(withReady(sampleRecord('c-99'), 'True'));
        await repository.create(withReady(sampleRecord('c-00a'), 'True'));
      }
    } while (cursor !== undefined && pages < 50);

    expect(seen).toEqual([...wanted, 'c-99']);
    expect(pages).toBe(Math.ceil((wanted.length + 1) / 3));
  });

  it('lists the whole inventory by id across tenants', async () => {
    const { repository } = await repositoryWithTables();
    for (const [id, tenant] of [
      ['b', 'tenant-b'],
      ['a', 'tenant-a'],
      ['c', 'tenant-c'],
    ] as const) {
      await repository.create(sampleRecord(id, { spec: { ...sampleRecord(id).spec, tenant } }));
    }
    const first = await repository.list({}, { limit: 2 });
    const second = await repository.list({}, { limit: 2, cursor: first.nextCursor as string });
    expect([...first.items, ...second.items].map((record) => record.id)).toEqual(['a', 'b', 'c']);
    expect(second.nextCursor).toBeUndefined();
  });

  const badCursors: Record<string, string> = {
    'refuses a cursor that is not base64url JSON': '!!!',
    'refuses a cursor of another listing (events)': Buffer.from(
      JSON.stringify({ v: 1, kind: 'events', after: 'x' }),
    ).toString('base64url'),
    'refuses a cursor of an unknown version': Buffer.from(
      JSON.stringify({ v: 9, kind: 'certificates', after: 'x' }),
    ).toString('base64url'),
  };
  it.each(Object.entries(badCursors))('%s', async (_name, cursor) => {
    const { repository } = await repositoryWithTables();
    const failure = await repository.list({}, { limit: 5, cursor }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).field).toBe('page.cursor');
  });
});

describe('stored layout and refused input', () => {
  it('indexes a record by due time only while it has one (sparse), and strips index attributes on read', async () => {
    const { tableName, repository } = await repositoryWithTables();
    await repository.create(sampleRecord('c1'));
    const raw = async () =>
      (await dynamodb().client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: 'c1' } } }))).Item;

    await expect(raw()).resolves.toMatchObject({
      [DynamoDbDerivedAttribute.DueShard]: { S: '0' },
      [DynamoDbDerivedAttribute.Tenant]: { S: 'tenant-a' },
    });
    const { nextWakeAt: _none, ...read } = (await repository.get('c1')) as CertificateRecord;
    await repository.update(read);

    expect(Object.keys((await raw()) ?? {})).not.toContain(DynamoDbDerivedAttribute.DueShard);
    const stored = (await repository.get('c1')) as CertificateRecord;
    expect(Object.keys(stored).sort()).toEqual(['createdAt', 'id', 'spec', 'status', 'version']);
  });

  const refused: Record<string, { change: Partial<CertificateRecord>; field: string }> = {
    'refuses a wake-up time with milliseconds (it would sort before the same second)': {
      change: { nextWakeAt: '2026-06-01T00:00:00.000Z' },
      field: 'nextWakeAt',
    },
    'refuses a wake-up time with an offset': {
      change: { nextWakeAt: '2026-06-01T02:00:00+02:00' },
      field: 'nextWakeAt',
    },
    'refuses a record without a tenant (the tenant index key)': {
      change: { spec: { ...sampleRecord('x').spec, tenant: '' } },
      field: 'spec.tenant',
    },
    'refuses a new record whose version is not 1': { change: { version: 3 }, field: 'version' },
  };
  it.each(Object.entries(refused))('%s', async (_name, { change, field }) => {
    const { repository } = await repositoryWithTables();
    const failure = await repository.create(sampleRecord('c1', change)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).field).toBe(field);
    expect(await repository.get('c1')).toBeUndefined();
  });

  it('refuses a listDue time that is not truncated to seconds', async () => {
    const { repository } = await repositoryWithTables();
    await expect(repository.listDue('2026-06-01T00:00:00.123Z', 10)).rejects.toMatchObject({ field: 'now' });
  });
});

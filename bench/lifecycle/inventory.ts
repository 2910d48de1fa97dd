/**
 * Planning cost: an inventory of certificate records in moto's DynamoDB with a few due, then the `plan` schedule
 * (`planDueCertificates`: `listDue` on the due index + one SQS send per due id) next to the naive peer, a paginated
 * Scan of the same table with a `nextWakeAt <= now` filter. Both read through one client with
 * `countDynamoDbItemsRead` attached (ScannedCount of every Query/Scan page: what DynamoDB bills, before filters).
 *
 * Records are written as the repository writes them (record + the derived index attributes, `dueShardOf` with the
 * wiring's one shard), cloned from a real Ready record of the lifecycle part when there is one, so item sizes are
 * those of production records. BatchWriteItem, 25 items a request, `LOAD_PARALLELISM` requests in flight.
 */
import { performance } from 'node:perf_hooks';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type AwsClients,
  countDynamoDbItemsRead,
  createTables,
  DynamoDbDerivedAttribute,
  DynamoDbEnv,
  defaultTableNames,
  deleteTables,
  dueShardOf,
  INVENTORY_PARTITION,
  SqsEnv,
} from '@portcullis/aws';
import { type CertificateRecord, newCertificateRecord, toIsoTime } from '@portcullis/core';
import { buildWiring, planDueCertificates } from '@portcullis/functions';
import { median } from '../issuance/stats.js';

const BATCH = 25;
const LOAD_PARALLELISM = 16;
const DAY_MS = 86_400_000;

export interface QueryCost {
  /** Items DynamoDB read (sum of ScannedCount), per run. */
  readonly itemsRead: number;
  /** Query or Scan requests (pages) per run. */
  readonly requests: number;
  /** Median wall time over the runs. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** Due records found (plan: enqueued; scan: items after the filter). */
  readonly found: number;
}

export interface InventoryResult {
  readonly size: number;
  readonly due: number;
  /** Wall time of the BatchWriteItem load that brought the table to `size`. */
  readonly loadMs: number;
  readonly plan: QueryCost;
  /** Absent above `scanMax` records: moto's Scan restarts from the first item on every page and stalls at 100k. */
  readonly scan: QueryCost | undefined;
  /** The plan enqueued exactly the due ids, every run. */
  readonly planFoundExactlyTheDue: boolean;
}

function syntheticTemplate(now: Date): CertificateRecord {
  const spec = {
    names: ['template.example.test', '*.template.example.test'],
    keyType: 'ec-p256' as const,
    issuer: 'pebble',
    challenge: 'dns-01' as const,
    targets: [],
    tenant: 'bench',
  };
  return newCertificateRecord('template', spec, toIsoTime(now));
}

function inventoryRecord(template: CertificateRecord, index: number, due: number, now: number): CertificateRecord {
  const id = `inv-${String(index).padStart(7, '0')}`;
  // Due: woke up to an hour ago. Others: renewal points spread over the next 60 days.
  const wake = index < due ? now - 3_600_000 + index * 1000 : now + DAY_MS + ((index * 7919) % (60 * 86_400)) * 1000;
  return {
    ...template,
    id,
    spec: { ...template.spec, names: [`i${index}.example.test`, `*.i${index}.example.test`] },
    nextWakeAt: toIsoTime(wake),
  };
}

function itemOf(record: CertificateRecord): Record<string, unknown> {
  return {
    ...record,
    [DynamoDbDerivedAttribute.Tenant]: record.spec.tenant,
    [DynamoDbDerivedAttribute.Inventory]: INVENTORY_PARTITION,
    [DynamoDbDerivedAttribute.DueShard]: dueShardOf(record.id, 1),
  };
}

async function writeBatch(document: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 10) throw new Error(`dynamodb: table ${table}: BatchWriteItem left items unprocessed 10 times`);
    const answer = await document.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}

/** Writes records [from, to) in parallel batches; returns the wall time. */
async function load(
  document: DynamoDBDocumentClient,
  table: string,
  range: { from: number; to: number },
  make: (index: number) => CertificateRecord,
): Promise<number> {
  const started = performance.now();
  let next = range.from;
  const writer = async () => {
    while (next < range.to) {
      const first = next;
      next = Math.min(range.to, next + BATCH);
      const items: Record<string, unknown>[] = [];
      for (let i = first; i < next; i++) items.push(itemOf(make(i)));
      await writeBatch(document, table, items);
    }
  };
  await Promise.all(Array.from({ length: LOAD_PARALLELISM }, writer));
  return performance.now() - started;
}

export interface InventoryBenchInput {
  readonly admin: AwsClients;
  /** Environment of the serverless form (stack, issuer, queue variables); tables and queue are replaced. */
  readonly env: Readonly<Record<string, string>>;
  readonly prefix: string;
  readonly sizes: readonly number[];
  readonly due: number;
  readonly runs: number;
  /** Largest inventory the naive Scan peer runs on (default: every size). */
  readonly scanMax?: number;
  readonly template: CertificateRecord | undefined;
  readonly progress: (text: string) => void;
}

/**
 * One table grown from size to size (10k, then +90k to 100k): the due records are among the first `due` and
 * stay the only due ones. Tables and queue are deleted afterwards.
 */
export async function measurePlanningCost(input: InventoryBenchInput): Promise<InventoryResult[]> {
  const tables = defaultTableNames(`${input.prefix}-inv`);
  await createTables(input.admin.dynamodb, tables);
  const queue = await input.admin.sqs.send(new CreateQueueCommand({ QueueName: `${input.prefix}-plan` }));
  const queueUrl = queue.QueueUrl as string;
  const wiring = buildWiring(
    { ...input.env, [DynamoDbEnv.CertificatesTable]: tables.certificates, [SqsEnv.ReconcileQueueUrl]: queueUrl },
    { metricsWrite: () => {} },
  );
  const counter = countDynamoDbItemsRead(wiring.clients.dynamodb);
  const document = DynamoDBDocumentClient.from(input.admin.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const nowMs = Date.now();
  const template = input.template ?? syntheticTemplate(new Date(nowMs));
  const dueIds = new Set(
    Array.from({ length: input.due }, (_, i) => inventoryRecord(template, i, input.due, nowMs).id),
  );
  const results: InventoryResult[] = [];
  try {
    let loaded = 0;
    for (const size of [...input.sizes].sort((a, b) => a - b)) {
      input.progress(`bench: inventory: loading records ${loaded}..${size}`);
      const loadMs = await load(document, tables.certificates, { from: loaded, to: size }, (i) =>
        inventoryRecord(template, i, input.due, nowMs),
      );
      loaded = size;
      input.progress(`bench: inventory: ${size} records loaded in ${(loadMs / 1000).toFixed(1)} s; plan vs scan`);
      const planRuns: number[] = [];
      const scanRuns: number[] = [];
      let planCost = { itemsRead: 0, requests: 0, found: 0 };
      let scanCost = { itemsRead: 0, requests: 0, found: 0 };
      let exact = true;
      for (let run = 0; run < input.runs; run++) {
        counter.reset();
        const t0 = performance.now();
        const plan = await planDueCertificates(wiring);
        planRuns.push(performance.now() - t0);
        planCost = {
          itemsRead: counter.total,
          requests: counter.requests('QueryCommand'),
          found: plan.enqueued.length,
        };
        exact &&= plan.enqueued.length === dueIds.size && plan.enqueued.every((id) => dueIds.has(id));

        if (size > (input.scanMax ?? Number.POSITIVE_INFINITY)) continue;
        counter.reset();
        const t1 = performance.now();
        const found = await naiveScan(wiring.clients.dynamodb, tables.certificates, toIsoTime(new Date()));
        scanRuns.push(performance.now() - t1);
        scanCost = { itemsRead: counter.total, requests: counter.requests('ScanCommand'), found };
      }
      const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
      results.push({
        size,
        due: input.due,
        loadMs,
        plan: { ...planCost, medianMs: median(sorted(planRuns)), runsMs: planRuns },
        scan: scanRuns.length === 0 ? undefined : { ...scanCost, medianMs: median(sorted(scanRuns)), runsMs: scanRuns },
        planFoundExactlyTheDue: exact,
      });
    }
  } finally {
    counter.detach();
    wiring.close();
    await deleteTables(input.admin.dynamodb, tables);
    await input.admin.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  }
  return results;
}

/** The peer: every item of the table read, the due ones kept by a filter (what a planner without an index does). */
async function naiveScan(client: AwsClients['dynamodb'], table: string, now: string): Promise<number> {
  let found = 0;
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'nextWakeAt <= :now',
        ExpressionAttributeValues: { ':now': { S: now } },
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    found += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return found;
}

/**
 * The serverless form, assembled exactly as the Lambdas assemble it on a cold start, against the local stack:
 * fresh DynamoDB tables + the Powertools idempotency table + a standard SQS queue in moto, the API's dependencies
 * from `apiDependenciesFromEnv`, the worker's ports from `buildWiring`. Two observers are added and nothing else is
 * replaced: a counter around the ACME engine (`wrapAcme`: orders made) and a watcher around the certificate
 * repository that notes the moment each record is first written Ready (no polling, no extra reads).
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  type AwsRequestCounter,
  countAwsRequests,
  createTables,
  type DynamoDbTableNames,
  defaultTableNames,
} from '@portcullis/aws';
import { localFunctionsEnv } from '@portcullis/cli';
import type { AcmeClient, CertificateRecord, CertificateRepository } from '@portcullis/core';
import {
  ApiEnv,
  type ApiHandler,
  apiDependenciesFromEnv,
  buildWiring,
  createApiHandlers,
  createApiRouter,
  idempotencyTableInput,
  type Wiring,
} from '@portcullis/functions';
import type { LocalStack } from '@portcullis/local';
import { BENCH_TENANTS } from './api-event.js';

export interface ServerlessForm {
  readonly env: Record<string, string>;
  readonly tables: DynamoDbTableNames;
  readonly queueUrl: string;
  readonly router: ApiHandler;
  readonly wiring: Wiring;
  /** `newOrder` calls through the worker's ACME engine. */
  readonly orders: () => number;
  /** performance.now() at which each certificate was first written with Ready=True. */
  readonly readyAt: ReadonlyMap<string, number>;
  /** Requests the worker's ACM client sent (ImportCertificateCommand = imports). */
  readonly acmRequests: AwsRequestCounter;
  close(): void;
}

/** Seconds SQS hides a received message; a failed reconcile comes back after it (none are expected). */
const VISIBILITY_TIMEOUT_SECONDS = 60;

function isReady(record: CertificateRecord): boolean {
  return record.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function watchReady(repository: CertificateRepository, readyAt: Map<string, number>): CertificateRepository {
  return {
    get: (id) => repository.get(id),
    create: (record) => repository.create(record),
    delete: (id, version) => repository.delete(id, version),
    listDue: (now, limit) => repository.listDue(now, limit),
    list: (filter, page) => repository.list(filter, page),
    update: async (record) => {
      const stored = await repository.update(record);
      if (isReady(stored) && !readyAt.has(stored.id)) readyAt.set(stored.id, performance.now());
      return stored;
    },
  };
}

function countOrders(engine: AcmeClient, counter: { orders: number }): AcmeClient {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== 'newOrder' || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        counter.orders += 1;
        return value.apply(target, args);
      };
    },
  });
}

export async function createServerlessForm(
  stack: LocalStack,
  admin: AwsClients,
  prefix: string,
): Promise<ServerlessForm> {
  const tables = defaultTableNames(prefix);
  await createTables(admin.dynamodb, tables);
  const idempotencyTable = `${prefix}-idempotency`;
  await admin.dynamodb.send(new CreateTableCommand(idempotencyTableInput(idempotencyTable)));
  const queue = await admin.sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-reconcile`,
      Attributes: { VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS) },
    }),
  );
  const queueUrl = queue.QueueUrl as string;
  const env: Record<string, string> = {
    ...localFunctionsEnv({ stack, prefix, tables, queueUrl }),
    [ApiEnv.Tenants]: JSON.stringify(BENCH_TENANTS),
    [ApiEnv.IdempotencyTable]: idempotencyTable,
  };
  const router = createApiRouter(createApiHandlers(apiDependenciesFromEnv(env)));
  const counter = { orders: 0 };
  const readyAt = new Map<string, number>();
  // EMF lines would interleave with the markdown on stdout: the metrics still run, their output is dropped.
  const plain = buildWiring(env, { wrapAcme: (engine) => countOrders(engine, counter), metricsWrite: () => {} });
  const wiring: Wiring = {
    ...plain,
    deps: { ...plain.deps, certificates: watchReady(plain.deps.certificates, readyAt) },
  };
  const acmRequests = countAwsRequests(plain.clients.acm);
  return {
    env,
    tables,
    queueUrl,
    router,
    wiring,
    orders: () => counter.orders,
    readyAt,
    acmRequests,
    close: () => plain.close(),
  };
}

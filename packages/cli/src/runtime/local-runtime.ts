/**
 * The local runtime: the API, the reconcile worker and the `plan` schedule in ONE Node process against a local stack
 * (pebble + bind9 + moto) — the same handlers as on Lambda, only the event sources are local:
 *   HTTP on loopback → API Gateway v2 events (IAM context of one local principal) → the API handler;
 *   moto SQS → `ReceiveMessage` → SQS batch events → the worker handler → delete what succeeded;
 *   a timer → the plan handler (EventBridge's `rate(...)`).
 * It creates what the deployment would (DynamoDB tables, the idempotency table, the reconcile queue) under a fresh
 * prefix and removes them on `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  createAwsClients,
  createTables,
  DynamoDbEnv,
  type DynamoDbTableNames,
  defaultTableNames,
  deleteTables,
  SqsEnv,
} from '@portcullis/aws';
import { ValidationError } from '@portcullis/core';
import {
  ApiEnv,
  apiDependenciesFromEnv,
  buildWiring,
  createApiHandlers,
  createApiRouter,
  createPlanHandler,
  createReconcileHandler,
  FunctionsEnv,
  idempotencyTableInput,
  type Wiring,
} from '@portcullis/functions';
import { type LocalStack, LocalStackEnv } from '@portcullis/local';
import type { ScheduledEvent } from 'aws-lambda';
import { type HttpBridge, startHttpBridge } from './http-bridge.js';
import { localLambdaContext } from './lambda-context.js';
import { type SqsPoller, startSqsPoller } from './sqs-poller.js';

/** The IAM identity every local HTTP request is attributed to (nothing signs requests locally). */
export const LOCAL_PRINCIPAL = 'arn:aws:iam::000000000000:user/portcullis-local';
/** The tenant of the local principal; it owns every zone bind9 serves. */
export const LOCAL_TENANT = 'local';

export interface LocalRuntimeOptions {
  /** How often the plan handler runs (ms, ≥ 100). Default 3000. */
  readonly planIntervalMs?: number;
  /** Port of the HTTP API on 127.0.0.1; default any free port. */
  readonly port?: number;
  /** Logs and EMF metrics of the handlers on stdout (default false: the demo and the CLI stay readable). */
  readonly verbose?: boolean;
  /** Extra environment for the handlers (e.g. ACME backoff). */
  readonly env?: Readonly<Record<string, string>>;
  /** Errors of the SQS loop and the timer (default: written to stderr). */
  readonly onError?: (where: 'sqs' | 'plan', error: unknown) => void;
}

export interface LocalRuntime {
  /** Base URL of the HTTP API (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly principal: string;
  readonly tenant: string;
  readonly tables: DynamoDbTableNames;
  readonly queueUrl: string;
  /** The environment the handlers were built from (what a Lambda would be configured with). */
  readonly env: Readonly<Record<string, string>>;
  /** The worker's ports (read certificates, secrets, targets directly). */
  readonly wiring: Wiring;
  /** Runs the plan handler now (besides the timer); returns how many ids it enqueued. */
  planNow(): Promise<number>;
  /** Stops the server, the poller and the timer, deletes the tables and the queue; idempotent. */
  stop(): Promise<void>;
}

const silent = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * The API's Powertools metrics with nowhere to go: Powertools prints one EMF line per request on stdout, and its only
 * off switch is the process-wide POWERTOOLS_METRICS_DISABLED variable, which a library must not set for its host.
 */
class DiscardedMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }

  override captureColdStartMetric(): void {}
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomBytes(16).toString('hex'),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/portcullis-plan'],
    detail: {},
  };
}

export async function startLocalRuntime(stack: LocalStack, options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const planIntervalMs = options.planIntervalMs ?? 3000;
  if (!Number.isInteger(planIntervalMs) || planIntervalMs < 100) {
    throw new ValidationError('planIntervalMs', 'integer-range', `must be an integer ≥ 100, got ${planIntervalMs}`);
  }
  const moto = stack.moto;
  if (moto === undefined) throw new ValidationError('stack.moto', 'required', 'the local runtime needs moto_server');
  const onError =
    options.onError ??
    ((where, error) => process.stderr.write(`local runtime (${where}): ${(error as Error)?.message ?? error}\n`));
  const stackEnv = stack.env();
  const prefix = `local-${randomBytes(4).toString('hex')}`;
  const tables = defaultTableNames(prefix);
  const idempotencyTable = `${prefix}-idempotency`;
  const admin: AwsClients = createAwsClients({ region: moto.region, endpoint: moto.endpoint });

  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    await createTables(admin.dynamodb, tables);
    cleanups.push(() => deleteTables(admin.dynamodb, tables));
    await admin.dynamodb.send(new CreateTableCommand(idempotencyTableInput(idempotencyTable)));
    cleanups.push(() => admin.dynamodb.send(new DeleteTableCommand({ TableName: idempotencyTable })));
    const queue = await admin.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-reconcile` }));
    const queueUrl = queue.QueueUrl as string;
    cleanups.push(() => admin.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })));

    const zones = (stackEnv[LocalStackEnv.DnsZones] ?? 'example.test').split(',').filter((z) => z !== '');
    const env: Record<string, string> = {
      ...stackEnv,
      [DynamoDbEnv.CertificatesTable]: tables.certificates,
      [DynamoDbEnv.OrdersTable]: tables.orders,
      [DynamoDbEnv.LedgerTable]: tables.ledger,
      [DynamoDbEnv.EventsTable]: tables.events,
      [SqsEnv.ReconcileQueueUrl]: queueUrl,
      [FunctionsEnv.DnsResolvers]: `${stack.bind.host}:${stack.bind.port}`,
      [FunctionsEnv.DnsNameserverPort]: String(stack.bind.port),
      [FunctionsEnv.IssuerId]: 'pebble',
      [FunctionsEnv.AccountKeyPrefix]: `${prefix}/acme-accounts/`,
      [FunctionsEnv.CertificatePrefix]: `${prefix}/certificates/`,
      [ApiEnv.IdempotencyTable]: idempotencyTable,
      [ApiEnv.Tenants]: JSON.stringify({
        tenants: [{ id: LOCAL_TENANT, zones, principals: [LOCAL_PRINCIPAL] }],
      }),
      ...options.env,
    };

    const verbose = options.verbose === true;
    const logger = new Logger({ serviceName: 'portcullis', logLevel: verbose ? 'INFO' : 'SILENT' });
    const built = buildWiring(env, {
      log: (entry) => {
        const { level, message, ...identity } = entry;
        logger[level](message, identity);
      },
      ...(verbose ? {} : { metricsWrite: () => {} }),
    });
    const wiring: Wiring = { ...built, logger };
    cleanups.push(async () => wiring.close());

    const api = apiDependenciesFromEnv(env);
    const router = createApiRouter(
      createApiHandlers({
        ...api,
        logger: new Logger({ serviceName: 'portcullis-api', logLevel: verbose ? 'INFO' : 'SILENT' }),
        metrics: new (verbose ? Metrics : DiscardedMetrics)({
          namespace: wiring.config.metricsNamespace,
          serviceName: 'portcullis-api',
          ...(verbose ? {} : { logger: silent }),
        }),
      }),
    );
    const bridge: HttpBridge = await startHttpBridge(router, LOCAL_PRINCIPAL, options.port ?? 0);
    cleanups.push(() => bridge.close());

    const worker = createReconcileHandler(() => wiring);
    const poller: SqsPoller = startSqsPoller(
      { client: wiring.clients.sqs, queueUrl, handler: worker, onError: (error) => onError('sqs', error) },
      moto.region,
    );
    cleanups.push(() => poller.stop());

    const plan = createPlanHandler(() => wiring);
    const planNow = async () => (await plan(scheduledEvent(), localLambdaContext('portcullis-plan'))).enqueued.length;
    let planning: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      // One run at a time, as with reserved concurrency 1 on Lambda.
      planning = planning.then(() => planNow().catch((error) => onError('plan', error)));
    }, planIntervalMs);
    cleanups.push(async () => {
      clearInterval(timer);
      await planning;
    });

    let stopped: Promise<void> | undefined;
    return {
      url: bridge.url,
      principal: LOCAL_PRINCIPAL,
      tenant: LOCAL_TENANT,
      tables,
      queueUrl,
      env,
      wiring,
      planNow,
      stop: () => {
        stopped ??= cleanup().finally(() => admin.destroy());
        return stopped;
      },
    };
  } catch (error) {
    await cleanup();
    admin.destroy();
    throw error;
  }
}

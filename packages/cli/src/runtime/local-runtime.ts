/**
 * The local runtime: the API, the reconcile worker and the `plan` schedule in ONE Node process against a local stack
 * (pebble + bind9 + moto) — the same handlers as on Lambda, only the event sources are local:
 *   HTTP on loopback → API Gateway v2 events (IAM context of one local principal) → the API handler;
 *   moto SQS → `ReceiveMessage` → SQS batch events → the worker handler → delete what succeeded;
 *   a timer → the plan handler (EventBridge's `rate(...)`), another → the monitor handler;
 *   `acmExpiryNow(arn)` → an `ACM Certificate Approaching Expiration` event → the ACM rule's handler.
 * It creates what the deployment would (DynamoDB tables, the idempotency table, the reconcile queue with its
 * dead-letter queue and redrive policy, the SNS alert topic) under a fresh prefix and removes them on `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  createAwsClients,
  createTables,
  type DynamoDbTableNames,
  defaultTableNames,
  deleteTables,
} from '@portcullis/aws';
import { type AcmExpiryOutcome, type MonitorResult, ValidationError } from '@portcullis/core';
import {
  ACM_EVENT_SOURCE,
  ACM_EXPIRY_DETAIL_TYPE,
  type AcmExpiryEvent,
  ApiEnv,
  apiDependenciesFromEnv,
  buildMonitorWiring,
  buildWiring,
  createAcmExpiryHandler,
  createApiHandlers,
  createApiRouter,
  createMonitorHandler,
  createPlanHandler,
  createReconcileHandler,
  idempotencyTableInput,
  MonitorEnv,
  type MonitorWiring,
  type Wiring,
} from '@portcullis/functions';
import { type LocalStack, LocalStackEnv } from '@portcullis/local';
import type { ScheduledEvent } from 'aws-lambda';
import { type HttpBridge, startHttpBridge } from './http-bridge.js';
import { localLambdaContext } from './lambda-context.js';
import { localFunctionsEnv } from './local-env.js';
import { type SqsPoller, startSqsPoller } from './sqs-poller.js';

/** The IAM identity every local HTTP request is attributed to (nothing signs requests locally). */
export const LOCAL_PRINCIPAL = 'arn:aws:iam::000000000000:user/portcullis-local';
/** The tenant of the local principal; it owns every zone bind9 serves. */
export const LOCAL_TENANT = 'local';

export interface LocalRuntimeOptions {
  /** How often the plan handler runs (ms, ≥ 100). Default 3000. */
  readonly planIntervalMs?: number;
  /** How often the monitor handler runs (ms, ≥ 100; 0 = never on its own, only `monitorNow()`). Default 60000. */
  readonly monitorIntervalMs?: number;
  /** Receives before the reconcile queue moves a message to its dead-letter queue (1..1000). Default 5. */
  readonly maxReceiveCount?: number;
  /** Port of the HTTP API on 127.0.0.1; default any free port. */
  readonly port?: number;
  /** Logs and EMF metrics of the handlers on stdout (default false: the demo and the CLI stay readable). */
  readonly verbose?: boolean;
  /** Extra environment for the handlers (e.g. ACME backoff). */
  readonly env?: Readonly<Record<string, string>>;
  /** Errors of the SQS loop and the timer (default: written to stderr). */
  readonly onError?: (where: 'sqs' | 'plan' | 'monitor', error: unknown) => void;
}

export interface LocalRuntime {
  /** Base URL of the HTTP API (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly principal: string;
  readonly tenant: string;
  readonly tables: DynamoDbTableNames;
  readonly queueUrl: string;
  /** The reconcile queue's dead-letter queue (redrive after `maxReceiveCount` receives). */
  readonly deadLetterQueueUrl: string;
  /** The SNS alert topic the monitor publishes to (subscribe an SQS queue to read alerts). */
  readonly alertTopicArn: string;
  /** The environment the handlers were built from (what a Lambda would be configured with). */
  readonly env: Readonly<Record<string, string>>;
  /** The worker's ports (read certificates, secrets, targets directly). */
  readonly wiring: Wiring;
  /** The monitor's ports (alerts, observations, notifier...) over `wiring`. */
  readonly monitor: MonitorWiring;
  /** Runs the plan handler now (besides the timer); returns how many ids it enqueued. */
  planNow(): Promise<number>;
  /** Runs the monitor handler now (one run at a time with the timer's); returns its summary. */
  monitorNow(): Promise<MonitorResult>;
  /** Hands the ACM rule's handler a real-shaped `ACM Certificate Approaching Expiration` event for `arn`. */
  acmExpiryNow(arn: string, daysToExpiry?: number): Promise<AcmExpiryOutcome>;
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

function scheduledEvent(rule: string): ScheduledEvent {
  return {
    version: '0',
    id: randomBytes(16).toString('hex'),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${rule}`],
    detail: {},
  };
}

/** What EventBridge delivers for ACM's daily expiry notice (region and account taken from the ARN). */
function acmExpiryEvent(arn: string, daysToExpiry: number): AcmExpiryEvent {
  const [, , , region = 'us-east-1', account = '000000000000'] = arn.split(':');
  return {
    version: '0',
    id: randomBytes(16).toString('hex'),
    'detail-type': ACM_EXPIRY_DETAIL_TYPE,
    source: ACM_EVENT_SOURCE,
    account,
    time: new Date().toISOString(),
    region,
    resources: [arn],
    detail: { DaysToExpiry: daysToExpiry },
  };
}

export async function startLocalRuntime(stack: LocalStack, options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const planIntervalMs = options.planIntervalMs ?? 3000;
  if (!Number.isInteger(planIntervalMs) || planIntervalMs < 100) {
    throw new ValidationError('planIntervalMs', 'integer-range', `must be an integer ≥ 100, got ${planIntervalMs}`);
  }
  const monitorIntervalMs = options.monitorIntervalMs ?? 60_000;
  if (!Number.isInteger(monitorIntervalMs) || (monitorIntervalMs !== 0 && monitorIntervalMs < 100)) {
    throw new ValidationError(
      'monitorIntervalMs',
      'integer-range',
      `must be 0 (off) or an integer ≥ 100, got ${monitorIntervalMs}`,
    );
  }
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw new ValidationError(
      'maxReceiveCount',
      'integer-range',
      `must be an integer from 1 to 1000, got ${maxReceiveCount}`,
    );
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
    const dlq = await admin.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-reconcile-dlq` }));
    const deadLetterQueueUrl = dlq.QueueUrl as string;
    cleanups.push(() => admin.sqs.send(new DeleteQueueCommand({ QueueUrl: deadLetterQueueUrl })));
    const dlqAttributes = await admin.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const queue = await admin.sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-reconcile`,
        Attributes: {
          // As deployed: a message whose reconcile keeps throwing ends up in the DLQ (and the monitor alerts).
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
            maxReceiveCount,
          }),
        },
      }),
    );
    const queueUrl = queue.QueueUrl as string;
    cleanups.push(() => admin.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })));
    const topic = await admin.sns.send(new CreateTopicCommand({ Name: `${prefix}-alerts` }));
    const alertTopicArn = topic.TopicArn as string;
    cleanups.push(() => admin.sns.send(new DeleteTopicCommand({ TopicArn: alertTopicArn })));

    const zones = (stackEnv[LocalStackEnv.DnsZones] ?? 'example.test').split(',').filter((z) => z !== '');
    const env: Record<string, string> = {
      ...localFunctionsEnv({ stack, prefix, tables, queueUrl }),
      [MonitorEnv.AlertTopicArn]: alertTopicArn,
      [MonitorEnv.DeadLetterQueueUrl]: deadLetterQueueUrl,
      [MonitorEnv.MonitorRegions]: moto.region,
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

    const monitor = buildMonitorWiring(wiring, env);
    cleanups.push(async () => monitor.close());

    const plan = createPlanHandler(() => wiring);
    const planNow = async () =>
      (await plan(scheduledEvent('portcullis-plan'), localLambdaContext('portcullis-plan'))).enqueued.length;
    let planning: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      // One run at a time, as with reserved concurrency 1 on Lambda.
      planning = planning.then(() => planNow().catch((error) => onError('plan', error)));
    }, planIntervalMs);
    cleanups.push(async () => {
      clearInterval(timer);
      await planning;
    });

    const monitorHandler = createMonitorHandler(() => monitor);
    // One run at a time (reserved concurrency 1): a run started by the timer and one by monitorNow() queue up.
    let monitoring: Promise<unknown> = Promise.resolve();
    const monitorNow = (): Promise<MonitorResult> => {
      const run = monitoring.then(() =>
        monitorHandler(scheduledEvent('portcullis-monitor'), localLambdaContext('portcullis-monitor')),
      );
      monitoring = run.catch(() => undefined);
      return run;
    };
    const monitorTimer =
      monitorIntervalMs === 0
        ? undefined
        : setInterval(() => {
            monitorNow().catch((error) => onError('monitor', error));
          }, monitorIntervalMs);
    cleanups.push(async () => {
      clearInterval(monitorTimer);
      await monitoring;
    });
    const acmExpiryHandler = createAcmExpiryHandler(() => monitor);
    const acmExpiryNow = (arn: string, daysToExpiry = 30) =>
      acmExpiryHandler(acmExpiryEvent(arn, daysToExpiry), localLambdaContext('portcullis-acm-expiry'));

    let stopped: Promise<void> | undefined;
    return {
      url: bridge.url,
      principal: LOCAL_PRINCIPAL,
      tenant: LOCAL_TENANT,
      tables,
      queueUrl,
      deadLetterQueueUrl,
      alertTopicArn,
      env,
      wiring,
      monitor,
      planNow,
      monitorNow,
      acmExpiryNow,
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

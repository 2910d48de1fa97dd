/**
 * Test support (unit tests of the handlers): a `Wiring` over a `LifecycleWorld` of in-memory fakes and a
 * `MemoryQueue`, plus real-shaped SQS and EventBridge scheduled events. Not used by production code.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, EmfMetrics } from '@portcullis/aws';
import { DEFAULT_MONITOR_POLICY, type MonitorDependencies } from '@portcullis/core';
import {
  FakeAcmInventory,
  FakeDeadLetterQueue,
  FakeEndpointProber,
  type LifecycleWorld,
  MemoryAlertRepository,
  MemoryObservationStore,
  MemoryQueue,
  RecordingNotifier,
} from '@portcullis/core/testing';
import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MonitorWiring } from './monitor-wiring.js';
import type { Wiring } from './wiring.js';

export interface WorldWiring extends Wiring {
  readonly memoryQueue: MemoryQueue;
  /** EMF lines written by `metrics.flush()`. */
  readonly metricLines: string[];
}

export function worldWiring(world: LifecycleWorld): WorldWiring {
  const memoryQueue = new MemoryQueue();
  const metricLines: string[] = [];
  // No endpoint is ever called: the clients are built lazily and the fakes replace every adapter.
  const clients = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
  return {
    config: {
      queueUrl: 'http://127.0.0.1:9/123456789012/reconcile',
      eventBusName: 'default',
      metricsNamespace: 'Portcullis',
      dnsProvider: 'rfc2136',
      dnsResolvers: [{ host: '127.0.0.1', port: 5353 }],
      dnsNameserverPort: 5353,
      planLimit: 500,
    },
    deps: world.deps,
    queue: memoryQueue,
    memoryQueue,
    metrics: new EmfMetrics({ write: (line) => metricLines.push(line), clock: world.clock }),
    metricLines,
    logger: new Logger({ serviceName: 'portcullis-test', logLevel: 'SILENT' }),
    clients,
    close: () => clients.destroy(),
  };
}

export interface WorldMonitorWiring extends MonitorWiring {
  readonly wiring: WorldWiring;
  readonly alerts: MemoryAlertRepository;
  readonly observations: MemoryObservationStore;
  readonly notifier: RecordingNotifier;
  readonly prober: FakeEndpointProber;
  readonly inventory: FakeAcmInventory;
  readonly deadLetterQueue: FakeDeadLetterQueue;
}

/** The monitor's wiring over a `LifecycleWorld` (its certificates, targets, clock) and the monitor fakes. */
export function worldMonitorWiring(
  world: LifecycleWorld,
  overrides: Partial<MonitorDependencies> = {},
): WorldMonitorWiring {
  const wiring = worldWiring(world);
  const alerts = new MemoryAlertRepository();
  const observations = new MemoryObservationStore();
  const notifier = new RecordingNotifier();
  const prober = new FakeEndpointProber();
  const inventory = new FakeAcmInventory();
  const deadLetterQueue = new FakeDeadLetterQueue();
  const deps: MonitorDependencies = {
    certificates: world.certificates,
    targets: world.targets,
    alerts,
    observations,
    notifier,
    prober,
    acm: { inventory, regions: ['us-east-1'] },
    deadLetterQueue,
    ledger: world.ledger,
    // As in production, the monitor writes to the metrics the handler flushes (EMF lines in `metricLines`).
    metrics: wiring.metrics,
    clock: world.clock,
    policy: DEFAULT_MONITOR_POLICY,
    ...overrides,
  };
  return {
    wiring,
    config: {
      alertTopicArn: 'arn:aws:sns:us-east-1:123456789012:portcullis-alerts',
      regions: ['us-east-1'],
      policy: DEFAULT_MONITOR_POLICY,
    },
    deps,
    close: () => {},
    alerts,
    observations,
    notifier,
    prober,
    inventory,
    deadLetterQueue,
  };
}

/** An SQS record as Lambda's event source mapping delivers it. */
export function sqsRecord(body: string, index = 0): SQSRecord {
  return {
    messageId: `059f36b4-87a3-44ab-83d2-66197${String(index).padStart(7, '0')}`,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
    },
    messageAttributes: {},
    md5OfBody: '098f6bcd4621d373cade4e832627b4f6',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:portcullis-reconcile',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(bodies: readonly string[]): SQSEvent {
  return { Records: bodies.map((body, index) => sqsRecord(body, index)) };
}

/** What an EventBridge schedule rule (`rate(5 minutes)`) hands the function. */
export function scheduledEvent(time: string): ScheduledEvent {
  return {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/portcullis-plan'],
    detail: {},
  };
}

/** What EventBridge hands the ACM rule's target (documented shape of `ACM Certificate Approaching Expiration`). */
export function acmExpiryEvent(arn: string, daysToExpiry: number, region = 'us-east-1') {
  return {
    version: '0',
    id: '9c95e8e4-96a4-ef3f-b739-b6aa5b193afb',
    'detail-type': 'ACM Certificate Approaching Expiration' as const,
    source: 'aws.acm',
    account: '123456789012',
    time: '2026-06-01T00:00:00Z',
    region,
    resources: [arn],
    detail: { DaysToExpiry: daysToExpiry, CommonName: 'example.com' },
  };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/06/01/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 300_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

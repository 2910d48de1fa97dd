/**
 * Test support (unit tests of the handlers): a `Wiring` over a `LifecycleWorld` of in-memory fakes and a
 * `MemoryQueue`, plus real-shaped SQS and EventBridge scheduled events. Not used by production code.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, EmfMetrics } from '@portcullis/aws';
import { type LifecycleWorld, MemoryQueue } from '@portcullis/core/testing';
import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
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

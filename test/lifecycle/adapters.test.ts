/**
 * The SQS queue and EventBridge publisher adapters against moto_server. EventBridge rules get SQS targets (moto
 * answers PutEvents with HTTP 500 when a rule has a Lambda target — local-stack.md), so what was published is read
 * back from a queue.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  EVENT_SOURCE,
  EventBridgeError,
  EventBridgeEventPublisher,
  SqsError,
  SqsQueue,
} from '@portcullis/aws';
import type { LifecycleEvent } from '@portcullis/core';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoClients } from './lifecycle-stack.js';

let stack: LocalStack;
let clients: AwsClients;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startLocalStack({});
  clients = motoClients(stack);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  clients?.destroy();
  await stack?.stop();
});

async function freshQueue(): Promise<{ url: string; arn: string }> {
  const created = await clients.sqs.send(new CreateQueueCommand({ QueueName: `q-${randomBytes(4).toString('hex')}` }));
  const url = created.QueueUrl as string;
  cleanups.push(() => clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  const attributes = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes?.QueueArn as string };
}

async function receive(url: string): Promise<{ body: string }[]> {
  const answer = await clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  return (answer.Messages ?? []).map((m) => ({ body: m.Body as string }));
}

describe('SqsQueue on moto', () => {
  it('sends the certificate id as the body, visible at once with no delay', async () => {
    const { url } = await freshQueue();
    await new SqsQueue({ client: clients.sqs, queueUrl: url }).send('cert-1', 0);
    expect(await receive(url)).toEqual([{ body: 'cert-1' }]);
  });

  it('holds a delayed message back (DelaySeconds is honoured)', async () => {
    const { url } = await freshQueue();
    await new SqsQueue({ client: clients.sqs, queueUrl: url }).send('cert-2', 900);
    expect(await receive(url)).toEqual([]);
  });

  const refused: Record<string, { id: string; delay: number; field: string }> = {
    'refuses a delay above the SQS maximum of 900 s': { id: 'a', delay: 901, field: 'delaySeconds' },
    'refuses a negative delay': { id: 'a', delay: -1, field: 'delaySeconds' },
    'refuses a fractional delay': { id: 'a', delay: 1.5, field: 'delaySeconds' },
    'refuses a body that is not a certificate id': { id: 'a b', delay: 0, field: 'certificateId' },
  };
  it.each(Object.entries(refused))('%s, before calling SQS', async (_name, { id, delay, field }) => {
    const { url } = await freshQueue();
    await expect(new SqsQueue({ client: clients.sqs, queueUrl: url }).send(id, delay)).rejects.toMatchObject({ field });
    expect(await receive(url)).toEqual([]);
  });

  it('names the queue when SQS refuses the send', async () => {
    const missing = `${stack.moto?.endpoint}/123456789012/no-such-queue`;
    const error = await new SqsQueue({ client: clients.sqs, queueUrl: missing }).send('a', 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqsError);
    expect((error as SqsError).message).toContain('no-such-queue');
  });

  it('refuses a FIFO queue at construction (no per-message delay there)', () => {
    expect(
      () => new SqsQueue({ client: clients.sqs, queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo' }),
    ).toThrow(/standard queue/);
  });
});

describe('EventBridgeEventPublisher on moto', () => {
  const event = (type: LifecycleEvent['type']): LifecycleEvent => ({
    id: `cert-1/1.1/${type}`,
    certificateId: 'cert-1',
    type,
    at: '2026-06-01T00:00:00Z',
    revision: 1,
    reason: 'NotIssued',
    message: `revision 1 ${type}`,
    serial: '2a',
    tenant: 'tenant-a',
  });

  it('publishes with source portcullis, the event type as detail-type and the event as detail', async () => {
    const bus = `bus-${randomBytes(4).toString('hex')}`;
    await clients.eventBridge.send(new CreateEventBusCommand({ Name: bus }));
    cleanups.push(() => clients.eventBridge.send(new DeleteEventBusCommand({ Name: bus })));
    const { url, arn } = await freshQueue();
    const rule = `issued-${bus}`;
    await clients.eventBridge.send(
      new PutRuleCommand({
        Name: rule,
        EventBusName: bus,
        EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': ['issued'] }),
      }),
    );
    await clients.eventBridge.send(
      new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'q', Arn: arn }] }),
    );
    cleanups.push(async () => {
      await clients.eventBridge.send(new RemoveTargetsCommand({ Rule: rule, EventBusName: bus, Ids: ['q'] }));
      await clients.eventBridge.send(new DeleteRuleCommand({ Name: rule, EventBusName: bus }));
    });
    const publisher = new EventBridgeEventPublisher({ client: clients.eventBridge, eventBusName: bus });
    await publisher.publish(event('issued'));
    await publisher.publish(event('failed'));
    const received = (await receive(url)).map((m) => JSON.parse(m.body) as Record<string, unknown>);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ source: 'portcullis', 'detail-type': 'issued', detail: event('issued') });
  });

  it('names the bus when EventBridge refuses the entry', async () => {
    const publisher = new EventBridgeEventPublisher({ client: clients.eventBridge, eventBusName: 'no-such-bus' });
    const error = await publisher.publish(event('issued')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventBridgeError);
    expect((error as EventBridgeError).message).toContain('no-such-bus');
  });
});

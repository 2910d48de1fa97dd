/**
 * Shared set-up of the SNS and dead-letter-queue tests: one local stack per test file (real moto_server), AWS
 * clients on it, and queue helpers. Queues get unique names so tests never see each other's messages.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { type AwsClients, createAwsClients } from '@portcullis/aws';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import { afterAll, afterEach, beforeAll } from 'vitest';

export interface QueueTestContext {
  readonly clients: AwsClients;
  /** A new standard queue; deleted after the test. */
  createQueue(prefix: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  /** Every message currently visible in the queue (long polls until a receive comes back empty). */
  drain(url: string): Promise<{ body: string; id: string }[]>;
  /** Registers a clean-up step run after the test. */
  cleanup(step: () => Promise<unknown>): void;
}

export function useQueueStack(): () => QueueTestContext {
  let stack: LocalStack | undefined;
  let context: QueueTestContext | undefined;
  let steps: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({});
    const moto = stack.moto;
    if (moto === undefined) throw new Error('local stack: moto_server did not start');
    const clients = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
    context = {
      clients,
      cleanup: (step) => steps.push(step),
      async createQueue(prefix, attributes) {
        const name = `${prefix}-${randomBytes(4).toString('hex')}`;
        const { QueueUrl: url } = await clients.sqs.send(
          new CreateQueueCommand({ QueueName: name, ...(attributes === undefined ? {} : { Attributes: attributes }) }),
        );
        if (url === undefined) throw new Error(`sqs: CreateQueue ${name} answered without a URL`);
        steps.push(() => clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
        const { Attributes: created } = await clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
        );
        return { url, arn: created?.QueueArn as string };
      },
      async drain(url) {
        const all: { body: string; id: string }[] = [];
        for (;;) {
          const { Messages: messages = [] } = await clients.sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 1,
              VisibilityTimeout: 60,
            }),
          );
          if (messages.length === 0) return all;
          all.push(...messages.map((message) => ({ body: message.Body ?? '', id: message.MessageId ?? '' })));
        }
      },
    };
  });

  afterEach(async () => {
    for (const step of steps.reverse()) await step().catch(() => undefined);
    steps = [];
  });

  afterAll(async () => {
    context?.clients.destroy();
    await stack?.stop();
  });

  return () => {
    if (context === undefined) throw new Error('useQueueStack: the stack is only there inside tests');
    return context;
  };
}

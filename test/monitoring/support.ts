/**
 * What the monitoring end-to-end tests need beside the local runtime: an SQS queue subscribed to the SNS alert topic
 * with a filter policy on `kind` (what an operator's chat or pager integration would do), and a real TLS endpoint on
 * 127.0.0.1 whose served certificate a test swaps (an NLB or a web server that was — or was not — reloaded).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '@portcullis/aws';

/** One alert as a subscriber receives it (the SNS envelope SQS delivers, unpacked). */
export interface ReceivedAlert {
  readonly subject: string;
  readonly body: string;
  /** String message attributes: kind, severity, certificate, names, transition. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface AlertInbox {
  /** Everything received so far, in arrival order. */
  readonly received: ReceivedAlert[];
  /** One receive (up to 1 s long poll); returns (and keeps) what arrived, deleting it from the queue. */
  poll(): Promise<ReceivedAlert[]>;
  close(): Promise<void>;
}

function unpack(body: string): ReceivedAlert {
  const envelope = JSON.parse(body) as {
    Subject?: string;
    Message: string;
    MessageAttributes?: Record<string, { Type: string; Value: string }>;
  };
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(envelope.MessageAttributes ?? {})) attributes[name] = value.Value;
  return { subject: envelope.Subject ?? '', body: envelope.Message, attributes };
}

/** A fresh SQS queue subscribed to `topicArn`, receiving only the alert kinds listed (SNS filter policy). */
export async function subscribeAlerts(
  clients: AwsClients,
  topicArn: string,
  kinds: readonly string[],
): Promise<AlertInbox> {
  const created = await clients.sqs.send(
    new CreateQueueCommand({ QueueName: `alerts-inbox-${randomBytes(4).toString('hex')}` }),
  );
  const queueUrl = created.QueueUrl as string;
  const attributes = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn as string;
  // What a real account needs for SNS to deliver into the queue (moto does not enforce it; AWS does).
  await clients.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  const subscription = await clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { FilterPolicy: JSON.stringify({ kind: kinds }) },
      ReturnSubscriptionArn: true,
    }),
  );
  const received: ReceivedAlert[] = [];
  return {
    received,
    poll: async () => {
      const answer = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      const batch: ReceivedAlert[] = [];
      for (const message of answer.Messages ?? []) {
        batch.push(unpack(message.Body ?? '{}'));
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      }
      received.push(...batch);
      return batch;
    },
    close: async () => {
      await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription.SubscriptionArn }));
      await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    },
  };
}

/**
 * Repeats `step` (e.g. one monitor run + one inbox poll) until `found` returns something, or fails after
 * `timeoutMs` naming what was awaited. No timing is asserted: the deadline only bounds a broken run.
 */
export async function eventually<T>(
  what: string,
  step: () => Promise<void>,
  found: () => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await step();
    const result = found();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`test: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface TlsMaterial {
  readonly key: string;
  /** Leaf first, then intermediates. */
  readonly chainPem: string;
}

export interface TlsEndpoint {
  readonly host: string;
  readonly port: number;
  /** From the next handshake on, the endpoint presents this certificate. */
  serve(material: TlsMaterial): void;
  close(): Promise<void>;
}

/** A TLS server on 127.0.0.1 (any free port) that completes handshakes and closes; the certificate is swappable. */
export async function startTlsEndpoint(initial: TlsMaterial): Promise<TlsEndpoint> {
  const server: Server = createServer({ key: initial.key, cert: initial.chainPem }, (socket) => socket.end());
  // A prober closing right after the handshake is normal here, not an error worth a crash.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    serve: (material) => server.setSecureContext({ key: material.key, cert: material.chainPem }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

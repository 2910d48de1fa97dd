/**
 * What Lambda's SQS event source mapping does, against the real moto queue: `concurrency` pollers, each receiving
 * up to `batchSize` messages (moto honours per-message DelaySeconds, so requeue delays are really waited out),
 * handing them to the reconcile handler as one SQS event, and deleting the messages not listed in
 * `batchItemFailures` (those come back after the visibility timeout). Runs until `done()` or the deadline.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface WorkerStats {
  /** Messages handed to the handler (one reconcile step each). */
  messages: number;
  /** Handler invocations (non-empty batches). */
  batches: number;
  /** Messages reported in batchItemFailures. */
  failures: number;
  /** ReceiveMessage calls that returned nothing. */
  emptyReceives: number;
}

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  readonly context: () => Context;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly done: () => boolean;
  readonly deadlineMs: number;
}

function toRecord(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const queueName = queueUrl.split('/').at(-1) ?? 'reconcile';
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queueName}`,
    awsRegion: 'us-east-1',
  };
}

export async function runPollers(options: PollerOptions): Promise<WorkerStats> {
  const stats: WorkerStats = { messages: 0, batches: 0, failures: 0, emptyReceives: 0 };
  const poller = async (): Promise<void> => {
    while (!options.done() && performance.now() < options.deadlineMs) {
      const received = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: options.batchSize,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        stats.emptyReceives += 1;
        continue;
      }
      stats.batches += 1;
      stats.messages += messages.length;
      const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueUrl)) };
      const response = await options.handler(event, options.context());
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      stats.failures += failed.size;
      const done = messages.filter((m) => !failed.has(m.MessageId as string));
      if (done.length > 0) {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, poller));
  return stats;
}

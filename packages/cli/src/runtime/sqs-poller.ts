/**
 * The local stand-in for Lambda's SQS event source mapping: ReceiveMessage with a short wait (moto answers at once
 * when empty; a short long-poll keeps the loop from spinning), the batch handed to the worker handler as an
 * `SQSEvent`, then DeleteMessage for every record NOT listed in `batchItemFailures` (partial batch responses). A
 * failed record stays in the queue and comes back after the visibility timeout, as on AWS. Message delay
 * (`DelaySeconds` of a requeue) is honoured by moto itself: a delayed message is simply not received yet.
 */
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-context.js';

export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface SqsPollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsBatchHandler;
  /** Messages per batch (1..10, the event source mapping's batch size). Default 10. */
  readonly batchSize?: number;
  /** ReceiveMessage wait (0..20 s). Default 1 s: short enough that `stop()` is quick. */
  readonly waitSeconds?: number;
  /** Visibility timeout of received messages: how long a failed message stays hidden. Default 5 s. */
  readonly visibilityTimeoutSeconds?: number;
  /** A receive/delete error (the loop goes on after a pause). */
  readonly onError?: (error: unknown) => void;
}

export interface SqsPoller {
  /** Batches handed to the handler so far. */
  readonly batches: number;
  stop(): Promise<void>;
}

function toRecord(message: Message, queueUrl: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const queueName = queueUrl.split('/').pop() ?? 'queue';
  const account = queueUrl.split('/').at(-2) ?? '000000000000';
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:${account}:${queueName}`,
    awsRegion: region,
  };
}

export function startSqsPoller(options: SqsPollerOptions, region = 'us-east-1'): SqsPoller {
  let running = true;
  let batches = 0;
  const abort = new AbortController();
  const loop = (async () => {
    while (running) {
      try {
        const answer = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: options.waitSeconds ?? 1,
            VisibilityTimeout: options.visibilityTimeoutSeconds ?? 5,
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        const messages = answer.Messages ?? [];
        if (messages.length === 0 || !running) continue;
        const records = messages.map((m) => toRecord(m, options.queueUrl, region));
        batches += 1;
        const response = await options.handler({ Records: records }, localLambdaContext('portcullis-reconcile'));
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        const done = records.filter((r) => !failed.has(r.messageId));
        if (done.length > 0) {
          await options.client.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          );
        }
      } catch (error) {
        if (!running) break;
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    get batches() {
      return batches;
    },
    stop: async () => {
      running = false;
      abort.abort();
      await loop;
    },
  };
}

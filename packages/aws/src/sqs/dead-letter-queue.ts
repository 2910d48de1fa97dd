/**
 * The reconcile dead-letter queue on SQS: its depth for the monitor (`DeadLetterQueue`), and the two operations of
 * `portcullis dlq list` / `dlq redrive` (runbook docs/runbooks/dlq-not-empty.md):
 *
 * - `peekDeadLetters(max)` receives messages with a short visibility timeout, keeps every received one invisible
 *   until it has them all (so none is read twice), then makes them visible again (ChangeMessageVisibility 0). Each
 *   look counts as a receive (`ApproximateReceiveCount` grows): harmless on a DLQ, which has no redrive policy.
 * - `redriveDeadLetters(target, {max, ids})` receives, sends each chosen message to the target queue, then deletes
 *   it here. At-least-once, not exactly-once: if the delete fails after the send, the message stays here and a
 *   later redrive sends it again — the reconcile queue tolerates duplicates (reconcile re-reads the record). Never
 *   the other order: deleting first could lose a message.
 *
 * SQS's own StartMessageMoveTask is not used: it moves everything back to the source queue only, with no choice of
 * messages, and moto does not implement it.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type DeadLetterQueue, type IsoTime, toIsoTime, ValidationError } from '@portcullis/core';
import { awsCodeOf, describeAwsError, isTransient } from '../secrets-manager/aws-errors.js';
import { rejectUnknownKeys, requireIntegerInRange, requireObject } from '../validate.js';
import { SqsError, SqsErrorCode } from './errors.js';

/** Environment variable naming the reconcile dead-letter queue (monitor, CLI `dlq`; the infrastructure sets it). */
export const DeadLetterQueueEnv = {
  /** URL of the reconcile queue's dead-letter queue. */
  DeadLetterQueueUrl: 'PORTCULLIS_DLQ_URL',
} as const;
export type DeadLetterQueueEnv = (typeof DeadLetterQueueEnv)[keyof typeof DeadLetterQueueEnv];

export interface SqsDeadLetterQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /**
   * Seconds received messages stay invisible while a peek or redrive works on them (1..300, default 30). A crash
   * mid-way leaves them invisible this long, then they are back as they were.
   */
  readonly visibilitySeconds?: number;
  /**
   * Long-poll wait of each receive (0..20 s, default 1). Short polling (0) samples a subset of SQS's servers and may
   * answer "empty" for a queue that is not; one second of long polling asks them all.
   */
  readonly waitSeconds?: number;
}

/** One dead letter as `dlq list` shows it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** How often it has been received, here and in the source queue (SQS keeps the count across the move). */
  readonly receiveCount: number;
  /** When it was first sent (to the source queue). */
  readonly sentAt?: IsoTime;
}

export interface RedriveResult {
  /** Sent to the target and deleted here. */
  readonly moved: readonly DeadLetter[];
  /** Sent to the target but NOT deleted here (it will be redriven again: a duplicate the target tolerates). */
  readonly notDeleted: readonly { readonly messageId: string; readonly error: string }[];
  /** Not sent (still here, visible again after the visibility timeout). */
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` or moto's `http://127.0.0.1:<port>/<account>/<name>`. */
const QUEUE_URL = /^https?:\/\/\S+\/\d{12}\/([\w-]{1,80}(\.fifo)?)$/;
/** ReceiveMessage takes at most 10 messages per call. */
const RECEIVE_BATCH = 10;
const MAX_MESSAGES = 1000;

export class SqsDeadLetterQueue implements DeadLetterQueue {
  readonly name: string;
  readonly queueUrl: string;
  readonly #client: SQSClient;
  readonly #visibility: number;
  readonly #wait: number;

  constructor(options: SqsDeadLetterQueueOptions) {
    requireObject('deadLetterQueue', options);
    rejectUnknownKeys('deadLetterQueue', options, ['client', 'queueUrl', 'visibilitySeconds', 'waitSeconds']);
    if (typeof options.client?.send !== 'function') {
      throw new ValidationError('deadLetterQueue.client', 'required', 'must be an SQSClient');
    }
    this.name = requireQueueUrl('deadLetterQueue.queueUrl', options.queueUrl);
    this.queueUrl = options.queueUrl;
    this.#client = options.client;
    this.#visibility = requireIntegerInRange(
      'deadLetterQueue.visibilitySeconds',
      options.visibilitySeconds ?? 30,
      1,
      300,
    );
    this.#wait = requireIntegerInRange('deadLetterQueue.waitSeconds', options.waitSeconds ?? 1, 0, 20);
  }

  /** Visible + in flight (messages a peek or redrive holds right now count too: they are still here). */
  async depth(): Promise<number> {
    const answer = await this.#call('GetQueueAttributes', () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      ),
    );
    const visible = Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0);
    const inFlight = Number(answer.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    return (Number.isFinite(visible) ? visible : 0) + (Number.isFinite(inFlight) ? inFlight : 0);
  }

  /** Up to `max` dead letters (1..1000), left in the queue exactly as they were (visible again). */
  async peekDeadLetters(max = 100): Promise<readonly DeadLetter[]> {
    requireIntegerInRange('max', max, 1, MAX_MESSAGES);
    const held = await this.#receiveUpTo(max);
    await this.#release(held);
    return held.map(toDeadLetter);
  }

  /**
   * Moves up to `max` dead letters (default 100), or only those with the given message ids, to `targetQueueUrl`.
   * Messages not chosen are made visible again at the end. Returns what moved and what did not, per message.
   */
  async redriveDeadLetters(
    targetQueueUrl: string,
    options: { readonly max?: number; readonly ids?: readonly string[] } = {},
  ): Promise<RedriveResult> {
    requireQueueUrl('targetQueueUrl', targetQueueUrl);
    if (targetQueueUrl === this.queueUrl) {
      throw new ValidationError('targetQueueUrl', 'distinct', 'must be another queue than the dead-letter queue');
    }
    const max = requireIntegerInRange('max', options.max ?? 100, 1, MAX_MESSAGES);
    const wanted = options.ids === undefined ? undefined : new Set(options.ids);
    // With ids, read until every wanted one is found (or the queue is exhausted), holding the others invisible.
    const held = await this.#receiveUpTo(wanted === undefined ? max : MAX_MESSAGES, wanted);
    const chosen = held.filter((message) => wanted === undefined || wanted.has(message.MessageId ?? '')).slice(0, max);
    const others = held.filter((message) => !chosen.includes(message));
    const moved: DeadLetter[] = [];
    const notDeleted: { messageId: string; error: string }[] = [];
    const failed: { messageId: string; error: string }[] = [];
    const unsent: Message[] = [];
    for (const message of chosen) {
      const messageId = message.MessageId ?? '?';
      try {
        await this.#call(`SendMessage to ${targetQueueUrl}`, () =>
          this.#client.send(
            new SendMessageCommand({
              QueueUrl: targetQueueUrl,
              MessageBody: message.Body ?? '',
              ...(message.MessageAttributes === undefined || Object.keys(message.MessageAttributes).length === 0
                ? {}
                : { MessageAttributes: message.MessageAttributes as Record<string, MessageAttributeValue> }),
            }),
          ),
        );
      } catch (error) {
        failed.push({ messageId, error: (error as Error).message });
        unsent.push(message);
        continue;
      }
      try {
        await this.#call('DeleteMessage', () =>
          this.#client.send(
            new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.ReceiptHandle }),
          ),
        );
        moved.push(toDeadLetter(message));
      } catch (error) {
        notDeleted.push({ messageId, error: (error as Error).message });
      }
    }
    await this.#release([...others, ...unsent]);
    return { moved, notDeleted, failed };
  }

  /** Receives until `max` messages are held (or every wanted id is), or a receive comes back empty. */
  async #receiveUpTo(max: number, wanted?: ReadonlySet<string>): Promise<Message[]> {
    const held = new Map<string, Message>();
    const found = () => (wanted === undefined ? held.size : [...held.keys()].filter((id) => wanted.has(id)).length);
    const enough = () => (wanted === undefined ? held.size >= max : found() >= wanted.size || held.size >= max);
    while (!enough()) {
      const answer = await this.#call('ReceiveMessage', () =>
        this.#client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: wanted === undefined ? Math.min(RECEIVE_BATCH, max - held.size) : RECEIVE_BATCH,
            VisibilityTimeout: this.#visibility,
            WaitTimeSeconds: this.#wait,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        ),
      );
      const messages = answer.Messages ?? [];
      if (messages.length === 0) break;
      for (const message of messages) if (message.MessageId !== undefined) held.set(message.MessageId, message);
    }
    return [...held.values()];
  }

  /** Makes held messages visible again at once (batches of 10); best effort: else they return after the timeout. */
  async #release(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += RECEIVE_BATCH) {
      const batch = messages.slice(start, start + RECEIVE_BATCH);
      await this.#call('ChangeMessageVisibilityBatch', () =>
        this.#client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        ),
      ).catch(() => undefined);
    }
  }

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new SqsError(SqsErrorCode.RequestFailed, `${this.queueUrl}: ${operation}: ${describeAwsError(error)}`, {
        awsCode: awsCodeOf(error),
        retryable: isTransient(error),
        cause: error,
      });
    }
  }
}

function toDeadLetter(message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    messageId: message.MessageId ?? '?',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) && sent > 0 ? { sentAt: toIsoTime(new Date(sent)) } : {}),
  };
}

/** The queue's name (last path segment) of a valid queue URL. */
function requireQueueUrl(field: string, url: unknown): string {
  const match = typeof url === 'string' ? QUEUE_URL.exec(url) : null;
  if (match === null) {
    throw new ValidationError(
      field,
      'queue-url',
      `must be an SQS queue URL (…/<account>/<name>), got ${JSON.stringify(url)}`,
    );
  }
  return match[1] as string;
}

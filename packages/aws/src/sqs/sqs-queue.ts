/**
 * The reconcile `Queue` on SQS: one message per wake-up, body = the certificate id, `DelaySeconds` = the wait.
 * SQS caps `DelaySeconds` at 900 s; longer waits are never asked of it — reconcile persists `nextWakeAt` and the
 * `plan` schedule finds the record through the due index.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_QUEUE_DELAY_SECONDS, type Queue, ValidationError } from '@portcullis/core';
import { rejectUnknownKeys, requireObject } from '../validate.js';
import { SqsError, SqsErrorCode } from './errors.js';

/** Environment variable naming the reconcile queue (Lambda wiring reads it; the infrastructure sets it). */
export const SqsEnv = {
  /** URL of the reconcile queue (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
  ReconcileQueueUrl: 'PORTCULLIS_RECONCILE_QUEUE_URL',
} as const;
export type SqsEnv = (typeof SqsEnv)[keyof typeof SqsEnv];

export interface SqsQueueOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/** Certificate ids as the API assigns them (`[A-Za-z0-9_-]{1,64}`): anything else is a bug upstream. */
const CERTIFICATE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** AWS error names of SendMessage that a later try may get past. */
const RETRYABLE = new Set(['ThrottlingException', 'RequestThrottled', 'ServiceUnavailable', 'InternalError']);

export class SqsQueue implements Queue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsQueueOptions) {
    requireObject('sqsQueue', options);
    rejectUnknownKeys('sqsQueue', options, ['client', 'queueUrl']);
    if (
      typeof options.queueUrl !== 'string' ||
      !/^https?:\/\/\S+\/\d{12}\/[\w-]{1,80}(\.fifo)?$/.test(options.queueUrl)
    ) {
      throw new ValidationError(
        'sqsQueue.queueUrl',
        'queue-url',
        `must be an SQS queue URL (…/<account>/<name>), got ${JSON.stringify(options.queueUrl)}`,
      );
    }
    if (options.queueUrl.endsWith('.fifo')) {
      // FIFO queues refuse per-message DelaySeconds, which every requeue relies on.
      throw new ValidationError(
        'sqsQueue.queueUrl',
        'standard-queue',
        'must be a standard queue (FIFO has no message delay)',
      );
    }
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  async send(certificateId: string, delaySeconds: number): Promise<void> {
    if (!CERTIFICATE_ID.test(certificateId)) {
      throw new ValidationError(
        'certificateId',
        'id',
        `must match ${CERTIFICATE_ID.source}, got ${JSON.stringify(certificateId)}`,
      );
    }
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_QUEUE_DELAY_SECONDS) {
      throw new ValidationError(
        'delaySeconds',
        'range',
        `must be an integer from 0 to ${MAX_QUEUE_DELAY_SECONDS}, got ${delaySeconds}`,
      );
    }
    try {
      await this.#client.send(
        new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: certificateId, DelaySeconds: delaySeconds }),
      );
    } catch (error) {
      const awsCode = (error as { name?: string }).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      throw new SqsError(
        SqsErrorCode.SendFailed,
        `${this.#queueUrl}: SendMessage for ${certificateId}: ${awsCode ?? 'Error'}: ${(error as Error).message}`,
        {
          ...(awsCode === undefined ? {} : { awsCode }),
          retryable: status >= 500 || (awsCode !== undefined && RETRYABLE.has(awsCode)),
          cause: error,
        },
      );
    }
  }
}

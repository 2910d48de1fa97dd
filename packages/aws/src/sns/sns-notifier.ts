/**
 * The monitor's `Notifier` on SNS: one `Publish` per alert transition to the alert topic (mail, chat, SQS, HTTP
 * subscribers). Subject, body and message attributes are rendered by alert-message.ts. On a FIFO topic the group is
 * the alert key (its transitions stay in order) and the deduplication id is the key + fingerprint + transition, so a
 * publish repeated within SNS's 5-minute window is delivered once; standard topics are at-least-once and subscribers
 * dedupe on the same three values (shown in the body).
 */
import { createHash } from 'node:crypto';
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type Alert, type AlertTransition, type Notifier, ValidationError } from '@portcullis/core';
import { awsCodeOf, describeAwsError, isTransient } from '../secrets-manager/aws-errors.js';
import { rejectUnknownKeys, requireObject } from '../validate.js';
import { renderAlertMessage } from './alert-message.js';
import { SnsError, SnsErrorCode } from './errors.js';

/** Environment variables of the notifier (Lambda wiring reads them; the infrastructure sets them). */
export const SnsEnv = {
  /** ARN of the alert topic. */
  AlertTopicArn: 'PORTCULLIS_ALERT_TOPIC_ARN',
  /** Prefix of runbook links (`https://github.com/org/repo/blob/main`); absent = the repository path alone. */
  RunbookBaseUrl: 'PORTCULLIS_RUNBOOK_BASE_URL',
} as const;
export type SnsEnv = (typeof SnsEnv)[keyof typeof SnsEnv];

export interface SnsNotifierOptions {
  readonly client: SNSClient;
  /** `arn:aws:sns:<region>:<account>:<topic>` (standard or `.fifo`). */
  readonly topicArn: string;
  /** Prefix of runbook links in the body; `Alert.runbook` (a repository path) is appended. */
  readonly runbookBaseUrl?: string;
}

/** Topic ARN in any partition; topic names are 1–256 of `[A-Za-z0-9_-]`, FIFO ones end in `.fifo`. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

const TRANSITIONS: readonly AlertTransition[] = ['opened', 'changed', 'resolved'];

/** SNS's own throttling codes (`Throttled` is ThrottledException's wire name), besides the shared transient ones. */
const SNS_THROTTLING = new Set(['Throttled', 'ThrottledException', 'KMSThrottlingException', 'InternalError']);

export class SnsNotifier implements Notifier {
  readonly topicArn: string;
  readonly #client: SNSClient;
  readonly #runbookBaseUrl: string | undefined;
  readonly #fifo: boolean;

  constructor(options: SnsNotifierOptions) {
    requireObject('snsNotifier', options);
    rejectUnknownKeys('snsNotifier', options, ['client', 'topicArn', 'runbookBaseUrl']);
    if (typeof options.client?.send !== 'function') {
      throw new ValidationError('snsNotifier.client', 'required', 'must be an SNSClient');
    }
    if (typeof options.topicArn !== 'string' || !TOPIC_ARN.test(options.topicArn)) {
      throw new ValidationError(
        'snsNotifier.topicArn',
        'topic-arn',
        `must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got ${JSON.stringify(options.topicArn)}`,
      );
    }
    if (options.runbookBaseUrl !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(options.runbookBaseUrl);
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new ValidationError(
          'snsNotifier.runbookBaseUrl',
          'url',
          `must be an http(s) URL, got ${JSON.stringify(options.runbookBaseUrl)}`,
        );
      }
    }
    this.#client = options.client;
    this.topicArn = options.topicArn;
    this.#runbookBaseUrl = options.runbookBaseUrl;
    this.#fifo = options.topicArn.endsWith('.fifo');
  }

  async notify(alert: Alert, transition: AlertTransition): Promise<void> {
    if (!TRANSITIONS.includes(transition)) {
      throw new ValidationError(
        'transition',
        'transition',
        `must be one of ${TRANSITIONS.join(', ')}, got ${JSON.stringify(transition)}`,
      );
    }
    const message = renderAlertMessage(alert, transition, this.#runbookBaseUrl);
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      // SNS refuses empty attribute values: an attribute with nothing to say is left out.
      if (value !== undefined && value !== '') attributes[name] = { DataType: 'String', StringValue: value };
    }
    try {
      await this.#client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: message.subject,
          Message: message.body,
          MessageAttributes: attributes,
          ...(this.#fifo
            ? {
                MessageGroupId: groupIdOf(alert.key),
                MessageDeduplicationId: createHash('sha256')
                  .update(`${alert.key}\n${alert.fingerprint}\n${transition}`)
                  .digest('hex'),
              }
            : {}),
        }),
      );
    } catch (error) {
      const awsCode = awsCodeOf(error);
      throw new SnsError(
        SnsErrorCode.PublishFailed,
        `${this.topicArn}: Publish ${alert.key} (${transition}): ${describeAwsError(error)}`,
        { awsCode, retryable: isTransient(error) || SNS_THROTTLING.has(awsCode), cause: error },
      );
    }
  }
}

/** MessageGroupId: 1–128 of `[A-Za-z0-9!-~]` (printable ASCII); long or odd keys become their hash. */
function groupIdOf(key: string): string {
  return /^[!-~]{1,128}$/.test(key) ? key : createHash('sha256').update(key).digest('hex');
}

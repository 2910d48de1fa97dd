/**
 * Publishes lifecycle events to EventBridge: source `portcullis`, detail-type = the event type
 * (`requested`, `issued`, `renewed`, `delivered`, `failed`, `revoked`), detail = the event as stored in the event
 * log (no key material by construction). At-least-once: consumers dedupe on `detail.id`.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type LifecycleEvent, type LifecycleEventPublisher, ValidationError } from '@portcullis/core';
import { rejectUnknownKeys, requireObject } from '../validate.js';
import { EventBridgeError, EventBridgeErrorCode } from './errors.js';

/** `Source` of every Portcullis event; rules match on it. */
export const EVENT_SOURCE = 'portcullis';

export const EventBridgeEnv = {
  /** Name or ARN of the event bus lifecycle events go to (default `default`). */
  EventBus: 'PORTCULLIS_EVENT_BUS',
} as const;
export type EventBridgeEnv = (typeof EventBridgeEnv)[keyof typeof EventBridgeEnv];

export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  /** Bus name or ARN; default `default`. */
  readonly eventBusName?: string;
}

/** Bus names (`[/.\-_A-Za-z0-9]{1,256}`) or bus ARNs. */
const EVENT_BUS = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[/.\-_A-Za-z0-9]{1,256}$/;

export class EventBridgeEventPublisher implements LifecycleEventPublisher {
  readonly #client: EventBridgeClient;
  readonly #bus: string;

  constructor(options: EventBridgePublisherOptions) {
    requireObject('eventPublisher', options);
    rejectUnknownKeys('eventPublisher', options, ['client', 'eventBusName']);
    const bus = options.eventBusName ?? 'default';
    if (!EVENT_BUS.test(bus)) {
      throw new ValidationError(
        'eventPublisher.eventBusName',
        'event-bus',
        `must be a bus name or ARN, got ${JSON.stringify(bus)}`,
      );
    }
    this.#client = options.client;
    this.#bus = bus;
  }

  async publish(event: LifecycleEvent): Promise<void> {
    const where = `${this.#bus}: PutEvents ${event.type} ${event.id}`;
    let failed: { code?: string; message?: string } | undefined;
    try {
      const answer = await this.#client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: EVENT_SOURCE,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              EventBusName: this.#bus,
              Time: new Date(event.at),
              Resources: [],
            },
          ],
        }),
      );
      if ((answer.FailedEntryCount ?? 0) > 0) {
        const entry = answer.Entries?.[0];
        failed = {
          ...(entry?.ErrorCode === undefined ? {} : { code: entry.ErrorCode }),
          ...(entry?.ErrorMessage === undefined ? {} : { message: entry.ErrorMessage }),
        };
      }
    } catch (error) {
      const awsCode = (error as { name?: string }).name;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      throw new EventBridgeError(
        EventBridgeErrorCode.PutEventsFailed,
        `${where}: ${awsCode ?? 'Error'}: ${(error as Error).message}`,
        {
          ...(awsCode === undefined ? {} : { awsCode }),
          retryable: status >= 500 || awsCode === 'ThrottlingException',
          cause: error,
        },
      );
    }
    if (failed !== undefined) {
      throw new EventBridgeError(
        EventBridgeErrorCode.PutEventsFailed,
        `${where}: entry refused: ${failed.code ?? 'unknown'}: ${failed.message ?? ''}`.trimEnd(),
        {
          ...(failed.code === undefined ? {} : { awsCode: failed.code }),
          retryable: failed.code === 'ThrottlingException',
        },
      );
    }
  }
}

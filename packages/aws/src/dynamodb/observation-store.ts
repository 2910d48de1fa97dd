/**
 * `ObservationStore` on DynamoDB: one item per managed certificate in the `alerts` table, `pk = obs#<certificateId>`,
 * holding the monitor's last look at every place it is deployed. Observation items carry neither `idxAlerts` nor
 * `certificateId`, so neither alert index ever lists them. Each `put` replaces the whole list (last writer wins:
 * only the monitor writes, and a later run's view is the one that counts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Observation, type ObservationStore, ValidationError } from '@portcullis/core';
import { documentClientFor, requireKeyString } from './document.js';
import { DynamoDbError, DynamoDbErrorCode, wrapDynamoDbError } from './errors.js';
import { DerivedAttribute } from './tables.js';

export interface DynamoDbObservationStoreOptions {
  readonly client: DynamoDBClient;
  /** The `alerts` table (observations live beside the alerts; see tables.ts). */
  readonly tableName: string;
}

/** Partition key of a certificate's observation item. */
export function observationItemKey(certificateId: string): string {
  return `obs#${certificateId}`;
}

/**
 * A certificate has a handful of targets and endpoints; this bound keeps one item far below DynamoDB's 400 KB
 * (an observation is a few hundred bytes) and catches a runaway caller.
 */
export const MAX_OBSERVATIONS = 200;

const SOURCES = new Set(['acm', 'secrets-manager', 'kubernetes', 'endpoint']);

export class DynamoDbObservationStore implements ObservationStore {
  readonly #document: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbObservationStoreOptions) {
    if (typeof options?.client?.send !== 'function') {
      throw new ValidationError('client', 'required', 'must be a DynamoDBClient');
    }
    this.#table = requireKeyString('tableName', options.tableName);
    this.#document = documentClientFor(options.client);
  }

  async put(certificateId: string, observations: readonly Observation[]): Promise<void> {
    requireKeyString('certificateId', certificateId);
    validateObservations(observations);
    try {
      await this.#document.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            [DerivedAttribute.PartitionKey]: observationItemKey(certificateId),
            observations: structuredClone(observations),
          },
        }),
      );
    } catch (error) {
      throw wrapDynamoDbError(error, 'PutItem', `table ${this.#table}, observations of ${certificateId}`);
    }
  }

  /** The last list put for the certificate, in the order given; [] when the monitor has not looked yet. */
  async get(certificateId: string): Promise<readonly Observation[]> {
    requireKeyString('certificateId', certificateId);
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.#document.send(
        new GetCommand({
          TableName: this.#table,
          Key: { [DerivedAttribute.PartitionKey]: observationItemKey(certificateId) },
          ConsistentRead: true,
        }),
      ));
    } catch (error) {
      throw wrapDynamoDbError(error, 'GetItem', `table ${this.#table}, observations of ${certificateId}`);
    }
    if (item === undefined) return [];
    if (!Array.isArray(item.observations)) {
      throw new DynamoDbError(
        DynamoDbErrorCode.CorruptItem,
        `dynamodb: table ${this.#table}: item ${observationItemKey(certificateId)} has no observations list`,
      );
    }
    return item.observations as Observation[];
  }
}

function validateObservations(observations: readonly Observation[]): void {
  if (!Array.isArray(observations)) throw new ValidationError('observations', 'type', 'must be an array');
  if (observations.length > MAX_OBSERVATIONS) {
    throw new ValidationError(
      'observations',
      'range',
      `must hold at most ${MAX_OBSERVATIONS} observations, got ${observations.length}`,
    );
  }
  observations.forEach((observation, index) => {
    if (typeof observation?.location !== 'string' || observation.location === '') {
      throw new ValidationError(`observations[${index}].location`, 'required', 'must be a non-empty string');
    }
    if (!SOURCES.has(observation.source)) {
      throw new ValidationError(
        `observations[${index}].source`,
        'source',
        `must be one of ${[...SOURCES].join(', ')}, got ${JSON.stringify(observation.source)}`,
      );
    }
  });
}

/**
 * `Idempotency-Key` on POST routes, with Powertools idempotency and its DynamoDB persistence layer (works against
 * moto: conditional PutItem with ALL_OLD, DeleteItem, GetItem). Same key + same body → the stored answer, the
 * handler does not run again; same key + another body → 422; same key while the first is running → 409.
 *
 * The key is scoped: the hash covers the caller's ARN, the route and the path as well as the header, so two
 * callers (or two routes) never share a key. Powertools' middy middleware is wrapped because (1) a request without
 * the header must skip idempotency — the scoped key is never "missing" — and (2) its `onError` deletes the record
 * by key, which after a refused replay (422/409) would delete the FIRST request's stored answer: the wrapper only
 * lets it clean up a record this request created itself.
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj, Request } from '@middy/core';
import { invalidRequest } from './errors.js';

/** The header (API Gateway v2 lower-cases header names). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Printable ASCII without spaces, 1..128 (a UUID or ULID fits). */
const KEY = /^[\x21-\x7e]{1,128}$/;

export interface IdempotencyOptions {
  readonly persistenceStore: BasePersistenceLayer;
  /** How long an answer is replayed (default one day). */
  readonly expiresAfterSeconds?: number;
}

/** Table for `DynamoDBPersistenceLayer` (partition key `id`, TTL on `expiration`); local mode and tests create it. */
export function idempotencyTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

const RAN = 'portcullis.idempotency.ran';
const SAVED = 'portcullis.idempotency.saved';

/** The header value, checked; undefined when absent. */
export function idempotencyKeyOf(
  headers: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  const key = headers?.[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (!KEY.test(key)) {
    throw invalidRequest([
      { field: 'header.idempotency-key', rule: 'pattern', message: 'must be 1 to 128 printable ASCII characters' },
    ]);
  }
  return key;
}

export function idempotencyMiddleware(options: IdempotencyOptions | undefined): MiddlewareObj {
  const inner =
    options === undefined
      ? undefined
      : makeHandlerIdempotent({
          persistenceStore: options.persistenceStore,
          config: new IdempotencyConfig({
            eventKeyJmesPath: `[requestContext.authorizer.iam.userArn, routeKey, rawPath, headers."${IDEMPOTENCY_HEADER}"]`,
            // The parsed body (deep-sorted before hashing, so key order does not matter).
            payloadValidationJmesPath: 'body',
            expiresAfterSeconds: options.expiresAfterSeconds ?? 86_400,
          }),
        });
  const internal = (request: Request) => request.internal as Record<string, unknown>;
  return {
    before: async (request) => {
      const event = request.event as { headers?: Record<string, string | undefined> };
      if (idempotencyKeyOf(event.headers) === undefined) return undefined;
      if (inner?.before === undefined) {
        throw invalidRequest([
          {
            field: 'header.idempotency-key',
            rule: 'unsupported',
            message: 'this deployment keeps no idempotency store',
          },
        ]);
      }
      internal(request)[RAN] = true;
      const replay: unknown = await inner.before(request);
      // No replay: this request now owns an in-progress record (cleaned up by onError if it fails).
      if (replay === undefined) internal(request)[SAVED] = true;
      return replay;
    },
    after: async (request) => {
      if (internal(request)[SAVED] === true) await inner?.after?.(request);
    },
    onError: async (request) => {
      if (internal(request)[SAVED] === true && internal(request)[RAN] === true) await inner?.onError?.(request);
    },
  };
}

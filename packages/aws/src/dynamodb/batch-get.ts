/**
 * BatchGetItem by one key attribute, consistent, in the order asked. DynamoDB may answer part of a batch
 * (`UnprocessedKeys`, under throttling); the SDK does not retry those, so this does, with a short doubling pause.
 */
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbError, DynamoDbErrorCode, wrapDynamoDbError } from './errors.js';

/** BatchGetItem takes at most 100 keys. */
const BATCH_LIMIT = 100;
/** Unprocessed keys are retried this many times (pauses 25 ms doubling: ~6 s in all) before giving up. */
const UNPROCESSED_RETRIES = 8;
const FIRST_PAUSE_MS = 25;

/** Items whose `keyName` is one of `keys`, in the order of `keys`; absent items are left out. */
export async function batchGetByKey(
  document: DynamoDBDocumentClient,
  tableName: string,
  keyName: string,
  keys: readonly string[],
): Promise<Record<string, unknown>[]> {
  const found = new Map<string, Record<string, unknown>>();
  for (let start = 0; start < keys.length; start += BATCH_LIMIT) {
    let pending = keys.slice(start, start + BATCH_LIMIT).map((key) => ({ [keyName]: key }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES) {
        throw new DynamoDbError(
          DynamoDbErrorCode.RequestFailed,
          `dynamodb: BatchGetItem (table ${tableName}): ${pending.length} keys still unprocessed after ${UNPROCESSED_RETRIES} retries`,
          { retryable: true },
        );
      }
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
      let answer: BatchGetCommandOutput;
      try {
        answer = await document.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
      } catch (error) {
        throw wrapDynamoDbError(error, 'BatchGetItem', `table ${tableName}`);
      }
      for (const item of answer.Responses?.[tableName] ?? []) {
        const key = item[keyName];
        if (typeof key === 'string') found.set(key, item);
      }
      pending = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as { [keyName]: string }[];
    }
  }
  return keys.flatMap((key) => {
    const item = found.get(key);
    return item === undefined ? [] : [item];
  });
}

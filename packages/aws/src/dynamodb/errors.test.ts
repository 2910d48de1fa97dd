import { ValidationError } from '@portcullis/core';
import { describe, expect, it } from 'vitest';
import { DynamoDbError, wrapDynamoDbError } from './errors.js';

/** An SDK-shaped service error (name + $metadata), as the client throws after its retries. */
function serviceError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode } });
}

describe('wrapDynamoDbError', () => {
  const cases: Record<string, { error: unknown; retryable: boolean; awsCode?: string }> = {
    'retries later after throttling': {
      error: serviceError('ProvisionedThroughputExceededException', 400),
      retryable: true,
      awsCode: 'ProvisionedThroughputExceededException',
    },
    'retries later after a 5xx': {
      error: serviceError('InternalServerError', 500),
      retryable: true,
      awsCode: 'InternalServerError',
    },
    'retries later when the connection was refused': {
      error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      retryable: true,
    },
    'does not retry a validation answer': {
      error: serviceError('ValidationException', 400),
      retryable: false,
      awsCode: 'ValidationException',
    },
    'does not retry a missing table': {
      error: serviceError('ResourceNotFoundException', 400),
      retryable: false,
      awsCode: 'ResourceNotFoundException',
    },
    'does not retry a local bug (no answer from DynamoDB involved)': {
      error: new TypeError('x is undefined'),
      retryable: false,
    },
  };
  it.each(Object.entries(cases))('%s', (_name, { error, retryable, awsCode }) => {
    const wrapped = wrapDynamoDbError(error, 'PutItem', 'table certs, certificate c1');
    expect(wrapped).toBeInstanceOf(DynamoDbError);
    expect(wrapped.retryable).toBe(retryable);
    expect((wrapped as DynamoDbError).awsCode).toBe(awsCode);
    expect(wrapped.message.startsWith('dynamodb: PutItem (table certs, certificate c1): ')).toBe(true);
    expect(wrapped.cause).toBe(error);
  });

  it('passes errors of Portcullis through unchanged', () => {
    const validation = new ValidationError('nextWakeAt', 'iso-time', 'bad');
    expect(wrapDynamoDbError(validation, 'PutItem', 'table certs')).toBe(validation);
  });
});

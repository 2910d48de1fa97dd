/**
 * Real-shaped API Gateway v2 (HTTP API, payload 2.0, IAM auth) events for the in-process API handler — the same
 * shape test/api's harness sends (bench/ does not import test support), so the router, middy stack, validation,
 * tenant check and idempotency middleware all run as in Lambda.
 */
import { randomUUID } from 'node:crypto';
import type { ApiEvent } from '@portcullis/functions';
import type { Context } from 'aws-lambda';

/** The benchmark's caller: tenant `bench`, owner of `example.test` (a zone of the local bind9). */
export const BENCH_PRINCIPAL = 'arn:aws:iam::111111111111:role/bench-deployer';

export const BENCH_TENANTS = {
  tenants: [{ id: 'bench', zones: ['example.test'], principals: [BENCH_PRINCIPAL] }],
};

export function postEvent(path: string, body: unknown, idempotencyKey: string): ApiEvent {
  const text = JSON.stringify(body);
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      host: 'bench.execute-api.us-east-1.amazonaws.com',
      'idempotency-key': idempotencyKey,
      'user-agent': 'portcullis-bench',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLEKEY000000',
          accountId: '111111111111',
          callerId: 'AROAEXAMPLEID:bench',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: BENCH_PRINCIPAL,
          userId: 'AROAEXAMPLEID:bench',
        },
      },
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'portcullis-bench' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: text,
    isBase64Encoded: false,
  };
  return event as unknown as ApiEvent;
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]bench',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

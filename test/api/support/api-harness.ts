/**
 * In-process harness of the HTTP API: one local stack per test file (real moto_server for the DynamoDB adapters and
 * the Powertools idempotency table, real bind9 for pre-flight), fresh tables per file, the in-memory Queue fake
 * from `@portcullis/core/testing` (the API only enqueues ids; the SQS adapter is tested elsewhere), and real-shaped
 * API Gateway v2 (payload 2.0, IAM auth) events sent through the router.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateTableCommand, DeleteTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  type AwsClients,
  createAwsClients,
  createTables,
  DynamoDbAlertRepository,
  DynamoDbCertificateRepository,
  DynamoDbEventLog,
  DynamoDbObservationStore,
  type DynamoDbTableNames,
  defaultTableNames,
  deleteTables,
  SecretsManagerCertificateStore,
} from '@portcullis/aws';
import { MemoryQueue } from '@portcullis/core/testing';
import { DnsResolver } from '@portcullis/dns';
import {
  type ApiDependencies,
  type ApiEvent,
  type ApiHandler,
  createApiHandlers,
  createApiRouter,
  idempotencyTableInput,
  TenantDirectory,
} from '@portcullis/functions';
import { type LocalStack, startLocalStack } from '@portcullis/local';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll } from 'vitest';

/** Principals of the test tenants (zones of the local bind9: example.test, delegated.test). */
export const Principal = {
  /** Tenant `acme` (owns example.test), by exact role ARN. */
  acme: 'arn:aws:iam::111111111111:role/acme-deployer',
  /** Tenant `acme` again, through an assumed-role session (prefix match). */
  acmeSession: 'arn:aws:sts::111111111111:assumed-role/acme-ci/build-42',
  /** Tenant `globex` (owns delegated.test), through its whole account. */
  globex: 'arn:aws:iam::222222222222:user/someone',
  /** Tenant `platform`, marked operator: also sees account-wide alerts. */
  operator: 'arn:aws:iam::333333333333:role/platform-oncall',
  /** Nobody's. */
  stranger: 'arn:aws:iam::999999999999:user/mallory',
} as const;

export const TENANT_CONFIG = {
  tenants: [
    {
      id: 'acme',
      zones: ['example.test'],
      principals: [Principal.acme, 'arn:aws:sts::111111111111:assumed-role/acme-ci/*'],
    },
    { id: 'globex', zones: ['delegated.test'], principals: ['222222222222'] },
    {
      id: 'platform',
      zones: ['platform.test'],
      principals: ['arn:aws:iam::333333333333:role/platform-oncall'],
      operator: true,
    },
  ],
};

/** The issuer ids the test API accepts (the default first): `PATCH` switches between them. */
export const ISSUERS = ['pebble', 'pebble-backup'] as const;

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Sent as is (no JSON encoding) — malformed bodies. */
  readonly rawBody?: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default `Principal.acme`; `null` leaves out the IAM authorizer context. */
  readonly principal?: string | null;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly text: string;
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** An API Gateway v2 HTTP API event (payload format 2.0) as IAM auth delivers it. */
export function apiGatewayEvent(call: ApiCall): ApiEvent {
  const principal = call.principal === undefined ? Principal.acme : call.principal;
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'portcullis-tests',
    'x-amz-date': '20260601T000000Z',
    ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(body.length) }),
  };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    if (value === '') delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  const rawQueryString = new URLSearchParams(call.query ?? {}).toString();
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: call.path,
    rawQueryString,
    headers,
    ...(call.query === undefined ? {} : { queryStringParameters: { ...call.query } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      ...(principal === null
        ? {}
        : {
            authorizer: {
              iam: {
                accessKey: 'ASIAEXAMPLEKEY000000',
                accountId: accountOf(principal),
                callerId: 'AROAEXAMPLEID:session',
                cognitoIdentity: null,
                principalOrgId: null,
                userArn: principal,
                userId: 'AROAEXAMPLEID:session',
              },
            },
          }),
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: call.method, path: call.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tests' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: '01/Jun/2026:00:00:00 +0000',
      timeEpoch: 1780272000000,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
  return event as unknown as ApiEvent;
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'portcullis-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:portcullis-api',
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/portcullis-api',
    logStreamName: '2026/06/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface ApiTestContext {
  readonly stack: LocalStack;
  readonly clients: AwsClients;
  readonly tables: DynamoDbTableNames;
  readonly idempotencyTable: string;
  readonly queue: MemoryQueue;
  readonly deps: ApiDependencies;
  readonly router: ApiHandler;
  call(call: ApiCall): Promise<ApiResponse>;
  /** Items in every table the API may write (certificates, orders, ledger, events, idempotency). */
  countItems(): Promise<Record<string, number>>;
  /** Dependencies over tables that do not exist (a real DynamoDB failure → 500). */
  brokenDeps(): ApiDependencies;
}

let sequence = 0;

/** Registers beforeAll/afterAll in the calling file; the getter works inside tests. */
export function useApiStack(): () => ApiTestContext {
  let context: ApiTestContext | undefined;
  let stack: LocalStack | undefined;
  let clients: AwsClients | undefined;
  let tables: DynamoDbTableNames | undefined;
  let idempotencyTable: string | undefined;

  beforeAll(async () => {
    // EMF output of every invocation would drown the test log; the metrics middleware still runs.
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    stack = await startLocalStack({});
    const moto = stack.moto;
    if (moto === undefined) throw new Error('local stack: moto_server did not start');
    const running = stack;
    const aws = createAwsClients({ region: moto.region, endpoint: moto.endpoint });
    clients = aws;
    const names = defaultTableNames(`api-${randomBytes(4).toString('hex')}`);
    tables = names;
    await createTables(aws.dynamodb, names);
    const idempotency = `${names.certificates}-idempotency`;
    idempotencyTable = idempotency;
    await aws.dynamodb.send(new CreateTableCommand(idempotencyTableInput(idempotency)));
    const queue = new MemoryQueue();
    const build = (tableNames: DynamoDbTableNames, idempotencyName: string): ApiDependencies => ({
      certificates: new DynamoDbCertificateRepository({ client: aws.dynamodb, tableName: tableNames.certificates }),
      events: new DynamoDbEventLog({ client: aws.dynamodb, tableName: tableNames.events }),
      alerts: new DynamoDbAlertRepository({ client: aws.dynamodb, tableName: tableNames.alerts }),
      observations: new DynamoDbObservationStore({ client: aws.dynamodb, tableName: tableNames.alerts }),
      queue,
      // The real Secrets Manager store on moto (versions, restore): tests seed it as the worker would.
      store: new SecretsManagerCertificateStore({
        client: aws.secretsManager,
        prefix: `${tableNames.certificates}/certificates/`,
      }),
      resolver: new DnsResolver({
        servers: [{ host: running.bind.host, port: running.bind.port }],
        nameserverPort: running.bind.port,
      }),
      tenants: new TenantDirectory(TENANT_CONFIG),
      clock: { now: () => new Date(), sleep: async () => {} },
      newId: () => `c${String(++sequence).padStart(4, '0')}-${randomBytes(6).toString('base64url')}`,
      logger: new Logger({ serviceName: 'portcullis-api', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'Portcullis', serviceName: 'portcullis-api' }),
      defaultIssuer: 'pebble',
      issuers: ISSUERS,
      caIdentities: ['pebble.letsencrypt.org'],
      idempotency: {
        persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyName, awsSdkV3Client: aws.dynamodb }),
      },
    });
    const deps = build(names, idempotency);
    const router = createApiRouter(createApiHandlers(deps));
    const invoke = async (handler: ApiHandler, call: ApiCall): Promise<ApiResponse> => {
      const result = (await handler(apiGatewayEvent(call), lambdaContext())) as APIGatewayProxyStructuredResultV2;
      const text = result.body ?? '';
      const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
      return { status: result.statusCode ?? 0, headers, text, body: text === '' ? undefined : JSON.parse(text) };
    };
    context = {
      stack: running,
      clients: aws,
      tables: names,
      idempotencyTable: idempotency,
      queue,
      deps,
      router,
      call: (call) => invoke(router, call),
      countItems: async () => {
        const counts: Record<string, number> = {};
        for (const table of [...Object.values(names), idempotency]) {
          const answer = await aws.dynamodb.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
          counts[table] = answer.Count ?? 0;
        }
        return counts;
      },
      brokenDeps: () => build(defaultTableNames(`missing-${randomBytes(4).toString('hex')}`), `${idempotency}-missing`),
    };
  });

  afterAll(async () => {
    if (clients !== undefined && tables !== undefined) {
      await deleteTables(clients.dynamodb, tables);
      if (idempotencyTable !== undefined) {
        await clients.dynamodb.send(new DeleteTableCommand({ TableName: idempotencyTable }));
      }
    }
    clients?.destroy();
    await stack?.stop();
  });

  return () => {
    if (context === undefined) throw new Error('useApiStack: the stack is only there inside tests');
    return context;
  };
}

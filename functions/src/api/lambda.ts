/**
 * The API's Lambda entry point: one function behind the HTTP API's routes (or `$default`), dependencies built once
 * per cold start from the environment. It imports no ACME or Kubernetes code (the worker's wiring does), so the
 * bundle stays small. Variables beyond the adapters' own (tables, queue, AWS, resolvers: see `FunctionsEnv`):
 * `ApiEnv` below. The issuer variables (`PORTCULLIS_ISSUER_ID`, `PORTCULLIS_ACME_ISSUER`, `PORTCULLIS_ACME_DIRECTORY`,
 * `PORTCULLIS_ACME_ISSUERS`) must be the worker's: they give the default `issuer` and the ones a request may name.
 */

import { randomBytes } from 'node:crypto';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  awsConfigFromEnv,
  createAwsClients,
  DynamoDbAlertRepository,
  DynamoDbCertificateRepository,
  DynamoDbEventLog,
  DynamoDbObservationStore,
  SecretsManagerCertificateStore,
  SqsQueue,
  tableNamesFromEnv,
} from '@portcullis/aws';
import { systemClock, ValidationError } from '@portcullis/core';
import { DnsResolver } from '@portcullis/dns';
import { configuredIssuerIds, readFunctionsConfig } from '../wiring/config.js';
import type { ApiDependencies } from './dependencies.js';
import { createApiHandlers } from './handlers.js';
import { createApiRouter } from './router.js';
import type { ApiHandler } from './stack.js';
import { TenantDirectory } from './tenants.js';

export const ApiEnv = {
  /** Tenant config as JSON (`TenantConfig`: tenants with their zones and principals). Required. */
  Tenants: 'PORTCULLIS_API_TENANTS',
  /** Table of the Powertools idempotency records (`idempotencyTableInput`). Required. */
  IdempotencyTable: 'PORTCULLIS_TABLE_IDEMPOTENCY',
} as const;
export type ApiEnv = (typeof ApiEnv)[keyof typeof ApiEnv];

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: ApiEnv): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') throw new ValidationError(name, 'required', 'is not set');
  return value;
}

/** Every port of the API from the environment; validates all of it before building any client. */
export function apiDependenciesFromEnv(env: Env = process.env): ApiDependencies {
  const config = readFunctionsConfig(env);
  const tables = tableNamesFromEnv(env);
  const idempotencyTable = required(env, ApiEnv.IdempotencyTable);
  let tenantConfig: unknown;
  try {
    tenantConfig = JSON.parse(required(env, ApiEnv.Tenants));
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(ApiEnv.Tenants, 'json', 'is not valid JSON');
  }
  const tenants = new TenantDirectory(tenantConfig);
  const issuers = configuredIssuerIds(env, config);
  const clients = createAwsClients(awsConfigFromEnv(env));
  return {
    certificates: new DynamoDbCertificateRepository({ client: clients.dynamodb, tableName: tables.certificates }),
    events: new DynamoDbEventLog({ client: clients.dynamodb, tableName: tables.events }),
    alerts: new DynamoDbAlertRepository({ client: clients.dynamodb, tableName: tables.alerts }),
    observations: new DynamoDbObservationStore({ client: clients.dynamodb, tableName: tables.alerts }),
    queue: new SqsQueue({ client: clients.sqs, queueUrl: config.queueUrl }),
    // Read-only here (versions, the restore's serial check); the same prefix as the worker's store.
    store: new SecretsManagerCertificateStore({
      client: clients.secretsManager,
      ...(config.certificatePrefix === undefined ? {} : { prefix: config.certificatePrefix }),
    }),
    resolver: new DnsResolver({ servers: config.dnsResolvers, nameserverPort: config.dnsNameserverPort }),
    tenants,
    clock: systemClock,
    // 16 random bytes: unguessable ids (a 404 must not become an oracle for other tenants' ids).
    newId: () => randomBytes(16).toString('base64url'),
    logger: new Logger({ serviceName: 'portcullis-api' }),
    metrics: new Metrics({ namespace: config.metricsNamespace, serviceName: 'portcullis-api' }),
    // The same ids the worker serves (wiring/issuers.ts); the first is the primary PORTCULLIS_ACME_* issuer.
    defaultIssuer: issuers[0] as string,
    issuers,
    caIdentities: config.issuerCaa ?? ['letsencrypt.org'],
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyTable, awsSdkV3Client: clients.dynamodb }),
    },
  };
}

let router: ApiHandler | undefined;

/** Lambda handler (all routes). */
export const handler: ApiHandler = (event, context) => {
  router ??= createApiRouter(createApiHandlers(apiDependenciesFromEnv()));
  return router(event, context);
};

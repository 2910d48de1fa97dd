/**
 * Every port of `reconcile` built from its real adapter, once per cold start (`getWiring`): DynamoDB (records,
 * orders, ledger, event log), Secrets Manager (certificate store; the ACME account key store), ACM and Secrets
 * Manager export targets, SQS (the reconcile queue), EventBridge (lifecycle events), EMF metrics, the ACME engine
 * and the DNS provider + resolver. Handlers receive a `Wiring`; tests build one with `buildWiring` and may replace
 * single ports (`overrides`) — e.g. to wrap one with a counter or a crash.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { certificateKeyFactory } from '@portcullis/acme';
import {
  type AwsClients,
  AwsTargetFactory,
  awsConfigFromEnv,
  createAwsClients,
  DynamoDbCertificateRepository,
  DynamoDbEventLog,
  DynamoDbOrderRepository,
  DynamoDbRateLimitLedger,
  EmfMetrics,
  EventBridgeEventPublisher,
  route53ClientForZone,
  SecretsManagerCertificateStore,
  SecretsManagerKeyStore,
  SqsQueue,
  tableNamesFromEnv,
} from '@portcullis/aws';
import {
  type AcmeClient,
  type DnsProvider,
  type Queue,
  type ReconcileDependencies,
  systemClock,
  systemRandom,
} from '@portcullis/core';
import {
  DnsResolver,
  Rfc2136Provider,
  Route53Provider,
  rfc2136ConfigFromEnv,
  route53ConfigFromEnv,
} from '@portcullis/dns';
import { DnsProviderKind, type FunctionsConfig, readFunctionsConfig } from './config.js';
import { buildIssuers, issuerDirectory } from './issuers.js';
import { kubernetesTargetsFromEnv, routingTargetFactory } from './kubernetes-targets.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface Wiring {
  readonly config: FunctionsConfig;
  readonly deps: ReconcileDependencies;
  readonly queue: Queue;
  /** Flushed by every handler at the end of an invocation (EMF lines on stdout). */
  readonly metrics: EmfMetrics;
  readonly logger: Logger;
  readonly clients: AwsClients;
  /** Closes the SDK clients' sockets (tests; Lambda just freezes the process). */
  close(): void;
}

/** Ports a test may replace (anything else comes from the environment). */
export type WiringOverrides = Partial<Omit<ReconcileDependencies, 'dns' | 'issuers'>> & {
  readonly queue?: Queue;
  /** Wraps the ACME client (counting, crash injection) before it goes into the issuer. */
  readonly wrapAcme?: (client: AcmeClient) => AcmeClient;
  /** Wraps the DNS provider (crash injection). */
  readonly wrapDnsProvider?: (provider: DnsProvider) => DnsProvider;
  readonly metricsWrite?: (line: string) => void;
};

/** Builds every port from `env`. Validates all configuration first; no network call happens here. */
export function buildWiring(env: Env = process.env, overrides: WiringOverrides = {}): Wiring {
  const config = readFunctionsConfig(env);
  const tables = tableNamesFromEnv(env);
  const clients = createAwsClients(awsConfigFromEnv(env));
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const logger = new Logger({ serviceName: 'portcullis' });
  const metrics = new EmfMetrics({
    namespace: config.metricsNamespace,
    clock,
    ...(overrides.metricsWrite === undefined ? {} : { write: overrides.metricsWrite }),
  });

  const accountKeys = new SecretsManagerKeyStore({
    client: clients.secretsManager,
    ...(config.accountKeyPrefix === undefined ? {} : { prefix: config.accountKeyPrefix }),
  });
  // The PORTCULLIS_ACME_* issuer, then PORTCULLIS_ACME_ISSUERS (issuers.ts).
  const issuers = buildIssuers({
    env,
    config,
    accountKeys,
    clock,
    ...(overrides.wrapAcme === undefined ? {} : { wrapAcme: overrides.wrapAcme }),
  });

  const rawProvider: DnsProvider =
    config.dnsProvider === DnsProviderKind.Route53
      ? new Route53Provider({
          ...route53ConfigFromEnv(env),
          client: route53ClientForZone(clients, { sessionName: 'portcullis-worker' }),
        })
      : new Rfc2136Provider(rfc2136ConfigFromEnv(env));
  const provider = overrides.wrapDnsProvider?.(rawProvider) ?? rawProvider;
  const resolver = new DnsResolver({ servers: config.dnsResolvers, nameserverPort: config.dnsNameserverPort });

  const deps: ReconcileDependencies = {
    certificates: new DynamoDbCertificateRepository({ client: clients.dynamodb, tableName: tables.certificates }),
    orders: new DynamoDbOrderRepository({ client: clients.dynamodb, tableName: tables.orders }),
    ledger: new DynamoDbRateLimitLedger({ client: clients.dynamodb, tableName: tables.ledger }),
    events: new DynamoDbEventLog({ client: clients.dynamodb, tableName: tables.events }),
    publisher: new EventBridgeEventPublisher({ client: clients.eventBridge, eventBusName: config.eventBusName }),
    metrics,
    store: new SecretsManagerCertificateStore({
      client: clients.secretsManager,
      ...(config.certificatePrefix === undefined ? {} : { prefix: config.certificatePrefix }),
    }),
    issuers: issuerDirectory(issuers),
    keys: certificateKeyFactory,
    targets: routingTargetFactory(
      new AwsTargetFactory({ clients, clock, random }),
      kubernetesTargetsFromEnv(env, clients),
    ),
    dns: { provider, resolver },
    clock,
    random,
    log: (entry) => {
      const { level, message, ...identity } = entry;
      logger[level](message, identity);
    },
    ...stripWiringOnly(overrides),
  };
  const queue = overrides.queue ?? new SqsQueue({ client: clients.sqs, queueUrl: config.queueUrl });
  return { config, deps, queue, metrics, logger, clients, close: () => clients.destroy() };
}

function stripWiringOnly(overrides: WiringOverrides): Partial<ReconcileDependencies> {
  const { queue: _q, wrapAcme: _a, wrapDnsProvider: _d, metricsWrite: _m, ...ports } = overrides;
  return ports;
}

let cached: Wiring | undefined;

/** The wiring of this process, built on first use (cold start) from `process.env`. */
export function getWiring(): Wiring {
  cached ??= buildWiring(process.env);
  return cached;
}

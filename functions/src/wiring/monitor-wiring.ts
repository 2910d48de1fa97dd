/**
 * The ports of the `monitor` schedule and the ACM expiry rule, built on top of the worker's `Wiring` (same
 * certificate repository, same TargetFactory — so the monitor reads a target exactly as the worker writes it — same
 * clients, metrics, clock and log): the alerts table (alerts + observations), the SNS alert topic, the live TLS
 * prober, the ACM inventory of the configured regions and the reconcile dead-letter queue. All configuration is
 * validated first (`readMonitorConfig`); no network call happens here.
 */
import {
  AcmCertificateInventory,
  acmClientForRegion,
  DynamoDbAlertRepository,
  DynamoDbObservationStore,
  SnsNotifier,
  SqsDeadLetterQueue,
  tableNamesFromEnv,
} from '@portcullis/aws';
import type { MonitorDependencies } from '@portcullis/core';
import { TlsEndpointProber } from '@portcullis/probe';
import { type MonitorConfig, readMonitorConfig } from './monitor-config.js';
import { getWiring, type Wiring } from './wiring.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface MonitorWiring {
  /** The worker's wiring (queue for the ACM rule's renewals, logger, metrics flushed by the handlers). */
  readonly wiring: Wiring;
  readonly config: MonitorConfig;
  readonly deps: MonitorDependencies;
  /** Closes what this wiring built (ACM clients of other regions); the worker's wiring stays open. */
  close(): void;
}

/** Ports a test may replace (a fake prober, a fixed clock...). */
export type MonitorWiringOverrides = Partial<MonitorDependencies>;

export function buildMonitorWiring(
  wiring: Wiring,
  env: Env = process.env,
  overrides: MonitorWiringOverrides = {},
): MonitorWiring {
  const config = readMonitorConfig(env);
  const tables = tableNamesFromEnv(env);
  const { clients } = wiring;
  const d = wiring.deps;
  const acmClients = acmClientForRegion(clients);
  const deps: MonitorDependencies = {
    certificates: d.certificates,
    targets: d.targets,
    alerts: new DynamoDbAlertRepository({ client: clients.dynamodb, tableName: tables.alerts }),
    observations: new DynamoDbObservationStore({ client: clients.dynamodb, tableName: tables.alerts }),
    notifier: new SnsNotifier({
      client: clients.sns,
      topicArn: config.alertTopicArn,
      ...(config.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: config.runbookBaseUrl }),
    }),
    prober: new TlsEndpointProber(),
    ...(config.regions.length === 0
      ? {}
      : { acm: { inventory: new AcmCertificateInventory({ clientFor: acmClients }), regions: config.regions } }),
    ...(config.deadLetterQueueUrl === undefined
      ? {}
      : { deadLetterQueue: new SqsDeadLetterQueue({ client: clients.sqs, queueUrl: config.deadLetterQueueUrl }) }),
    ledger: d.ledger,
    metrics: d.metrics,
    clock: d.clock,
    policy: config.policy,
    log: (entry) => {
      const { level, message, ...fields } = entry;
      wiring.logger[level](message, fields);
    },
    ...overrides,
  };
  return { wiring, config, deps, close: () => acmClients.destroy() };
}

let cached: MonitorWiring | undefined;

/** The monitor wiring of this process, built on first use (cold start) over `getWiring()`. */
export function getMonitorWiring(): MonitorWiring {
  cached ??= buildMonitorWiring(getWiring(), process.env);
  return cached;
}

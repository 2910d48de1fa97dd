/**
 * The environment of each function: exactly the variables its configuration readers require (`readFunctionsConfig`,
 * `tableNamesFromEnv`, `acmeConfigFromEnv`, `route53ConfigFromEnv`, `readMonitorConfig`, the API's `ApiEnv`), with
 * values from the deployed resources. Generic over the value type so the wiring can pass SST outputs unresolved.
 *
 * Variable names owned by @portcullis/aws are imported; those owned by packages the infra must not bundle into
 * `sst.config.ts` (functions: Powertools, acme-client, Kubernetes client) are written here and checked against
 * their owners' constants by environment.test.ts.
 */
import { DeadLetterQueueEnv, DynamoDbEnv, EventBridgeEnv, MetricsEnv, SnsEnv, SqsEnv } from '@portcullis/aws';
import type { InfraConfig } from './config.js';
import { ownSecretNames } from './iam.js';
import type { FunctionKey, TableKey } from './resources.js';

/** Names owned by other packages (checked against them in the test). */
export const ForeignEnv = {
  DnsProvider: 'PORTCULLIS_DNS_PROVIDER',
  DnsResolvers: 'PORTCULLIS_DNS_RESOLVERS',
  AccountKeyPrefix: 'PORTCULLIS_ACCOUNT_KEY_PREFIX',
  CertificatePrefix: 'PORTCULLIS_CERTIFICATE_PREFIX',
  IssuerId: 'PORTCULLIS_ISSUER_ID',
  AcmeIssuer: 'PORTCULLIS_ACME_ISSUER',
  AcmeEmail: 'PORTCULLIS_ACME_EMAIL',
  AcmeEabKid: 'PORTCULLIS_ACME_EAB_KID',
  AcmeEabHmacKey: 'PORTCULLIS_ACME_EAB_HMAC_KEY',
  Route53Zones: 'PORTCULLIS_ROUTE53_ZONES',
  Route53RoleArn: 'PORTCULLIS_ROUTE53_ROLE_ARN',
  Route53ExternalId: 'PORTCULLIS_ROUTE53_EXTERNAL_ID',
  ApiTenants: 'PORTCULLIS_API_TENANTS',
  IdempotencyTable: 'PORTCULLIS_TABLE_IDEMPOTENCY',
  MonitorRegions: 'PORTCULLIS_MONITOR_REGIONS',
  KubeClustersSecret: 'PORTCULLIS_KUBE_CLUSTERS_SECRET',
} as const;

/** Values only known once deployed (SST outputs in the wiring, strings in tests). */
export interface DeployedValues<T> {
  readonly region: string;
  readonly tableNames: Readonly<Record<TableKey, string>>;
  readonly reconcileQueueUrl: T;
  readonly deadLetterQueueUrl: T;
  readonly alertTopicArn: T;
  readonly eventBusName: T;
  /** The `AcmeEabHmacKey` secret's value; absent when the issuer needs no EAB. */
  readonly eabHmacKey?: T;
}

const LIFECYCLE_TABLE_ENV: Readonly<Record<Exclude<TableKey, 'idempotency'>, string>> = {
  certificates: DynamoDbEnv.CertificatesTable,
  orders: DynamoDbEnv.OrdersTable,
  ledger: DynamoDbEnv.LedgerTable,
  events: DynamoDbEnv.EventsTable,
  alerts: DynamoDbEnv.AlertsTable,
};

/**
 * Which groups of variables each function gets. Every function but the API is built on the worker's wiring
 * (`getWiring` validates the ACME and DNS settings at cold start), so those need the ACME and DNS groups even
 * when they never issue; only the monitor and the ACM event handler get the alert topic (`readMonitorConfig`).
 */
const GROUPS: Readonly<Record<FunctionKey, { wiring: boolean; monitor: boolean; api: boolean }>> = {
  api: { wiring: false, monitor: false, api: true },
  worker: { wiring: true, monitor: false, api: false },
  plan: { wiring: true, monitor: false, api: false },
  monitor: { wiring: true, monitor: true, api: false },
  acmExpiry: { wiring: true, monitor: true, api: false },
};

/** `spec.issuer` id served by the configured ACME account: the named issuer, or `acme` for a directory URL. */
export function issuerId(issuer: string): string {
  return issuer.includes('://') ? 'acme' : issuer;
}

export function functionEnvironment<T>(
  key: FunctionKey,
  config: InfraConfig,
  values: DeployedValues<T>,
): Record<string, string | T> {
  const groups = GROUPS[key];
  const names = ownSecretNames(config.secrets.prefix);
  const env: Record<string, string | T> = {
    [SqsEnv.ReconcileQueueUrl]: values.reconcileQueueUrl,
    [ForeignEnv.DnsResolvers]: config.dns.resolvers.join(','),
    [MetricsEnv.Namespace]: config.metricsNamespace,
    // The API's default issuer for new certificates and the worker's issuer id must agree.
    [ForeignEnv.IssuerId]: issuerId(config.acme.issuer),
  };
  for (const [role, variable] of Object.entries(LIFECYCLE_TABLE_ENV) as [Exclude<TableKey, 'idempotency'>, string][]) {
    env[variable] = values.tableNames[role];
  }
  if (groups.api) {
    env[ForeignEnv.IdempotencyTable] = values.tableNames.idempotency;
    env[ForeignEnv.ApiTenants] = JSON.stringify(config.tenants);
  }
  if (groups.wiring) {
    env[ForeignEnv.AcmeIssuer] = config.acme.issuer;
    env[ForeignEnv.DnsProvider] = config.dns.provider;
    env[EventBridgeEnv.EventBus] = values.eventBusName;
    env[ForeignEnv.AccountKeyPrefix] = names.accountKeyPrefix;
    env[ForeignEnv.CertificatePrefix] = names.certificatePrefix;
    if (config.acme.email !== undefined) env[ForeignEnv.AcmeEmail] = config.acme.email;
    if (config.acme.eabKid !== undefined) env[ForeignEnv.AcmeEabKid] = config.acme.eabKid;
    if (values.eabHmacKey !== undefined) env[ForeignEnv.AcmeEabHmacKey] = values.eabHmacKey;
    if (config.kubernetesClusters) env[ForeignEnv.KubeClustersSecret] = names.kubeClustersSecret;
    const route53 = config.route53;
    if (route53 !== undefined) {
      env[ForeignEnv.Route53Zones] = route53.zones.map((zone) => `${zone.name}=${zone.hostedZoneId}`).join(',');
      if (route53.roleArn !== undefined) env[ForeignEnv.Route53RoleArn] = route53.roleArn;
      if (route53.externalId !== undefined) env[ForeignEnv.Route53ExternalId] = route53.externalId;
    }
  } else {
    // The API reads the certificate store's versions (versions/restore routes).
    env[ForeignEnv.CertificatePrefix] = names.certificatePrefix;
  }
  if (groups.monitor) {
    env[SnsEnv.AlertTopicArn] = values.alertTopicArn;
    env[DeadLetterQueueEnv.DeadLetterQueueUrl] = values.deadLetterQueueUrl;
    env[ForeignEnv.MonitorRegions] = [values.region, ...config.targetRegions.filter((r) => r !== values.region)].join(
      ',',
    );
    if (config.alerts.runbookBaseUrl !== undefined) env[SnsEnv.RunbookBaseUrl] = config.alerts.runbookBaseUrl;
  }
  return env;
}

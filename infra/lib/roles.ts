/**
 * Per-function permissions: `FUNCTION_ACCESS` says, for each function, what it touches (traced from the handler
 * and the adapters it builds — the trace is in docs/design/infrastructure.md); `functionStatements` turns that
 * into IAM statements on the deployed resources' ARNs. A function gets nothing it does not call.
 */
import type { InfraConfig } from './config.js';
import {
  type AcmAccess,
  type AwsScope,
  acmStatements,
  assumeRoleStatements,
  deadLetterReadStatement,
  dynamoDbStatement,
  eventBusPutStatement,
  type IamStatement,
  queueConsumeStatement,
  queueSendStatement,
  route53Statements,
  type SecretsAccess,
  secretsStatements,
  type TableAccess,
  topicPublishStatement,
} from './iam.js';
import type { FunctionKey, TableKey } from './resources.js';

export interface FunctionAccess {
  readonly tables: Partial<Readonly<Record<TableKey, TableAccess>>>;
  /** Reconcile queue: `send` (enqueue), `consume` (the worker's event source, which also requeues). */
  readonly queue?: 'send' | 'consume';
  /** Dead-letter queue depth (the `dlq-not-empty` alert). */
  readonly deadLetterDepth?: true;
  readonly alertTopic?: true;
  readonly eventBus?: true;
  readonly acm?: AcmAccess;
  readonly secrets?: SecretsAccess;
  /** dns-01 changes: Route53 statements, or AssumeRole on the configured cross-account role. */
  readonly dns?: true;
}

export const FUNCTION_ACCESS: Readonly<Record<FunctionKey, FunctionAccess>> = {
  // Routes: create/get/list/patch/renew/revoke/delete (certificates), history (events), alerts and observations
  // (alerts), Idempotency-Key (idempotency), enqueue on change; versions/restore read the certificate store.
  api: {
    tables: { certificates: 'read-write', events: 'read', alerts: 'read', idempotency: 'read-write' },
    queue: 'send',
    secrets: 'versions',
  },
  // reconcile(): every step — records, orders, ledger, event log (append only), stores, targets, DNS, events bus.
  worker: {
    tables: { certificates: 'read-write', orders: 'read-write', ledger: 'read-write', events: 'write' },
    queue: 'consume',
    eventBus: true,
    acm: 'deliver',
    secrets: 'deliver',
    dns: true,
  },
  // listDue(now, limit) on the `due` index, then SendMessage per id.
  plan: { tables: { certificates: 'read' }, queue: 'send' },
  // runMonitor(): read records and targets (ACM, export secrets), rate-limit headroom from the ledger, alerts and
  // observations written, notifications published, DLQ depth read. It never writes a certificate record.
  monitor: {
    tables: { certificates: 'read', ledger: 'read', alerts: 'read-write' },
    deadLetterDepth: true,
    alertTopic: true,
    acm: 'read',
    secrets: 'read',
  },
  // handleAcmExpiry(): managed → conditional update of renewRequestedAt + enqueue; unmanaged → alert + notify.
  acmExpiry: {
    tables: { certificates: 'read-write', alerts: 'read-write' },
    queue: 'send',
    alertTopic: true,
    acm: 'read',
  },
};

/** ARNs of the deployed resources (resolved by the wiring before the builders run). */
export interface ResourceArns {
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly reconcileQueue: string;
  readonly deadLetterQueue: string;
  readonly alertTopic: string;
  readonly eventBus: string;
}

const TABLE_SIDS: Readonly<Record<TableKey, string>> = {
  certificates: 'CertificatesTable',
  orders: 'OrdersTable',
  ledger: 'LedgerTable',
  events: 'EventsTable',
  alerts: 'AlertsTable',
  idempotency: 'IdempotencyTable',
};

/** Every statement of one function's role. */
export function functionStatements(
  key: FunctionKey,
  config: InfraConfig,
  scope: AwsScope,
  arns: ResourceArns,
): IamStatement[] {
  const access = FUNCTION_ACCESS[key];
  const statements: IamStatement[] = [];
  for (const [table, tableAccess] of Object.entries(access.tables) as [TableKey, TableAccess][]) {
    statements.push(dynamoDbStatement(TABLE_SIDS[table], arns.tables[table], tableAccess));
  }
  if (access.queue === 'consume') statements.push(queueConsumeStatement(arns.reconcileQueue));
  if (access.queue !== undefined) statements.push(queueSendStatement(arns.reconcileQueue));
  if (access.deadLetterDepth) statements.push(deadLetterReadStatement(arns.deadLetterQueue));
  if (access.alertTopic) statements.push(topicPublishStatement(arns.alertTopic));
  if (access.eventBus) statements.push(eventBusPutStatement(arns.eventBus));
  const regions = [scope.region, ...config.targetRegions.filter((region) => region !== scope.region)];
  if (access.acm !== undefined) {
    statements.push(
      ...acmStatements(access.acm, {
        partition: scope.partition,
        account: scope.account,
        regions,
        certificateArns: config.acm.certificateArns,
        allowNewImports: config.acm.allowNewImports,
      }),
    );
  }
  if (access.secrets !== undefined) {
    statements.push(
      ...secretsStatements(access.secrets, {
        partition: scope.partition,
        account: scope.account,
        region: scope.region,
        regions,
        prefix: config.secrets.prefix,
        exportPrefixes: config.secrets.exportPrefixes,
        kmsKeyArns: config.secrets.kmsKeyArns,
        kubernetesClusters: config.kubernetesClusters,
      }),
    );
  }
  if (access.dns && config.route53 !== undefined) {
    const route53 = config.route53;
    statements.push(...route53Statements(route53, scope.partition));
    if (route53.roleArn !== undefined) {
      statements.push(
        ...assumeRoleStatements([
          { roleArn: route53.roleArn, ...(route53.externalId === undefined ? {} : { externalId: route53.externalId }) },
        ]),
      );
    }
  }
  return statements;
}

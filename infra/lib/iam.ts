/**
 * Least-privilege IAM statements, one builder per AWS service, as plain data. Each builder grants the actions the
 * adapters in `packages/aws` and `packages/dns` really call (see docs/design/infrastructure.md for the trace) on the
 * narrowest resource AWS lets us name, plus conditions where the service supports them. `toSstPermissions` turns
 * them into `sst.aws.Function` `permissions`; `toPolicyDocument` into IAM JSON (the cross-account Route53 role).
 */
import type { Route53InfraConfig } from './config.js';

export interface IamCondition {
  /** Condition operator, e.g. `StringEquals`, `ForAllValues:StringLike`. */
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One Allow statement (Portcullis never needs Deny: nothing is granted broadly first). */
export interface IamStatement {
  /** Names the reason for the statement (policy `Sid`: alphanumerics only). */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: readonly IamCondition[];
}

/** Where ARNs point: the deployment's partition, region and account. */
export interface AwsScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** ACM tag Portcullis sets at first import (`portcullis:managed-by` = `portcullis`, see packages/aws resource-tags). */
export const MANAGED_TAG = { key: 'portcullis:managed-by', value: 'portcullis' } as const;

/** The Route53 record names every challenge lives under (`_acme-challenge.<name>`, normalized: lower case, no dot). */
export const CHALLENGE_RECORD_PATTERN = '_acme-challenge.*';

export function hostedZoneArn(partition: string, hostedZoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
}

/**
 * Route53 for dns-01 in zones of this account. Changes: only TXT record sets named `_acme-challenge.*` (or a
 * configured delegation target) in the configured zones — `ForAllValues` so every change of a batch must match.
 * Reads: the record sets of those zones (compare-and-swap needs the current values) and change status (`GetChange`
 * takes no zone, so `change/*`). With a role in another account the function gets none of this: the role does
 * (`route53RoleStatements`), and the function only `sts:AssumeRole` on it.
 */
export function route53Statements(route53: Route53InfraConfig, partition: string): IamStatement[] {
  if (route53.roleArn !== undefined) return [];
  return route53RoleStatements(route53, partition);
}

/** What the Route53 identity (the function's own role, or the cross-account role) needs in the zones' account. */
export function route53RoleStatements(route53: Route53InfraConfig, partition: string): IamStatement[] {
  const zones = route53.zones.map((zone) => hostedZoneArn(partition, zone.hostedZoneId));
  const statements: IamStatement[] = [
    {
      sid: 'Route53ChallengeRecords',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: zones,
      conditions: [
        { test: 'ForAllValues:StringEquals', variable: 'route53:ChangeResourceRecordSetsRecordTypes', values: ['TXT'] },
        {
          test: 'ForAllValues:StringLike',
          variable: 'route53:ChangeResourceRecordSetsNormalizedRecordNames',
          values: [CHALLENGE_RECORD_PATTERN, ...route53.delegatedRecordNames],
        },
      ],
    },
    { sid: 'Route53ReadZones', actions: ['route53:ListResourceRecordSets'], resources: zones },
    { sid: 'Route53ChangeStatus', actions: ['route53:GetChange'], resources: [`arn:${partition}:route53:::change/*`] },
  ];
  if (route53.discoverZones) {
    // ListHostedZones has no resource-level permission: `*` is the only resource IAM accepts.
    statements.push({ sid: 'Route53DiscoverZones', actions: ['route53:ListHostedZones'], resources: ['*'] });
  }
  return statements;
}

/** `sts:AssumeRole` on exactly the configured roles; with an ExternalId the call must carry it. */
export function assumeRoleStatements(roles: readonly { roleArn: string; externalId?: string }[]): IamStatement[] {
  return roles.map((role, i) => ({
    sid: `AssumeConfiguredRole${i}`,
    actions: ['sts:AssumeRole'],
    resources: [role.roleArn],
    ...(role.externalId === undefined
      ? {}
      : { conditions: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: [role.externalId] }] }),
  }));
}

export type AcmAccess = 'deliver' | 'read';

export interface AcmScope {
  readonly partition: string;
  readonly account: string;
  /** Every region certificates may live in (the deployment's and the targets'). */
  readonly regions: readonly string[];
  /** Known ARNs: import/tag only these. */
  readonly certificateArns: readonly string[];
  /** Allow first imports (new ARNs) — only with our managed-by tag in the request. */
  readonly allowNewImports: boolean;
}

function acmCertificates(scope: AcmScope): string[] {
  return scope.regions.map((region) => `arn:${scope.partition}:acm:${region}:${scope.account}:certificate/*`);
}

/**
 * ACM. Reading (`DescribeCertificate`, `GetCertificate`, `ListTagsForCertificate`) is allowed on every certificate
 * of the regions: the monitor also watches certificates Portcullis does not manage. `ListCertificates` has no
 * resource-level permission (`*`). Writing (`ImportCertificate` + `AddTagsToCertificate`, which ImportCertificate
 * with `Tags` also requires):
 *   - known ARNs configured: only those ARNs (re-import);
 *   - otherwise re-import/tag only certificates tagged `portcullis:managed-by=portcullis` (`aws:ResourceTag`);
 *   - first imports (no ARN yet, so no resource tag) only when the request carries that tag (`aws:RequestTag`) —
 *     the ACM target always tags at first import, and ACM refuses tags on a re-import, so this statement cannot be
 *     used to overwrite a certificate someone else imported.
 */
export function acmStatements(access: AcmAccess, scope: AcmScope): IamStatement[] {
  const all = acmCertificates(scope);
  const statements: IamStatement[] = [
    {
      sid: 'AcmReadCertificates',
      actions: ['acm:DescribeCertificate', 'acm:GetCertificate', 'acm:ListTagsForCertificate'],
      resources: all,
    },
    { sid: 'AcmListCertificates', actions: ['acm:ListCertificates'], resources: ['*'] },
  ];
  if (access === 'read') return statements;
  const write = ['acm:ImportCertificate', 'acm:AddTagsToCertificate'];
  if (scope.certificateArns.length > 0) {
    statements.push({ sid: 'AcmReimportKnown', actions: write, resources: [...scope.certificateArns] });
  } else {
    statements.push({
      sid: 'AcmReimportManaged',
      actions: write,
      resources: all,
      conditions: [
        { test: 'StringEquals', variable: `aws:ResourceTag/${MANAGED_TAG.key}`, values: [MANAGED_TAG.value] },
      ],
    });
  }
  if (scope.allowNewImports) {
    statements.push({
      sid: 'AcmImportNewTagged',
      actions: write,
      resources: all,
      conditions: [
        { test: 'StringEquals', variable: `aws:RequestTag/${MANAGED_TAG.key}`, values: [MANAGED_TAG.value] },
      ],
    });
  }
  return statements;
}

export type SecretsAccess = 'deliver' | 'read' | 'versions';

export interface SecretsScope {
  readonly partition: string;
  readonly account: string;
  /** The deployment's region: the key store, the certificate store and the cluster credentials live there. */
  readonly region: string;
  /** Every region export targets may write to (the deployment's included). */
  readonly regions: readonly string[];
  /** Portcullis' own prefix (ends in `/`): account keys and certificates live under it (`ownSecretNames`). */
  readonly prefix: string;
  /** Export targets' prefixes, in every target region. */
  readonly exportPrefixes: readonly string[];
  readonly kmsKeyArns: readonly string[];
  /** Whether the cluster credentials secret exists (kubernetes targets). */
  readonly kubernetesClusters: boolean;
}

/** The names under the Portcullis prefix (the functions get them as environment variables). */
export function ownSecretNames(prefix: string) {
  return {
    /** `PORTCULLIS_ACCOUNT_KEY_PREFIX`: ACME account keys (SecretsManagerKeyStore). */
    accountKeyPrefix: `${prefix}acme-accounts/`,
    /** `PORTCULLIS_CERTIFICATE_PREFIX`: certificates and keys, one secret per certificate with versions. */
    certificatePrefix: `${prefix}certificates/`,
    /** `PORTCULLIS_KUBE_CLUSTERS_SECRET`: cluster credentials document (set from the `KubeClusters` sst.Secret). */
    kubeClustersSecret: `${prefix}kube-clusters`,
  } as const;
}

/** Secret ARNs end in `-` + 6 random characters, so a name prefix is matched with `*`. */
export function secretArnPattern(partition: string, region: string, account: string, prefix: string): string {
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${prefix}*`;
}

/** One exact secret name: its ARN is the name, `-`, and exactly 6 random characters. */
export function secretArnExact(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}-??????`;
}

const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'] as const;

/**
 * Secrets Manager, limited to names under the Portcullis prefix (and the export prefixes for export targets):
 *   deliver (worker): account keys (create once, read, write), certificate store (create, versions, stage moves,
 *     tags, delete when a certificate is deleted), export targets (create, read, write, tag), cluster credentials
 *     (read only: the worker must not be able to change which clusters it trusts).
 *   read (monitor): the certificate store, export targets and cluster credentials — never the account keys.
 *   versions (API): the certificate store's versions (versions/restore routes).
 */
export function secretsStatements(access: SecretsAccess, scope: SecretsScope): IamStatement[] {
  const names = ownSecretNames(scope.prefix);
  const own = (prefix: string) => [secretArnPattern(scope.partition, scope.region, scope.account, prefix)];
  const exports = scope.regions.flatMap((region) =>
    scope.exportPrefixes.map((prefix) => secretArnPattern(scope.partition, region, scope.account, prefix)),
  );
  const clusters = scope.kubernetesClusters
    ? [secretArnExact(scope.partition, scope.region, scope.account, names.kubeClustersSecret)]
    : [];
  const statements: IamStatement[] = [];
  if (access === 'deliver') {
    statements.push(
      {
        sid: 'SecretsAccountKeys',
        actions: [
          ...SECRET_READ,
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
        ],
        resources: own(names.accountKeyPrefix),
      },
      {
        sid: 'SecretsCertificateStore',
        actions: [
          ...SECRET_READ,
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
          'secretsmanager:ListSecretVersionIds',
          'secretsmanager:TagResource',
          'secretsmanager:DeleteSecret',
        ],
        resources: own(names.certificatePrefix),
      },
    );
    if (exports.length > 0) {
      statements.push({
        sid: 'SecretsExportTargets',
        actions: [
          ...SECRET_READ,
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:TagResource',
        ],
        resources: exports,
      });
    }
  } else if (access === 'read') {
    statements.push({
      sid: 'SecretsReadCertificateStore',
      actions: [...SECRET_READ],
      resources: own(names.certificatePrefix),
    });
    if (exports.length > 0) {
      statements.push({ sid: 'SecretsReadExportTargets', actions: [...SECRET_READ], resources: exports });
    }
  } else {
    statements.push({
      sid: 'SecretsCertificateVersions',
      actions: [...SECRET_READ, 'secretsmanager:ListSecretVersionIds'],
      resources: own(names.certificatePrefix),
    });
  }
  if (access !== 'versions' && clusters.length > 0) {
    statements.push({
      sid: 'SecretsClusterCredentials',
      actions: ['secretsmanager:GetSecretValue'],
      resources: clusters,
    });
  }
  if (scope.kmsKeyArns.length > 0 && access !== 'versions') {
    // Export targets encrypted with a customer-managed key: writing needs a data key, reading needs Decrypt.
    statements.push({
      sid: 'KmsExportTargetKeys',
      actions: access === 'deliver' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
      resources: [...scope.kmsKeyArns],
      conditions: [
        {
          test: 'StringLike',
          variable: 'kms:ViaService',
          values: scope.regions.map((region) => `secretsmanager.${region}.amazonaws.com`),
        },
      ],
    });
  }
  return statements;
}

export type TableAccess = 'read' | 'write' | 'read-write';

const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  // No Scan anywhere: listings go through indexes (the design's point), so a Scan would be a bug.
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  'read-write': [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
};

/** DynamoDB on one table (and its indexes when reading: queries run on `due`, `by-id`, `by-time`, ...). */
export function dynamoDbStatement(sid: string, tableArn: string, access: TableAccess): IamStatement {
  return {
    sid,
    actions: [...TABLE_ACTIONS[access]],
    resources: access === 'write' ? [tableArn] : [tableArn, `${tableArn}/index/*`],
  };
}

/** Sending to the reconcile queue (API, planner, requeue by the worker, ACM-expiry renewals). */
export function queueSendStatement(queueArn: string): IamStatement {
  return { sid: 'ReconcileQueueSend', actions: ['sqs:SendMessage'], resources: [queueArn] };
}

/** What the Lambda event source mapping needs to consume the queue for the worker. */
export function queueConsumeStatement(queueArn: string): IamStatement {
  return {
    sid: 'ReconcileQueueConsume',
    actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
    resources: [queueArn],
  };
}

/** The monitor's look at the dead-letter queue (depth for the `dlq-not-empty` alert). */
export function deadLetterReadStatement(queueArn: string): IamStatement {
  return { sid: 'DeadLetterQueueDepth', actions: ['sqs:GetQueueAttributes'], resources: [queueArn] };
}

export function topicPublishStatement(topicArn: string): IamStatement {
  return { sid: 'AlertTopicPublish', actions: ['sns:Publish'], resources: [topicArn] };
}

export function eventBusPutStatement(busArn: string): IamStatement {
  return { sid: 'LifecycleEventsPut', actions: ['events:PutEvents'], resources: [busArn] };
}

/** SST's `permissions` shape (`effect` defaults to allow; SST has no Sid, the reason stays in our tests/docs). */
export interface SstPermission {
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

export function toSstPermissions(statements: readonly IamStatement[]): SstPermission[] {
  return statements.map((statement) => ({
    actions: [...statement.actions],
    resources: [...statement.resources],
    ...(statement.conditions === undefined
      ? {}
      : {
          conditions: statement.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })),
        }),
  }));
}

/** An IAM policy document (for roles created outside this app, such as the Route53 role in the zones' account). */
export function toPolicyDocument(statements: readonly IamStatement[]): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: statements.map((statement) => {
      const conditions: Record<string, Record<string, string[]>> = {};
      for (const c of statement.conditions ?? []) {
        conditions[c.test] = { ...conditions[c.test], [c.variable]: [...c.values] };
      }
      return {
        Sid: statement.sid,
        Effect: 'Allow',
        Action: [...statement.actions],
        Resource: [...statement.resources],
        ...(statement.conditions === undefined ? {} : { Condition: conditions }),
      };
    }),
  };
}

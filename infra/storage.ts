/** The DynamoDB tables (definitions shared with the adapters: infra/lib/resources.ts) and the SST secrets. */
import type { InfraConfig } from './lib/config.js';
import { ownSecretNames } from './lib/iam.js';
import { dynamoTables, type TableKey } from './lib/resources.js';

export function createTables(config: InfraConfig) {
  const tables = {} as Record<TableKey, sst.aws.Dynamo>;
  for (const [key, table] of Object.entries(dynamoTables($app.name, config.stage)) as [
    TableKey,
    ReturnType<typeof dynamoTables>[TableKey],
  ][]) {
    tables[key] = new sst.aws.Dynamo(table.logicalName, {
      fields: table.fields,
      primaryIndex: table.primaryIndex,
      globalIndexes: table.globalIndexes,
      localIndexes: table.localIndexes,
      ...(table.ttl === undefined ? {} : { ttl: table.ttl }),
      deletionProtection: $app.stage === 'production',
      transform: { table: { name: table.tableName } },
    });
  }
  return tables;
}

/**
 * Secrets set with `sst secret set`: the EAB HMAC key of issuers that need one (ZeroSSL, Google), and the
 * Kubernetes cluster credentials document. The functions read the cluster credentials from Secrets Manager
 * (`PORTCULLIS_KUBE_CLUSTERS_SECRET`, re-read every 5 minutes), so the sst.Secret's value is copied into a secret
 * under the Portcullis prefix — the only place their IAM policies let them read.
 */
export function createSecrets(config: InfraConfig) {
  const eabHmacKey = config.acme.eabKid === undefined ? undefined : new sst.Secret('AcmeEabHmacKey');
  if (!config.kubernetesClusters) return { eabHmacKey };
  const clusters = new sst.Secret('KubeClusters', '{}');
  const clustersSecret = new aws.secretsmanager.Secret('KubeClustersSecret', {
    name: ownSecretNames(config.secrets.prefix).kubeClustersSecret,
    description: 'Portcullis: Kubernetes cluster credentials (set with `sst secret set KubeClusters`)',
    recoveryWindowInDays: 7,
  });
  new aws.secretsmanager.SecretVersion('KubeClustersSecretValue', {
    secretId: clustersSecret.id,
    secretString: clusters.value,
  });
  return { eabHmacKey };
}

/**
 * `kubernetes` delivery targets for the functions: cluster credentials live in ONE Secrets Manager secret (an
 * `sst.Secret`, JSON keyed by cluster name — see JsonClusterCredentialsSource), named by
 * `PORTCULLIS_KUBE_CLUSTERS_SECRET`. Without it, a certificate asking for a kubernetes target fails its delivery with
 * an error naming the missing setting (the other targets still deliver).
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '@portcullis/aws';
import { type Target, type TargetFactory, type TargetSpec, TargetType, ValidationError } from '@portcullis/core';
import { ClusterRegistry, JsonClusterCredentialsSource, KubernetesTargetFactory } from '@portcullis/kube';

type Env = Readonly<Record<string, string | undefined>>;

export const KubernetesEnv = {
  /** Secrets Manager secret id (name or ARN) holding the cluster credentials document. */
  ClustersSecret: 'PORTCULLIS_KUBE_CLUSTERS_SECRET',
} as const;

/** Credentials are re-read at most this often (rotation takes effect within it). */
const CREDENTIALS_MAX_AGE_MS = 5 * 60_000;

export function kubernetesTargetsFromEnv(env: Env, clients: AwsClients): KubernetesTargetFactory | undefined {
  const secretId = env[KubernetesEnv.ClustersSecret]?.trim();
  if (secretId === undefined || secretId === '') return undefined;
  const read = async (): Promise<string> => {
    const answer = await clients.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    return answer.SecretString ?? '{}';
  };
  return new KubernetesTargetFactory(
    new ClusterRegistry({ source: new JsonClusterCredentialsSource(read), maxAgeMs: CREDENTIALS_MAX_AGE_MS }),
  );
}

/** Routes `kubernetes` specs to the cluster factory and everything else to the AWS one. */
export function routingTargetFactory(aws: TargetFactory, kubernetes: TargetFactory | undefined): TargetFactory {
  return {
    forSpec(spec: TargetSpec): Target {
      if (spec.type !== TargetType.Kubernetes) return aws.forSpec(spec);
      if (kubernetes === undefined) {
        throw new ValidationError(
          `targets.${spec.id}.type`,
          'configured',
          `kubernetes targets need ${KubernetesEnv.ClustersSecret} (the cluster credentials secret)`,
        );
      }
      return kubernetes.forSpec(spec);
    },
  };
}

/** What the lifecycle integration tests count at the real systems after a run (or several). */
import { ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeSecretCommand, ListSecretVersionIdsCommand } from '@aws-sdk/client-secrets-manager';
import { ALL_ACM_KEY_TYPES, type AwsClients, TagKey } from '@portcullis/aws';
import { queryServer, txtValues } from '@portcullis/dns';
import type { LocalStack } from '@portcullis/local';

/** Versions of the certificate's secret (one `key` and one `certificate` version per revision). */
export async function secretVersions(clients: AwsClients, secretName: string): Promise<number> {
  const answer = await clients.secretsManager.send(
    new ListSecretVersionIdsCommand({ SecretId: secretName, IncludeDeprecated: true }),
  );
  return answer.Versions?.length ?? 0;
}

/** Whether the secret is gone: absent, or scheduled for deletion (a store configured with a recovery window). */
export async function secretDeleted(clients: AwsClients, secretName: string): Promise<boolean> {
  try {
    const answer = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretName }));
    return answer.DeletedDate !== undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return true;
    throw error;
  }
}

/** ACM certificates tagged with `portcullis:certificate-id` = `certificateId` (moto ignores MaxItems: one page). */
export async function acmArnsOf(clients: AwsClients, certificateId: string): Promise<string[]> {
  const answer = await clients.acm.send(
    new ListCertificatesCommand({ Includes: { keyTypes: [...ALL_ACM_KEY_TYPES] } }),
  );
  const arns: string[] = [];
  for (const summary of answer.CertificateSummaryList ?? []) {
    const arn = summary.CertificateArn as string;
    const tags = await clients.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }));
    if (tags.Tags?.some((t) => t.Key === TagKey.CertificateId && t.Value === certificateId)) arns.push(arn);
  }
  return arns;
}

/** TXT values bind9 serves at `_acme-challenge.<zone>` right now. */
export async function leftoverTxt(stack: LocalStack, zone = 'example.test'): Promise<string[]> {
  const name = `_acme-challenge.${zone}`;
  const answer = await queryServer({ host: stack.bind.host, port: stack.bind.port }, name, 'TXT');
  return txtValues(answer, name);
}

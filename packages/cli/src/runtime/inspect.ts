/**
 * Reading what the lifecycle produced, for the demo and the runtime tests: progress of a certificate through the
 * HTTP API (polled, one line per change), its secret in Secrets Manager and its certificates in ACM (moto).
 */
import {
  DescribeCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { ALL_ACM_KEY_TYPES, type AwsClients, TagKey } from '@portcullis/aws';
import type { ApiClient, CertificateView } from './api-client.js';

export interface WatchOptions {
  /** Settled when this holds for a view. */
  readonly until: (view: CertificateView) => boolean;
  /** Gives up after this long (ms). Default 60 s. */
  readonly timeoutMs?: number;
  /** Poll interval (ms). Default 200. */
  readonly intervalMs?: number;
  /** Called with each view that differs from the previous one in phase, Ready, revision or deliveries. */
  readonly onChange?: (view: CertificateView) => void;
}

/** What a line of progress is about; two views with the same key show the same step. */
export function progressKey(view: CertificateView): string {
  const ready = view.status.conditions.find((c) => c.type === 'Ready');
  const deliveries = Object.entries(view.status.deliveries).map(([id, d]) => `${id}:${d.state}:${d.revision}`);
  return [view.status.phase, ready?.status, ready?.reason, view.status.revision, ...deliveries].join('|');
}

/** Polls `GET /certificates/{id}` until `until` holds; throws with the last view when it does not in time. */
export async function watchCertificate(api: ApiClient, id: string, options: WatchOptions): Promise<CertificateView> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = '';
  for (;;) {
    const view = await api.get(id);
    const key = progressKey(view);
    if (key !== last) {
      last = key;
      options.onChange?.(view);
    }
    if (options.until(view)) return view;
    if (Date.now() > deadline) {
      throw new Error(`certificate ${id} did not settle in time; last seen: ${key}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

export function isReady(view: CertificateView): boolean {
  return view.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export interface SecretSummary {
  readonly name: string;
  readonly arn: string;
  /** Version id → staging labels (AWSCURRENT, AWSPREVIOUS, ...). */
  readonly versions: Readonly<Record<string, readonly string[]>>;
  readonly tags: Readonly<Record<string, string>>;
}

export async function describeSecret(clients: AwsClients, name: string): Promise<SecretSummary> {
  const answer = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: name }));
  return {
    name: answer.Name ?? name,
    arn: answer.ARN ?? '',
    versions: Object.fromEntries(Object.entries(answer.VersionIdsToStages ?? {}).map(([k, v]) => [k, [...v]])),
    tags: Object.fromEntries((answer.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

export interface AcmSummary {
  readonly arn: string;
  readonly serial: string;
  readonly domainName: string;
  readonly sans: readonly string[];
  readonly notAfter?: string;
  readonly keyAlgorithm?: string;
}

export async function describeAcmCertificate(clients: AwsClients, arn: string): Promise<AcmSummary> {
  const answer = await clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
  const detail = answer.Certificate ?? {};
  return {
    arn,
    serial: detail.Serial ?? '',
    domainName: detail.DomainName ?? '',
    sans: [...(detail.SubjectAlternativeNames ?? [])],
    ...(detail.NotAfter === undefined ? {} : { notAfter: detail.NotAfter.toISOString() }),
    ...(detail.KeyAlgorithm === undefined ? {} : { keyAlgorithm: detail.KeyAlgorithm }),
  };
}

/** ARNs of the ACM certificates tagged with this certificate id (moto returns one page). */
export async function acmArnsFor(clients: AwsClients, certificateId: string): Promise<string[]> {
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

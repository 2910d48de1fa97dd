/**
 * The monitor's view of ACM (`AcmInventory`): every certificate of a region — all key types, all pages — described
 * one by one (ListCertificates has no serial), with the `portcullis:certificate-id` tag telling ours from the rest.
 * Describe and tag calls run a few at a time: ACM's request rates are per account and shared with the lifecycle's
 * imports, and every call goes through the same jittered retry as the ACM target (retry.ts).
 */
import type { ACMClient, CertificateSummary } from '@aws-sdk/client-acm';
import {
  type AcmCertificateSummary,
  type AcmInventory,
  type Clock,
  type Random,
  systemClock,
  systemRandom,
  toIsoTime,
  ValidationError,
} from '@portcullis/core';
import { AwsClients } from '../clients.js';
import { readTag, TagKey } from '../secrets-manager/resource-tags.js';
import { REGION } from '../validate.js';
import { AcmApi } from './acm-api.js';
import { type AcmRetryPolicy, DEFAULT_ACM_RETRY } from './retry.js';
import { normalizeAcmSerial } from './serial.js';

export interface AcmCertificateInventoryOptions {
  /**
   * The ACM client of a region (`acmClientForRegion(clients)`): built with `maxAttempts: 1`, since this inventory
   * retries itself.
   */
  readonly clientFor: (region: string) => ACMClient;
  /** Describe/tag calls in flight at once per listing (1..16, default 4). */
  readonly concurrency?: number;
  readonly retry?: AcmRetryPolicy;
  readonly clock?: Clock;
  readonly random?: Random;
}

/** `(region) => ACMClient`, plus `destroy()` closing the clients it built for other regions. */
export type RegionalAcmClients = ((region: string) => ACMClient) & { destroy(): void };

/**
 * `(region) => ACMClient` over a client factory: the factory's own client for its region, and for any other region
 * a factory with the same endpoint and identity (cached, so each region has one client). `destroy()` closes only
 * the factories built here; the caller's own factory stays the caller's.
 */
export function acmClientForRegion(clients: AwsClients): RegionalAcmClients {
  const built = new Map<string, AwsClients>();
  const clientFor = (region: string): ACMClient => {
    if (region === clients.config.region) return clients.acm;
    let regional = built.get(region);
    if (regional === undefined) {
      regional = new AwsClients({ ...clients.config, region });
      built.set(region, regional);
    }
    return regional.acm;
  };
  return Object.assign(clientFor, {
    destroy: () => {
      for (const regional of built.values()) regional.destroy();
      built.clear();
    },
  });
}

export class AcmCertificateInventory implements AcmInventory {
  readonly #clientFor: (region: string) => ACMClient;
  readonly #concurrency: number;
  readonly #retry: AcmRetryPolicy;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: AcmCertificateInventoryOptions) {
    if (typeof options?.clientFor !== 'function') {
      throw new ValidationError('acmInventory.clientFor', 'required', 'must be a function (region) => ACMClient');
    }
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      throw new ValidationError(
        'acmInventory.concurrency',
        'range',
        `must be an integer from 1 to 16, got ${concurrency}`,
      );
    }
    this.#clientFor = options.clientFor;
    this.#concurrency = concurrency;
    this.#retry = options.retry ?? DEFAULT_ACM_RETRY;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
  }

  /** Every certificate of `region`, ordered by ARN; one deleted while listing is left out. */
  async list(region: string): Promise<readonly AcmCertificateSummary[]> {
    if (typeof region !== 'string' || !REGION.test(region)) {
      throw new ValidationError('region', 'region', `must be an AWS region, got ${JSON.stringify(region)}`);
    }
    const api = new AcmApi(this.#clientFor(region), region, this.#retry, this.#clock, this.#random);
    const summaries = (await api.listCertificates()).filter(
      (summary): summary is CertificateSummary & { CertificateArn: string } => summary.CertificateArn !== undefined,
    );
    const described = await mapWithConcurrency(summaries, this.#concurrency, (summary) =>
      describeOne(api, region, summary),
    );
    return described
      .filter((summary): summary is AcmCertificateSummary => summary !== undefined)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }
}

async function describeOne(
  api: AcmApi,
  region: string,
  summary: CertificateSummary & { CertificateArn: string },
): Promise<AcmCertificateSummary | undefined> {
  const arn = summary.CertificateArn;
  const [detail, tags] = await Promise.all([api.describe(arn), api.listTags(arn)]);
  if (detail === undefined || tags === undefined) return undefined;
  const domainName = detail.DomainName ?? summary.DomainName ?? '';
  const names = uniqueNames([
    domainName,
    ...(detail.SubjectAlternativeNames ?? summary.SubjectAlternativeNameSummaries ?? []),
  ]);
  const serial = detail.Serial === undefined ? undefined : normalizeAcmSerial(detail.Serial);
  const notAfter = detail.NotAfter ?? summary.NotAfter;
  const certificateId = readTag(tags, TagKey.CertificateId);
  const keyAlgorithm = detail.KeyAlgorithm ?? summary.KeyAlgorithm;
  const type = detail.Type ?? summary.Type;
  const status = detail.Status ?? summary.Status;
  return {
    arn,
    region,
    domainName,
    names,
    ...(serial === undefined ? {} : { serial }),
    ...(notAfter === undefined ? {} : { notAfter: toIsoTime(notAfter) }),
    ...(keyAlgorithm === undefined ? {} : { keyAlgorithm }),
    ...(type === undefined ? {} : { type }),
    ...(status === undefined ? {} : { status }),
    managed: certificateId !== undefined,
    ...(certificateId === undefined ? {} : { certificateId }),
    ...(detail.InUseBy === undefined ? {} : { inUseBy: [...detail.InUseBy] }),
  };
}

function uniqueNames(names: readonly string[]): string[] {
  return [...new Set(names.filter((name) => name !== ''))];
}

/** `work` over `items`, at most `limit` at a time, results in input order; the first failure rejects. */
async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

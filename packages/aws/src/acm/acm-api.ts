/**
 * The ACM calls the target makes, each through the jittered retry of retry.ts and turned into `AcmError`s naming the
 * region, the ARN and the AWS code.
 */
import {
  type ACMClient,
  AddTagsToCertificateCommand,
  type CertificateDetail,
  type CertificateSummary,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ImportCertificateCommand,
  type KeyAlgorithm,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  type Tag,
} from '@aws-sdk/client-acm';
import type { Clock, Random } from '@portcullis/core';
import { awsCodeOf } from '../secrets-manager/aws-errors.js';
import { AcmError, AcmErrorCode } from './errors.js';
import { ALL_ACM_KEY_TYPES } from './key-profile.js';
import { type AcmRetryPolicy, callAcm } from './retry.js';

/** What ImportCertificate takes; the key is revealed only inside `importCertificate`. */
export interface ImportInput {
  readonly certificatePem: string;
  /** Intermediates only (no leaf, no root). */
  readonly chainPem: string;
  readonly privateKeyPem: string;
  /** Re-import on this ARN (no tags allowed then); absent = a new ARN. */
  readonly certificateArn?: string;
  /** First import only: ACM refuses tags on re-import. */
  readonly tags?: readonly Tag[];
}

/** `ListCertificates` page size: ACM's maximum, fewest calls. */
const LIST_PAGE_SIZE = 1000;

export class AcmApi {
  constructor(
    readonly client: ACMClient,
    readonly region: string,
    private readonly retry: AcmRetryPolicy,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Imports (or re-imports on `certificateArn`); returns the ARN. */
  async importCertificate(input: ImportInput, where: string): Promise<string> {
    if (input.certificateArn !== undefined && input.tags !== undefined) {
      // ACM refuses it (moto would not notice): a programming error, caught before any call.
      throw new AcmError(AcmErrorCode.ImportRefused, where, 'tags cannot be set on a re-import');
    }
    const answer = await callAcm(
      {
        where,
        operation: input.certificateArn === undefined ? 'ImportCertificate' : 'ImportCertificate (re-import)',
        // A re-import of the same material on the same ARN may be repeated; a first import may not (a second ARN).
        idempotent: input.certificateArn !== undefined,
        send: () =>
          this.client.send(
            new ImportCertificateCommand({
              Certificate: Buffer.from(input.certificatePem),
              PrivateKey: Buffer.from(input.privateKeyPem),
              ...(input.chainPem === '' ? {} : { CertificateChain: Buffer.from(input.chainPem) }),
              ...(input.certificateArn === undefined ? {} : { CertificateArn: input.certificateArn }),
              ...(input.tags === undefined ? {} : { Tags: [...input.tags] }),
            }),
          ),
      },
      this.retry,
      this.clock,
      this.random,
    );
    if (answer.CertificateArn === undefined) {
      throw new AcmError(AcmErrorCode.RequestFailed, where, 'ImportCertificate answered without a CertificateArn');
    }
    return answer.CertificateArn;
  }

  /** `DescribeCertificate`, or undefined when the ARN does not exist (deleted out of band). */
  async describe(arn: string): Promise<CertificateDetail | undefined> {
    return this.#orAbsent(async () => {
      const answer = await this.#call(arn, 'DescribeCertificate', () =>
        this.client.send(new DescribeCertificateCommand({ CertificateArn: arn })),
      );
      return answer.Certificate;
    });
  }

  /** The leaf PEM ACM holds on an ARN, or undefined when the ARN does not exist. */
  async getCertificatePem(arn: string): Promise<string | undefined> {
    return this.#orAbsent(async () => {
      const answer = await this.#call(arn, 'GetCertificate', () =>
        this.client.send(new GetCertificateCommand({ CertificateArn: arn })),
      );
      return answer.Certificate;
    });
  }

  async listTags(arn: string): Promise<Tag[] | undefined> {
    return this.#orAbsent(async () => {
      const answer = await this.#call(arn, 'ListTagsForCertificate', () =>
        this.client.send(new ListTagsForCertificateCommand({ CertificateArn: arn })),
      );
      return answer.Tags ?? [];
    });
  }

  async addTags(arn: string, tags: readonly Tag[]): Promise<void> {
    await this.#call(arn, 'AddTagsToCertificate', () =>
      this.client.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [...tags] })),
    );
  }

  /**
   * Every certificate of the region, all pages. Always with `Includes.keyTypes` = every key type: without it real
   * ACM returns RSA_1024/RSA_2048 only and ECDSA certificates vanish (moto returns all, so only this code keeps
   * production right — a unit test checks what is sent).
   */
  async listCertificates(): Promise<CertificateSummary[]> {
    const all: CertificateSummary[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await this.#call(this.region, 'ListCertificates', () =>
        this.client.send(
          new ListCertificatesCommand({
            Includes: { keyTypes: [...ALL_ACM_KEY_TYPES] as KeyAlgorithm[] },
            MaxItems: LIST_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      all.push(...(page.CertificateSummaryList ?? []));
      nextToken = page.NextToken === '' ? undefined : page.NextToken;
    } while (nextToken !== undefined);
    return all;
  }

  #call<T>(arn: string, operation: string, send: () => Promise<T>): Promise<T> {
    return callAcm(
      { where: `${this.region} ${arn}`, operation, idempotent: true, send },
      this.retry,
      this.clock,
      this.random,
    );
  }

  async #orAbsent<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof AcmError && error.awsCode === 'ResourceNotFoundException') return undefined;
      if (awsCodeOf(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}

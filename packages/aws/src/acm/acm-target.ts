/**
 * The ACM delivery target: import, and re-import on the same ARN on rotation (the ARN keeps its ALB / CloudFront /
 * API Gateway associations).
 *
 *   publish ─▶ location? (recorded ARN, else one we tagged earlier: a crash after the first import left no record)
 *     none ──────────────────────────────────────▶ ImportCertificate with tags                 (new ARN)
 *     gone (deleted out of band) ────────────────▶ ImportCertificate with tags                 (new ARN, old listed)
 *     holds this serial ─────────────────────────▶ nothing                                     (imported: false)
 *     re-import would be refused (reimport-policy) ▶ ImportCertificate with tags                 (new ARN, old listed + tagged)
 *     otherwise ─────────────────────────────────▶ ImportCertificate with CertificateArn, no tags (same ARN)
 *
 * The refusal is decided from the certificate ACM holds (GetCertificate, parsed here) before any import, so a
 * refused call never happens — moto accepts such re-imports, AWS does not. Every import counts against the regional
 * quota: `imported: true` and `quotaScope` let the lifecycle charge the ledger (LedgerBucket.AcmImportsPerRegion).
 */
import type { ACMClient, CertificateSummary } from '@aws-sdk/client-acm';
import {
  type CertificateMaterial,
  type Clock,
  type DeliveryContext,
  type DeliveryResult,
  type ObservedDeployment,
  type Random,
  systemClock,
  systemRandom,
  type Target,
  TargetType,
  toIsoTime,
  ValidationError,
} from '@portcullis/core';
import { checkChainFitsKey, leafOf } from '../secrets-manager/material-checks.js';
import { MANAGED_BY, readTag, TagKey, toAwsTags } from '../secrets-manager/resource-tags.js';
import { REGION } from '../validate.js';
import { AcmApi } from './acm-api.js';
import { AcmError, AcmErrorCode } from './errors.js';
import { readKeyProfile } from './key-profile.js';
import { checkReimport, type ReimportViolation } from './reimport-policy.js';
import { type AcmRetryPolicy, DEFAULT_ACM_RETRY } from './retry.js';
import { acmSerialMatches, normalizeAcmSerial } from './serial.js';

export interface AcmTargetOptions {
  /** An ACM client of `region` (`createAwsClients(...).acm`: built with `maxAttempts: 1`, this target retries). */
  readonly client: ACMClient;
  /** The client's region: ARNs, quota and messages are per region. */
  readonly region: string;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly retry?: AcmRetryPolicy;
}

/** `DeliveryResult` plus why the recorded ARN was given up, when a re-import would have been refused. */
export interface AcmDeliveryResult extends DeliveryResult {
  readonly reimportRefusal?: ReimportViolation;
}

/** The quota scope of a region (`LedgerBucket.AcmImportsPerRegion`). */
export function acmQuotaScope(region: string): string {
  return `acm:${region}`;
}

export class AcmTarget implements Target {
  readonly type = TargetType.Acm;
  readonly quotaScope: string;
  readonly region: string;
  readonly #api: AcmApi;

  constructor(options: AcmTargetOptions) {
    if (typeof options?.client?.send !== 'function') {
      throw new ValidationError('acm.client', 'required', 'must be an ACMClient');
    }
    if (typeof options.region !== 'string' || !REGION.test(options.region)) {
      throw new ValidationError('acm.region', 'region', `must be an AWS region, got ${JSON.stringify(options.region)}`);
    }
    this.region = options.region;
    this.quotaScope = acmQuotaScope(options.region);
    this.#api = new AcmApi(
      options.client,
      options.region,
      options.retry ?? DEFAULT_ACM_RETRY,
      options.clock ?? systemClock,
      options.random ?? systemRandom,
    );
  }

  async publish(material: CertificateMaterial, context: DeliveryContext): Promise<AcmDeliveryResult> {
    requireContext(context);
    const where = `${this.region} certificate ${context.certificateId}/${context.targetId}`;
    // AWS refuses a key that does not fit the leaf; moto would take it. Check here, before any call.
    checkChainFitsKey(material.chainPem, material.key, `acm: ${where}`);
    const next = readKeyProfile(leafOf(material.chainPem));
    const location = context.location ?? (await this.#findTagged(context, material.names))?.arn;
    if (location === undefined) return this.#importNew(material, context, []);

    const deployed = await this.#api.describe(location);
    if (deployed === undefined) return this.#importNew(material, context, [location]);
    if (deployed.Serial !== undefined && acmSerialMatches(deployed.Serial, material.serial)) {
      return { location, serial: material.serial, supersededLocations: [], imported: false };
    }
    const currentPem = await this.#api.getCertificatePem(location);
    if (currentPem === undefined) return this.#importNew(material, context, [location]);
    const refusal = checkReimport(readKeyProfile(currentPem), next);
    if (refusal !== undefined) return this.#replace(material, context, location, refusal);

    const { certificatePem, chainPem } = splitLeaf(material.chainPem);
    await this.#api.importCertificate(
      { certificatePem, chainPem, privateKeyPem: material.key.reveal(), certificateArn: location },
      `${this.region} ${location}`,
    );
    // The identity tags are how a lost location is found again. ACM keeps tags across a re-import, but they can
    // be removed by hand (and moto drops them on re-import): re-assert them. Best effort — the import is done, and
    // failing now would only make the retry find the serial already there.
    await this.#api.addTags(location, identityTags(context)).catch(() => undefined);
    return { location, serial: material.serial, supersededLocations: [], imported: true };
  }

  async observe(context: DeliveryContext): Promise<ObservedDeployment | undefined> {
    requireContext(context);
    const location = context.location ?? (await this.#findTagged(context))?.arn;
    if (location === undefined) return undefined;
    const deployed = await this.#api.describe(location);
    if (deployed === undefined) return undefined;
    const serial = normalizeAcmSerial(deployed.Serial ?? '');
    if (serial === undefined || deployed.NotAfter === undefined) {
      throw new AcmError(
        AcmErrorCode.UnreadableSerial,
        `${this.region} ${location}`,
        `DescribeCertificate answered serial ${JSON.stringify(deployed.Serial)} and notAfter ${String(deployed.NotAfter)}`,
      );
    }
    return { location, serial, notAfter: toIsoTime(deployed.NotAfter) };
  }

  /**
   * Every certificate of the region (all key types, all pages) — for the monitor's view of unmanaged certificates.
   */
  async listCertificates(): Promise<CertificateSummary[]> {
    return this.#api.listCertificates();
  }

  /**
   * The recorded ARN cannot take this certificate: import it on a new ARN, and mark the old one for the operator.
   * A crash after that import and before the lifecycle recorded it leaves the new ARN tagged: found here first.
   */
  async #replace(
    material: CertificateMaterial,
    context: DeliveryContext,
    old: string,
    refusal: ReimportViolation,
  ): Promise<AcmDeliveryResult> {
    const earlier = await this.#findTagged(context, material.names, old);
    if (earlier !== undefined) {
      const deployed = await this.#api.describe(earlier.arn);
      if (deployed?.Serial !== undefined && acmSerialMatches(deployed.Serial, material.serial)) {
        return {
          location: earlier.arn,
          serial: material.serial,
          supersededLocations: [old],
          imported: false,
          reimportRefusal: refusal,
        };
      }
    }
    const result = await this.#importNew(material, context, [old]);
    // Best effort: the tag helps people and tag lookups; the lifecycle's record (both ARNs) is what counts, and
    // failing the publish here would make the retry import yet another ARN.
    await this.#api.addTags(old, toAwsTags({ [TagKey.SupersededBy]: result.location })).catch(() => undefined);
    return { ...result, reimportRefusal: refusal };
  }

  async #importNew(
    material: CertificateMaterial,
    context: DeliveryContext,
    supersededLocations: readonly string[],
  ): Promise<AcmDeliveryResult> {
    const { certificatePem, chainPem } = splitLeaf(material.chainPem);
    const location = await this.#api.importCertificate(
      { certificatePem, chainPem, privateKeyPem: material.key.reveal(), tags: identityTags(context) },
      `${this.region} certificate ${context.certificateId}/${context.targetId}`,
    );
    return { location, serial: material.serial, supersededLocations: [...supersededLocations], imported: true };
  }

  /**
   * The newest certificate this target imported for (certificateId, targetId) and did not mark superseded.
   * ListCertificates carries no tags, so tags are read per candidate: with `names`, only certificates whose domain
   * name is one of them (one or two calls instead of one per certificate in the region).
   */
  async #findTagged(
    context: DeliveryContext,
    names?: readonly string[],
    exclude?: string,
  ): Promise<{ arn: string } | undefined> {
    const candidates = (await this.#api.listCertificates()).filter(
      (summary) =>
        summary.CertificateArn !== undefined &&
        summary.CertificateArn !== exclude &&
        (summary.Type === undefined || summary.Type === 'IMPORTED') &&
        (names === undefined || namesOf(summary).some((name) => names.includes(name))),
    );
    const found: { arn: string; importedAt: number }[] = [];
    for (const summary of candidates) {
      const arn = summary.CertificateArn as string;
      const tags = await this.#api.listTags(arn);
      if (
        readTag(tags, TagKey.CertificateId) === context.certificateId &&
        readTag(tags, TagKey.TargetId) === context.targetId &&
        readTag(tags, TagKey.SupersededBy) === undefined
      ) {
        found.push({ arn, importedAt: summary.ImportedAt?.getTime() ?? 0 });
      }
    }
    return found.sort((a, b) => b.importedAt - a.importedAt)[0];
  }
}

/** Set at first import (ACM refuses tags on re-import): who the certificate is for, so it can be found again. */
function identityTags(context: DeliveryContext) {
  return toAwsTags({
    [TagKey.ManagedBy]: MANAGED_BY,
    [TagKey.CertificateId]: context.certificateId,
    [TagKey.TargetId]: context.targetId,
    [TagKey.Tenant]: context.tenant,
  });
}

function namesOf(summary: CertificateSummary): string[] {
  return [summary.DomainName ?? '', ...(summary.SubjectAlternativeNameSummaries ?? [])].filter((name) => name !== '');
}

/** ImportCertificate wants the leaf and the intermediates apart. */
function splitLeaf(chainPem: string): { certificatePem: string; chainPem: string } {
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return {
    certificatePem: `${blocks[0] ?? ''}\n`,
    chainPem: blocks.length > 1 ? `${blocks.slice(1).join('\n')}\n` : '',
  };
}

function requireContext(context: DeliveryContext): void {
  if (typeof context?.certificateId !== 'string' || context.certificateId === '') {
    throw new ValidationError('context.certificateId', 'required', 'is empty');
  }
  if (typeof context.targetId !== 'string' || context.targetId === '') {
    throw new ValidationError('context.targetId', 'required', 'is empty');
  }
}

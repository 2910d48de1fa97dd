/**
 * A delivery target for consumers that read a secret directly (a proxy on EC2, a container's init script): the
 * certificate is written to ONE configured secret name as
 *   - `pem`:  leaf, intermediates, then the private key, one PEM bundle (HAProxy / nginx `ssl_certificate` + key);
 *   - `json`: `{"certificate": leaf PEM, "chain": intermediates PEM, "privateKey": PEM}`.
 *
 * publish: read the current value → same serial: nothing to do → otherwise write a new version (AWSCURRENT; AWS
 * moves AWSPREVIOUS) with a ClientRequestToken derived from (certificate, target, serial, format), so a retry is the
 * same version. The secret must be ours: a secret of that name not tagged for this certificate and target is never
 * overwritten (`ForeignSecret`). observe: reads the value consumers read and reports its leaf's serial and notAfter.
 */
import { createHash, X509Certificate } from 'node:crypto';
import {
  CreateSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  type CertificateMaterial,
  type DeliveryContext,
  type DeliveryResult,
  type ObservedDeployment,
  serialHex,
  type Target,
  TargetType,
  toIsoTime,
  ValidationError,
} from '@portcullis/core';
import { rejectUnknownKeys, requireObject } from '../validate.js';
import { awsCodeOf, callSecretsManager, isResourceNotFound, toSecretsManagerError } from './aws-errors.js';
import { Stage } from './certificate-versions.js';
import { SecretsManagerError, SecretsManagerErrorCode } from './errors.js';
import { checkChainFitsKey } from './material-checks.js';
import { MANAGED_BY, namesTagValue, readTag, TagKey, toAwsTags } from './resource-tags.js';
import { describeSecret, holderOf } from './secret-io.js';

export const ExportFormat = {
  /** Leaf, intermediates and the private key concatenated as PEM. */
  Pem: 'pem',
  /** `{certificate, chain, privateKey}` as JSON strings of PEM. */
  Json: 'json',
} as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

export interface SecretsManagerExportTargetOptions {
  readonly client: SecretsManagerClient;
  /** The secret consumers read (a name, not an ARN): 1–512 of `A-Za-z0-9/_+=.@-`. */
  readonly name: string;
  readonly format: ExportFormat;
  /** KMS key for the secret when this target creates it (consumers need kms:Decrypt on it). */
  readonly kmsKeyId?: string;
}

const SECRET_NAME = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]{0,511}$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class SecretsManagerExportTarget implements Target {
  readonly type = TargetType.SecretsManagerExport;
  readonly name: string;
  readonly format: ExportFormat;
  readonly #client: SecretsManagerClient;
  readonly #kmsKeyId: string | undefined;

  constructor(options: SecretsManagerExportTargetOptions) {
    requireObject('secretsManagerExport', options);
    rejectUnknownKeys('secretsManagerExport', options, ['client', 'name', 'format', 'kmsKeyId']);
    if (typeof options.client?.send !== 'function') {
      throw new ValidationError('secretsManagerExport.client', 'required', 'must be a SecretsManagerClient');
    }
    if (typeof options.name !== 'string' || !SECRET_NAME.test(options.name)) {
      throw new ValidationError(
        'secretsManagerExport.name',
        'secret-name',
        `must be 1–512 characters of letters, digits and / _ + = . @ -, got ${JSON.stringify(options.name)}`,
      );
    }
    if (!Object.values(ExportFormat).includes(options.format)) {
      throw new ValidationError(
        'secretsManagerExport.format',
        'export-format',
        `must be one of ${Object.values(ExportFormat).join(', ')}, got ${JSON.stringify(options.format)}`,
      );
    }
    this.#client = options.client;
    this.name = options.name;
    this.format = options.format;
    this.#kmsKeyId = options.kmsKeyId;
  }

  async publish(material: CertificateMaterial, context: DeliveryContext): Promise<DeliveryResult> {
    checkChainFitsKey(material.chainPem, material.key, `secretsmanager: ${this.name}`);
    const secret = await describeSecret(this.#client, this.name);
    if (secret !== undefined) {
      this.#requireOurs(secret, context);
      const deployed = await this.#readDeployed();
      if (deployed?.serial === material.serial) {
        return { location: secret.ARN ?? this.name, serial: material.serial, supersededLocations: [], imported: false };
      }
    }
    const value = renderExport(material, this.format);
    const token = exportToken(context, material.serial, this.format);
    const tags = toAwsTags({
      [TagKey.ManagedBy]: MANAGED_BY,
      [TagKey.CertificateId]: context.certificateId,
      [TagKey.TargetId]: context.targetId,
      [TagKey.Tenant]: context.tenant,
      [TagKey.Names]: namesTagValue(material.names),
      [TagKey.NotAfter]: material.notAfter,
      [TagKey.Serial]: material.serial,
    });
    const arn = secret === undefined ? await this.#create(value, token, tags) : undefined;
    const location = arn ?? (await this.#putVersion(value, token));
    if (arn === undefined) {
      await callSecretsManager(this.name, 'TagResource', () =>
        this.#client.send(new TagResourceCommand({ SecretId: this.name, Tags: tags })),
      );
    }
    return { location, serial: material.serial, supersededLocations: [], imported: true };
  }

  async observe(context: DeliveryContext): Promise<ObservedDeployment | undefined> {
    const secret = await describeSecret(this.#client, this.name);
    if (secret === undefined || secret.DeletedDate !== undefined) return undefined;
    // Another certificate's secret under this name is not a deployment of this one.
    if (readTag(secret.Tags, TagKey.CertificateId) !== context.certificateId) return undefined;
    const deployed = await this.#readDeployed();
    return deployed === undefined ? undefined : { location: secret.ARN ?? this.name, ...deployed };
  }

  /** Created with its first value and all tags in one call; undefined when it appeared meanwhile (then: a version). */
  async #create(value: string, token: string, tags: ReturnType<typeof toAwsTags>): Promise<string | undefined> {
    try {
      const answer = await this.#client.send(
        new CreateSecretCommand({
          Name: this.name,
          Description: 'Certificate exported by Portcullis (rewritten on every renewal)',
          SecretString: value,
          ClientRequestToken: token,
          ...(this.#kmsKeyId === undefined ? {} : { KmsKeyId: this.#kmsKeyId }),
          Tags: tags,
        }),
      );
      return answer.ARN ?? this.name;
    } catch (error) {
      if (awsCodeOf(error) === 'ResourceExistsException') return undefined;
      throw toSecretsManagerError(this.name, 'CreateSecret', error);
    }
  }

  async #putVersion(value: string, token: string): Promise<string> {
    const answer = await callSecretsManager(this.name, 'PutSecretValue', () =>
      this.#client.send(
        new PutSecretValueCommand({ SecretId: this.name, SecretString: value, ClientRequestToken: token }),
      ),
    );
    // The token is per serial: a restored certificate (core steps/restore.ts) was exported before, and AWS (like
    // moto) answers a repeated token with the same value by doing NOTHING — the old version stays unlabelled and
    // consumers keep reading the newer certificate. Move AWSCURRENT back to it explicitly.
    if (!(answer.VersionStages ?? [Stage.Current]).includes(Stage.Current)) await this.#makeCurrent(token);
    return answer.ARN ?? this.name;
  }

  async #makeCurrent(versionId: string): Promise<void> {
    const holder = holderOf(await describeSecret(this.#client, this.name), Stage.Current);
    if (holder === versionId) return;
    await callSecretsManager(this.name, 'UpdateSecretVersionStage AWSCURRENT', () =>
      this.#client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: this.name,
          VersionStage: Stage.Current,
          MoveToVersionId: versionId,
          ...(holder === undefined ? {} : { RemoveFromVersionId: holder }),
        }),
      ),
    );
  }

  #requireOurs(secret: DescribeSecretCommandOutput, context: DeliveryContext): void {
    const certificateId = readTag(secret.Tags, TagKey.CertificateId);
    const targetId = readTag(secret.Tags, TagKey.TargetId);
    if (readTag(secret.Tags, TagKey.ManagedBy) !== MANAGED_BY || certificateId === undefined) {
      throw new SecretsManagerError(
        SecretsManagerErrorCode.ForeignSecret,
        this.name,
        'exists and was not created by Portcullis; refusing to overwrite it (delete it, or tag it portcullis:managed-by=portcullis and portcullis:certificate-id to hand it over)',
      );
    }
    if (certificateId !== context.certificateId || (targetId !== undefined && targetId !== context.targetId)) {
      throw new SecretsManagerError(
        SecretsManagerErrorCode.ForeignSecret,
        this.name,
        `belongs to certificate ${certificateId}${targetId === undefined ? '' : ` target ${targetId}`}, not ${context.certificateId} target ${context.targetId}`,
      );
    }
  }

  /** Serial and notAfter of the leaf in the current value; undefined when there is no current value. */
  async #readDeployed(): Promise<{ serial: string; notAfter: string } | undefined> {
    let secretString: string | undefined;
    try {
      // AWSCURRENT named explicitly: moto's default is the last version PUT, not the label (after a restore they differ).
      const answer = await this.#client.send(
        new GetSecretValueCommand({ SecretId: this.name, VersionStage: Stage.Current }),
      );
      secretString = answer.SecretString;
    } catch (error) {
      if (isResourceNotFound(error)) return undefined;
      throw toSecretsManagerError(this.name, 'GetSecretValue', error);
    }
    const leafPem = leafPemOf(secretString ?? '');
    if (leafPem === undefined) {
      throw new SecretsManagerError(
        SecretsManagerErrorCode.CorruptSecret,
        this.name,
        `the current value holds no certificate in ${this.format} form`,
      );
    }
    const leaf = new X509Certificate(leafPem);
    return { serial: serialHex(leaf), notAfter: toIsoTime(new Date(leaf.validTo)) };
  }
}

/** The secret string consumers read. */
export function renderExport(material: CertificateMaterial, format: ExportFormat): string {
  const certificates = material.chainPem.match(PEM_CERTIFICATE) ?? [];
  const certificate = `${certificates[0] ?? ''}\n`;
  const chain = certificates.length > 1 ? `${certificates.slice(1).join('\n')}\n` : '';
  const privateKey = material.key.reveal().endsWith('\n') ? material.key.reveal() : `${material.key.reveal()}\n`;
  if (format === ExportFormat.Json) return JSON.stringify({ certificate, chain, privateKey });
  return `${certificate}${chain}${privateKey}`;
}

/** The leaf PEM of either form (JSON's `certificate`, or the first certificate of a bundle). */
function leafPemOf(secretString: string): string | undefined {
  if (secretString.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(secretString) as { certificate?: unknown };
      return typeof parsed.certificate === 'string' ? parsed.certificate.match(PEM_CERTIFICATE)?.[0] : undefined;
    } catch {
      return undefined;
    }
  }
  return secretString.match(PEM_CERTIFICATE)?.[0];
}

/** 32–64 characters, as Secrets Manager requires: same certificate, target, serial and format = same version. */
function exportToken(context: DeliveryContext, serial: string, format: ExportFormat): string {
  const digest = createHash('sha256')
    .update(`${context.certificateId}\n${context.targetId}\n${serial}\n${format}`)
    .digest('hex');
  return `export-${digest.slice(0, 40)}`;
}

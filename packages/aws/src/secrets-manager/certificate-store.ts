/**
 * `CertificateStore` on AWS Secrets Manager: one secret per certificate, `portcullis/certificates/<id>`.
 *
 *   putPending(rev)  ─▶ version `key`(rev)          {privateKey}                AWSPENDING
 *   promote(rev)     ─▶ version `certificate`(rev)  {privateKey, chain, facts}  AWSPENDING  (label moves from `key`)
 *                    ─▶ UpdateSecretVersionStage AWSCURRENT → `certificate`(rev)  (AWS moves AWSPREVIOUS to the old
 *                       holder itself) ─▶ AWSPENDING removed ─▶ tags (names, expiry, serial, revision)
 *   promoteExisting(rev, serial) ─▶ version `restored`(rev, serial) = the stored certificate with `serial`, copied
 *                       inside the store ─▶ AWSCURRENT, AWSPENDING and tags exactly as for promote
 *
 * AWSPREVIOUS: the first version of a secret is AWSCURRENT automatically (the `key` version of revision 1), so
 * after the FIRST promotion AWSPREVIOUS sits on that key-only version and `getPrevious` answers "none"; from the
 * second promotion on it is the former current certificate (UpdateSecretVersionStage moves it, AWS and moto alike;
 * checked by the conformance suite over three promotions and a restore). History beyond that: certificate-history.ts.
 *
 * Every write is keyed by a version id derived from (id, revision, kind) — see certificate-versions.ts — so a retry
 * after a crash or a duplicate worker writes the same version, and every step re-reads before acting.
 * Things AWS (and moto) do that the flow relies on or guards against:
 * - the FIRST version of a secret gets AWSCURRENT automatically, so right after the first `putPending` the key
 *   version is "current" (and becomes AWSPREVIOUS at the first promotion). Only `certificate` versions count as
 *   current or previous here; a `key` version under those labels reads as "nothing promoted".
 * - AWS refuses a token reused with a different value; moto silently replaces the value. We read the version
 *   first and keep what is stored, so neither behaviour matters.
 * - `DescribeSecret` lists only versions with a label: the key version is read by id, never looked up in the list.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  type CertificateFacts,
  type CertificateMaterial,
  type CertificateStore,
  ConflictError,
  NotFoundError,
  type Redacted,
  redact,
  type StoredCertificateInfo,
  ValidationError,
} from '@portcullis/core';
import { awsCodeOf, callSecretsManager, isResourceNotFound, toSecretsManagerError } from './aws-errors.js';
import {
  currentRevision,
  type HistoryEntry,
  materialOf,
  readHistory,
  requireLive,
  requirePromoted,
  requireStored,
} from './certificate-history.js';
import {
  parseStoredVersion,
  parseVersionId,
  Stage,
  type StoredVersion,
  VERSION_FORMAT,
  VersionKind,
  versionIdFor,
} from './certificate-versions.js';
import { SecretsManagerError, SecretsManagerErrorCode } from './errors.js';
import { checkChainFitsKey, checkFactsMatchChain } from './material-checks.js';
import { MANAGED_BY, namesTagValue, readTag, TagKey, toAwsTags } from './resource-tags.js';
import { describeSecret, holderOf, readVersion, validateSecretOptions } from './secret-io.js';

export interface SecretsManagerCertificateStoreOptions {
  readonly client: SecretsManagerClient;
  /** Secret name prefix, ending in `/` (default `portcullis/certificates/`). */
  readonly prefix?: string;
  /** KMS key (id, ARN or alias) for new secrets; default: the account's `aws/secretsmanager` key. */
  readonly kmsKeyId?: string;
  /**
   * Days a deleted certificate's secret stays restorable (7–30). Absent: deleted at once (`ForceDeleteWithoutRecovery`),
   * so an id can be reused right away — a certificate's key is re-created by the next issuance anyway.
   */
  readonly recoveryWindowDays?: number;
}

export const DEFAULT_CERTIFICATE_PREFIX = 'portcullis/certificates/';

/** Secrets Manager names: 1–512 of `A-Za-z0-9/_+=.@-`. The id may not start with `/` (no empty path segment). */
const CERTIFICATE_ID = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]{0,255}$/;

export class SecretsManagerCertificateStore implements CertificateStore {
  readonly #client: SecretsManagerClient;
  readonly #prefix: string;
  readonly #kmsKeyId: string | undefined;
  readonly #recoveryWindowDays: number | undefined;

  constructor(options: SecretsManagerCertificateStoreOptions) {
    const valid = validateSecretOptions('certificateStore', options, DEFAULT_CERTIFICATE_PREFIX, [
      'recoveryWindowDays',
    ]);
    this.#client = options.client;
    this.#prefix = valid.prefix;
    this.#kmsKeyId = valid.kmsKeyId;
    this.#recoveryWindowDays = valid.recoveryWindowDays;
  }

  /** The secret name of a certificate (for operators, IAM policies and tests). */
  secretName(certificateId: string): string {
    if (!CERTIFICATE_ID.test(certificateId)) {
      throw new ValidationError(
        'certificateId',
        'secret-name',
        `"${certificateId}" must be 1–256 characters of letters, digits and / _ + = . @ - (not starting with /)`,
      );
    }
    return `${this.#prefix}${certificateId}`;
  }

  async putPending(certificateId: string, revision: number, key: Redacted<string>): Promise<Redacted<string>> {
    const name = this.secretName(certificateId);
    requireRevision(revision);
    const secret = await describeSecret(this.#client, name);
    const versionId = versionIdFor(certificateId, revision, VersionKind.Key);
    if (secret !== undefined) {
      requireLive(name, secret);
      const current = currentRevision(secret);
      if (current !== undefined && revision <= current) {
        throw new ConflictError(
          `secretsmanager: ${name}: pending revision ${revision} is not newer than the current revision ${current}`,
        );
      }
      const stored = await readVersion(this.#client, name, versionId);
      if (stored !== undefined) return redact(requireStored(name, versionId, stored).privateKey);
    }
    // Checked after the revision conflict (a stale revision is the caller's bigger problem), before any write.
    if (!key.reveal().includes('PRIVATE KEY-----')) {
      throw new ValidationError('key', 'pem-private-key', 'is not a PEM private key');
    }
    if (secret === undefined) await this.#create(name, certificateId);
    const value: StoredVersion = { format: VERSION_FORMAT, certificateId, revision, privateKey: key.reveal() };
    const winner = await this.#putVersion(name, versionId, value);
    return redact(winner.privateKey);
  }

  async promote(certificateId: string, revision: number, chainPem: string, facts: CertificateFacts): Promise<void> {
    const name = this.secretName(certificateId);
    requireRevision(revision);
    checkFactsMatchChain(chainPem, facts);
    const secret = await describeSecret(this.#client, name);
    if (secret === undefined) {
      throw new NotFoundError(`secretsmanager: ${name}: no pending key for revision ${revision} (no secret)`);
    }
    requireLive(name, secret);
    const certificateVersion = versionIdFor(certificateId, revision, VersionKind.Certificate);
    const currentHolder = holderOf(secret, Stage.Current);
    if (currentHolder !== certificateVersion) {
      const current = currentRevision(secret);
      if (current !== undefined && current > revision) {
        throw new ConflictError(
          `secretsmanager: ${name}: revision ${revision} is older than the current revision ${current}`,
        );
      }
      await this.#writeCertificateVersion(name, certificateId, revision, chainPem, facts);
      // AWS moves AWSPREVIOUS to `currentHolder` itself when AWSCURRENT leaves it.
      await this.#moveCurrent(name, certificateVersion, currentHolder);
    }
    await this.#finishPromotion(name, secret, certificateVersion, revision, facts);
  }

  async describeCurrent(certificateId: string): Promise<StoredCertificateInfo | undefined> {
    const material = await this.#readStage(certificateId, Stage.Current);
    if (material === undefined) return undefined;
    const { key: _key, ...info } = material;
    return info;
  }

  async getCurrent(certificateId: string): Promise<CertificateMaterial | undefined> {
    return this.#readStage(certificateId, Stage.Current);
  }

  async getPrevious(certificateId: string): Promise<CertificateMaterial | undefined> {
    return this.#readStage(certificateId, Stage.Previous);
  }

  async listVersions(certificateId: string): Promise<readonly StoredCertificateInfo[]> {
    const name = this.secretName(certificateId);
    const history = await readHistory(this.#client, name, currentRevision(await describeSecret(this.#client, name)));
    return history.map((entry) => {
      const { key: _key, ...info } = materialOf(certificateId, entry);
      return info;
    });
  }

  async getBySerial(certificateId: string, serial: string): Promise<CertificateMaterial | undefined> {
    const name = this.secretName(certificateId);
    const history = await readHistory(this.#client, name, currentRevision(await describeSecret(this.#client, name)));
    const found = history.find((entry) => entry.value.facts.serial === serial);
    return found === undefined ? undefined : materialOf(certificateId, found);
  }

  async promoteExisting(certificateId: string, revision: number, serial: string): Promise<StoredCertificateInfo> {
    const name = this.secretName(certificateId);
    requireRevision(revision);
    const secret = await describeSecret(this.#client, name);
    if (secret === undefined) throw new NotFoundError(`secretsmanager: ${name}: no stored certificate (no secret)`);
    requireLive(name, secret);
    const versionId = versionIdFor(certificateId, revision, VersionKind.Restored, serial);
    const holder = holderOf(secret, Stage.Current);
    const current = currentRevision(secret);
    if (holder !== versionId) {
      if (current !== undefined && revision <= current) {
        throw new ConflictError(
          `secretsmanager: ${name}: restore as revision ${revision} is not newer than the current revision ${current}`,
        );
      }
      const written = await readVersion(this.#client, name, versionId); // written before a crash
      if (written === undefined) {
        const source = (await readHistory(this.#client, name, current)).find((e) => e.value.facts.serial === serial);
        if (source === undefined) {
          throw new NotFoundError(`secretsmanager: ${name}: no stored certificate with serial ${serial}`);
        }
        await this.#putVersion(name, versionId, { ...source.value, revision });
      }
      await this.#moveCurrent(name, versionId, holder);
    }
    const value = requirePromoted(name, versionId, await readVersion(this.#client, name, versionId));
    await this.#finishPromotion(name, secret, versionId, revision, value.facts);
    const { key: _key, ...info } = materialOf(certificateId, { versionId, revision, value });
    return info;
  }

  async delete(certificateId: string): Promise<void> {
    const name = this.secretName(certificateId);
    try {
      await this.#client.send(
        new DeleteSecretCommand(
          this.#recoveryWindowDays === undefined
            ? { SecretId: name, ForceDeleteWithoutRecovery: true }
            : { SecretId: name, RecoveryWindowInDays: this.#recoveryWindowDays },
        ),
      );
    } catch (error) {
      // Absent, or already scheduled for deletion: the outcome the caller wants.
      if (isResourceNotFound(error)) return;
      if (awsCodeOf(error) === 'InvalidRequestException' && /deletion/i.test(String((error as Error).message))) return;
      throw toSecretsManagerError(name, 'DeleteSecret', error);
    }
  }

  /** AWSCURRENT to `versionId`; a duplicate worker that moved it first (the call then fails) is the outcome wanted. */
  async #moveCurrent(name: string, versionId: string, holder: string | undefined): Promise<void> {
    try {
      await callSecretsManager(name, 'UpdateSecretVersionStage AWSCURRENT', () =>
        this.#client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: Stage.Current,
            MoveToVersionId: versionId,
            ...(holder === undefined ? {} : { RemoveFromVersionId: holder }),
          }),
        ),
      );
    } catch (error) {
      if (holderOf(await describeSecret(this.#client, name), Stage.Current) !== versionId) throw error;
    }
  }

  async #create(name: string, certificateId: string): Promise<void> {
    try {
      await this.#client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Portcullis certificate ${certificateId}: private key and chain, one version per revision`,
          ...(this.#kmsKeyId === undefined ? {} : { KmsKeyId: this.#kmsKeyId }),
          Tags: toAwsTags({ [TagKey.ManagedBy]: MANAGED_BY, [TagKey.CertificateId]: certificateId }),
        }),
      );
    } catch (error) {
      // A concurrent first putPending created it: carry on with the version write, which is keyed by revision.
      if (awsCodeOf(error) !== 'ResourceExistsException') throw toSecretsManagerError(name, 'CreateSecret', error);
    }
  }

  /**
   * Writes a version under AWSPENDING; when AWS refuses because the token holds another value (a duplicate worker
   * won the race with another key or chain), the stored value wins and is returned.
   */
  async #putVersion(name: string, versionId: string, value: StoredVersion): Promise<StoredVersion> {
    try {
      await this.#client.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: versionId,
          SecretString: JSON.stringify(value),
          VersionStages: [Stage.Pending],
        }),
      );
      return value;
    } catch (error) {
      const code = awsCodeOf(error);
      if (code === 'ResourceExistsException' || code === 'InvalidRequestException') {
        const winner = await readVersion(this.#client, name, versionId);
        if (winner !== undefined) return requireStored(name, versionId, winner);
      }
      throw toSecretsManagerError(name, `PutSecretValue ${versionId}`, error);
    }
  }

  async #writeCertificateVersion(
    name: string,
    certificateId: string,
    revision: number,
    chainPem: string,
    facts: CertificateFacts,
  ): Promise<void> {
    const versionId = versionIdFor(certificateId, revision, VersionKind.Certificate);
    if ((await readVersion(this.#client, name, versionId)) !== undefined) return; // written before a crash
    const keyVersionId = versionIdFor(certificateId, revision, VersionKind.Key);
    const pending = await readVersion(this.#client, name, keyVersionId);
    if (pending === undefined) {
      throw new NotFoundError(`secretsmanager: ${name}: no pending key for revision ${revision}`);
    }
    const { privateKey } = requireStored(name, keyVersionId, pending);
    checkChainFitsKey(chainPem, redact(privateKey), `secretsmanager: ${name}: revision ${revision}`);
    await this.#putVersion(name, versionId, {
      format: VERSION_FORMAT,
      certificateId,
      revision,
      privateKey,
      chainPem,
      facts: { serial: facts.serial, names: [...facts.names], notBefore: facts.notBefore, notAfter: facts.notAfter },
    });
  }

  /** Idempotent tail of a promotion: AWSPENDING off the promoted version, tags describing the current certificate. */
  async #finishPromotion(
    name: string,
    before: DescribeSecretCommandOutput,
    versionId: string,
    revision: number,
    facts: CertificateFacts,
  ): Promise<void> {
    const after = holderOf(before, Stage.Current) === versionId ? before : await describeSecret(this.#client, name);
    if (holderOf(after, Stage.Pending) === versionId) {
      await callSecretsManager(name, 'UpdateSecretVersionStage AWSPENDING', () =>
        this.#client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: Stage.Pending,
            RemoveFromVersionId: versionId,
          }),
        ),
      );
    }
    const tags = toAwsTags({
      [TagKey.Names]: namesTagValue(facts.names),
      [TagKey.NotAfter]: facts.notAfter,
      [TagKey.Serial]: facts.serial,
      [TagKey.Revision]: String(revision),
    });
    if (tags.every((tag) => readTag(after?.Tags, tag.Key as TagKey) === tag.Value)) return;
    await callSecretsManager(name, 'TagResource', () =>
      this.#client.send(new TagResourceCommand({ SecretId: name, Tags: tags })),
    );
  }

  async #readStage(certificateId: string, stage: Stage): Promise<CertificateMaterial | undefined> {
    const name = this.secretName(certificateId);
    let answer: { VersionId?: string | undefined; SecretString?: string | undefined };
    try {
      answer = await this.#client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }));
    } catch (error) {
      if (isResourceNotFound(error)) return undefined;
      // A secret scheduled for deletion is gone for the lifecycle.
      if (awsCodeOf(error) === 'InvalidRequestException' && /deletion/i.test(String((error as Error).message))) {
        return undefined;
      }
      throw toSecretsManagerError(name, `GetSecretValue ${stage}`, error);
    }
    const versionId = answer.VersionId ?? '';
    const parsed = parseVersionId(versionId);
    if (parsed?.kind === VersionKind.Key) return undefined; // the auto-current first version: nothing promoted yet
    const stored = parsed === undefined ? undefined : parseStoredVersion(answer.SecretString);
    if (parsed === undefined || stored?.chainPem === undefined || stored.facts === undefined) {
      throw new SecretsManagerError(
        SecretsManagerErrorCode.CorruptSecret,
        name,
        `${stage} is version ${versionId}, which is not a certificate version written by Portcullis`,
      );
    }
    return materialOf(certificateId, { versionId, revision: stored.revision, value: stored as HistoryEntry['value'] });
  }
}

function requireRevision(revision: number): void {
  if (!Number.isInteger(revision) || revision < 1 || revision > 9_999_999_999) {
    throw new ValidationError('revision', 'positive-integer', `must be a positive integer, got ${String(revision)}`);
  }
}

/** Small reads shared by the Secrets Manager adapters, and their option checks. */
import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '@portcullis/core';
import { rejectUnknownKeys, requireIntegerInRange, requireObject } from '../validate.js';
import { isResourceNotFound, toSecretsManagerError } from './aws-errors.js';

/** `DescribeSecret`, or undefined when the secret does not exist. */
export async function describeSecret(
  client: SecretsManagerClient,
  name: string,
): Promise<DescribeSecretCommandOutput | undefined> {
  try {
    return await client.send(new DescribeSecretCommand({ SecretId: name }));
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw toSecretsManagerError(name, 'DescribeSecret', error);
  }
}

/** The version id holding a staging label, from `DescribeSecret`'s `VersionIdsToStages`. */
export function holderOf(secret: DescribeSecretCommandOutput | undefined, stage: string): string | undefined {
  for (const [versionId, stages] of Object.entries(secret?.VersionIdsToStages ?? {})) {
    if (stages.includes(stage)) return versionId;
  }
  return undefined;
}

/** The string value of one version by id, or undefined when the version (or the secret) does not exist. */
export async function readVersion(
  client: SecretsManagerClient,
  name: string,
  versionId: string,
): Promise<string | undefined> {
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: name, VersionId: versionId }));
    return answer.SecretString;
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw toSecretsManagerError(name, `GetSecretValue ${versionId}`, error);
  }
}

/** Secret name prefixes: Secrets Manager name characters, ending in `/`. */
const PREFIX = /^[A-Za-z0-9_+=.@-][A-Za-z0-9/_+=.@-]{0,200}\/$/;
/** KMS key id, ARN or alias. */
const KMS_KEY = /^[A-Za-z0-9:/_.-]{1,2048}$/;

export interface SecretOptions {
  readonly prefix: string;
  readonly kmsKeyId: string | undefined;
  readonly recoveryWindowDays: number | undefined;
}

/** Checks the options of a store (strict: unknown keys fail, each rule named) before anything is called. */
export function validateSecretOptions(
  field: string,
  input: unknown,
  defaultPrefix: string,
  /** Options beyond client, prefix and kmsKeyId that this adapter accepts. */
  extraKeys: readonly ('recoveryWindowDays' | 'clock')[],
): SecretOptions {
  requireObject(field, input);
  rejectUnknownKeys(field, input, ['client', 'prefix', 'kmsKeyId', ...extraKeys]);
  const client = input.client as { send?: unknown } | undefined;
  if (typeof client?.send !== 'function') {
    throw new ValidationError(`${field}.client`, 'required', 'must be a SecretsManagerClient');
  }
  const prefix = input.prefix ?? defaultPrefix;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new ValidationError(
      `${field}.prefix`,
      'secret-prefix',
      `must be Secrets Manager name characters ending in "/", got ${JSON.stringify(prefix)}`,
    );
  }
  const kmsKeyId = input.kmsKeyId;
  if (kmsKeyId !== undefined && (typeof kmsKeyId !== 'string' || !KMS_KEY.test(kmsKeyId))) {
    throw new ValidationError(`${field}.kmsKeyId`, 'kms-key', 'must be a KMS key id, ARN or alias');
  }
  const recoveryWindowDays =
    input.recoveryWindowDays === undefined
      ? undefined
      : requireIntegerInRange(`${field}.recoveryWindowDays`, input.recoveryWindowDays, 7, 30);
  return { prefix, kmsKeyId, recoveryWindowDays };
}

/**
 * Core's `KeyStore` on Secrets Manager, for ACME account keys: one secret per name, `portcullis/acme-accounts/<name>`,
 * holding the PEM as the secret string (AWSCURRENT is the key; older versions stay as AWSPREVIOUS after a rollover).
 *
 * - `create` is `CreateSecret` with the value: Secrets Manager refuses a second secret of the same name
 *   (`ResourceExistsException`), so of several racing cold starts exactly one key wins and everyone reads it back.
 * - `put` writes a new version (a rollover); the SDK's idempotency token makes its own retries safe.
 * - Values are stored as given, except the empty string (`@portcullis/acme` writes "" to mark "no rollover
 *   pending"): Secrets Manager takes an empty SecretString for no value at all, so it is stored as `EMPTY_VALUE`.
 */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type Clock, type KeyStore, type Redacted, redact, systemClock, ValidationError } from '@portcullis/core';
import { awsCodeOf, isResourceNotFound, toSecretsManagerError } from './aws-errors.js';
import { SecretsManagerError, SecretsManagerErrorCode } from './errors.js';
import { MANAGED_BY, TagKey, toAwsTags } from './resource-tags.js';
import { validateSecretOptions } from './secret-io.js';

export interface SecretsManagerKeyStoreOptions {
  readonly client: SecretsManagerClient;
  /** Secret name prefix, ending in `/` (default `portcullis/acme-accounts/`). */
  readonly prefix?: string;
  /** KMS key (id, ARN or alias) for new secrets; default: the account's `aws/secretsmanager` key. */
  readonly kmsKeyId?: string;
  /** Waits between read-backs after a lost create race (default: the system clock). */
  readonly clock?: Clock;
}

export const DEFAULT_ACCOUNT_KEY_PREFIX = 'portcullis/acme-accounts/';

/** The same names `FileKeyStore` accepts (`letsencrypt`, `pebble/eab-1`), all valid in Secrets Manager names. */
const KEY_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * Right after `CreateSecret` lost a race, the winner's value is normally readable at once; a few short re-reads
 * cover the rare moment when it is not yet (Secrets Manager is eventually consistent across endpoints).
 */
const READ_BACK_ATTEMPTS = 5;

/** What an empty value is stored as (Secrets Manager refuses ""); never a PEM, so never confused with a key. */
export const EMPTY_VALUE = 'portcullis:empty';

function encode(pem: Redacted<string>): string {
  return pem.reveal() === '' ? EMPTY_VALUE : pem.reveal();
}
const READ_BACK_DELAY_MS = 200;

export class SecretsManagerKeyStore implements KeyStore {
  readonly #client: SecretsManagerClient;
  readonly #prefix: string;
  readonly #kmsKeyId: string | undefined;
  readonly #clock: Clock;

  constructor(options: SecretsManagerKeyStoreOptions) {
    const valid = validateSecretOptions('keyStore', options, DEFAULT_ACCOUNT_KEY_PREFIX, ['clock']);
    this.#client = options.client;
    this.#prefix = valid.prefix;
    this.#kmsKeyId = valid.kmsKeyId;
    this.#clock = options.clock ?? systemClock;
  }

  /** The secret name of a key (for IAM policies, operators and tests). */
  secretName(name: string): string {
    if (!KEY_NAME.test(name) || name.length > 256) {
      throw new ValidationError('name', 'key-name', `"${name}" may hold letters, digits, ".", "_", "-" and "/" only`);
    }
    return `${this.#prefix}${name}`;
  }

  async get(name: string): Promise<Redacted<string> | undefined> {
    const secretName = this.secretName(name);
    try {
      const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: secretName }));
      if (answer.SecretString === undefined) {
        throw new SecretsManagerError(SecretsManagerErrorCode.CorruptSecret, secretName, 'holds no string value');
      }
      return redact(answer.SecretString === EMPTY_VALUE ? '' : answer.SecretString);
    } catch (error) {
      if (isResourceNotFound(error)) return undefined;
      throw toSecretsManagerError(secretName, 'GetSecretValue', error);
    }
  }

  async put(name: string, pem: Redacted<string>): Promise<void> {
    const secretName = this.secretName(name);
    try {
      await this.#client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: encode(pem) }));
      return;
    } catch (error) {
      if (!isResourceNotFound(error)) throw toSecretsManagerError(secretName, 'PutSecretValue', error);
    }
    // No secret yet: create it; if someone created it in between, write our value as a new version after all.
    if (await this.#create(secretName, name, pem)) return;
    try {
      await this.#client.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: encode(pem) }));
    } catch (error) {
      throw toSecretsManagerError(secretName, 'PutSecretValue', error);
    }
  }

  async create(name: string, pem: Redacted<string>): Promise<Redacted<string>> {
    const secretName = this.secretName(name);
    if (await this.#create(secretName, name, pem)) return pem;
    for (let attempt = 1; attempt <= READ_BACK_ATTEMPTS; attempt++) {
      const winner = await this.get(name);
      if (winner !== undefined) return winner;
      await this.#clock.sleep(READ_BACK_DELAY_MS);
    }
    throw new SecretsManagerError(
      SecretsManagerErrorCode.RequestFailed,
      secretName,
      'CreateSecret: the secret exists but its value could not be read back',
      { retryable: true },
    );
  }

  /** True when this call created the secret; false when it already existed. */
  async #create(secretName: string, name: string, pem: Redacted<string>): Promise<boolean> {
    try {
      await this.#client.send(
        new CreateSecretCommand({
          Name: secretName,
          Description: `Portcullis ACME account key ${name}`,
          SecretString: encode(pem),
          ...(this.#kmsKeyId === undefined ? {} : { KmsKeyId: this.#kmsKeyId }),
          Tags: toAwsTags({ [TagKey.ManagedBy]: MANAGED_BY }),
        }),
      );
      return true;
    } catch (error) {
      if (awsCodeOf(error) === 'ResourceExistsException') return false;
      throw toSecretsManagerError(secretName, 'CreateSecret', error);
    }
  }
}

/**
 * Builds the AWS delivery targets (ACM, Secrets Manager export) from a certificate's `TargetSpec`s. Options are
 * strings (the spec is JSON from the API) and are checked here, strictly, before any client exists:
 *   acm:             `region` (default: the factory's region)
 *   secrets-manager: `name` (required), `format` `pem` | `json` (default `pem`), `region`, `kmsKeyId`
 * Clients are shared per region; targets are cached per spec, so the deliver step can call `forSpec` freely.
 */
import {
  type Clock,
  type Random,
  type Target,
  type TargetFactory,
  type TargetSpec,
  TargetType,
  ValidationError,
} from '@portcullis/core';
import { type AwsClients, createAwsClients } from '../clients.js';
import { ExportFormat, SecretsManagerExportTarget } from '../secrets-manager/export-target.js';
import { REGION } from '../validate.js';
import { AcmTarget } from './acm-target.js';
import type { AcmRetryPolicy } from './retry.js';

export interface AwsTargetFactoryOptions {
  /** Clients of the default region; other regions get clients with the same endpoint and identity. */
  readonly clients: AwsClients;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly acmRetry?: AcmRetryPolicy;
}

const OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  [TargetType.Acm]: ['region'],
  [TargetType.SecretsManagerExport]: ['name', 'format', 'region', 'kmsKeyId'],
};

export class AwsTargetFactory implements TargetFactory {
  readonly #options: AwsTargetFactoryOptions;
  readonly #regions = new Map<string, AwsClients>();
  readonly #targets = new Map<string, Target>();

  constructor(options: AwsTargetFactoryOptions) {
    if (options?.clients === undefined) throw new ValidationError('clients', 'required', 'AWS clients are required');
    this.#options = options;
    this.#regions.set(options.clients.config.region, options.clients);
  }

  /** Whether this factory builds targets of `type` (a composite factory routes the rest elsewhere). */
  handles(type: string): boolean {
    return type in OPTION_KEYS;
  }

  forSpec(spec: TargetSpec): Target {
    const key = JSON.stringify([spec.id, spec.type, Object.entries(spec.options).sort()]);
    let target = this.#targets.get(key);
    if (target === undefined) {
      target = this.#build(spec);
      this.#targets.set(key, target);
    }
    return target;
  }

  #build(spec: TargetSpec): Target {
    const field = `targets.${spec.id}`;
    const allowed = OPTION_KEYS[spec.type];
    if (allowed === undefined) {
      throw new ValidationError(`${field}.type`, 'aws-target', `"${spec.type}" is not an AWS target type`);
    }
    for (const option of Object.keys(spec.options)) {
      if (!allowed.includes(option)) {
        throw new ValidationError(`${field}.options.${option}`, 'unknown', `is not an option of ${spec.type} targets`);
      }
    }
    const region = spec.options.region ?? this.#options.clients.config.region;
    if (!REGION.test(region)) {
      throw new ValidationError(`${field}.options.region`, 'region', `must be an AWS region, got "${region}"`);
    }
    const clients = this.#clientsFor(region);
    if (spec.type === TargetType.Acm) {
      return new AcmTarget({
        client: clients.acm,
        region,
        ...(this.#options.clock === undefined ? {} : { clock: this.#options.clock }),
        ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
        ...(this.#options.acmRetry === undefined ? {} : { retry: this.#options.acmRetry }),
      });
    }
    const format = spec.options.format ?? ExportFormat.Pem;
    if (!Object.values(ExportFormat).includes(format as ExportFormat)) {
      throw new ValidationError(`${field}.options.format`, 'export-format', `must be pem or json, got "${format}"`);
    }
    if (spec.options.name === undefined) {
      throw new ValidationError(`${field}.options.name`, 'required', 'names the secret to write');
    }
    return new SecretsManagerExportTarget({
      client: clients.secretsManager,
      name: spec.options.name,
      format: format as ExportFormat,
      ...(spec.options.kmsKeyId === undefined ? {} : { kmsKeyId: spec.options.kmsKeyId }),
    });
  }

  #clientsFor(region: string): AwsClients {
    let clients = this.#regions.get(region);
    if (clients === undefined) {
      clients = createAwsClients({ ...this.#options.clients.config, region });
      this.#regions.set(region, clients);
    }
    return clients;
  }

  /** Closes the clients this factory created for other regions (the default region's belong to the caller). */
  destroy(): void {
    for (const [region, clients] of this.#regions) {
      if (clients !== this.#options.clients) clients.destroy();
      this.#regions.delete(region);
    }
  }
}

import { ACMClient } from '@aws-sdk/client-acm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { ValidationError } from '@portcullis/core';
import { type AssumeRoleConfig, assumeRoleCredentials, validateAssumeRoleConfig } from './assume-role.js';
import type { AwsCredentialsInput } from './credentials.js';
import { REGION, rejectUnknownKeys, requireMatch, requireObject } from './validate.js';

export interface AwsClientsConfig {
  /** `us-east-1` for Route53 and moto; every client of one factory shares it. */
  readonly region: string;
  /** Endpoint override for every service (local mode: moto_server, `http://127.0.0.1:<port>`). */
  readonly endpoint?: string;
  /** Static keys or a provider; absent = the SDK's default chain (env, profile, IMDS/ECS, web identity). */
  readonly credentials?: AwsCredentialsInput;
}

/** Base config every SDK v3 client constructor accepts. */
interface BaseClientConfig {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialsInput;
}

/**
 * How each service's client is built. Adding a service (ACM, Secrets Manager, DynamoDB, SQS, SNS, EventBridge) is
 * one line here plus its `@aws-sdk/client-*` dependency; the getter below and the lazy cache come with it.
 */
const serviceFactories = {
  /**
   * `maxAttempts: 1`: the Route53 provider retries itself, through the token bucket shared by the account, so a
   * retry costs a token like any request. SDK-internal retries would bypass that budget.
   */
  route53: (config: BaseClientConfig) => new Route53Client({ ...config, maxAttempts: 1 }),
  sts: (config: BaseClientConfig) => new STSClient(config),
  /** `maxAttempts: 1`: the ACM target retries throttling itself with jittered backoff (see acm/retry.ts). */
  acm: (config: BaseClientConfig) => new ACMClient({ ...config, maxAttempts: 1 }),
  /** SDK retries are safe here: every write carries a ClientRequestToken, so a retried write is the same version. */
  secretsManager: (config: BaseClientConfig) => new SecretsManagerClient(config),
  /**
   * SDK retries on (standard mode, 3 attempts): they cover throttling and 5xx, never ConditionalCheckFailed. A
   * conditional write retried after a lost response fails its own condition and surfaces as a conflict, which the
   * caller resolves by re-reading. Adapters wrap it with lib-dynamodb (dynamodb/document.ts).
   */
  dynamodb: (config: BaseClientConfig) => new DynamoDBClient(config),
  /** SDK retries on: a retried SendMessage at worst duplicates a message, which reconcile tolerates. */
  sqs: (config: BaseClientConfig) => new SQSClient(config),
  /** SDK retries on: alerts are at-least-once and subscribers dedupe on key + fingerprint + transition. */
  sns: (config: BaseClientConfig) => new SNSClient(config),
  /** SDK retries on: events are at-least-once and consumers dedupe on `detail.id`. */
  eventBridge: (config: BaseClientConfig) => new EventBridgeClient(config),
} as const;

export type AwsService = keyof typeof serviceFactories;
type ClientOf<S extends AwsService> = ReturnType<(typeof serviceFactories)[S]>;

/**
 * moto accepts any keys. Without explicit ones the SDK's default chain would probe the instance metadata service
 * (seconds of timeouts on a laptop) or pick up a developer's real keys: neither belongs in local mode.
 */
const LOCAL_CREDENTIALS = { accessKeyId: 'portcullis-local', secretAccessKey: 'portcullis-local' } as const;

function isLoopback(endpoint: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(endpoint.hostname);
}

function validateConfig(input: unknown): AwsClientsConfig {
  requireObject('aws', input);
  rejectUnknownKeys('aws', input, ['region', 'endpoint', 'credentials']);
  const region = requireMatch('aws.region', input.region, REGION, 'region');
  let endpoint: string | undefined;
  if (input.endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(String(input.endpoint));
    } catch {
      throw new ValidationError('aws.endpoint', 'url', `must be an http(s) URL, got ${JSON.stringify(input.endpoint)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ValidationError('aws.endpoint', 'url', `must be an http(s) URL, got ${JSON.stringify(input.endpoint)}`);
    }
    endpoint = url.toString().replace(/\/$/, '');
  }
  const credentials = input.credentials as AwsCredentialsInput | undefined;
  if (credentials !== undefined && typeof credentials !== 'function') {
    requireObject('aws.credentials', credentials);
    if (typeof credentials.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string') {
      throw new ValidationError(
        'aws.credentials',
        'keys',
        'must have accessKeyId and secretAccessKey, or be a provider',
      );
    }
  }
  const useLocal = credentials === undefined && endpoint !== undefined && isLoopback(new URL(endpoint));
  return {
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials !== undefined ? { credentials } : useLocal ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}

/**
 * Lazily created SDK v3 clients sharing one region, endpoint and identity. Built once per process (per cold
 * start) by the entry point and handed to adapters; a client is only constructed when first used.
 */
export class AwsClients {
  readonly config: AwsClientsConfig;
  readonly #clients = new Map<AwsService, ClientOf<AwsService>>();
  readonly #roles = new Map<string, AwsClients>();

  constructor(config: AwsClientsConfig) {
    this.config = validateConfig(config);
  }

  get route53(): Route53Client {
    return this.#get('route53');
  }

  get sts(): STSClient {
    return this.#get('sts');
  }

  get acm(): ACMClient {
    return this.#get('acm');
  }

  get secretsManager(): SecretsManagerClient {
    return this.#get('secretsManager');
  }

  get dynamodb(): DynamoDBClient {
    return this.#get('dynamodb');
  }

  get sqs(): SQSClient {
    return this.#get('sqs');
  }

  get sns(): SNSClient {
    return this.#get('sns');
  }

  get eventBridge(): EventBridgeClient {
    return this.#get('eventBridge');
  }

  /**
   * Clients acting as an assumed role (cross-account zones), same region and endpoint. Cached per role, so every
   * caller for that role shares one STS session (refreshed near expiry) and one set of clients.
   */
  forRole(role: AssumeRoleConfig): AwsClients {
    const valid = validateAssumeRoleConfig(role);
    const key = JSON.stringify([valid.roleArn, valid.externalId, valid.sessionName, valid.durationSeconds]);
    let clients = this.#roles.get(key);
    if (clients === undefined) {
      clients = new AwsClients({ ...this.config, credentials: assumeRoleCredentials({ sts: this.sts, ...valid }) });
      this.#roles.set(key, clients);
    }
    return clients;
  }

  /** Closes the HTTP agents of every client built so far (and of role clients). Idempotent. */
  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
    for (const clients of this.#roles.values()) clients.destroy();
    this.#roles.clear();
  }

  #get<S extends AwsService>(service: S): ClientOf<S> {
    let client = this.#clients.get(service) as ClientOf<S> | undefined;
    if (client === undefined) {
      const base: BaseClientConfig = { region: this.config.region };
      if (this.config.endpoint !== undefined) base.endpoint = this.config.endpoint;
      if (this.config.credentials !== undefined) base.credentials = this.config.credentials;
      client = serviceFactories[service](base) as ClientOf<S>;
      this.#clients.set(service, client);
    }
    return client;
  }
}

/** Builds the client factory; config is validated here, before any client exists. */
export function createAwsClients(config: AwsClientsConfig): AwsClients {
  return new AwsClients(config);
}

/**
 * The Route53 client for one zone, as the Route53 provider of `@portcullis/dns` takes it (`(zone) => client`):
 * a zone with a `roleArn` gets clients of that assumed role, any other zone the factory's own identity.
 * Typed structurally because adapters do not import each other.
 */
export function route53ClientForZone(
  clients: AwsClients,
  options: { sessionName?: string } = {},
): (zone?: { readonly roleArn?: string; readonly externalId?: string }) => Route53Client {
  return (zone) => {
    if (zone?.roleArn === undefined) return clients.route53;
    return clients.forRole({
      roleArn: zone.roleArn,
      ...(zone.externalId === undefined ? {} : { externalId: zone.externalId }),
      ...(options.sessionName === undefined ? {} : { sessionName: options.sessionName }),
    }).route53;
  };
}

/**
 * HTTP-01 key authorizations stored in a cluster for the gateway to serve: one ConfigMap per token, labelled
 * `portcullis.dev/http01-challenge=true`, data `token` and `keyAuthorization`. The ConfigMap name is derived from a
 * hash of the token (tokens are base64url and may be longer than, or differ in case from, a valid object name).
 * Contract (`Http01TokenStore`): put is idempotent (server-side apply of the same data is a no-op), get of an
 * unknown token is `undefined`, delete of an absent token is success.
 */
import { createHash } from 'node:crypto';
import { CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { type Http01TokenStore, ValidationError } from '@portcullis/core';
import { isNotFound, toKubeApiError } from './api-status.js';
import { FIELD_MANAGER, HTTP01_CHALLENGE_LABEL, Http01ChallengeKey } from './labels.js';

/** RFC 8555 §8.3: the token is base64url without padding, at least 128 bits of entropy (22+ characters). */
const TOKEN = /^[A-Za-z0-9_-]{22,}$/;
/** `token.thumbprint`, the thumbprint being a base64url SHA-256 (43 characters). */
const KEY_AUTHORIZATION = /^([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]{43}$/;

/** `acme-http01-` + 40 hex characters (160 bits of SHA-256): a valid, collision-safe ConfigMap name. */
export function challengeConfigMapName(token: string): string {
  return `acme-http01-${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}

export interface KubernetesHttp01TokenStoreOptions {
  readonly kubeConfig: KubeConfig;
  /** Name of the cluster in errors. */
  readonly cluster: string;
  /** Namespace the gateway watches for challenges. */
  readonly namespace: string;
}

export class KubernetesHttp01TokenStore implements Http01TokenStore {
  readonly #core: CoreV1Api;
  readonly #cluster: string;
  readonly #namespace: string;

  constructor(options: KubernetesHttp01TokenStoreOptions) {
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#cluster = options.cluster;
    this.#namespace = options.namespace;
  }

  async put(token: string, keyAuthorization: string): Promise<void> {
    if (!TOKEN.test(token))
      throw new ValidationError('token', 'base64url', 'must be an ACME token (base64url, 22+ characters)');
    const match = KEY_AUTHORIZATION.exec(keyAuthorization);
    if (!match || match[1] !== token) {
      throw new ValidationError(
        'keyAuthorization',
        'tokenDotThumbprint',
        'must be "<token>.<base64url SHA-256 thumbprint>"',
      );
    }
    const name = challengeConfigMapName(token);
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: this.#namespace, labels: { [HTTP01_CHALLENGE_LABEL]: 'true' } },
      data: { [Http01ChallengeKey.Token]: token, [Http01ChallengeKey.KeyAuthorization]: keyAuthorization },
    };
    try {
      await this.#core.patchNamespacedConfigMap(
        { name, namespace: this.#namespace, body, fieldManager: FIELD_MANAGER },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
    } catch (err) {
      throw toKubeApiError(this.#cluster, this.#object(token), 'apply', err);
    }
  }

  async get(token: string): Promise<string | undefined> {
    try {
      const found = await this.#core.readNamespacedConfigMap({
        name: challengeConfigMapName(token),
        namespace: this.#namespace,
      });
      // Names are hashes: check the stored token so that a (theoretical) collision never serves the wrong answer.
      return found.data?.[Http01ChallengeKey.Token] === token
        ? found.data?.[Http01ChallengeKey.KeyAuthorization]
        : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeApiError(this.#cluster, this.#object(token), 'read', err);
    }
  }

  async delete(token: string): Promise<void> {
    try {
      await this.#core.deleteNamespacedConfigMap({ name: challengeConfigMapName(token), namespace: this.#namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw toKubeApiError(this.#cluster, this.#object(token), 'delete', err);
    }
  }

  #object(token: string): string {
    return `configmap ${this.#namespace}/${challengeConfigMapName(token)}`;
  }
}

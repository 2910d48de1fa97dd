/**
 * Key material on demand: the Secret informer holds Secrets without `data`; for the Secrets a snapshot references,
 * this reads the full Secret (GET) and keeps it until it changes (new resourceVersion) or stops being referenced.
 * So the controller's memory never holds the private keys of Secrets nothing of ours points at.
 */
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { KubernetesObject } from '../../sources/types.js';
import { describeFailure, KubernetesProviderError, KubernetesProviderErrorCode } from './errors.js';

/** Parallel GETs per refresh: enough for thousands of certificates, gentle on the API server. */
const FETCH_CONCURRENCY = 8;

interface CachedSecret {
  /** resourceVersion of the informer's (data-less) copy when this was read. */
  readonly seenAt: string;
  readonly secret: KubernetesObject;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class ReferencedSecrets {
  readonly #core: CoreV1Api;
  readonly #cache = new Map<string, CachedSecret>();

  constructor(kubeConfig: KubeConfig) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Number of Secrets whose data is held (for tests and metrics). */
  get size(): number {
    return this.#cache.size;
  }

  /**
   * Full Secrets for `referenced` (data-less informer copies); cached data of every other Secret is dropped. A
   * Secret deleted between the watch event and the GET is left out, as if the event had arrived first.
   */
  async resolve(referenced: readonly KubernetesObject[]): Promise<KubernetesObject[]> {
    const wanted = new Map(referenced.map((s) => [keyOf(s), s]));
    for (const key of this.#cache.keys()) if (!wanted.has(key)) this.#cache.delete(key);
    const missing = [...wanted.entries()].filter(([key, meta]) => {
      const cached = this.#cache.get(key);
      const rv = meta.metadata?.resourceVersion ?? '';
      return cached === undefined || (cached.seenAt !== rv && cached.secret.metadata?.resourceVersion !== rv);
    });
    for (let i = 0; i < missing.length; i += FETCH_CONCURRENCY) {
      await Promise.all(missing.slice(i, i + FETCH_CONCURRENCY).map(([key, meta]) => this.#fetch(key, meta)));
    }
    return [...wanted.keys()].flatMap((key) => {
      const cached = this.#cache.get(key);
      return cached === undefined ? [] : [cached.secret];
    });
  }

  async #fetch(key: string, meta: KubernetesObject): Promise<void> {
    const namespace = meta.metadata?.namespace ?? '';
    const name = meta.metadata?.name ?? '';
    try {
      const secret = await this.#core.readNamespacedSecret({ name, namespace });
      this.#cache.set(key, {
        seenAt: meta.metadata?.resourceVersion ?? '',
        secret: { ...secret, apiVersion: 'v1', kind: 'Secret' } as KubernetesObject,
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === 404) {
        this.#cache.delete(key);
        return;
      }
      throw new KubernetesProviderError(
        KubernetesProviderErrorCode.SecretReadFailed,
        `secret ${namespace}/${name}`,
        `read failed: ${describeFailure(err)}`,
        err,
      );
    }
  }
}

/**
 * Publishes certificates into a cluster as `kubernetes.io/tls` Secrets and observes what a cluster holds.
 *
 * publishTlsSecret: read → (foreign? refuse) → (already exactly this? done, no write) → server-side apply as
 * `portcullis`, conditional on the resourceVersion read. A 409 re-reads and retries (bounded):
 *   - resourceVersion conflict (someone wrote in between): start over from the read;
 *   - field-manager conflict (someone edited tls.crt of OUR Secret, e.g. `kubectl edit`): re-read, and if the
 *     Secret is still ours apply again with `force` to take the fields back (the result names who held them).
 * A Secret that exists without our label and our field manager is never written (ForeignSecretError).
 */
import { CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, type V1Secret } from '@kubernetes/client-node';
import { apiFailure, fieldManagerConflicts, isNotFound, toKubeApiError } from './api-status.js';
import { ForeignSecretError, KubeConflictError, KubeErrorCode, UnreadableTlsSecretError } from './errors.js';
import { FIELD_MANAGER, SecretLabel, TlsSecretKey } from './labels.js';
import {
  applyConfiguration,
  buildDesiredSecret,
  ownershipOf,
  type PublishTlsSecretInput,
  readLeaf,
  secretMatches,
} from './tls-secret.js';

export interface TlsSecretRef {
  readonly namespace: string;
  readonly name: string;
}

export const PublishOutcome = {
  /** The Secret did not exist and was created. */
  Created: 'created',
  /** The Secret existed (ours) and now holds the new material. */
  Updated: 'updated',
  /** The Secret already held exactly this; nothing was written (resourceVersion unchanged). */
  Unchanged: 'unchanged',
} as const;
export type PublishOutcome = (typeof PublishOutcome)[keyof typeof PublishOutcome];

export interface PublishResult {
  readonly outcome: PublishOutcome;
  readonly resourceVersion: string;
  readonly serial: string;
  /** Field managers whose edits of our Secret were overwritten (drift corrected); empty normally. */
  readonly tookOverFrom: readonly string[];
}

export type ObservedTlsSecret =
  | { readonly present: false }
  | {
      readonly present: true;
      readonly serial: string;
      readonly notAfter: string;
      /** `portcullis.dev/certificate` label, if any. */
      readonly certificateId: string | undefined;
      /** Labelled by us and applied by our field manager. */
      readonly managed: boolean;
      readonly resourceVersion: string;
    };

export interface PublishedTlsSecret extends TlsSecretRef {
  readonly certificateId: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly resourceVersion: string;
}

export interface KubernetesTlsTargetOptions {
  readonly kubeConfig: KubeConfig;
  /** Name of the cluster in errors and logs. */
  readonly cluster: string;
  /** Attempts of a publish or list before giving up on 409/410 (default 4). */
  readonly maxAttempts?: number;
}

/** Retrying a few times covers a concurrent writer and one forced take-over; more would hide a fight over the Secret. */
const DEFAULT_MAX_ATTEMPTS = 4;
/** Page size of `listPublished`: bounded memory and response size per request in large clusters. */
const DEFAULT_PAGE_SIZE = 100;

export class KubernetesTlsTarget {
  readonly cluster: string;
  readonly #core: CoreV1Api;
  readonly #maxAttempts: number;

  constructor(options: KubernetesTlsTargetOptions) {
    this.cluster = options.cluster;
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  async publishTlsSecret(input: PublishTlsSecretInput): Promise<PublishResult> {
    const desired = buildDesiredSecret(input);
    const ref = { namespace: input.namespace, name: input.name };
    const serial = desired.annotations['portcullis.dev/serial'] as string;
    let force = false;
    const tookOverFrom = new Set<string>();
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const current = await this.#read(ref);
      if (current) {
        const ownership = ownershipOf(current, input.certificateId);
        if (ownership === 'foreign') {
          throw new ForeignSecretError(
            this.cluster,
            ref.namespace,
            ref.name,
            'it exists and was not published by Portcullis',
          );
        }
        if (ownership === 'other-certificate') {
          const other = current.metadata?.labels?.[SecretLabel.Certificate];
          throw new ForeignSecretError(
            this.cluster,
            ref.namespace,
            ref.name,
            `it belongs to certificate ${other}, not ${input.certificateId}`,
            KubeErrorCode.SecretOfOtherCertificate,
          );
        }
        if (secretMatches(current, desired)) {
          const resourceVersion = current.metadata?.resourceVersion ?? '';
          return { outcome: PublishOutcome.Unchanged, resourceVersion, serial, tookOverFrom: [...tookOverFrom] };
        }
      }
      try {
        const body = applyConfiguration(desired, current?.metadata?.resourceVersion);
        const written = await this.#apply(ref, body, force);
        return {
          outcome: current ? PublishOutcome.Updated : PublishOutcome.Created,
          resourceVersion: written.metadata?.resourceVersion ?? '',
          serial,
          tookOverFrom: [...tookOverFrom],
        };
      } catch (err) {
        const failure = apiFailure(err);
        if (failure.status !== 409)
          throw toKubeApiError(this.cluster, `secret ${ref.namespace}/${ref.name}`, 'apply', err);
        lastConflict = err;
        const managers = fieldManagerConflicts(failure);
        // Forcing is decided only after the re-read at the top of the loop has confirmed the Secret is still ours.
        if (managers.length > 0 && current) {
          force = true;
          for (const m of managers) tookOverFrom.add(m);
        }
      }
    }
    throw new KubeConflictError(this.cluster, `secret ${ref.namespace}/${ref.name}`, this.#maxAttempts, lastConflict);
  }

  async observe(ref: TlsSecretRef): Promise<ObservedTlsSecret> {
    const current = await this.#read(ref);
    if (!current) return { present: false };
    const leaf = this.#leafOf(current, ref);
    const certificateId = current.metadata?.labels?.[SecretLabel.Certificate];
    return {
      present: true,
      serial: leaf.serial,
      notAfter: leaf.notAfter,
      certificateId,
      managed: certificateId !== undefined && ownershipOf(current, certificateId) === 'ours',
      resourceVersion: current.metadata?.resourceVersion ?? '',
    };
  }

  /**
   * Every Secret labelled `portcullis.dev/certificate` (in one namespace or all), read page by page. A page token
   * that expired (410 Gone: the server compacted past it) restarts the list from the beginning.
   */
  async listPublished(options: { namespace?: string; pageSize?: number } = {}): Promise<PublishedTlsSecret[]> {
    let lastExpiry: unknown;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      try {
        return await this.#listAllPages(options.namespace, options.pageSize ?? DEFAULT_PAGE_SIZE);
      } catch (err) {
        if (apiFailure(err).status !== 410) {
          throw toKubeApiError(this.cluster, `secrets in ${options.namespace ?? 'all namespaces'}`, 'list', err);
        }
        lastExpiry = err;
      }
    }
    throw toKubeApiError(this.cluster, 'secrets', `list (${this.#maxAttempts} attempts)`, lastExpiry);
  }

  async #listAllPages(namespace: string | undefined, limit: number): Promise<PublishedTlsSecret[]> {
    const found: PublishedTlsSecret[] = [];
    let token: string | undefined;
    do {
      const query = { labelSelector: SecretLabel.Certificate, limit, ...(token ? { _continue: token } : {}) };
      const page =
        namespace === undefined
          ? await this.#core.listSecretForAllNamespaces(query)
          : await this.#core.listNamespacedSecret({ namespace, ...query });
      for (const secret of page.items) {
        const ref = { namespace: secret.metadata?.namespace ?? '', name: secret.metadata?.name ?? '' };
        const leaf = this.#leafOf(secret, ref);
        found.push({
          ...ref,
          certificateId: secret.metadata?.labels?.[SecretLabel.Certificate] ?? '',
          serial: leaf.serial,
          notAfter: leaf.notAfter,
          resourceVersion: secret.metadata?.resourceVersion ?? '',
        });
      }
      token = page.metadata?._continue || undefined;
    } while (token);
    return found;
  }

  #leafOf(secret: V1Secret, ref: TlsSecretRef): { serial: string; notAfter: string } {
    const encoded = secret.data?.[TlsSecretKey.Certificate];
    if (encoded === undefined)
      throw new UnreadableTlsSecretError(this.cluster, ref.namespace, ref.name, 'has no tls.crt');
    const leaf = readLeaf(Buffer.from(encoded, 'base64').toString('utf8'));
    if (!leaf)
      throw new UnreadableTlsSecretError(this.cluster, ref.namespace, ref.name, 'tls.crt is not a PEM certificate');
    return leaf;
  }

  async #read(ref: TlsSecretRef): Promise<V1Secret | undefined> {
    try {
      return await this.#core.readNamespacedSecret({ name: ref.name, namespace: ref.namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw toKubeApiError(this.cluster, `secret ${ref.namespace}/${ref.name}`, 'read', err);
    }
  }

  #apply(ref: TlsSecretRef, body: V1Secret, force: boolean): Promise<V1Secret> {
    return this.#core.patchNamespacedSecret(
      { name: ref.name, namespace: ref.namespace, body, fieldManager: FIELD_MANAGER, ...(force ? { force } : {}) },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
  }
}

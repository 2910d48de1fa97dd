/**
 * Writes the status computed by `translate` to each object's status subresource: a JSON merge patch of `status`
 * with field manager `portcullis-gateway`, conditional on the resourceVersion the status was computed from.
 * - Unchanged status (`changed: false`, or equal to what this writer last wrote from the same resourceVersion) is
 *   not written: no request at all.
 * - 409 (the object changed since it was read): re-read it, keep other controllers' route `parents[]` entries from
 *   the fresh copy, skip if it already holds our status, else write again on the fresh resourceVersion (bounded).
 * - 404 (deleted meanwhile): nothing to write.
 * Why merge patch and not server-side apply: route `status.parents` is an atomic list in the Gateway API CRDs, so
 * SSA would conflict with every other controller writing its own entry; a conditional read-merge-write does not.
 */
import { CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { CONTROLLER_NAME } from '../../sources/annotations.js';
import type { ComputedRouteParentStatus, StatusUpdate, StatusUpdates } from '../../status/types.js';
import { canonical } from '../../status/updates.js';
import { describeFailure, KubernetesProviderError, KubernetesProviderErrorCode } from './errors.js';

/** Field manager of every status write of the controller. */
export const STATUS_FIELD_MANAGER = 'portcullis-gateway';

const PLURALS: Readonly<Record<StatusUpdate['kind'], string>> = {
  GatewayClass: 'gatewayclasses',
  Gateway: 'gateways',
  ListenerSet: 'listenersets',
  XListenerSet: 'xlistenersets',
  HTTPRoute: 'httproutes',
  GRPCRoute: 'grpcroutes',
  BackendTLSPolicy: 'backendtlspolicies',
  Ingress: 'ingresses',
};

/** One 409 retry covers a concurrent writer; more would only race the next snapshot, which brings fresh status. */
const DEFAULT_MAX_ATTEMPTS = 3;
/** Parallel status writes: bounded so that a first sync of thousands of routes does not flood the API server. */
const WRITE_CONCURRENCY = 8;

export interface StatusWriteReport {
  /** Keys written. */
  readonly written: readonly string[];
  /** Keys not written because nothing changed (or the object is gone). */
  readonly skipped: readonly string[];
  readonly failed: readonly { readonly key: string; readonly error: KubernetesProviderError }[];
}

export interface KubernetesStatusWriterOptions {
  readonly kubeConfig: KubeConfig;
  /** Our controller name: route `parents[]` entries with another controllerName are never overwritten. */
  readonly controllerName?: string;
  readonly maxAttempts?: number;
}

type LiveObject = { metadata?: { resourceVersion?: string }; status?: Record<string, unknown> };

export class KubernetesStatusWriter {
  readonly #api: CustomObjectsApi;
  readonly #controllerName: string;
  readonly #maxAttempts: number;
  /** key → what we last wrote and the resourceVersion it was computed from (a snapshot may lag our own write). */
  readonly #lastWritten = new Map<string, { basedOn: string | undefined; status: string }>();

  constructor(options: KubernetesStatusWriterOptions) {
    this.#api = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.#controllerName = options.controllerName ?? CONTROLLER_NAME;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  async write(updates: StatusUpdates): Promise<StatusWriteReport> {
    const written: string[] = [];
    const skipped: string[] = [];
    const failed: { key: string; error: KubernetesProviderError }[] = [];
    const present = new Set(updates.map((u) => u.key));
    for (const key of this.#lastWritten.keys()) if (!present.has(key)) this.#lastWritten.delete(key);
    const queue = [...updates];
    const worker = async () => {
      for (let update = queue.shift(); update !== undefined; update = queue.shift()) {
        try {
          ((await this.#writeOne(update)) ? written : skipped).push(update.key);
        } catch (err) {
          const error = new KubernetesProviderError(
            KubernetesProviderErrorCode.StatusWriteFailed,
            update.key,
            `status write failed: ${describeFailure(err)}`,
            err,
          );
          failed.push({ key: update.key, error });
        }
      }
    };
    await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
    const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      written: written.sort(byKey),
      skipped: skipped.sort(byKey),
      failed: failed.sort((a, b) => byKey(a.key, b.key)),
    };
  }

  /** Returns whether a write happened. */
  async #writeOne(update: StatusUpdate): Promise<boolean> {
    if (!update.changed) return false;
    const desired = canonical(update.status);
    const last = this.#lastWritten.get(update.key);
    if (last && last.basedOn === update.resourceVersion && last.status === desired) return false;
    let status = update.status as unknown as Record<string, unknown>;
    let resourceVersion = update.resourceVersion;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#patch(update, status, resourceVersion);
        this.#lastWritten.set(update.key, { basedOn: update.resourceVersion, status: desired });
        return true;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 404) return false;
        if (code !== 409 || attempt >= this.#maxAttempts) throw err;
      }
      const live = await this.#read(update);
      if (live === undefined) return false;
      status = this.#mergeWithLive(update, live);
      resourceVersion = live.metadata?.resourceVersion;
      if (this.#holds(live, status)) return false;
    }
  }

  /** Route parents: ours from the update, everyone else's from the live object. Other kinds are ours entirely. */
  #mergeWithLive(update: StatusUpdate, live: LiveObject): Record<string, unknown> {
    const status = update.status as unknown as Record<string, unknown>;
    if (update.kind !== 'HTTPRoute' && update.kind !== 'GRPCRoute') return status;
    const ours = update.status.parents.filter((p) => p.controllerName === this.#controllerName);
    const livesParents = (live.status?.parents ?? []) as ComputedRouteParentStatus[];
    const theirs = livesParents.filter((p) => p.controllerName !== this.#controllerName);
    return { ...status, parents: [...ours, ...theirs] };
  }

  /** Whether the live status already has every field we would write, with the same value. */
  #holds(live: LiveObject, status: Record<string, unknown>): boolean {
    const current = live.status ?? {};
    return Object.entries(status).every(([field, value]) => canonical(value) === canonical(current[field]));
  }

  #target(update: StatusUpdate) {
    const slash = update.apiVersion.lastIndexOf('/');
    return {
      group: update.apiVersion.slice(0, slash),
      version: update.apiVersion.slice(slash + 1),
      plural: PLURALS[update.kind],
      name: update.name,
    };
  }

  async #patch(update: StatusUpdate, status: Record<string, unknown>, resourceVersion: string | undefined) {
    const body = { ...(resourceVersion === undefined ? {} : { metadata: { resourceVersion } }), status };
    const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const target = { ...this.#target(update), body, fieldManager: STATUS_FIELD_MANAGER };
    if (update.namespace === undefined) await this.#api.patchClusterCustomObjectStatus(target, options);
    else await this.#api.patchNamespacedCustomObjectStatus({ ...target, namespace: update.namespace }, options);
  }

  async #read(update: StatusUpdate): Promise<LiveObject | undefined> {
    try {
      const target = this.#target(update);
      const live =
        update.namespace === undefined
          ? await this.#api.getClusterCustomObjectStatus(target)
          : await this.#api.getNamespacedCustomObjectStatus({ ...target, namespace: update.namespace });
      return live as LiveObject;
    } catch (err) {
      if ((err as { code?: unknown }).code === 404) return undefined;
      throw err;
    }
  }
}

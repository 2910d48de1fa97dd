/**
 * Kubernetes provider: informers for every kind of the SourceSnapshot, a first snapshot only after EVERY informer
 * has completed its first full list, then debounced snapshots on change.
 *
 *   start: discover kinds → start all informers (list + watch) → all listed? → read referenced Secrets → emit → resolve
 *          (any first list failing: stop everything, reject, nothing emitted)
 *   change: debounce (quiet time, capped by a maximum delay under constant churn) → build → emit
 *           (builds are serialised; a change during a build schedules one more)
 *   410 Gone: handled inside each informer (fresh list, diff, resume watching) and shows up here as changes.
 *
 * Secrets: only `kubernetes.io/tls` ones are watched, without data; the Secrets the snapshot references (same
 * filter as every provider: `createSnapshot`) are then read in full, so only referenced key material is held.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ValidationError } from '@portcullis/core';
import { createSnapshot, type SnapshotOptions } from '../../sources/snapshot.js';
import type { KubernetesObject, Provider, SourceSnapshot } from '../../sources/types.js';
import type { KubernetesProviderError } from './errors.js';
import { type BackoffOptions, KindInformer } from './informer.js';
import { discoverKinds } from './kinds.js';
import { ReferencedSecrets } from './referenced-secrets.js';

export interface KubernetesProviderOptions {
  readonly kubeConfig: KubeConfig;
  /** Our GatewayClass controller name (decides which Secrets are referenced). Default ours. */
  readonly controllerName?: string;
  /** Our ingress class. Default `portcullis`. */
  readonly ingressClass?: string;
  /** Quiet time after the last change before a snapshot is built, in ms. Default 100. */
  readonly debounceMs?: number;
  /** Longest a change waits under constant churn, in ms. Default 1000. */
  readonly maxDelayMs?: number;
  /** Restart delays of a failed informer or snapshot build. Default 1 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /** Errors after the first sync (watch failures, Secret reads); the provider recovers by itself. Default warn. */
  readonly onError?: (error: KubernetesProviderError) => void;
}

const DEFAULTS = { debounceMs: 100, maxDelayMs: 1000, backoff: { baseMs: 1000, maxMs: 30_000 } } as const;

function checkMs(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ValidationError(`kubernetesProvider.${field}`, 'range', `${value} is not an integer from 0 to ${max}`);
  }
}

export class KubernetesProvider implements Provider {
  readonly #kubeConfig: KubeConfig;
  readonly #snapshotOptions: SnapshotOptions;
  readonly #debounceMs: number;
  readonly #maxDelayMs: number;
  readonly #backoff: BackoffOptions;
  readonly #onError: (error: KubernetesProviderError) => void;
  readonly #secrets: ReferencedSecrets;
  #informers: KindInformer[] = [];
  #onSnapshot: ((snapshot: SourceSnapshot) => void) | undefined;
  #synced = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #firstPendingAt: number | undefined;
  #building: Promise<void> | undefined;
  #dirty = false;
  #retryDelayMs: number;

  constructor(options: KubernetesProviderOptions) {
    this.#debounceMs = options.debounceMs ?? DEFAULTS.debounceMs;
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
    this.#backoff = options.backoff ?? DEFAULTS.backoff;
    checkMs('debounceMs', this.#debounceMs, 60_000);
    checkMs('maxDelayMs', this.#maxDelayMs, 600_000);
    checkMs('backoff.baseMs', this.#backoff.baseMs, 600_000);
    checkMs('backoff.maxMs', this.#backoff.maxMs, 600_000);
    this.#kubeConfig = options.kubeConfig;
    this.#snapshotOptions = {
      ...(options.controllerName === undefined ? {} : { controllerName: options.controllerName }),
      ...(options.ingressClass === undefined ? {} : { ingressClass: options.ingressClass }),
    };
    this.#onError = options.onError ?? ((error) => console.warn(error.message));
    this.#secrets = new ReferencedSecrets(options.kubeConfig);
    this.#retryDelayMs = this.#backoff.baseMs;
  }

  /** `plural` of every watched kind (known after `start`), e.g. to report which Gateway API kinds are served. */
  get watchedKinds(): readonly string[] {
    return this.#informers.map((i) => `${i.kind.plural}.${i.kind.group || 'core'}/${i.kind.version}`);
  }

  /** How many Secrets' data the provider holds: exactly the referenced ones. */
  get heldSecretCount(): number {
    return this.#secrets.size;
  }

  async start(onSnapshot: (snapshot: SourceSnapshot) => void): Promise<void> {
    if (this.#onSnapshot !== undefined) throw new Error('kubernetes provider: already started');
    this.#onSnapshot = onSnapshot;
    try {
      const kinds = await discoverKinds(this.#kubeConfig);
      const hooks = { onChange: () => this.#schedule(), onError: (e: KubernetesProviderError) => this.#onError(e) };
      this.#informers = kinds.map((kind) => new KindInformer(this.#kubeConfig, kind, hooks, this.#backoff));
      // allSettled: every informer has finished starting (none left opening a watch) before a failure stops them.
      const started = await Promise.allSettled(this.#informers.map((i) => i.start()));
      const failure = started.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
      this.#synced = true;
      await this.#build();
    } catch (error) {
      await this.stop();
      throw error;
    }
    // Changes that arrived while the first snapshot was being built get their own snapshot.
    if (this.#dirty) {
      this.#dirty = false;
      this.#schedule();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.all(this.#informers.map((i) => i.stop()));
    await this.#building?.catch(() => undefined);
  }

  #schedule(delayMs?: number): void {
    if (this.#stopped || !this.#synced) return;
    const now = Date.now();
    this.#firstPendingAt ??= now;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const wait = delayMs ?? Math.min(this.#debounceMs, Math.max(0, this.#firstPendingAt + this.#maxDelayMs - now));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#firstPendingAt = undefined;
      void this.#rebuild();
    }, wait);
  }

  async #rebuild(): Promise<void> {
    if (this.#building !== undefined) {
      this.#dirty = true;
      return;
    }
    try {
      await this.#build();
      this.#retryDelayMs = this.#backoff.baseMs;
    } catch (error) {
      // Keep the last snapshot in force and try again later (e.g. a referenced Secret could not be read).
      this.#onError(error as KubernetesProviderError);
      this.#dirty = false;
      const delay = this.#retryDelayMs;
      this.#retryDelayMs = Math.min(delay * 2, this.#backoff.maxMs);
      this.#schedule(delay);
      return;
    }
    if (this.#dirty) {
      this.#dirty = false;
      this.#schedule();
    }
  }

  /** One snapshot from the informers' current state; serialised through `#building`. */
  #build(): Promise<void> {
    const building = (async () => {
      const objects = this.#informers.flatMap((i) => i.objects());
      const withoutSecrets = objects.filter((o) => o.kind !== 'Secret');
      // The same filter every provider applies decides which Secrets are referenced; only those are read in full.
      const referenced = createSnapshot(objects, this.#snapshotOptions).secrets as unknown as KubernetesObject[];
      const secrets = await this.#secrets.resolve(referenced);
      if (this.#stopped) return;
      this.#onSnapshot?.(createSnapshot([...withoutSecrets, ...secrets], this.#snapshotOptions));
    })();
    this.#building = building;
    return building.finally(() => {
      if (this.#building === building) this.#building = undefined;
    });
  }
}

/**
 * One informer per watched kind: `@kubernetes/client-node`'s `ListWatch` (list, then watch from the list's
 * resourceVersion; on 410 Gone it re-lists and diffs, calling delete/add/update for what changed meanwhile) with:
 * - a list function that pages through the collection (500 per page, as client-go's informers do) and stamps
 *   `apiVersion`/`kind` on items (the API server omits them in lists of built-in kinds);
 * - Secrets kept without their `data` (stripped from lists and watch events): key material of Secrets nobody
 *   references is never held; referenced ones are read on demand (see referenced-secrets.ts);
 * - a "first list done" signal, because `ListWatch.start()` also resolves when its first list failed;
 * - restarts with exponential backoff after errors, because `ListWatch` stops on any error other than 410.
 */
import {
  type KubernetesObject as ClientObject,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import type { KubernetesObject } from '../../sources/types.js';
import { describeFailure, KubernetesProviderError, KubernetesProviderErrorCode } from './errors.js';
import { apiVersionOf, collectionPath, type WatchedKind } from './kinds.js';

/** Page size of informer lists: client-go's default, bounding response size in large clusters. */
const LIST_PAGE_SIZE = 500;
/** A list restarted this often because its pages expired means the cluster compacts faster than we can read. */
const LIST_ATTEMPTS_ON_EXPIRY = 3;

export interface BackoffOptions {
  /** First restart delay in ms. */
  readonly baseMs: number;
  /** Upper bound of the doubling delay in ms. */
  readonly maxMs: number;
}

export interface KindInformerHooks {
  /** Something was added, changed or deleted (also during the first list). */
  onChange(): void;
  /** A watch or re-list failed after the first sync; the informer restarts itself. */
  onError(error: KubernetesProviderError): void;
}

interface ListPage {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; _continue?: string; continue?: string };
  items: KubernetesObject[];
}

/** Drops key material: the informer of Secrets only needs to know which exist, and their resourceVersion. */
function withoutData(object: KubernetesObject): KubernetesObject {
  const { data: _d, stringData: _s, ...rest } = object;
  return rest;
}

/** A Watch whose ADDED/MODIFIED/DELETED objects pass through `transform` before ListWatch caches them. */
class TransformingWatch extends Watch {
  readonly #transform: (object: KubernetesObject) => KubernetesObject;
  #closed = false;

  /**
   * Refuses every later watch. ListWatch re-lists and re-watches on its own (after a closed stream or a 410) and
   * does not re-check `stop()` between its list and its watch; this guarantees no watch opens after stop.
   */
  close(): void {
    this.#closed = true;
  }

  constructor(kubeConfig: KubeConfig, transform: (object: KubernetesObject) => KubernetesObject) {
    super(kubeConfig);
    this.#transform = transform;
  }

  override watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.#closed) {
      queueMicrotask(() => done(null));
      return Promise.resolve(new AbortController());
    }
    return super.watch(
      path,
      queryParams,
      (phase, object, raw) => {
        const isObjectEvent = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
        callback(phase, isObjectEvent ? this.#transform(object as KubernetesObject) : object, raw);
      },
      done,
    );
  }
}

export class KindInformer {
  readonly kind: WatchedKind;
  readonly #listWatch: ListWatch<ClientObject>;
  readonly #watch: TransformingWatch;
  readonly #core: CoreV1Api;
  readonly #custom: CustomObjectsApi;
  readonly #hooks: KindInformerHooks;
  readonly #backoff: BackoffOptions;
  readonly #transform: (object: KubernetesObject) => KubernetesObject;
  #listed = false;
  #lastError: unknown;
  #restartDelayMs: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(kubeConfig: KubeConfig, kind: WatchedKind, hooks: KindInformerHooks, backoff: BackoffOptions) {
    this.kind = kind;
    this.#hooks = hooks;
    this.#backoff = backoff;
    this.#restartDelayMs = backoff.baseMs;
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const apiVersion = apiVersionOf(kind);
    const stamp = (o: KubernetesObject): KubernetesObject => ({ ...o, apiVersion, kind: kind.kind });
    this.#transform = kind.kind === 'Secret' ? (o) => withoutData(stamp(o)) : stamp;
    this.#watch = new TransformingWatch(kubeConfig, this.#transform);
    this.#listWatch = new ListWatch(
      collectionPath(kind),
      this.#watch,
      () => this.#listAll() as never,
      false,
      kind.labelSelector,
      kind.fieldSelector,
    );
    const changed = () => {
      this.#restartDelayMs = this.#backoff.baseMs;
      this.#hooks.onChange();
    };
    this.#listWatch.on('add', changed);
    this.#listWatch.on('update', changed);
    this.#listWatch.on('delete', changed);
    this.#listWatch.on('error', (err: unknown) => this.#failed(err));
  }

  /** Lists, starts watching, and resolves once the first list succeeded; rejects if it failed. */
  async start(): Promise<void> {
    await this.#listWatch.start();
    if (!this.#listed) {
      await this.#listWatch.stop();
      throw new KubernetesProviderError(
        KubernetesProviderErrorCode.SyncFailed,
        this.kind.plural,
        `first list failed: ${describeFailure(this.#lastError)}`,
        this.#lastError,
      );
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watch.close();
    if (this.#restartTimer !== undefined) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    await this.#listWatch.stop();
  }

  /** The objects currently known (Secrets without data). */
  objects(): KubernetesObject[] {
    return [...this.#listWatch.list()] as KubernetesObject[];
  }

  #failed(err: unknown): void {
    this.#lastError = err;
    if (!this.#listed || this.#stopped) return;
    this.#hooks.onError(
      new KubernetesProviderError(
        KubernetesProviderErrorCode.WatchFailed,
        this.kind.plural,
        `watch failed, restarting in ${this.#restartDelayMs} ms: ${describeFailure(err)}`,
        err,
      ),
    );
    const delay = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delay * 2, this.#backoff.maxMs);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopped) void this.#listWatch.start();
    }, delay);
  }

  /**
   * Every page of the collection; the first page's resourceVersion is the one to watch from. A continue token
   * that expired between pages (410) restarts the list: the pages must come from one consistent snapshot.
   */
  async #listAll(): Promise<ListPage> {
    for (let attempt = 1; ; attempt++) {
      try {
        const list = await this.#listOnce();
        this.#listed = true;
        this.#restartDelayMs = this.#backoff.baseMs;
        return list;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 410 || attempt >= LIST_ATTEMPTS_ON_EXPIRY) throw err;
      }
    }
  }

  async #listOnce(): Promise<ListPage> {
    const items: KubernetesObject[] = [];
    let first: ListPage | undefined;
    let token: string | undefined;
    do {
      const page = await this.#listPage(token);
      first ??= page;
      items.push(...page.items.map(this.#transform));
      token = page.metadata?._continue || page.metadata?.continue || undefined;
    } while (token);
    return { ...first, items, metadata: { resourceVersion: first?.metadata?.resourceVersion ?? '' } };
  }

  async #listPage(token: string | undefined): Promise<ListPage> {
    const { group, version, plural, labelSelector, fieldSelector } = this.kind;
    const query = {
      limit: LIST_PAGE_SIZE,
      ...(token === undefined ? {} : { _continue: token }),
      ...(labelSelector === undefined ? {} : { labelSelector }),
      ...(fieldSelector === undefined ? {} : { fieldSelector }),
    };
    if (group !== '')
      return (await this.#custom.listClusterCustomObject({ group, version, plural, ...query })) as ListPage;
    // Core kinds have no CustomObjectsApi path (/apis//v1); their typed lists keep JSON field names.
    switch (plural) {
      case 'namespaces':
        return (await this.#core.listNamespace(query)) as ListPage;
      case 'services':
        return (await this.#core.listServiceForAllNamespaces(query)) as ListPage;
      case 'secrets':
        return (await this.#core.listSecretForAllNamespaces(query)) as ListPage;
      case 'configmaps':
        return (await this.#core.listConfigMapForAllNamespaces(query)) as ListPage;
      default:
        throw new Error(`kubernetes provider: no list for core resource ${plural}`);
    }
  }
}

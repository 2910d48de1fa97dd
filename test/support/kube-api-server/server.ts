/**
 * An in-process, API-compatible Kubernetes API server for tests (node:http on a random loopback port). It is the
 * "real server" our Kubernetes code and `@kubernetes/client-node` talk to over HTTP, since CI has no cluster.
 * Hand-written because no maintained JavaScript implementation of the API server's semantics (resourceVersion,
 * watch resumption and 410, server-side apply with managedFields) exists; envtest needs Go and etcd binaries.
 * The implemented subset and the known differences are listed in README.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, methodNotAllowed, StatusReason, unauthorized } from './api-errors.js';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
import { Reader } from './reads.js';
import {
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  DEFAULT_RESOURCES,
  isServedGroupVersion,
  type ResourceType,
} from './resources.js';
import { parseApiPath, type ResourcePath } from './routes.js';
import { ObjectStore } from './store.js';
import { WatchHub } from './watch.js';
import { Writer, type WriteTarget } from './writes.js';

export interface KubeApiServerOptions {
  /** Bearer token every request must carry; unset: anonymous access. */
  token?: string;
  /** Change events kept for watch resumption; older resourceVersions get 410 (default 1000). */
  retainEvents?: number;
  /** Period of BOOKMARK events on watches with `allowWatchBookmarks=true`; 0 sends them only on `sendBookmarks()`. */
  bookmarkIntervalMs?: number;
  /** Resource types served besides DEFAULT_RESOURCES (e.g. EXPERIMENTAL_RESOURCES). */
  extraResources?: readonly ResourceType[];
  /** Namespaces that exist at start (default `default`, `kube-system`, `kube-public`). */
  namespaces?: readonly string[];
}

/** One handled request, for tests that assert what a client did (e.g. that it skipped a write). */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  contentType: string;
  status: number;
}

/** What a route produced: a JSON body, a plain-text body, or a stream it already writes (watch). */
type Reply = { code: number; body: unknown } | { code: number; text: string } | { streamed: true };

/** Called before a request is handled; tests use it to inject a concurrent change or a compaction mid-sequence. */
export type RequestHook = (request: { method: string; path: string; query: URLSearchParams }) => void | Promise<void>;

/** The largest request body the real server accepts (3 MiB). */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const VERSION_INFO = { major: '1', minor: '31', gitVersion: 'v1.31.0-portcullis-test', platform: 'linux/amd64' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        reject(new ApiError(413, StatusReason.RequestEntityTooLarge, 'Request entity too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The real server names a manager after the client binary when `fieldManager` is absent. */
function managerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = req.headers['user-agent'] ?? '';
  return agent.split('/')[0] || 'unknown';
}

export class KubeApiServer {
  readonly url: string;
  readonly requests: RequestRecord[] = [];
  readonly #server: Server;
  readonly #store: ObjectStore;
  readonly #watches: WatchHub;
  readonly #reader: Reader;
  readonly #writer: Writer;
  readonly #resources: readonly ResourceType[];
  readonly #token: string | undefined;
  #hook: RequestHook | undefined;

  private constructor(
    server: Server,
    store: ObjectStore,
    options: KubeApiServerOptions,
    resources: readonly ResourceType[],
  ) {
    this.#server = server;
    this.#store = store;
    this.#resources = resources;
    this.#token = options.token;
    this.#watches = new WatchHub(store, options.bookmarkIntervalMs ?? 1000);
    this.#reader = new Reader(store);
    this.#writer = new Writer(store, resources);
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
    const resources = [...DEFAULT_RESOURCES, ...(options.extraResources ?? [])];
    const store = new ObjectStore(options.retainEvents ?? 1000);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new KubeApiServer(server, store, options, resources);
    server.on('request', (req, res) => {
      void api.#handle(req, res);
    });
    const namespaces = resources.find((r) => r.group === '' && r.plural === 'namespaces') as ResourceType;
    for (const ns of options.namespaces ?? ['default', 'kube-system', 'kube-public']) {
      api.#writer.create(
        {
          resource: namespaces,
          namespace: '',
          name: '',
          subresource: '',
          manager: 'kube-apiserver',
          explicitManager: true,
          dryRun: false,
        },
        JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }),
      );
    }
    return api;
  }

  /** Installs (or with `undefined` removes) a hook run before each request is handled. */
  onRequest(hook: RequestHook | undefined): void {
    this.#hook = hook;
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): string {
    return String(this.#store.resourceVersion);
  }

  /** Open watch streams, optionally of one resource (by plural), to wait for informers to (re)connect. */
  openWatches(plural?: string): number {
    return plural === undefined ? this.#watches.openCount : this.#watches.openCountFor(plural);
  }

  /**
   * Simulates etcd compaction after a disconnect: every resourceVersion handed out so far becomes too old, so the
   * next watch from any of them gets 410 Gone. By default also ends every open watch, as an API server restart
   * would, so that clients reconnect now (with their old resourceVersion) and meet the 410.
   */
  compact(options: { closeWatches?: boolean } = {}): void {
    this.#store.compact();
    if (options.closeWatches ?? true) this.#watches.closeAll();
  }

  /** Ends every open watch stream (clients reconnect from their last resourceVersion). */
  closeWatches(): void {
    this.#watches.closeAll();
  }

  /** Sends a BOOKMARK now on every watch that allowed bookmarks. */
  sendBookmarks(): void {
    this.#watches.sendBookmarks();
  }

  /** A kubeconfig (YAML) with one context pointing at this server over plain HTTP. */
  kubeconfig(options: { namespace?: string; token?: string } = {}): string {
    const token = options.token ?? this.#token;
    return kubeconfigYaml({
      server: this.url,
      ...(token === undefined ? {} : { token }),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    });
  }

  /** Writes `kubeconfig()` to `<dir>/kubeconfig` (mode 0600) and returns the path, for `KubeConfig.loadFromFile`. */
  writeKubeconfig(dir: string, options: { namespace?: string; token?: string } = {}): Promise<string> {
    const token = options.token ?? this.#token;
    return writeKubeconfig(dir, {
      server: this.url,
      ...(token === undefined ? {} : { token }),
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    });
  }

  async stop(): Promise<void> {
    this.#watches.closeAll();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    res.on('finish', () => {
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.search,
        contentType,
        status: res.statusCode,
      });
    });
    try {
      if (this.#token !== undefined && req.headers.authorization !== `Bearer ${this.#token}`) throw unauthorized();
      const body = await readBody(req);
      await this.#hook?.({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
      const reply = this.#route(req, res, url, contentType, body);
      if ('text' in reply) {
        res.writeHead(reply.code, { 'Content-Type': 'text/plain' });
        res.end(reply.text);
      } else if ('body' in reply) {
        sendJson(res, reply.code, reply.body);
      }
    } catch (err) {
      if (res.headersSent) {
        res.end();
        return;
      }
      const error =
        err instanceof ApiError
          ? err
          : new ApiError(500, 'InternalError' as StatusReason, `test API server: ${String(err)}`);
      sendJson(res, error.code, error.toStatus());
    }
  }

  #route(req: IncomingMessage, res: ServerResponse, url: URL, contentType: string, body: string): Reply {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (method === 'GET' && ['/healthz', '/livez', '/readyz'].includes(path)) return { code: 200, text: 'ok' };
    if (method === 'GET' && path === '/version') return { code: 200, body: VERSION_INFO };
    if (method === 'GET' && path === '/api') {
      return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    }
    if (method === 'GET' && path === '/apis') return { code: 200, body: apiGroupList(this.#resources) };
    const groupOnly = /^\/apis\/([^/]+)$/.exec(path);
    const groupDoc = groupOnly ? apiGroupDocument(this.#resources, groupOnly[1] ?? '') : undefined;
    if (method === 'GET' && groupDoc) return { code: 200, body: groupDoc };
    const parsed = parseApiPath(path, this.#resources);
    if (
      parsed.kind === 'groupVersion' &&
      method === 'GET' &&
      isServedGroupVersion(this.#resources, parsed.groupVersion)
    ) {
      return { code: 200, body: apiResourceList(this.#resources, parsed.groupVersion) };
    }
    if (parsed.kind !== 'resource') {
      throw new ApiError(404, StatusReason.NotFound, 'the server could not find the requested resource');
    }
    return this.#routeResource(req, res, parsed.path, url.searchParams, contentType, body);
  }

  #routeResource(
    req: IncomingMessage,
    res: ServerResponse,
    path: ResourcePath,
    query: URLSearchParams,
    contentType: string,
    body: string,
  ): Reply {
    const method = req.method ?? 'GET';
    const { resource, namespace, name } = path;
    const watch = path.legacyWatch || query.get('watch') === 'true' || query.get('watch') === '1';
    const target: WriteTarget = {
      resource,
      namespace: namespace ?? '',
      name: name ?? '',
      subresource: path.subresource,
      manager: managerOf(req, query),
      explicitManager: query.has('fieldManager'),
      dryRun: query.get('dryRun') === 'All',
    };
    if (name === undefined) {
      if (method === 'GET' && watch) {
        this.#watches.serve(res, resource, namespace, query);
        return { streamed: true };
      }
      if (method === 'GET') return { code: 200, body: this.#reader.list(resource, namespace, query) };
      if (method === 'POST' && (namespace !== undefined || !resource.namespaced)) {
        const created = this.#writer.create(target, body);
        return { code: created.code, body: created.object };
      }
      throw methodNotAllowed(method);
    }
    if (method === 'GET' && watch) {
      const single = new URLSearchParams(query);
      single.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${name}`].filter(Boolean).join(','));
      this.#watches.serve(res, resource, namespace, single);
      return { streamed: true };
    }
    if (method === 'GET') return { code: 200, body: this.#reader.get(resource, namespace ?? '', name) };
    if (method === 'PUT') {
      const result = this.#writer.update(target, body);
      return { code: result.code, body: result.object };
    }
    if (method === 'PATCH') {
      const result = this.#writer.patch(target, body, contentType, query.get('force') === 'true');
      return { code: result.code, body: result.object };
    }
    if (method === 'DELETE' && path.subresource === '') return { code: 200, body: this.#writer.delete(target, body) };
    throw methodNotAllowed(method);
  }
}

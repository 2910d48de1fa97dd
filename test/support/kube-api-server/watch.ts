/**
 * Watch streams, as the real server serves them: HTTP 200 with one JSON event per line.
 * - No resourceVersion (or `0`): synthetic ADDED events for every current object, then live events.
 * - resourceVersion N: every retained event after N, then live events. N older than the retained window: a single
 *   `ERROR` event carrying a `Status` with code 410 (reason Expired), then the stream ends — the client must re-list.
 * - Selectors: an object that starts or stops matching is sent as ADDED or DELETED, as the real watch cache does.
 * - `allowWatchBookmarks=true`: periodic BOOKMARK events (object with only kind, apiVersion, resourceVersion).
 * - `timeoutSeconds`: the server ends the stream after that long.
 */
import type { ServerResponse } from 'node:http';
import { badRequest, tooOldResourceVersion } from './api-errors.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import {
  type FieldSelector,
  type LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js';
import type { KubeObject, ObjectStore, StoreEvent } from './store.js';

interface OpenWatch {
  readonly resource: ResourceType;
  sendBookmark(): void;
  close(): void;
}

interface Scope {
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
}

function inScope(scope: Scope, obj: KubeObject | undefined): boolean {
  if (!obj) return false;
  if (scope.namespace !== undefined && obj.metadata?.namespace !== scope.namespace) return false;
  return matchesLabels(scope.labels, obj.metadata?.labels) && matchesFields(scope.fields, obj);
}

/** The event a watcher with `scope` sees for a store event, if any. */
export function eventFor(scope: Scope, event: StoreEvent): { type: string; object: KubeObject } | undefined {
  const was = inScope(scope, event.previous);
  const is = event.type !== 'DELETED' && inScope(scope, event.object);
  if (event.type === 'DELETED') return was ? { type: 'DELETED', object: event.object } : undefined;
  if (was && is) return { type: 'MODIFIED', object: event.object };
  if (!was && is) return { type: 'ADDED', object: event.object };
  if (was && !is) return { type: 'DELETED', object: event.object };
  return undefined;
}

export class WatchHub {
  readonly #store: ObjectStore;
  readonly #open = new Set<OpenWatch>();
  readonly #bookmarkIntervalMs: number;

  constructor(store: ObjectStore, bookmarkIntervalMs: number) {
    this.#store = store;
    this.#bookmarkIntervalMs = bookmarkIntervalMs;
  }

  get openCount(): number {
    return this.#open.size;
  }

  /** Open watches of one resource type (tests wait for an informer to reconnect). */
  openCountFor(plural: string): number {
    return [...this.#open].filter((w) => w.resource.plural === plural).length;
  }

  closeAll(): void {
    for (const w of [...this.#open]) w.close();
  }

  sendBookmarks(): void {
    for (const w of this.#open) w.sendBookmark();
  }

  serve(res: ServerResponse, resource: ResourceType, namespace: string | undefined, query: URLSearchParams): void {
    const scope: Scope = {
      namespace,
      labels: parseLabelSelector(query.get('labelSelector')),
      fields: parseFieldSelector(query.get('fieldSelector'), resource),
    };
    const rvParam = query.get('resourceVersion') ?? '';
    const fromRv = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
    if (fromRv !== undefined && !Number.isInteger(fromRv)) throw badRequest(`invalid resource version: ${rvParam}`);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const send = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);

    let backlog: StoreEvent[] = [];
    if (fromRv === undefined) {
      for (const obj of this.#store.list(resource, namespace)) if (inScope(scope, obj)) send('ADDED', obj);
    } else {
      const events = this.#store.eventsSince(fromRv, resource);
      if (events === undefined) {
        send('ERROR', tooOldResourceVersion(fromRv, this.#store.oldestResumable + 1).toStatus());
        res.end();
        return;
      }
      backlog = events;
    }
    for (const e of backlog) {
      const out = eventFor(scope, e);
      if (out) send(out.type, out.object);
    }

    const timers: NodeJS.Timeout[] = [];
    const unsubscribe = this.#store.subscribe((e) => {
      if (e.resource !== resource) return;
      const out = eventFor(scope, e);
      if (out) send(out.type, out.object);
    });
    const watch: OpenWatch = {
      resource,
      sendBookmark: () => {
        if (query.get('allowWatchBookmarks') !== 'true') return;
        send('BOOKMARK', {
          kind: resource.kind,
          apiVersion: apiVersionOf(resource),
          metadata: { resourceVersion: String(this.#store.resourceVersion) },
        });
      },
      close: () => {
        if (!this.#open.delete(watch)) return;
        unsubscribe();
        for (const t of timers) clearTimeout(t);
        res.end();
      },
    };
    this.#open.add(watch);
    res.on('close', watch.close);
    if (query.get('allowWatchBookmarks') === 'true' && this.#bookmarkIntervalMs > 0) {
      const interval = setInterval(watch.sendBookmark, this.#bookmarkIntervalMs);
      interval.unref();
      timers.push(interval);
    }
    if (timeoutSeconds > 0) {
      const timeout = setTimeout(watch.close, timeoutSeconds * 1000);
      timeout.unref();
      timers.push(timeout);
    }
  }
}

/**
 * get and list. Lists return `metadata.resourceVersion` (the global counter at the time of the list), are sorted in
 * etcd key order, honour label and field selectors, and paginate with `limit`/`continue` over a consistent snapshot
 * taken at the first page; a continue token whose snapshot is older than the retained window gets 410 Expired.
 * Like the real server, items of built-in lists carry no `apiVersion`/`kind`; custom resource items do.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, expiredContinue, notFound } from './api-errors.js';
import { apiVersionOf, listKindOf, type ResourceType } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { KubeObject, ObjectStore } from './store.js';

interface ListSnapshot {
  readonly rv: number;
  readonly items: readonly KubeObject[];
}

/** How many paginated list snapshots are kept (oldest dropped first; a dropped one answers 410 like compaction). */
const SNAPSHOTS_KEPT = 32;

export class Reader {
  readonly #store: ObjectStore;
  readonly #snapshots = new Map<string, ListSnapshot>();

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  get(resource: ResourceType, namespace: string, name: string): KubeObject {
    const found = this.#store.get(resource, namespace, name);
    if (!found) throw notFound(resource, name);
    return found;
  }

  list(resource: ResourceType, namespace: string | undefined, query: URLSearchParams): object {
    if (query.get('resourceVersionMatch') === 'Exact') {
      throw badRequest(
        'resourceVersionMatch=Exact is not implemented by the test API server (lists serve the latest state)',
      );
    }
    const token = query.get('continue');
    let id: string;
    let offset: number;
    let snapshot: ListSnapshot | undefined;
    if (token) {
      const decoded = decodeContinue(token);
      id = decoded.id;
      offset = decoded.offset;
      snapshot = this.#snapshots.get(id);
      if (!snapshot || snapshot.rv < this.#store.oldestResumable) throw expiredContinue();
    } else {
      const labels = parseLabelSelector(query.get('labelSelector'));
      const fields = parseFieldSelector(query.get('fieldSelector'), resource);
      const items = this.#store
        .list(resource, namespace)
        .filter((o) => matchesLabels(labels, o.metadata?.labels) && matchesFields(fields, o));
      id = randomUUID();
      offset = 0;
      snapshot = { rv: this.#store.resourceVersion, items };
    }
    const limit = Number(query.get('limit') ?? '0');
    const end = limit > 0 ? Math.min(offset + limit, snapshot.items.length) : snapshot.items.length;
    const page = snapshot.items.slice(offset, end).map((o) => listItem(resource, o));
    const metadata: Record<string, unknown> = { resourceVersion: String(snapshot.rv) };
    if (end < snapshot.items.length) {
      this.#remember(id, snapshot);
      metadata.continue = encodeContinue(id, end);
      metadata.remainingItemCount = snapshot.items.length - end;
    }
    return { kind: listKindOf(resource), apiVersion: apiVersionOf(resource), metadata, items: page };
  }

  #remember(id: string, snapshot: ListSnapshot): void {
    this.#snapshots.delete(id);
    this.#snapshots.set(id, snapshot);
    while (this.#snapshots.size > SNAPSHOTS_KEPT) {
      const oldest = this.#snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.#snapshots.delete(oldest);
    }
  }
}

function listItem(resource: ResourceType, obj: KubeObject): KubeObject {
  if (resource.custom) return obj;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function encodeContinue(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64url');
}

function decodeContinue(token: string): { id: string; offset: number } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { id?: unknown; offset?: unknown };
    if (typeof parsed.id === 'string' && typeof parsed.offset === 'number')
      return { id: parsed.id, offset: parsed.offset };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
}

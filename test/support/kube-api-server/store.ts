/**
 * The object store: one global resourceVersion counter (as etcd's revision), objects by resource/namespace/name,
 * and a bounded log of change events that watches replay from. A resourceVersion older than the log's window is
 * "compacted": a watch or continue token from it gets 410 Expired, as with etcd compaction.
 */
import type { ResourceType } from './resources.js';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: unknown[];
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly rv: number;
  readonly resource: ResourceType;
  readonly type: EventType;
  /** The object after the change (for DELETED: the last state, carrying the deletion's resourceVersion). */
  readonly object: KubeObject;
  /** The object before the change (MODIFIED, DELETED), so that selector-filtered watches can synthesise events. */
  readonly previous?: KubeObject;
}

function keyOf(resource: ResourceType, namespace: string, name: string): string {
  return `${resource.group}/${resource.plural}/${namespace}/${name}`;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const bn = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

export class ObjectStore {
  #rv = 0;
  #compactedRv = 0;
  readonly #objects = new Map<string, KubeObject>();
  #events: StoreEvent[] = [];
  readonly #listeners = new Set<(event: StoreEvent) => void>();
  readonly #retainEvents: number;

  constructor(retainEvents: number) {
    this.#retainEvents = retainEvents;
  }

  /** The latest resourceVersion (what a list returns). */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** Watches and continue tokens from a resourceVersion below this get 410 Expired. */
  get oldestResumable(): number {
    return this.#compactedRv;
  }

  get(resource: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const found = this.#objects.get(keyOf(resource, namespace, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Objects of a type, in etcd key order (namespace, then name); all namespaces when `namespace` is undefined. */
  list(resource: ResourceType, namespace?: string): KubeObject[] {
    const prefix = namespace === undefined ? `${resource.group}/${resource.plural}/` : keyOf(resource, namespace, '');
    const items: KubeObject[] = [];
    for (const [key, obj] of this.#objects) if (key.startsWith(prefix)) items.push(structuredClone(obj));
    return items.sort(compareObjects);
  }

  /** Stores a created or changed object under the next resourceVersion and publishes the event. */
  put(resource: ResourceType, object: KubeObject, previous: KubeObject | undefined): KubeObject {
    const rv = ++this.#rv;
    const stored = structuredClone(object);
    stored.metadata = { ...stored.metadata, resourceVersion: String(rv) };
    const meta = stored.metadata;
    this.#objects.set(keyOf(resource, meta.namespace ?? '', meta.name ?? ''), stored);
    this.#publish({
      rv,
      resource,
      type: previous ? 'MODIFIED' : 'ADDED',
      object: structuredClone(stored),
      ...(previous ? { previous } : {}),
    });
    return structuredClone(stored);
  }

  /** Removes an object; the DELETED event and the returned object carry the deletion's resourceVersion. */
  remove(resource: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const key = keyOf(resource, namespace, name);
    const previous = this.#objects.get(key);
    if (previous === undefined) return undefined;
    this.#objects.delete(key);
    const rv = ++this.#rv;
    const object = structuredClone(previous);
    object.metadata = { ...object.metadata, resourceVersion: String(rv) };
    this.#publish({ rv, resource, type: 'DELETED', object, previous: structuredClone(previous) });
    return structuredClone(object);
  }

  /** Events of one type after `rv`, or `undefined` when `rv` is older than the retained window. */
  eventsSince(rv: number, resource: ResourceType): StoreEvent[] | undefined {
    if (rv < this.#compactedRv) return undefined;
    return this.#events.filter((e) => e.rv > rv && e.resource === resource);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Drops the whole event log, as etcd compaction followed by a long disconnect does: every resourceVersion handed
   * out so far becomes too old to resume from. The counter advances by one (in a real cluster other writes move it),
   * so that a client that re-lists gets a resourceVersion it can watch from.
   */
  compact(): void {
    this.#rv += 1;
    this.#compactedRv = this.#rv;
    this.#events = [];
  }

  #publish(event: StoreEvent): void {
    this.#events.push(event);
    while (this.#events.length > this.#retainEvents) {
      const dropped = this.#events.shift();
      if (dropped) this.#compactedRv = dropped.rv;
    }
    for (const listener of this.#listeners) listener(event);
  }
}

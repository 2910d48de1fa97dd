/**
 * The objects a provider currently knows, keyed by `Kind/namespace/name`; `snapshot()` turns them into a
 * `SourceSnapshot` with `createSnapshot`. Providers feed it from watches (upsert/remove) or full reads (replaceAll).
 * It holds every Secret it is given so that a Secret becoming referenced later is found, but snapshots carry only
 * referenced ones.
 */
import { formatKey, keyOf, kindInfo } from './objects.js';
import { createSnapshot, type SnapshotOptions } from './snapshot.js';
import type { KubernetesObject, ObjectKey, SourceSnapshot } from './types.js';

export class SourceCache {
  readonly #objects = new Map<string, KubernetesObject>();
  readonly #options: SnapshotOptions;

  constructor(options: SnapshotOptions = {}) {
    this.#options = options;
  }

  /** Adds or replaces an object. Returns false (and keeps nothing) for kinds the controller does not read. */
  upsert(object: KubernetesObject): boolean {
    if (kindInfo(object.apiVersion, object.kind) === undefined || !object.metadata?.name) return false;
    this.#objects.set(formatKey(keyOf(object)), object);
    return true;
  }

  /** Removes an object; removing an absent one is a no-op. */
  remove(key: ObjectKey): void {
    this.#objects.delete(formatKey(key));
  }

  /** Replaces everything of the given kinds (a relist), leaving other kinds untouched. */
  replaceKinds(kinds: readonly string[], objects: Iterable<KubernetesObject>): void {
    const replaced = new Set(kinds);
    for (const [key, object] of this.#objects) {
      if (replaced.has(object.kind ?? '')) this.#objects.delete(key);
    }
    for (const object of objects) this.upsert(object);
  }

  /** Replaces every object. */
  replaceAll(objects: Iterable<KubernetesObject>): void {
    this.#objects.clear();
    for (const object of objects) this.upsert(object);
  }

  get size(): number {
    return this.#objects.size;
  }

  snapshot(): SourceSnapshot {
    return createSnapshot(this.#objects.values(), this.#options);
  }
}

/**
 * Per-node snapshots of encoded Envoy resources, and what each node accepted and rejected.
 *
 * - `setSnapshot(nodeId | '*', resources)` replaces a node's resources (or the default for every node without its
 *   own). Each type gets a version that is a digest of its resources' names and per-resource versions, so a type
 *   whose resources did not change keeps its version and is not pushed again (a certificate rotation changes only
 *   the Secret version; an endpoint change leaves Listener and RouteConfiguration alone).
 * - Nothing is served before the first snapshot: `resolve` returns undefined and `ready` is false until then.
 * - The server reports every ACK and NACK here. An ACK becomes the node's last good state of that type. A NACK
 *   marks the resources suspected of it (see NackEvent); while a suspect's current version is the rejected one,
 *   `resolve` serves its last good version instead (or leaves it out if the node never accepted it), so other
 *   changes keep flowing and the rejected bytes are never re-sent. The mark clears when a different version of the
 *   resource is accepted, when it leaves the snapshot or returns to the version the node runs (a revert), or when
 *   the node disconnects (`forgetNode`).
 */
import { createHash } from 'node:crypto';
import type { EncodedResource, EncodedResources } from '../envoy/codec.js';
import { TYPE_URLS_IN_PUSH_ORDER, type TypeUrl } from '../envoy/registry.js';
import { XdsSnapshotError } from './errors.js';
import {
  type AcceptedState,
  type AckEvent,
  ALL_NODES,
  type NackEvent,
  type NodeKey,
  type Rejection,
  type ResolvedResponse,
  type SnapshotChange,
  type Subscription,
  type XdsSnapshot,
} from './types.js';

type Listener<T> = (event: T) => void;

interface Rejected {
  readonly resourceVersion: string;
  readonly errorDetail: string;
}

/** Digest of the names and versions of a resource list: the `version_info` of a response carrying exactly them. */
export function versionOf(resources: readonly EncodedResource[]): string {
  const hash = createHash('sha256');
  for (const r of resources) hash.update(`${r.name}\0${r.version}\n`);
  return hash.digest('hex').slice(0, 16);
}

const stateKey = (nodeId: string, typeUrl: TypeUrl): string => `${nodeId}\0${typeUrl}`;

export class SnapshotCache {
  readonly #snapshots = new Map<NodeKey, XdsSnapshot>();
  readonly #accepted = new Map<string, AcceptedState>();
  readonly #rejected = new Map<string, Map<string, Rejected>>();
  readonly #changeListeners = new Set<Listener<SnapshotChange>>();
  readonly #nackListeners = new Set<Listener<NackEvent>>();
  readonly #ackListeners = new Set<Listener<AckEvent>>();
  readonly #rejectionListeners = new Set<Listener<readonly Rejection[]>>();
  #ready = false;
  #resolveReady: () => void = () => {};
  readonly #readyPromise = new Promise<void>((resolve) => {
    this.#resolveReady = resolve;
  });

  /** True once the first snapshot is set (the first full sync of the controller): readiness. */
  get ready(): boolean {
    return this.#ready;
  }

  whenReady(): Promise<void> {
    return this.#readyPromise;
  }

  /**
   * Replaces the snapshot of `nodeId` ('*' = every node without its own). Validated before anything changes: all
   * five types present, each resource under its own type URL, names unique per type. Returns the changed types.
   */
  setSnapshot(nodeId: NodeKey, resources: EncodedResources): SnapshotChange {
    const snapshot = createSnapshot(nodeId, resources);
    const previous = this.#snapshots.get(nodeId);
    this.#snapshots.set(nodeId, snapshot);
    const changedTypes = TYPE_URLS_IN_PUSH_ORDER.filter((t) => previous?.versions[t] !== snapshot.versions[t]);
    this.#dropSettledRejections(nodeId);
    if (!this.#ready) {
      this.#ready = true;
      this.#resolveReady();
    }
    const change: SnapshotChange = { nodeId, changedTypes };
    if (changedTypes.length > 0) for (const listener of this.#changeListeners) listener(change);
    return change;
  }

  /** Removes a node's own snapshot (it falls back to '*'). Returns whether there was one. */
  deleteSnapshot(nodeId: NodeKey): boolean {
    const existed = this.#snapshots.delete(nodeId);
    if (existed) {
      const changedTypes = [...TYPE_URLS_IN_PUSH_ORDER];
      this.#dropSettledRejections(nodeId);
      for (const listener of this.#changeListeners) listener({ nodeId, changedTypes });
    }
    return existed;
  }

  /** The snapshot a node is served: its own, else '*'. */
  snapshotFor(nodeId: string): XdsSnapshot | undefined {
    return this.#snapshots.get(nodeId) ?? this.#snapshots.get(ALL_NODES);
  }

  /** The resources of `typeUrl` this node last accepted, or undefined if it accepted none. */
  lastGood(nodeId: string, typeUrl: TypeUrl): AcceptedState | undefined {
    return this.#accepted.get(stateKey(nodeId, typeUrl));
  }

  /** Outstanding rejections of every node, sorted by node, type and resource name. */
  rejections(): Rejection[] {
    const out: Rejection[] = [];
    for (const [key, byName] of this.#rejected) {
      const [nodeId = '', typeUrl] = key.split('\0') as [string, TypeUrl];
      for (const [resourceName, r] of byName) out.push({ nodeId, typeUrl, resourceName, ...r });
    }
    return out.sort(
      (a, b) => cmp(a.nodeId, b.nodeId) || cmp(a.typeUrl, b.typeUrl) || cmp(a.resourceName, b.resourceName),
    );
  }

  /** Called with the node key and changed types after every `setSnapshot`/`deleteSnapshot` that changed something. */
  onChange(listener: Listener<SnapshotChange>): () => void {
    return subscribe(this.#changeListeners, listener);
  }

  onNack(listener: Listener<NackEvent>): () => void {
    return subscribe(this.#nackListeners, listener);
  }

  onAck(listener: Listener<AckEvent>): () => void {
    return subscribe(this.#ackListeners, listener);
  }

  /** Called with all outstanding rejections whenever that set changes (what status writers want). */
  onRejectionsChange(listener: Listener<readonly Rejection[]>): () => void {
    return subscribe(this.#rejectionListeners, listener);
  }

  /**
   * What a subscription of this node resolves to now, with rejected resources replaced by their last good version;
   * undefined before the node has a snapshot. A wildcard gets every resource of the type; names that do not exist
   * are left out (SotW: the client keeps waiting for them).
   */
  resolve(nodeId: string, typeUrl: TypeUrl, subscription: Subscription): ResolvedResponse | undefined {
    const snapshot = this.snapshotFor(nodeId);
    if (snapshot === undefined) return undefined;
    const all = snapshot.resources[typeUrl];
    const chosen = subscription.wildcard ? all : all.filter((r) => subscription.names.has(r.name));
    const rejected = this.#rejected.get(stateKey(nodeId, typeUrl));
    const accepted = this.#accepted.get(stateKey(nodeId, typeUrl));
    const resources =
      rejected === undefined
        ? chosen
        : chosen.flatMap((r) => {
            if (rejected.get(r.name)?.resourceVersion !== r.version) return [r];
            const good = accepted?.resources.get(r.name);
            return good === undefined ? [] : [good];
          });
    return {
      typeUrl,
      version: versionOf(resources),
      resources,
      complete: subscription.wildcard,
      snapshotSetAt: snapshot.setAt,
    };
  }

  /** The node applied `response`: it becomes the last good state; rejections it supersedes clear. */
  recordAck(nodeId: string, response: ResolvedResponse): AckEvent {
    const key = stateKey(nodeId, response.typeUrl);
    const previous = this.#accepted.get(key);
    // A wildcard response is the whole type; a named one only the subscribed part, so it merges.
    const resources = new Map(response.complete ? [] : previous?.resources);
    for (const r of response.resources) resources.set(r.name, r);
    this.#accepted.set(key, { version: response.version, resources });

    // A mark clears when the node accepted a version other than the rejected one AND the snapshot no longer wants
    // the rejected one (an accepted last-good stand-in, served while the snapshot still holds the bad bytes, is not
    // a fix).
    const cleared: string[] = [];
    const rejected = this.#rejected.get(key);
    const wanted = this.snapshotFor(nodeId)?.resources[response.typeUrl];
    for (const r of response.resources) {
      const mark = rejected?.get(r.name);
      if (mark === undefined || mark.resourceVersion === r.version) continue;
      if (mark.resourceVersion !== wanted?.find((w) => w.name === r.name)?.version) {
        rejected?.delete(r.name);
        cleared.push(r.name);
      }
    }
    if (rejected?.size === 0) this.#rejected.delete(key);
    const event: AckEvent = {
      nodeId,
      typeUrl: response.typeUrl,
      version: response.version,
      clearedResourceNames: cleared,
    };
    for (const listener of this.#ackListeners) listener(event);
    if (cleared.length > 0) this.#emitRejections();
    return event;
  }

  /** The node rejected `response` and still runs its last good state; marks the suspected resources. */
  recordNack(nodeId: string, response: ResolvedResponse, errorDetail: string): NackEvent {
    const key = stateKey(nodeId, response.typeUrl);
    const accepted = this.#accepted.get(key);
    const changed = response.resources.filter((r) => accepted?.resources.get(r.name)?.version !== r.version);
    const named = changed.filter((r) => mentions(errorDetail, r.name));
    const suspects = named.length > 0 ? named : changed;
    if (suspects.length > 0) {
      const rejected = this.#rejected.get(key) ?? new Map<string, Rejected>();
      for (const r of suspects) rejected.set(r.name, { resourceVersion: r.version, errorDetail });
      this.#rejected.set(key, rejected);
    }
    const event: NackEvent = {
      nodeId,
      typeUrl: response.typeUrl,
      resourceNames: suspects.map((r) => r.name),
      errorDetail,
      version: response.version,
      lastGoodVersion: accepted?.version ?? '',
    };
    for (const listener of this.#nackListeners) listener(event);
    if (suspects.length > 0) this.#emitRejections();
    return event;
  }

  /**
   * Forgets what a node accepted and rejected (its last stream closed). A node that comes back starts from what it
   * reports; a rejection that still holds is reported again by its next NACK, so status does not keep a gone node's.
   */
  forgetNode(nodeId: string): void {
    let hadRejections = false;
    for (const typeUrl of TYPE_URLS_IN_PUSH_ORDER) {
      this.#accepted.delete(stateKey(nodeId, typeUrl));
      hadRejections = this.#rejected.delete(stateKey(nodeId, typeUrl)) || hadRejections;
    }
    if (hadRejections) this.#emitRejections();
  }

  /**
   * Rejections the new snapshot settles without a push: the resource left the snapshot, or it went back to the
   * version the node already runs (a revert: nothing is sent, so no ACK would ever clear it).
   */
  #dropSettledRejections(snapshotKey: NodeKey): void {
    let dropped = false;
    for (const [key, byName] of this.#rejected) {
      const [nodeId = '', typeUrl] = key.split('\0') as [string, TypeUrl];
      if (snapshotKey !== ALL_NODES && nodeId !== snapshotKey) continue;
      const current = new Map(this.snapshotFor(nodeId)?.resources[typeUrl].map((r) => [r.name, r.version]));
      const accepted = this.#accepted.get(key)?.resources;
      for (const name of byName.keys()) {
        const version = current.get(name);
        if (version === undefined || version === accepted?.get(name)?.version) {
          byName.delete(name);
          dropped = true;
        }
      }
      if (byName.size === 0) this.#rejected.delete(key);
    }
    if (dropped) this.#emitRejections();
  }

  #emitRejections(): void {
    if (this.#rejectionListeners.size === 0) return;
    const all = this.rejections();
    for (const listener of this.#rejectionListeners) listener(all);
  }
}

function createSnapshot(nodeId: NodeKey, resources: EncodedResources): XdsSnapshot {
  if (typeof nodeId !== 'string' || nodeId === '') throw new XdsSnapshotError(String(nodeId), 'node id is empty');
  const sorted = {} as Record<TypeUrl, readonly EncodedResource[]>;
  const versions = {} as Record<TypeUrl, string>;
  for (const typeUrl of TYPE_URLS_IN_PUSH_ORDER) {
    const list = resources[typeUrl];
    if (!Array.isArray(list)) throw new XdsSnapshotError(nodeId, `${typeUrl}: missing (every type must be given)`);
    const seen = new Set<string>();
    for (const r of list) {
      if (r.typeUrl !== typeUrl) throw new XdsSnapshotError(nodeId, `${typeUrl}: ${r.name} is a ${r.typeUrl}`);
      if (seen.has(r.name)) throw new XdsSnapshotError(nodeId, `${typeUrl}: ${r.name} appears twice`);
      seen.add(r.name);
    }
    sorted[typeUrl] = [...list].sort((a, b) => cmp(a.name, b.name));
    versions[typeUrl] = versionOf(sorted[typeUrl]);
  }
  return { resources: sorted, versions, setAt: performance.now() };
}

/** Characters our resource names are made of (`ns/svc:80/http2`, `https-443`, `*.example.com`). */
const NAME_CHAR = /[A-Za-z0-9._:/*-]/;

/** Whether `text` names `name` as a whole word: `http-80` is not mentioned by `http-8080` or `ahttp-80`. */
export function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    // `name: detail` is how Envoy and gRPC phrase it; a colon is a name character only when more name follows.
    const end = text[at + name.length] === ':' ? at + name.length + 1 : at + name.length;
    const after = text[end];
    if ((before === undefined || !NAME_CHAR.test(before)) && (after === undefined || !NAME_CHAR.test(after)))
      return true;
  }
  return false;
}

function subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

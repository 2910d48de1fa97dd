/**
 * Create, update (PUT), patch (merge, strategic merge, JSON patch, server-side apply) and delete, with the real
 * server's rules: preconditions on resourceVersion and uid (409), `/status` writes that change only `.status` and
 * main writes that ignore it, `metadata.generation` bumped by spec changes only, managedFields recorded for every
 * write, and no-op writes that neither bump the resourceVersion nor produce a watch event.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  alreadyExists,
  badRequest,
  invalid,
  modifiedConflict,
  namespaceNotFound,
  notFound,
  unsupportedMediaType,
} from './api-errors.js';
import { isPlainMap } from './field-paths.js';
import { applyConfiguration, type Owner, readOwners, recordUpdate, sameOwners, writeOwners } from './managed-fields.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { apiVersionOf, DEFAULT_RESOURCES, type ResourceType } from './resources.js';
import type { KubeObject, ObjectStore } from './store.js';
import { foldStringData, validateObject } from './validation.js';

const namespaceResource = DEFAULT_RESOURCES.find((r) => r.plural === 'namespaces') as ResourceType;

export interface WriteTarget {
  resource: ResourceType;
  /** `''` for cluster-scoped resources. */
  namespace: string;
  /** `''` for a create on the collection. */
  name: string;
  subresource: '' | 'status';
  /** Field manager: the `fieldManager` parameter, else derived from the User-Agent like the real server. */
  manager: string;
  /** Whether `manager` came from the `fieldManager` parameter (apply requires it). */
  explicitManager: boolean;
  dryRun: boolean;
}

export interface WriteResult {
  code: 200 | 201;
  object: KubeObject;
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseBody(raw: string, contentType: string): unknown {
  try {
    return contentType === 'application/apply-patch+yaml' ? parseYaml(raw) : JSON.parse(raw);
  } catch (err) {
    throw badRequest(`the request body could not be decoded: ${(err as Error).message}`);
  }
}

function stripForGeneration(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _, resourceVersion: __, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

export class Writer {
  readonly #store: ObjectStore;
  readonly #resources: readonly ResourceType[];

  constructor(store: ObjectStore, resources: readonly ResourceType[]) {
    this.#store = store;
    this.#resources = resources;
  }

  #requireNamespace(target: WriteTarget): void {
    if (target.resource.namespaced && !this.#store.get(namespaceResource, '', target.namespace)) {
      throw namespaceNotFound(target.namespace);
    }
  }

  #live(target: WriteTarget): KubeObject {
    const live = this.#store.get(target.resource, target.namespace, target.name);
    if (!live) throw notFound(target.resource, target.name);
    return live;
  }

  /** Type and identity checks shared by every write of a whole object. */
  #checkIdentity(target: WriteTarget, obj: KubeObject, name: string): void {
    const want = apiVersionOf(target.resource);
    if (obj.kind !== undefined && obj.kind !== target.resource.kind) {
      throw badRequest(
        `the kind of the provided object (${obj.kind}) does not match the resource (${target.resource.kind})`,
      );
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
      );
    }
    obj.apiVersion = want;
    obj.kind = target.resource.kind;
    obj.metadata = isPlainMap(obj.metadata) ? obj.metadata : {};
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    if (target.resource.namespaced) {
      if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== target.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = target.namespace;
    } else {
      delete obj.metadata.namespace;
    }
  }

  /** Shared tail of update, patch and apply: subresource scoping, generation, validation, ownership, no-op, commit. */
  #commit(
    target: WriteTarget,
    live: KubeObject | undefined,
    next: KubeObject,
    owners: Owner[] | undefined,
  ): WriteResult {
    const { resource } = target;
    if (live) {
      const metadata: Record<string, unknown> = { ...next.metadata };
      for (const k of ['uid', 'creationTimestamp', 'generation'] as const) {
        if (live.metadata?.[k] !== undefined) metadata[k] = live.metadata[k];
      }
      next.metadata = metadata;
      if (target.subresource === 'status') {
        const status = next.status;
        next = { ...structuredClone(live), ...(status === undefined ? {} : { status }) };
        if (status === undefined) delete next.status;
      } else if (resource.statusSubresource) {
        if (live.status === undefined) delete next.status;
        else next.status = structuredClone(live.status);
      }
      if (resource.tracksGeneration && target.subresource === '') {
        if (!isDeepStrictEqual(stripForGeneration(live), stripForGeneration(next))) {
          next.metadata = { ...next.metadata, generation: (live.metadata?.generation ?? 1) + 1 };
        }
      }
    }
    foldStringData(next);
    const causes = validateObject(resource, next, live);
    if (causes.length > 0) throw invalid(resource, target.name, causes);
    const ctx = {
      resource,
      apiVersion: apiVersionOf(resource),
      manager: target.manager,
      subresource: target.subresource,
      now: nowSeconds(),
    };
    const newOwners = owners ?? recordUpdate(live, next, ctx);
    writeOwners(next, newOwners);
    if (
      live &&
      isDeepStrictEqual(withoutManagedFields(live), withoutManagedFields(next)) &&
      sameOwners(readOwners(live), newOwners)
    ) {
      return { code: 200, object: live };
    }
    if (target.dryRun) return { code: live ? 200 : 201, object: next };
    return { code: live ? 200 : 201, object: this.#store.put(resource, next, live) };
  }

  #checkResourceVersion(target: WriteTarget, live: KubeObject, candidate: KubeObject): void {
    const wanted = candidate.metadata?.resourceVersion;
    if (wanted !== undefined && wanted !== '' && wanted !== live.metadata?.resourceVersion) {
      throw modifiedConflict(target.resource, target.name);
    }
    const uid = candidate.metadata?.uid;
    if (uid !== undefined && uid !== live.metadata?.uid) throw modifiedConflict(target.resource, target.name);
  }

  create(target: WriteTarget, rawBody: string): WriteResult {
    const obj = parseBody(rawBody, 'application/json');
    if (!isPlainMap(obj)) throw badRequest('the request body must be an object');
    const object = obj as KubeObject;
    // Built-in endpoints default apiVersion/kind from the URL (client-go sends no TypeMeta); custom resources need them.
    if (object.kind === undefined && target.resource.custom)
      throw badRequest("Object 'Kind' is missing in the request body");
    const meta = isPlainMap(object.metadata) ? object.metadata : {};
    const name =
      meta.name ?? (meta.generateName ? `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}` : '');
    if (name === '')
      throw invalid(target.resource, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    this.#checkIdentity(target, object, name);
    return this.#create({ ...target, name }, object, undefined);
  }

  #create(target: WriteTarget, object: KubeObject, owners: Owner[] | undefined): WriteResult {
    const { resource } = target;
    this.#requireNamespace(target);
    if (this.#store.get(resource, target.namespace, target.name)) throw alreadyExists(resource, target.name);
    const { managedFields: _, ...meta } = object.metadata ?? {};
    object.metadata = { ...meta, uid: randomUUID(), creationTimestamp: nowSeconds() };
    if (resource.tracksGeneration) object.metadata.generation = 1;
    if (resource.statusSubresource) delete object.status;
    if (resource.kind === 'Namespace') object.status = { phase: 'Active' };
    if (resource.kind === 'Secret' && object.type === undefined) object.type = 'Opaque';
    return this.#commit(target, undefined, object, owners);
  }

  update(target: WriteTarget, rawBody: string): WriteResult {
    const live = this.#live(target);
    const body = parseBody(rawBody, 'application/json');
    if (!isPlainMap(body)) throw badRequest('the request body must be an object');
    const next = body as KubeObject;
    if (next.kind === undefined && target.resource.custom)
      throw badRequest("Object 'Kind' is missing in the request body");
    this.#checkIdentity(target, next, target.name);
    const rv = next.metadata?.resourceVersion;
    if ((rv === undefined || rv === '') && target.resource.custom) {
      throw invalid(target.resource, target.name, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0x0: must be specified for an update',
          field: 'metadata.resourceVersion',
        },
      ]);
    }
    this.#checkResourceVersion(target, live, next);
    return this.#commit(target, live, next, undefined);
  }

  patch(target: WriteTarget, rawBody: string, contentType: string, force: boolean): WriteResult {
    if (contentType === 'application/apply-patch+yaml') return this.#apply(target, rawBody, force);
    if (force) throw badRequest('force may only be set on apply requests');
    const live = this.#live(target);
    const body = parseBody(rawBody, contentType);
    let next: unknown;
    if (contentType === 'application/merge-patch+json') next = mergePatch(live, body);
    else if (contentType === 'application/json-patch+json') next = jsonPatch(live, body);
    else if (contentType === 'application/strategic-merge-patch+json') {
      if (target.resource.custom) throw unsupportedMediaType(`${contentType} (not supported for custom resources)`);
      next = strategicMergePatch(live, body);
    } else throw unsupportedMediaType(contentType);
    if (!isPlainMap(next)) throw badRequest('the patched object is not an object');
    const object = next as KubeObject;
    this.#checkIdentity(target, object, target.name);
    this.#checkResourceVersion(target, live, object);
    object.metadata = { ...object.metadata, managedFields: live.metadata?.managedFields ?? [] };
    return this.#commit(target, live, object, undefined);
  }

  #apply(target: WriteTarget, rawBody: string, force: boolean): WriteResult {
    if (!target.explicitManager) throw badRequest('fieldManager is required for apply requests');
    const body = parseBody(rawBody, 'application/apply-patch+yaml');
    if (!isPlainMap(body)) throw badRequest('the applied configuration must be an object');
    const applied = body as KubeObject;
    if (applied.apiVersion === undefined || applied.kind === undefined) {
      throw badRequest('apiVersion and kind are required in an applied configuration');
    }
    this.#checkIdentity(target, applied, target.name);
    foldStringData(applied);
    const live = this.#store.get(target.resource, target.namespace, target.name);
    if (!live && target.subresource === 'status') throw notFound(target.resource, target.name);
    if (live) this.#checkResourceVersion(target, live, applied);
    const ctx = {
      resource: target.resource,
      apiVersion: apiVersionOf(target.resource),
      manager: target.manager,
      subresource: target.subresource,
      now: nowSeconds(),
      force,
      name: target.name,
    };
    const { object, owners } = applyConfiguration(live, applied, ctx);
    if (!live) {
      const created = this.#create(target, object, owners);
      return { code: 201, object: created.object };
    }
    return this.#commit(target, live, object, owners);
  }

  delete(target: WriteTarget, rawBody: string): object {
    const live = this.#live(target);
    const options = rawBody.trim() === '' ? {} : parseBody(rawBody, 'application/json');
    const preconditions = isPlainMap(options) && isPlainMap(options.preconditions) ? options.preconditions : {};
    if (
      (preconditions.resourceVersion !== undefined &&
        preconditions.resourceVersion !== live.metadata?.resourceVersion) ||
      (preconditions.uid !== undefined && preconditions.uid !== live.metadata?.uid)
    ) {
      throw modifiedConflict(target.resource, target.name);
    }
    if (!target.dryRun) {
      if (target.resource.kind === 'Namespace') {
        // The real server finalises a namespace asynchronously (phase Terminating); here its contents go at once.
        for (const r of this.#resources.filter((x) => x.namespaced)) {
          for (const o of this.#store.list(r, target.name)) this.#store.remove(r, target.name, o.metadata?.name ?? '');
        }
      }
      this.#store.remove(target.resource, target.namespace, target.name);
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: target.name,
        ...(target.resource.group ? { group: target.resource.group } : {}),
        kind: target.resource.plural,
        uid: live.metadata?.uid,
      },
    };
  }
}

/**
 * Field ownership (`metadata.managedFields`) and server-side apply, after the rules of
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/:
 * - every write records which manager set which fields; an Update takes the fields it changed away from others;
 * - an Apply owns exactly the fields in its configuration; fields it applied before and omits now are removed unless
 *   another manager also owns them; applying a value that differs from a field another manager owns is a conflict
 *   (409 naming the manager) unless `force`, which moves ownership; applying the same value shares ownership.
 * Managers are keyed by (manager, operation, subresource) as in the real server.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyConflict, type FieldConflict } from './api-errors.js';
import {
  decodeFieldsV1,
  deleteAt,
  encodeFieldsV1,
  type FieldPath,
  formatPath,
  getAt,
  hasAt,
  isPlainMap,
  overlaps,
  ownedPaths,
  pathKey,
  setAt,
} from './field-paths.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

export type Operation = 'Apply' | 'Update';

export interface Owner {
  manager: string;
  operation: Operation;
  /** `''` for the main resource, `status` for the status subresource. */
  subresource: string;
  apiVersion: string;
  time: string;
  paths: FieldPath[];
}

export interface WriteContext {
  resource: ResourceType;
  apiVersion: string;
  manager: string;
  subresource: string;
  /** RFC 3339, seconds. */
  now: string;
}

export function readOwners(obj: KubeObject | undefined): Owner[] {
  const entries = obj?.metadata?.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isPlainMap).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    subresource: typeof e.subresource === 'string' ? e.subresource : '',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    paths: decodeFieldsV1(e.fieldsV1),
  }));
}

export function writeOwners(obj: KubeObject, owners: readonly Owner[]): void {
  const entries = owners
    .filter((o) => o.paths.length > 0)
    .map((o) => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldsV1(o.paths),
      ...(o.subresource ? { subresource: o.subresource } : {}),
    }));
  obj.metadata = { ...obj.metadata, managedFields: entries };
}

/** Same managers owning the same fields (times ignored: a time-only change is not a change). */
export function sameOwners(a: readonly Owner[], b: readonly Owner[]): boolean {
  const canon = (owners: readonly Owner[]) =>
    owners
      .filter((o) => o.paths.length > 0)
      .map((o) => `${o.manager}|${o.operation}|${o.subresource}|${o.paths.map(pathKey).sort().join(',')}`)
      .sort();
  return isDeepStrictEqual(canon(a), canon(b));
}

function isSameKey(o: Owner, manager: string, operation: Operation, subresource: string): boolean {
  return o.manager === manager && o.operation === operation && o.subresource === subresource;
}

function upsert(owners: Owner[], ctx: WriteContext, operation: Operation): Owner {
  const found = owners.find((o) => isSameKey(o, ctx.manager, operation, ctx.subresource));
  if (found) return found;
  const created: Owner = {
    manager: ctx.manager,
    operation,
    subresource: ctx.subresource,
    apiVersion: ctx.apiVersion,
    time: ctx.now,
    paths: [],
  };
  owners.push(created);
  return created;
}

/**
 * Ownership after a create, update or (non-apply) patch from `before` (absent on create) to `after`: the writer
 * owns what it changed, others lose what it changed, nobody owns what no longer exists.
 */
export function recordUpdate(before: KubeObject | undefined, after: KubeObject, ctx: WriteContext): Owner[] {
  const owners = readOwners(before).map((o) => ({ ...o, paths: [...o.paths] }));
  const changed = ownedPaths(after, ctx.resource, ctx.subresource).filter(
    (p) => !hasAt(before, p) || !isDeepStrictEqual(getAt(before, p), getAt(after, p)),
  );
  for (const owner of owners) {
    const count = owner.paths.length;
    owner.paths = owner.paths.filter((p) => hasAt(after, p));
    if (!isSameKey(owner, ctx.manager, 'Update', ctx.subresource)) {
      owner.paths = owner.paths.filter((p) => !changed.some((c) => overlaps(p, c)));
    }
    if (owner.paths.length !== count) owner.time = ctx.now;
  }
  if (changed.length > 0) {
    const mine = upsert(owners, ctx, 'Update');
    const known = new Set(mine.paths.map(pathKey));
    mine.paths.push(...changed.filter((p) => !known.has(pathKey(p))));
    mine.time = ctx.now;
  }
  return owners.filter((o) => o.paths.length > 0);
}

/**
 * Server-side apply of `applied` onto `live` (absent: the apply creates). Returns the merged object (without
 * managedFields) and the new owners, or throws the 409 conflict error.
 */
export function applyConfiguration(
  live: KubeObject | undefined,
  applied: KubeObject,
  ctx: WriteContext & { force: boolean; name: string },
): { object: KubeObject; owners: Owner[] } {
  const appliedPaths = ownedPaths(applied, ctx.resource, ctx.subresource);
  const owners = readOwners(live).map((o) => ({ ...o, paths: [...o.paths] }));
  const others = owners.filter((o) => !isSameKey(o, ctx.manager, 'Apply', ctx.subresource));
  const conflicts: FieldConflict[] = [];
  const seen = new Set<string>();
  for (const other of others) {
    const lost: string[] = [];
    for (const owned of other.paths) {
      for (const q of appliedPaths) {
        if (!overlaps(owned, q)) continue;
        const deeper = q.length >= owned.length ? q : owned;
        if (isDeepStrictEqual(getAt(live, deeper), getAt(applied, deeper))) continue;
        lost.push(pathKey(owned));
        const id = `${other.manager}|${formatPath(q)}`;
        if (!seen.has(id)) {
          seen.add(id);
          conflicts.push({ manager: other.manager, field: formatPath(q) });
        }
      }
    }
    if (ctx.force && lost.length > 0) {
      other.paths = other.paths.filter((p) => !lost.includes(pathKey(p)));
      other.time = ctx.now;
    }
  }
  if (conflicts.length > 0 && !ctx.force) throw applyConflict(ctx.resource, ctx.name, conflicts);

  const object: KubeObject = live ? structuredClone(live) : { metadata: { ...applied.metadata } };
  if (!live) {
    if (applied.apiVersion !== undefined) object.apiVersion = applied.apiVersion;
    if (applied.kind !== undefined) object.kind = applied.kind;
  }
  const mine = upsert(owners, ctx, 'Apply');
  const appliedKeys = new Set(appliedPaths.map(pathKey));
  for (const previous of mine.paths) {
    if (appliedKeys.has(pathKey(previous)) || appliedPaths.some((q) => overlaps(previous, q))) continue;
    const stillOwned = others.some((o) => o.paths.some((p) => overlaps(p, previous)));
    if (!stillOwned) deleteAt(object, previous);
  }
  for (const q of appliedPaths) setAt(object, q, getAt(applied, q));
  if (!isDeepStrictEqual(mine.paths.map(pathKey).sort(), [...appliedKeys].sort())) mine.time = ctx.now;
  mine.paths = appliedPaths;
  return { object, owners: owners.filter((o) => o.paths.length > 0) };
}

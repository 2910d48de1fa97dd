/**
 * Field paths for managed-fields tracking. Ownership is tracked at leaf granularity: every key of every nested map is
 * a field (`.data.tls.crt`, `.metadata.labels.app`, `.spec.gatewayClassName`); lists are atomic (owned as a whole),
 * which is what the real server does for lists without `x-kubernetes-list-type: map|set` (see README for the
 * difference on associative lists such as `conditions`).
 */
import type { ResourceType } from './resources.js';

export type FieldPath = readonly string[];

/** Metadata fields a manager can own; identity and server-set fields are never owned. */
const OWNABLE_METADATA = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

export function parsePathKey(key: string): FieldPath {
  return JSON.parse(key) as string[];
}

/** `.data.tls.crt`, the form server-side apply uses in conflict messages. */
export function formatPath(path: FieldPath): string {
  return path.map((p) => `.${p}`).join('');
}

/** Every leaf below `value`: a non-empty map is descended into, anything else (scalar, list, `{}`) is a leaf. */
export function leafPaths(value: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainMap(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** The fields of `obj` a manager owns by writing it through the main resource or the `status` subresource. */
export function ownedPaths(obj: Record<string, unknown>, resource: ResourceType, subresource: string): FieldPath[] {
  if (subresource === 'status') return obj.status === undefined ? [] : leafPaths(obj.status, ['status']);
  const paths: FieldPath[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'status' && resource.statusSubresource) continue;
    if (key === 'metadata') {
      if (!isPlainMap(value)) continue;
      for (const m of OWNABLE_METADATA) {
        if (value[m] !== undefined) paths.push(...leafPaths(value[m], ['metadata', m]));
      }
      continue;
    }
    paths.push(...leafPaths(value, [key]));
  }
  return paths;
}

export function hasAt(obj: unknown, path: FieldPath): boolean {
  let node = obj;
  for (const part of path) {
    if (!isPlainMap(node) || !Object.hasOwn(node, part)) return false;
    node = node[part];
  }
  return true;
}

export function getAt(obj: unknown, path: FieldPath): unknown {
  let node = obj;
  for (const part of path) {
    if (!isPlainMap(node)) return undefined;
    node = node[part];
  }
  return node;
}

export function setAt(obj: Record<string, unknown>, path: FieldPath, value: unknown): void {
  let node = obj;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (!isPlainMap(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = structuredClone(value);
}

/** Removes the field; parent maps left empty by the removal are removed too (SSA prunes what nobody owns). */
export function deleteAt(obj: Record<string, unknown>, path: FieldPath): void {
  const parents: Record<string, unknown>[] = [];
  let node = obj;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (!isPlainMap(next)) return;
    parents.push(node);
    node = next;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  delete node[last];
  // parents[i] holds path[i]; top-level keys (i = 0: `data`, `metadata`, `spec`) are kept even when empty.
  for (let i = parents.length - 1; i >= 1; i--) {
    const parent = parents[i] as Record<string, unknown>;
    const key = path[i] as string;
    const child = parent[key];
    if (!isPlainMap(child) || Object.keys(child).length > 0) break;
    delete parent[key];
  }
}

/** Whether one path equals or contains the other (ownership of a map covers its fields). */
export function overlaps(a: FieldPath, b: FieldPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `fieldsV1` as the real server writes it: `{"f:data":{"f:tls.crt":{}}}`. */
export function encodeFieldsV1(paths: readonly FieldPath[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const part of path) {
      const key = `f:${part}`;
      if (!isPlainMap(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return root;
}

/** Inverse of `encodeFieldsV1`; `.` markers and list-item keys (`k:`, `v:`, `i:`) own their parent as a whole. */
export function decodeFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  if (!isPlainMap(fields)) return prefix.length > 0 ? [prefix] : [];
  const children = Object.keys(fields).filter((k) => k.startsWith('f:'));
  if (children.length === 0) return prefix.length > 0 ? [prefix] : [];
  return children.flatMap((k) => decodeFieldsV1(fields[k], [...prefix, k.slice(2)]));
}

/**
 * The three non-apply patch formats of the API server:
 * - JSON merge patch (RFC 7386): maps merge, `null` deletes, lists are replaced;
 * - strategic merge patch (built-in types only): merge patch plus `$patch: delete|replace` on maps and merging of
 *   the few keyed lists our resource types have (see `MERGE_KEYS`); other `$` directives are rejected;
 * - JSON patch (RFC 6902): add, remove, replace, test, move, copy.
 */
import { badRequest } from './api-errors.js';
import { isPlainMap } from './field-paths.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainMap(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainMap(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Lists merged by key in strategic merge patch, by path (from the types' `patchMergeKey` tags). */
const MERGE_KEYS: Record<string, string> = {
  'metadata.ownerReferences': 'uid',
  'spec.ports': 'port',
  'status.conditions': 'type',
};
/** Lists of scalars merged as sets (`patchStrategy:"merge"` on a primitive list). */
const MERGED_SETS = new Set(['metadata.finalizers']);

export function strategicMergePatch(target: unknown, patch: unknown, path = ''): unknown {
  if (!isPlainMap(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const result: Record<string, unknown> = isPlainMap(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$'))
      throw badRequest(`strategic merge patch directive ${key} is not supported by the test API server`);
    const childPath = path === '' ? key : `${path}.${key}`;
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = MERGE_KEYS[childPath];
    if (mergeKey && Array.isArray(value) && Array.isArray(result[key])) {
      result[key] = mergeKeyedList(result[key] as unknown[], value, mergeKey, childPath);
    } else if (MERGED_SETS.has(childPath) && Array.isArray(value) && Array.isArray(result[key])) {
      result[key] = [...new Set([...(result[key] as unknown[]), ...value])];
    } else {
      const merged = strategicMergePatch(result[key], value, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  return result;
}

function mergeKeyedList(current: unknown[], patch: unknown[], mergeKey: string, path: string): unknown[] {
  const result = structuredClone(current);
  for (const item of patch) {
    if (!isPlainMap(item)) throw badRequest(`${path}: strategic merge patch expects objects keyed by ${mergeKey}`);
    const index = result.findIndex((x) => isPlainMap(x) && x[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index], item, path);
    } else {
      result.push(structuredClone(item));
    }
  }
  return result;
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`json patch: invalid path ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(doc: unknown, tokens: string[], pointer: string): { parent: unknown; last: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainMap(node) ? node[token] : undefined;
    if (node === undefined) throw badRequest(`json patch: path ${pointer} does not exist`);
  }
  return { parent: node, last: tokens.at(-1) ?? '' };
}

function readPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainMap(node) ? node[token] : undefined;
    if (node === undefined) throw badRequest(`json patch: path ${pointer} does not exist`);
  }
  return node;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const { parent, last } = parentOf(doc, parsePointer(pointer), pointer);
  const removed = readPointer(doc, pointer);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isPlainMap(parent)) delete parent[last];
  return removed;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(value));
  else if (isPlainMap(parent)) parent[last] = structuredClone(value);
  else throw badRequest(`json patch: parent of ${pointer} is not a container`);
  return doc;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('json patch: the body must be a list of operations');
  let doc = structuredClone(target);
  for (const raw of operations as JsonPatchOperation[]) {
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'replace':
        removeAt(doc, raw.path);
        doc = addAt(doc, raw.path, raw.value);
        break;
      case 'test':
        if (JSON.stringify(readPointer(doc, raw.path)) !== JSON.stringify(raw.value)) {
          throw badRequest(`json patch: test operation failed at ${raw.path}`);
        }
        break;
      case 'move':
        doc = addAt(doc, raw.path, removeAt(doc, raw.from ?? ''));
        break;
      case 'copy':
        doc = addAt(doc, raw.path, readPointer(doc, raw.from ?? ''));
        break;
      default:
        throw badRequest(`json patch: unknown operation ${String(raw.op)}`);
    }
  }
  return doc;
}

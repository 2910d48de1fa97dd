/**
 * Label and field selectors with the grammar of `k8s.io/apimachinery/pkg/labels` and `.../fields`:
 * labels: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, comma-separated (AND);
 * fields: `f=v`, `f==v`, `f!=v`, comma-separated, only on the labels a resource type supports.
 */
import { badRequest } from './api-errors.js';
import type { ResourceType } from './resources.js';
import type { KubeObject } from './store.js';

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'absent'; key: string };

export type LabelSelector = readonly LabelRequirement[];

/** Splits on commas that are not inside `( )`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const SET_REQUIREMENT = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQUALITY_REQUIREMENT = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const EXISTS_REQUIREMENT = /^(!?)\s*([^\s!=()]+)$/;

export function parseLabelSelector(text: string | null): LabelSelector {
  if (text === null || text.trim() === '') return [];
  return splitTopLevel(text).map((part): LabelRequirement => {
    const set = SET_REQUIREMENT.exec(part);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { op: set[2] === 'in' ? 'in' : 'notin', key: set[1] ?? '', values };
    }
    const eq = EQUALITY_REQUIREMENT.exec(part);
    if (eq) return { op: eq[2] === '!=' ? 'neq' : 'eq', key: eq[1] ?? '', value: eq[3] ?? '' };
    const exists = EXISTS_REQUIREMENT.exec(part);
    if (exists) return { op: exists[1] === '!' ? 'absent' : 'exists', key: exists[2] ?? '' };
    throw badRequest(`unable to parse requirement: ${part}`);
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const has = (key: string) => labels !== undefined && Object.hasOwn(labels, key);
  return selector.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'eq':
        return has(r.key) && value === r.value;
      case 'neq':
        return !has(r.key) || value !== r.value;
      case 'in':
        return has(r.key) && r.values.includes(value ?? '');
      case 'notin':
        return !has(r.key) || !r.values.includes(value ?? '');
      case 'exists':
        return has(r.key);
      case 'absent':
        return !has(r.key);
    }
    return false;
  });
}

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}
export type FieldSelector = readonly FieldRequirement[];

const FIELD_REQUIREMENT = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/;

export function parseFieldSelector(text: string | null, resource: ResourceType): FieldSelector {
  if (text === null || text.trim() === '') return [];
  const supported = new Set(['metadata.name', 'metadata.namespace', ...resource.fieldLabels]);
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((part) => {
      const m = FIELD_REQUIREMENT.exec(part);
      if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
      const field = m[1] ?? '';
      if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
      return { field, negate: m[2] === '!=', value: (m[3] ?? '').trim() };
    });
}

function fieldValue(obj: KubeObject, field: string): string {
  let node: unknown = obj;
  for (const part of field.split('.')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node === undefined || node === null ? '' : String(node);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  return selector.every((r) => (fieldValue(obj, r.field) === r.value) !== r.negate);
}

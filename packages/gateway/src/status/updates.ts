/** Shared pieces of status assembly: the update envelope and the "did anything change" comparison. */
import { formatKey } from '../sources/objects.js';
import type { StatusUpdate } from './types.js';

interface Source {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata?:
    | {
        namespace?: string | undefined;
        name?: string | undefined;
        generation?: number | undefined;
        resourceVersion?: string | undefined;
      }
    | undefined;
  status?: unknown;
}

/**
 * Wraps a computed status for `object`. `changed` compares only the fields we compute with the object's current
 * status (fields we do not set, such as a GatewayClass's supportedFeatures, are not ours to compare).
 */
export function statusUpdate<U extends StatusUpdate>(object: Source, kind: U['kind'], status: U['status']): U {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  const generation = object.metadata?.generation;
  const resourceVersion = object.metadata?.resourceVersion;
  const existing = (object.status ?? {}) as Record<string, unknown>;
  const changed = Object.entries(status as unknown as Record<string, unknown>).some(
    ([field, value]) => canonical(value) !== canonical(existing[field]),
  );
  return {
    key: formatKey(namespace === undefined ? { kind, name } : { kind, namespace, name }),
    apiVersion: object.apiVersion ?? '',
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    ...(generation === undefined ? {} : { generation }),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    changed,
    status,
  } as U;
}

/** JSON with sorted keys, Dates as RFC 3339 seconds, undefined dropped: equal values give equal strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return `${value.toISOString().slice(0, 19)}Z`;
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = normalize(item);
    }
    return out;
  }
  return value;
}

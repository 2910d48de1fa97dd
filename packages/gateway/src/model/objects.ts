/** Small helpers over object metadata shared by the translators. */
import { compareStrings } from '../sources/objects.js';

interface HasMetadata {
  metadata?: { namespace?: string; name?: string; creationTimestamp?: Date | string } | undefined;
}

/** creationTimestamp in ms since the epoch, undefined when absent or unparsable. */
export function createdAt(object: HasMetadata): number | undefined {
  const value = object.metadata?.creationTimestamp;
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `namespace/name`. */
export function namespacedName(object: HasMetadata): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** Oldest first (objects without a timestamp last), then `namespace/name`: the Gateway API tie-breakers. */
export function compareAge(a: HasMetadata, b: HasMetadata): number {
  return (
    (createdAt(a) ?? Number.MAX_SAFE_INTEGER) - (createdAt(b) ?? Number.MAX_SAFE_INTEGER) ||
    compareStrings(namespacedName(a), namespacedName(b))
  );
}

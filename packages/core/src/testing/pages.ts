import { ValidationError } from '../errors.js';
import type { Page, PageRequest } from '../ports/certificate-repository.js';

/** Opaque cursors for the memory fakes: base64url of the position after which the next page starts. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/**
 * Pages `items` in ascending order of `key` (keys must be unique and sort in the contract's list order). The cursor
 * is the last key returned, so items created or deleted between pages never make a page repeat or skip another.
 */
export function pageOf<T>(items: Iterable<T>, key: (item: T) => string, page: PageRequest): Page<T> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 1000) {
    throw new ValidationError('page.limit', 'range', `must be an integer from 1 to 1000, got ${page.limit}`);
  }
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const sorted = [...items]
    .map((item) => ({ item, k: key(item) }))
    .filter(({ k }) => after === undefined || k > after)
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const slice = sorted.slice(0, page.limit);
  const last = slice.at(-1);
  const result = slice.map(({ item }) => item);
  return sorted.length > page.limit && last !== undefined
    ? { items: result, nextCursor: encodeCursor(last.k) }
    : { items: result };
}

/** Deep copy through JSON: what a real store returns is never the caller's object (and must be JSON-safe). */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

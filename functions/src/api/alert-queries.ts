/**
 * `GET /alerts`: the monitor's alerts a caller may see — those of its tenant's certificates, plus, for a tenant
 * marked operator, the account-wide ones (no tenant: unmanaged ACM certificates, the dead-letter queue).
 *
 * The `AlertRepository` filters by one tenant value at a time (`tenant: 'acme'` or `tenant: null`), so an
 * operator's listing merges two key-ordered sources. Each page reads up to `limit` items from every source, keeps
 * the first `limit` in key order and remembers, per source, where to go on: the source's own `nextCursor` when all
 * it returned was used, otherwise the cursor after the used part — obtained by reading that part again with
 * `limit = used` (repository cursors are opaque, and a page of a stable listing is the same page when re-read).
 */
import type { AlertFilter } from '@portcullis/core';
import { pageSizeOf, rethrowCursor } from './certificate-queries.js';
import { decodeApiCursor, encodeApiCursor } from './cursor.js';
import type { ApiDependencies } from './dependencies.js';
import { invalidRequest } from './errors.js';
import type { AlertsQuery } from './schemas.js';
import type { Caller } from './tenants.js';
import { alertView } from './views.js';

/** Where one source stands: `null` = not started, `false` = exhausted, a string = the repository's cursor. */
type SourceState = string | null | false;

function decodeStates(scope: readonly string[], cursor: string | undefined, sources: number): SourceState[] {
  if (cursor === undefined) return Array.from({ length: sources }, () => null);
  const inner = decodeApiCursor(scope, cursor);
  let states: unknown;
  try {
    states = JSON.parse(inner);
  } catch {
    states = undefined;
  }
  const valid =
    Array.isArray(states) &&
    states.length === sources &&
    states.every((state) => state === null || state === false || (typeof state === 'string' && state !== ''));
  if (!valid) {
    throw invalidRequest([{ field: 'query.cursor', rule: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  return states as SourceState[];
}

export async function listAlerts(deps: ApiDependencies, caller: Caller, query: AlertsQuery) {
  const limit = pageSizeOf(query.limit);
  const base: AlertFilter = {
    ...(query.state === undefined ? {} : { state: query.state }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...(query.certificateId === undefined ? {} : { certificateId: query.certificateId }),
  };
  // Account-wide alerts have no certificate: a certificateId filter never needs them.
  const accountWide = deps.tenants.isOperator(caller.tenant) && query.certificateId === undefined;
  const filters: AlertFilter[] = [
    { ...base, tenant: caller.tenant },
    ...(accountWide ? [{ ...base, tenant: null }] : []),
  ];
  const scope = [
    'alerts',
    caller.tenant,
    String(accountWide),
    query.state ?? '',
    query.kind ?? '',
    query.certificateId ?? '',
  ];
  const states = decodeStates(scope, query.cursor, filters.length);

  const pageOf = (index: number, size: number) => {
    const state = states[index];
    return deps.alerts
      .list(filters[index] as AlertFilter, { limit: size, ...(typeof state === 'string' ? { cursor: state } : {}) })
      .catch(rethrowCursor);
  };
  const pages = await Promise.all(
    filters.map((_filter, index) => (states[index] === false ? undefined : pageOf(index, limit))),
  );
  const merged = pages
    .flatMap((page, source) => (page?.items ?? []).map((item) => ({ item, source })))
    .sort((a, b) => (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0))
    .slice(0, limit);

  const next: SourceState[] = await Promise.all(
    pages.map(async (page, index) => {
      if (page === undefined) return false;
      const used = merged.filter(({ source }) => source === index).length;
      if (used === page.items.length) return page.nextCursor ?? false;
      if (used === 0) return states[index] ?? null;
      const reread = await pageOf(index, used);
      return reread.nextCursor ?? false;
    }),
  );
  const more = next.some((state) => state !== false);
  return {
    items: merged.map(({ item }) => alertView(item)),
    ...(more ? { nextCursor: encodeApiCursor(scope, JSON.stringify(next)) } : {}),
  };
}

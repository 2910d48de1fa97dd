/** Read-only use cases: the tenant's listing (always tenant-scoped), a certificate's events, a name's pre-flight. */
import { ChallengeType, normalizeName, ValidationError } from '@portcullis/core';
import { preflight } from '@portcullis/dns';
import { ownCertificate } from './certificate-commands.js';
import { decodeApiCursor, encodeApiCursor } from './cursor.js';
import type { ApiDependencies } from './dependencies.js';
import { invalidRequest } from './errors.js';
import { ownedIdentifiers } from './request-names.js';
import type { PreflightBody } from './schemas.js';
import type { Caller } from './tenants.js';
import { certificateView, eventView } from './views.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSizeOf(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const size = Number(limit);
  if (size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidRequest([{ field: 'query.limit', rule: 'range', message: `must be from 1 to ${MAX_PAGE_SIZE}` }]);
  }
  return size;
}

/** A `name` filter is normalized like a requested name (`Example.TEST.` finds `example.test`). */
function filterName(name: string): string {
  try {
    return normalizeName(name, { challenge: ChallengeType.Dns01 }).value;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // IP identifiers are only valid with http-01; as a filter they are just another name.
    if (error.rule === 'ip-needs-http-01') return normalizeName(name, { challenge: ChallengeType.Http01 }).value;
    throw invalidRequest([{ field: 'query.name', rule: error.rule, message: error.message }]);
  }
}

export async function listCertificates(
  deps: ApiDependencies,
  caller: Caller,
  query: {
    name?: string | undefined;
    ready?: 'true' | 'false' | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
  },
) {
  const name = query.name === undefined ? undefined : filterName(query.name);
  const ready = query.ready === undefined ? undefined : query.ready === 'true' ? 'True' : 'False';
  const limit = pageSizeOf(query.limit);
  const scope = ['certificates', caller.tenant, name ?? '', ready ?? ''];
  const inner = query.cursor === undefined ? undefined : decodeApiCursor(scope, query.cursor);
  const page = await deps.certificates
    .list(
      { tenant: caller.tenant, ...(name === undefined ? {} : { name }), ...(ready === undefined ? {} : { ready }) },
      { limit, ...(inner === undefined ? {} : { cursor: inner }) },
    )
    .catch(rethrowCursor);
  return {
    items: page.items.map((record) => certificateView(record)),
    ...(page.nextCursor === undefined ? {} : { nextCursor: encodeApiCursor(scope, page.nextCursor) }),
  };
}

export async function listEvents(
  deps: ApiDependencies,
  caller: Caller,
  id: string,
  query: { limit?: string | undefined; cursor?: string | undefined },
) {
  await ownCertificate(deps, caller, id);
  const limit = pageSizeOf(query.limit);
  const scope = ['events', caller.tenant, id];
  const inner = query.cursor === undefined ? undefined : decodeApiCursor(scope, query.cursor);
  const page = await deps.events
    .list(id, { limit, ...(inner === undefined ? {} : { cursor: inner }) })
    .catch(rethrowCursor);
  return {
    items: page.items.map(eventView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: encodeApiCursor(scope, page.nextCursor) }),
  };
}

/** A repository refusing the inner cursor (forged, or from an older version) is the caller's cursor problem. */
export function rethrowCursor(error: unknown): never {
  if (error instanceof ValidationError && error.field.endsWith('cursor')) {
    throw invalidRequest([{ field: 'query.cursor', rule: 'cursor', message: 'is not a cursor returned by this API' }]);
  }
  throw error;
}

/** Delegation, zone and name servers, CAA, wildcard CNAME capture — for a name in one of the tenant's zones. */
export async function preflightName(deps: ApiDependencies, caller: Caller, body: PreflightBody) {
  const challenge = body.challenge ?? ChallengeType.Dns01;
  const [identifier] = ownedIdentifiers(deps.tenants, caller.tenant, [body.name], challenge, () => 'name', 'name');
  if (identifier === undefined) throw new Error('api: normalizeIdentifiers returned no identifier for one name');
  const report = await preflight(identifier.value, deps.resolver, { caIdentities: deps.caIdentities });
  return {
    name: report.name,
    ok: report.ok,
    ...(report.recordName === undefined ? {} : { recordName: report.recordName }),
    ...(report.zone === undefined ? {} : { zone: report.zone }),
    findings: report.findings.map((finding) => ({ ...finding })),
  };
}

/**
 * HTTPRoute and GRPCRoute matches → model matches, with CRD defaults applied and every regular expression checked
 * as RE2 before it can reach Envoy. A problem is returned as a sentence; the caller drops the whole rule.
 */
import type { GRPCRouteMatch, HTTPHeaderMatch, HTTPQueryParamMatch, HTTPRouteMatch } from '../sources/gateway-api.js';
import { compareStrings } from '../sources/objects.js';
import { checkRe2 } from './regex.js';
import type { ModelHeaderMatch, ModelPathMatch, ModelQueryParamMatch, ModelRouteMatch } from './types.js';

export type MatchResult = { ok: true; match: ModelRouteMatch } | { ok: false; problem: string };

/** The match of a rule that declares none: every request (PathPrefix `/`). */
export const MATCH_EVERYTHING: HTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };

export function convertHttpMatch(match: HTTPRouteMatch): MatchResult {
  const path = convertPath(match.path?.type ?? 'PathPrefix', match.path?.value ?? '/');
  if (typeof path === 'string') return { ok: false, problem: path };
  const headers = convertHeaders(match.headers ?? []);
  if (typeof headers === 'string') return { ok: false, problem: headers };
  const queryParams = convertQueryParams(match.queryParams ?? []);
  if (typeof queryParams === 'string') return { ok: false, problem: queryParams };
  return {
    ok: true,
    match: { path, headers, queryParams, ...(match.method === undefined ? {} : { method: match.method }), grpc: false },
  };
}

/**
 * gRPC method matches become path matches on `/<service>/<method>`: both given and Exact → Exact path; service only
 * → PathPrefix `/<service>`; otherwise a regex (method only, or RegularExpression type). No method match → every
 * gRPC request.
 */
export function convertGrpcMatch(match: GRPCRouteMatch): MatchResult {
  const method = match.method;
  let path: ModelPathMatch;
  if (method === undefined || (method.service === undefined && method.method === undefined)) {
    path = { type: 'PathPrefix', value: '/' };
  } else if ((method.type ?? 'Exact') === 'Exact') {
    if (method.service !== undefined && method.method !== undefined) {
      path = { type: 'Exact', value: `/${method.service}/${method.method}` };
    } else if (method.service !== undefined) {
      path = { type: 'PathPrefix', value: `/${method.service}` };
    } else {
      path = { type: 'RegularExpression', value: `/[^/]+/${escapeRe2(method.method ?? '')}` };
    }
  } else {
    for (const part of [method.service, method.method]) {
      const problem = part === undefined ? undefined : checkRe2(part);
      if (problem !== undefined)
        return { ok: false, problem: `method match regex ${part} is not valid RE2: ${problem}` };
    }
    path = { type: 'RegularExpression', value: `/${method.service ?? '[^/]+'}/${method.method ?? '[^/]+'}` };
  }
  const headers = convertHeaders(match.headers ?? []);
  if (typeof headers === 'string') return { ok: false, problem: headers };
  return { ok: true, match: { path, headers, queryParams: [], grpc: true } };
}

function convertPath(type: string, value: string): ModelPathMatch | string {
  switch (type) {
    case 'Exact':
    case 'PathPrefix': {
      if (!value.startsWith('/')) return `path ${value} must start with /`;
      if (type === 'Exact') return { type: 'Exact', value };
      // "/abc/" and "/abc" both match "/abc" and "/abc/def": element-wise prefixes never need the trailing slash
      return { type: 'PathPrefix', value: value.length > 1 ? value.replace(/\/+$/, '') || '/' : value };
    }
    case 'RegularExpression': {
      const problem = checkRe2(value);
      return problem === undefined
        ? { type: 'RegularExpression', value }
        : `path regex ${value} is not valid RE2: ${problem}`;
    }
    default:
      return `path match type ${type} is not supported`;
  }
}

/** Header names are case-insensitive; when a name repeats, the first entry wins (HTTPRoute spec). */
function convertHeaders(headers: readonly HTTPHeaderMatch[]): ModelHeaderMatch[] | string {
  const out = new Map<string, ModelHeaderMatch>();
  for (const header of headers) {
    const name = header.name.toLowerCase();
    if (out.has(name)) continue;
    const type = header.type ?? 'Exact';
    if (type !== 'Exact' && type !== 'RegularExpression') return `header match type ${type} is not supported`;
    if (type === 'RegularExpression') {
      const problem = checkRe2(header.value);
      if (problem !== undefined) return `header ${header.name} regex ${header.value} is not valid RE2: ${problem}`;
    }
    out.set(name, { name, type, value: header.value });
  }
  return [...out.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/** Query parameter names are case-sensitive; when a name repeats, the first entry wins. */
function convertQueryParams(params: readonly HTTPQueryParamMatch[]): ModelQueryParamMatch[] | string {
  const out = new Map<string, ModelQueryParamMatch>();
  for (const param of params) {
    if (out.has(param.name)) continue;
    const type = param.type ?? 'Exact';
    if (type !== 'Exact' && type !== 'RegularExpression') return `query parameter match type ${type} is not supported`;
    if (type === 'RegularExpression') {
      const problem = checkRe2(param.value);
      if (problem !== undefined)
        return `query parameter ${param.name} regex ${param.value} is not valid RE2: ${problem}`;
    }
    out.set(param.name, { name: param.name, type, value: param.value });
  }
  return [...out.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/** Quotes RE2 metacharacters so a literal can sit inside a generated pattern. */
export function escapeRe2(literal: string): string {
  return literal.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

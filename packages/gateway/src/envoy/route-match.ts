/**
 * RouteMatch builders: path (exact / path-element prefix / RE2 regex), headers, query parameters, method, gRPC.
 * Regular expressions arrive validated as RE2 by the model (re2js); Envoy's `safe_regex` uses RE2 too, and the
 * engine field is left unset because RE2 is Envoy's only (and default) engine — `google_re2` is deprecated.
 */
import { create } from '@bufbuild/protobuf';
import type { RouteMatch } from '../generated/envoy/config/route/v3/route_components_pb.js';
import {
  HeaderMatcherSchema,
  QueryParameterMatcherSchema,
  RouteMatch_GrpcRouteMatchOptionsSchema,
  RouteMatchSchema,
} from '../generated/envoy/config/route/v3/route_components_pb.js';
import type { StringMatcher } from '../generated/envoy/type/matcher/v3/string_pb.js';
import { StringMatcherSchema } from '../generated/envoy/type/matcher/v3/string_pb.js';
import type { ModelRouteMatch } from '../model/types.js';

/**
 * How a Gateway API `PathPrefix` (path-element prefix: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`) is
 * written for Envoy.
 * - `path-separated`: Envoy's `path_separated_prefix`, one route. The default, for Envoy.
 * - `exact-and-slash-prefix`: two routes, `path: /foo` then `prefix: /foo/`, same semantics. For gRPC xDS clients
 *   (`@grpc/grpc-js-xds`), which NACK a RouteConfiguration using any path matcher but `prefix`, `path` and
 *   `safe_regex`.
 */
export const PathPrefixStyle = {
  PathSeparated: 'path-separated',
  ExactAndSlashPrefix: 'exact-and-slash-prefix',
} as const;
export type PathPrefixStyle = (typeof PathPrefixStyle)[keyof typeof PathPrefixStyle];

/** One Envoy RouteMatch derived from a model match; `prefix` is the matched path prefix, for rewrites. */
export interface BuiltMatch {
  /** Appended to the model route name when one model route becomes two Envoy routes; '' otherwise. */
  readonly nameSuffix: string;
  readonly match: RouteMatch;
  /** The literal prefix Envoy matched (`prefix` / `path_separated_prefix` / `path`), absent for regex matches. */
  readonly matchedPrefix?: string;
}

export function stringMatcher(type: 'Exact' | 'RegularExpression', value: string): StringMatcher {
  return create(StringMatcherSchema, {
    matchPattern: type === 'Exact' ? { case: 'exact', value } : { case: 'safeRegex', value: { regex: value } },
  });
}

/** Everything but the path, shared by the one or two RouteMatches of a model match. */
function baseMatch(match: ModelRouteMatch) {
  const headers = match.headers.map((header) =>
    create(HeaderMatcherSchema, {
      name: header.name,
      headerMatchSpecifier: { case: 'stringMatch', value: stringMatcher(header.type, header.value) },
    }),
  );
  if (match.method !== undefined) {
    headers.push(
      create(HeaderMatcherSchema, {
        name: ':method',
        headerMatchSpecifier: { case: 'stringMatch', value: stringMatcher('Exact', match.method) },
      }),
    );
  }
  return {
    headers,
    queryParameters: match.queryParams.map((param) =>
      create(QueryParameterMatcherSchema, {
        name: param.name,
        queryParameterMatchSpecifier: { case: 'stringMatch', value: stringMatcher(param.type, param.value) },
      }),
    ),
    ...(match.grpc && { grpc: create(RouteMatch_GrpcRouteMatchOptionsSchema) }),
  };
}

export function buildRouteMatches(match: ModelRouteMatch, style: PathPrefixStyle): BuiltMatch[] {
  const base = baseMatch(match);
  const { path } = match;
  switch (path.type) {
    case 'Exact':
      return [
        {
          nameSuffix: '',
          match: create(RouteMatchSchema, { ...base, pathSpecifier: { case: 'path', value: path.value } }),
          matchedPrefix: path.value,
        },
      ];
    case 'RegularExpression':
      return [
        {
          nameSuffix: '',
          match: create(RouteMatchSchema, {
            ...base,
            pathSpecifier: { case: 'safeRegex', value: { regex: path.value } },
          }),
        },
      ];
    case 'PathPrefix': {
      // `/` is a prefix of every path, and path_separated_prefix rejects a trailing `/`.
      if (path.value === '/') {
        return [
          {
            nameSuffix: '',
            match: create(RouteMatchSchema, { ...base, pathSpecifier: { case: 'prefix', value: '/' } }),
            matchedPrefix: '/',
          },
        ];
      }
      if (style === PathPrefixStyle.PathSeparated) {
        return [
          {
            nameSuffix: '',
            match: create(RouteMatchSchema, {
              ...base,
              pathSpecifier: { case: 'pathSeparatedPrefix', value: path.value },
            }),
            matchedPrefix: path.value,
          },
        ];
      }
      return [
        {
          nameSuffix: '#exact',
          match: create(RouteMatchSchema, { ...base, pathSpecifier: { case: 'path', value: path.value } }),
          matchedPrefix: path.value,
        },
        {
          nameSuffix: '#prefix',
          match: create(RouteMatchSchema, {
            ...baseMatch(match),
            pathSpecifier: { case: 'prefix', value: `${path.value}/` },
          }),
          matchedPrefix: `${path.value}/`,
        },
      ];
    }
  }
}

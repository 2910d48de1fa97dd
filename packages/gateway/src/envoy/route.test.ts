import type { JsonValue } from '@bufbuild/protobuf';
import { toJson } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RouteConfigurationSchema } from '../generated/envoy/config/route/v3/route_pb.js';
import type { ModelRoute } from '../model/types.js';
import { given } from './model-fixtures.js';
import { validatePgv } from './pgv.js';
import { envoyRegistry } from './registry.js';
import { buildRouteConfiguration } from './route.js';
import { INVALID_BACKEND_CLUSTER } from './route-action.js';
import { PathPrefixStyle } from './route-match.js';

const CLUSTER = { cluster: 'default/web:80' };

/** Builds a one-route table and returns the Envoy routes as proto JSON, after checking Envoy's rules hold. */
function envoyRoutes(route: ModelRoute, style: PathPrefixStyle = PathPrefixStyle.PathSeparated): JsonValue {
  const config = buildRouteConfiguration(
    given.routeConfig('http-80', [given.virtualHost('a.example.com', [route])]),
    style,
  );
  expect(validatePgv(RouteConfigurationSchema, config)).toEqual([]);
  const json = toJson(RouteConfigurationSchema, config, { registry: envoyRegistry, useProtoFieldName: true });
  return (json as { virtual_hosts: { routes: JsonValue }[] }).virtual_hosts[0]?.routes ?? null;
}

const r = (overrides: Partial<ModelRoute>) => given.route('httproute/default/web/0/0', overrides);
const name = 'httproute/default/web/0/0';

const cases: Record<string, { route: ModelRoute; style?: PathPrefixStyle; want: JsonValue }> = {
  'matches an exact path with path': {
    route: r({ match: given.match({ path: { type: 'Exact', value: '/login' } }) }),
    want: [{ name, match: { path: '/login' }, route: CLUSTER }],
  },
  'matches a path prefix on path elements with path_separated_prefix': {
    route: r({ match: given.match({ path: { type: 'PathPrefix', value: '/api' } }) }),
    want: [{ name, match: { path_separated_prefix: '/api' }, route: CLUSTER }],
  },
  'matches the root prefix with prefix /': {
    route: r({}),
    want: [{ name, match: { prefix: '/' }, route: CLUSTER }],
  },
  'splits a path prefix into exact and slash-prefix routes for gRPC xDS clients': {
    route: r({ match: given.match({ path: { type: 'PathPrefix', value: '/api' } }) }),
    style: PathPrefixStyle.ExactAndSlashPrefix,
    want: [
      { name: `${name}#exact`, match: { path: '/api' }, route: CLUSTER },
      { name: `${name}#prefix`, match: { prefix: '/api/' }, route: CLUSTER },
    ],
  },
  'matches a regular expression with safe_regex': {
    route: r({ match: given.match({ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }) }),
    want: [{ name, match: { safe_regex: { regex: '/v[0-9]+/.*' } }, route: CLUSTER }],
  },
  'matches headers, the method, query parameters and gRPC content': {
    route: r({
      match: given.match({
        headers: [
          { name: 'x-canary', type: 'Exact', value: 'yes' },
          { name: 'x-user', type: 'RegularExpression', value: 'a.*' },
        ],
        queryParams: [{ name: 'debug', type: 'Exact', value: '1' }],
        method: 'POST',
        grpc: true,
      }),
    }),
    want: [
      {
        name,
        match: {
          prefix: '/',
          headers: [
            { name: 'x-canary', string_match: { exact: 'yes' } },
            { name: 'x-user', string_match: { safe_regex: { regex: 'a.*' } } },
            { name: ':method', string_match: { exact: 'POST' } },
          ],
          query_parameters: [{ name: 'debug', string_match: { exact: '1' } }],
          grpc: {},
        },
        // A gRPC route retries UNAVAILABLE (see retryPolicy); none configured here.
        route: CLUSTER,
      },
    ],
  },
  'splits traffic between a stable and a canary cluster with weighted clusters': {
    route: r({
      action: given.forward({
        backends: [
          { cluster: 'default/web:80', weight: 90 },
          { cluster: 'default/web-canary:80', weight: 10 },
        ],
      }),
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: {
          weighted_clusters: {
            clusters: [
              { name: 'default/web:80', weight: 90 },
              { name: 'default/web-canary:80', weight: 10 },
            ],
          },
        },
      },
    ],
  },
  'answers 500 for the share of an invalid backend': {
    route: r({ action: given.forward({ invalidBackendWeight: 1 }) }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: {
          weighted_clusters: {
            clusters: [
              { name: 'default/web:80', weight: 1 },
              { name: INVALID_BACKEND_CLUSTER, weight: 1 },
            ],
          },
          cluster_not_found_response_code: 'INTERNAL_SERVER_ERROR',
        },
      },
    ],
  },
  'mirrors all, a whole percentage or a fraction of requests': {
    route: r({
      action: given.forward({
        mirrors: [
          { cluster: 'default/a:80', percent: 100 },
          { cluster: 'default/b:80', percent: 25 },
          { cluster: 'default/c:80', percent: 0.5 },
        ],
      }),
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: {
          ...CLUSTER,
          request_mirror_policies: [
            { cluster: 'default/a:80' },
            { cluster: 'default/b:80', runtime_fraction: { default_value: { numerator: 25 } } },
            {
              cluster: 'default/c:80',
              runtime_fraction: { default_value: { numerator: 5000, denominator: 'MILLION' } },
            },
          ],
        },
      },
    ],
  },
  'hashes on a header, a cookie and the source address for consistent hashing': {
    route: r({
      action: given.forward({
        hashPolicies: [{ type: 'Header', name: 'x-user' }, { type: 'Cookie', name: 'session' }, { type: 'SourceIp' }],
      }),
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: {
          ...CLUSTER,
          hash_policy: [
            { header: { header_name: 'x-user' } },
            { cookie: { name: 'session' } },
            { connection_properties: { source_ip: true } },
          ],
        },
      },
    ],
  },
  'allows the WebSocket upgrade per route, with timeouts and retries': {
    route: r({
      action: given.forward({
        websocket: true,
        timeoutMs: 0,
        retry: { attempts: 2, perTryTimeoutMs: 1500, retriableStatusCodes: [502, 503], backoffBaseMs: 25 },
      }),
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: {
          ...CLUSTER,
          timeout: '0s',
          retry_policy: {
            retry_on: 'connect-failure,refused-stream,retriable-status-codes',
            num_retries: 2,
            per_try_timeout: '1.500s',
            retriable_status_codes: [502, 503],
            retry_back_off: { base_interval: '0.025s' },
          },
          upgrade_configs: [{ upgrade_type: 'websocket', enabled: true }],
        },
      },
    ],
  },
  'retries UNAVAILABLE on gRPC routes': {
    route: r({
      match: given.match({ grpc: true }),
      action: given.forward({ retry: { attempts: 1, retriableStatusCodes: [] } }),
    }),
    want: [
      {
        name,
        match: { prefix: '/', grpc: {} },
        route: { ...CLUSTER, retry_policy: { retry_on: 'connect-failure,refused-stream,unavailable', num_retries: 1 } },
      },
    ],
  },
  'rewrites the host and replaces a prefix on path elements': {
    route: r({
      match: given.match({ path: { type: 'PathPrefix', value: '/old' } }),
      action: given.forward({
        rewrite: { hostname: 'internal.example', path: { type: 'ReplacePrefixMatch', value: '/new/' } },
      }),
    }),
    want: [
      {
        name,
        match: { path_separated_prefix: '/old' },
        route: { ...CLUSTER, prefix_rewrite: '/new', host_rewrite_literal: 'internal.example' },
      },
    ],
  },
  'replaces a prefix with / without leaving a double slash': {
    route: r({
      match: given.match({ path: { type: 'PathPrefix', value: '/old' } }),
      action: given.forward({ rewrite: { path: { type: 'ReplacePrefixMatch', value: '/' } } }),
    }),
    want: [
      {
        name,
        match: { path_separated_prefix: '/old' },
        route: { ...CLUSTER, regex_rewrite: { pattern: { regex: '^/old/*' }, substitution: '/' } },
      },
    ],
  },
  'replaces the root prefix without gluing path elements': {
    route: r({ action: given.forward({ rewrite: { path: { type: 'ReplacePrefixMatch', value: '/app' } } }) }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: { ...CLUSTER, regex_rewrite: { pattern: { regex: '^/' }, substitution: '/app/' } },
      },
    ],
  },
  'replaces the full path': {
    route: r({ action: given.forward({ rewrite: { path: { type: 'ReplaceFullPath', value: '/index.html' } } }) }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: { ...CLUSTER, regex_rewrite: { pattern: { regex: '^/.*$' }, substitution: '/index.html' } },
      },
    ],
  },
  'redirects HTTP to HTTPS with https_redirect': {
    route: r({ action: { type: 'Redirect', scheme: 'https', statusCode: 301 } }),
    want: [{ name, match: { prefix: '/' }, redirect: { https_redirect: true } }],
  },
  'redirects with a host, port, path and status': {
    route: r({
      action: {
        type: 'Redirect',
        scheme: 'http',
        hostname: 'b.example.com',
        port: 8080,
        path: { type: 'ReplaceFullPath', value: '/moved' },
        statusCode: 308,
      },
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        redirect: {
          scheme_redirect: 'http',
          host_redirect: 'b.example.com',
          port_redirect: 8080,
          path_redirect: '/moved',
          response_code: 'PERMANENT_REDIRECT',
        },
      },
    ],
  },
  'answers an HTTP-01 challenge directly': {
    route: given.route('acme/tok', {
      match: given.match({ path: { type: 'Exact', value: '/.well-known/acme-challenge/tok' } }),
      action: { type: 'DirectResponse', status: 200, body: 'tok.thumb' },
    }),
    want: [
      {
        name: 'acme/tok',
        match: { path: '/.well-known/acme-challenge/tok' },
        direct_response: { status: 200, body: { inline_string: 'tok.thumb' } },
      },
    ],
  },
  'sets, appends and removes request and response headers': {
    route: r({
      requestHeaders: { set: [{ name: 'x-a', value: '1' }], add: [{ name: 'x-b', value: '2' }], remove: ['x-c'] },
      responseHeaders: { set: [], add: [{ name: 'x-d', value: '3' }], remove: [] },
    }),
    want: [
      {
        name,
        match: { prefix: '/' },
        route: CLUSTER,
        request_headers_to_add: [
          { header: { key: 'x-a', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
          { header: { key: 'x-b', value: '2' } },
        ],
        request_headers_to_remove: ['x-c'],
        response_headers_to_add: [{ header: { key: 'x-d', value: '3' } }],
      },
    ],
  },
};

describe('buildRouteConfiguration', () => {
  it.each(Object.entries(cases))('%s', (_name, { route, style, want }) => {
    expect(envoyRoutes(route, style)).toEqual(want);
  });

  it('refuses a redirect status Envoy cannot send', () => {
    expect(() => envoyRoutes(r({ action: { type: 'Redirect', statusCode: 305 } }))).toThrow(
      /route httproute\/default\/web\/0\/0: redirect.statusCode: 305/,
    );
  });

  it('refuses a prefix replacement on a regex match', () => {
    const route = r({
      match: given.match({ path: { type: 'RegularExpression', value: '/a.*' } }),
      action: given.forward({ rewrite: { path: { type: 'ReplacePrefixMatch', value: '/b' } } }),
    });
    expect(() => envoyRoutes(route)).toThrow(/ReplacePrefixMatch needs a prefix match/);
  });

  it('keeps the model route order, which is the match order', () => {
    const routes = ['acme/t', 'httproute/default/web/0/0', 'httproute/default/web/1/0'].map((n) => given.route(n));
    const config = buildRouteConfiguration(
      given.routeConfig('http-80', [given.virtualHost('a', routes)]),
      'path-separated',
    );
    expect(config.virtualHosts[0]?.routes.map((route) => route.name)).toEqual(routes.map((route) => route.name));
  });
});

/** RouteConfiguration builder: one per listener (RDS), virtual hosts by hostname, routes in the model's match order. */
import { create } from '@bufbuild/protobuf';
import type { Route } from '../generated/envoy/config/route/v3/route_components_pb.js';
import { RouteSchema, VirtualHostSchema } from '../generated/envoy/config/route/v3/route_components_pb.js';
import type { RouteConfiguration } from '../generated/envoy/config/route/v3/route_pb.js';
import { RouteConfigurationSchema } from '../generated/envoy/config/route/v3/route_pb.js';
import type { ModelRoute, ModelRouteConfig, ModelVirtualHost } from '../model/types.js';
import type { ActionContext } from './route-action.js';
import { buildDirectResponse, buildForwardAction, buildRedirectAction, headerValueOptions } from './route-action.js';
import type { PathPrefixStyle } from './route-match.js';
import { buildRouteMatches } from './route-match.js';

function routeAction(route: ModelRoute, context: ActionContext): Route['action'] {
  const { action } = route;
  switch (action.type) {
    case 'Forward':
      return { case: 'route', value: buildForwardAction(action, context) };
    case 'Redirect':
      return { case: 'redirect', value: buildRedirectAction(action, context) };
    case 'DirectResponse':
      return { case: 'directResponse', value: buildDirectResponse(action) };
  }
}

/** One model route is one Envoy route, or two when a PathPrefix is split (see PathPrefixStyle). */
function buildRoutes(route: ModelRoute, style: PathPrefixStyle): Route[] {
  const mutations = {
    requestHeadersToAdd: headerValueOptions(route.requestHeaders),
    requestHeadersToRemove: [...(route.requestHeaders?.remove ?? [])],
    responseHeadersToAdd: headerValueOptions(route.responseHeaders),
    responseHeadersToRemove: [...(route.responseHeaders?.remove ?? [])],
  };
  return buildRouteMatches(route.match, style).map(({ nameSuffix, match, matchedPrefix }) =>
    create(RouteSchema, {
      name: `${route.name}${nameSuffix}`,
      match,
      action: routeAction(route, { route: route.name, matchedPrefix, grpc: route.match.grpc }),
      ...mutations,
    }),
  );
}

/**
 * Built routes by model route, for one build: the model shares a route object between the HTTP and HTTPS tables of
 * a host, and building it once halves the work (messages are never mutated after they are built).
 */
export type RouteCache = WeakMap<ModelRoute, Route[]>;

function buildVirtualHost(host: ModelVirtualHost, style: PathPrefixStyle, cache: RouteCache) {
  return create(VirtualHostSchema, {
    name: host.name,
    domains: [...host.domains],
    routes: host.routes.flatMap((route) => {
      let built = cache.get(route);
      if (built === undefined) {
        built = buildRoutes(route, style);
        cache.set(route, built);
      }
      return built;
    }),
  });
}

/**
 * `validate_clusters` stays at its RDS default (false): a route may name a cluster that does not exist yet (or
 * never, see INVALID_BACKEND_CLUSTER) without Envoy rejecting the whole table.
 */
export function buildRouteConfiguration(
  config: ModelRouteConfig,
  style: PathPrefixStyle,
  cache: RouteCache = new WeakMap(),
): RouteConfiguration {
  return create(RouteConfigurationSchema, {
    name: config.name,
    virtualHosts: config.virtualHosts.map((host) => buildVirtualHost(host, style, cache)),
  });
}
